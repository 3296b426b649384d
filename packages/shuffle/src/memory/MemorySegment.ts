import { Buffer as NodeBuffer } from 'node:buffer';
import { IndexOutOfBoundsException } from '@sluice/channel';
import { MemorySegmentFreedException } from './errors';

const EMPTY: NodeBuffer = NodeBuffer.alloc(0);
const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

/**
 * Port of org.apache.flink.core.memory.MemorySegment (Flink 1.20). Differs: the memory is a region of an
 * `ArrayBuffer` or `SharedArrayBuffer` seen through a Node `Buffer` and a `DataView` (no off-heap/heap
 * split, no `Unsafe`); multi-byte accessors name their byte order; 64-bit values are `bigint`; and a
 * segment may carry one 32-bit "position cell" in shared memory that {@link BufferBuilder} uses to
 * publish its writer position (see below).
 *
 * A fixed-size block of memory, the unit the network stack hands around: every network buffer is one
 * segment (default 32 KiB, `taskmanager.memory.segment-size`). Segments of the global
 * {@link NetworkBufferPool} are carved out of one `ArrayBuffer` per chunk — a `SharedArrayBuffer` when the
 * pool is made with `sharedMemory`, so that a task running on a `worker_threads` worker can share them
 * with the network loop.
 *
 * Position cell: `allocateSegments(n, size)` lays out `[segment 0 | … | segment n-1 | pad to 8 |
 * int32 cell 0 … cell n-1]` in ONE (`Shared`)`ArrayBuffer`; cell i belongs to segment i. A segment without
 * a cell (heap segments, `wrap`) gets a private 4-byte cell on first use, in shared memory if the segment
 * is shared. A cell is only used while a BufferBuilder writes into the segment; the segment is recycled
 * only after every reader released it, so reusing the cell for the next builder is safe.
 *
 * ## Threading
 * No synchronisation. The bytes may be read on another thread only after the writer published them
 * (BufferBuilder `commit()` → `Atomics.store`, reader `Atomics.load`).
 *
 * ## Ownership
 * A segment has one owner at a time: a pool (idle), or the buffer/builder it was handed to. `free()` is
 * called by whoever owns the memory for good (FreeingBufferRecycler, NetworkBufferPool.destroy()).
 *
 * ## Pitfalls
 * - Views returned by {@link getArray}/{@link wrap} alias the segment: never keep them after handing the
 *   segment back to its pool — the next user will overwrite the bytes.
 * - After `free()` every accessor throws {@link MemorySegmentFreedException}; views taken before stay
 *   readable (JS memory is reclaimed by the garbage collector, not by `free()`).
 *
 * @example
 * const segment = MemorySegmentFactory.allocateUnpooledSegment(64);
 * segment.putIntBigEndian(0, 42);
 * segment.getIntBigEndian(0); // 42
 * segment.getArray().subarray(0, 4); // <Buffer 00 00 00 2a>
 */
export class MemorySegment {
  private _memory: NodeBuffer;
  private _view: DataView;
  private readonly _size: number;
  private readonly _shared: boolean;
  private readonly _owner: unknown;
  private _freed = false;
  private _cells: Int32Array | null;
  private _slot: number;

  /**
   * Wraps `memory` without a copy. Prefer {@link MemorySegmentFactory}.
   * @param memory the region of this segment (its length is the segment size)
   * @param owner an optional owner object (Flink's `owner`, informative only)
   * @param positionCells shared cells for BufferBuilder positions, or `null` (a private cell is made lazily)
   * @param positionSlot index of this segment's cell in `positionCells`
   */
  constructor(memory: Uint8Array, owner: unknown = null, positionCells: Int32Array | null = null, positionSlot = 0) {
    this._memory = NodeBuffer.isBuffer(memory) ? memory : NodeBuffer.from(memory.buffer, memory.byteOffset, memory.byteLength);
    this._view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
    this._size = memory.byteLength;
    this._shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    this._owner = owner;
    this._cells = positionCells;
    this._slot = positionSlot;
  }

  /** Size of the segment in bytes. */
  size(): number {
    return this._size;
  }

  /** True once {@link free} was called. */
  isFreed(): boolean {
    return this._freed;
  }

  /** True if the memory lives in a `SharedArrayBuffer` (shareable with workers). */
  isShared(): boolean {
    return this._shared;
  }

  /** The owner given at creation (informative). */
  getOwner(): unknown {
    return this._owner;
  }

  /** Drops the memory; every later access throws. Idempotent. */
  free(): void {
    this._freed = true;
    this._memory = EMPTY;
    this._view = EMPTY_VIEW;
  }

  /**
   * The whole segment as a Node `Buffer` view (no copy): index 0 is the segment's first byte. The same
   * object is returned on every call. Its `.buffer`/`.byteOffset` locate the segment in its
   * (Shared)ArrayBuffer, which is what a worker needs to map the same memory.
   */
  getArray(): NodeBuffer {
    if (this._freed) throw new MemorySegmentFreedException();
    return this._memory;
  }

  /** A cached `DataView` over the whole segment (same memory as {@link getArray}). */
  getDataView(): DataView {
    if (this._freed) throw new MemorySegmentFreedException();
    return this._view;
  }

  /** A `Buffer` view of `[offset, offset + length)` (no copy; allocates the view object). */
  wrap(offset: number, length: number): NodeBuffer {
    this.checkRange(offset, length);
    return this._memory.subarray(offset, offset + length);
  }

  /** The unsigned byte at `index`. */
  get(index: number): number {
    this.checkRange(index, 1);
    return this._memory[index]!;
  }

  /** Stores the low 8 bits of `value` at `index`. */
  put(index: number, value: number): void {
    this.checkRange(index, 1);
    this._memory[index] = value;
  }

  /** Copies `length` bytes at `index` into `dst` at `dstOffset`. */
  getBytes(index: number, dst: Uint8Array, dstOffset = 0, length = dst.length - dstOffset): void {
    this.checkRange(index, length);
    dst.set(this._memory.subarray(index, index + length), dstOffset);
  }

  /** Copies `length` bytes of `src` from `srcOffset` to `index`. */
  putBytes(index: number, src: Uint8Array, srcOffset = 0, length = src.length - srcOffset): void {
    this.checkRange(index, length);
    this._memory.set(src.subarray(srcOffset, srcOffset + length), index);
  }

  getShortBigEndian(index: number): number {
    this.checkRange(index, 2);
    return this._view.getInt16(index);
  }

  putShortBigEndian(index: number, value: number): void {
    this.checkRange(index, 2);
    this._view.setInt16(index, value);
  }

  getIntBigEndian(index: number): number {
    this.checkRange(index, 4);
    return this._view.getInt32(index);
  }

  putIntBigEndian(index: number, value: number): void {
    this.checkRange(index, 4);
    this._view.setInt32(index, value);
  }

  getIntLittleEndian(index: number): number {
    this.checkRange(index, 4);
    return this._view.getInt32(index, true);
  }

  putIntLittleEndian(index: number, value: number): void {
    this.checkRange(index, 4);
    this._view.setInt32(index, value, true);
  }

  getLongBigEndian(index: number): bigint {
    this.checkRange(index, 8);
    return this._view.getBigInt64(index);
  }

  putLongBigEndian(index: number, value: bigint): void {
    this.checkRange(index, 8);
    this._view.setBigInt64(index, value);
  }

  /** Copies `numBytes` from `offset` of this segment to `targetOffset` of `target` (may be this segment). */
  copyTo(offset: number, target: MemorySegment, targetOffset: number, numBytes: number): void {
    this.checkRange(offset, numBytes);
    target.checkRange(targetOffset, numBytes);
    if (target === this) this._memory.copyWithin(targetOffset, offset, offset + numBytes);
    else target._memory.set(this._memory.subarray(offset, offset + numBytes), targetOffset);
  }

  /** True if `length` bytes at `offset1` of this segment equal those at `offset2` of `other`. */
  equalTo(other: MemorySegment, offset1: number, offset2: number, length: number): boolean {
    this.checkRange(offset1, length);
    other.checkRange(offset2, length);
    return this._memory.subarray(offset1, offset1 + length).equals(other._memory.subarray(offset2, offset2 + length));
  }

  /**
   * The `Int32Array` holding this segment's BufferBuilder position cell (made on first use for segments
   * without one; shared if the segment is). For {@link BufferBuilder}/{@link BufferConsumer}; see the
   * class comment.
   */
  positionCells(): Int32Array {
    let cells = this._cells;
    if (cells === null) {
      cells = this._shared ? new Int32Array(new SharedArrayBuffer(4)) : new Int32Array(1);
      this._cells = cells;
      this._slot = 0;
    }
    return cells;
  }

  /** Index of this segment's cell in {@link positionCells}. */
  positionSlot(): number {
    return this._slot;
  }

  toString(): string {
    return `MemorySegment(size: ${this._size}${this._shared ? ', shared' : ''}${this._freed ? ', freed' : ''})`;
  }

  private checkRange(index: number, length: number): void {
    if (this._freed) throw new MemorySegmentFreedException();
    if ((index >>> 0) !== index || (length >>> 0) !== length || index > this._size - length) {
      throw new IndexOutOfBoundsException(`index: ${index}, length: ${length} (expected: range(0, ${this._size}))`);
    }
  }
}
