import type { Buffer as NodeBuffer } from 'node:buffer';
import { IllegalStateException, IndexOutOfBoundsException, type ByteBuf } from '@sluice/channel';
import { BufferConsumer } from './BufferConsumer';
import type { BufferRecycler } from './BufferRecycler';
import type { DataType } from './DataType';
import type { MemorySegment } from './MemorySegment';
import { NetworkBuffer } from './NetworkBuffer';
import { PositionMarker } from './PositionMarker';

/** Below this many bytes a JS loop beats `Uint8Array.set` (measured on Node 20: 27 ns vs 78 ns for 12 bytes). */
const SMALL_COPY = 32;

/**
 * Port of org.apache.flink.runtime.io.network.buffer.BufferBuilder (Flink 1.20). Differs: the published
 * position is a shared int32 cell written with `Atomics.store` (see {@link PositionMarker}); `append`
 * takes a `Uint8Array` range or a `ByteBuf`; there is an allocation-free fast path for serializers that
 * write straight into the segment ({@link memory}, {@link setWriterPosition}); `close()` is idempotent.
 *
 * The single writer of one network buffer. Bytes appended are private to the writer until
 * {@link commit} publishes the position; the {@link BufferConsumer}(s) then see everything up to it.
 * {@link finish} marks the buffer complete (no more writes) and publishes that too.
 *
 * Fast path for record writers (serialize into the segment without a copy):
 * ```
 * const mem = builder.memory();            // the whole segment; index 0 = segment start
 * let p = builder.writerPosition();
 * if (builder.getMaxCapacity() - p >= 12) {
 *   mem.writeInt32BE(8, p); mem.writeBigInt64BE(v, p + 4);
 *   builder.setWriterPosition(p + 12);     // or builder.advance(12)
 * }
 * builder.commit();                        // once per batch: publishing costs an atomic store
 * ```
 * Invariants: write only into `[writerPosition(), getMaxCapacity())`; never move the position below the
 * last committed one or past the max capacity (both throw); never write after `finish()`/`close()`;
 * bytes beyond the committed position are invisible to consumers until the next commit.
 *
 * ## Threading
 * One writer thread; not synchronised. Consumers may read concurrently — only through the committed
 * position. (Today both ends live on the network loop; the position protocol is what a worker-side
 * writer will rely on.)
 *
 * ## Ownership
 * The builder holds its own reference to the underlying {@link NetworkBuffer}; each consumer made from
 * it holds another. `close()` drops the builder's; the segment is recycled when the builder and every
 * consumer (and every built slice) have been released.
 *
 * ## Pitfalls
 * - Only one consumer per builder (`createBufferConsumer*()` throws the second time); use
 *   `BufferConsumer.copy()` to give several readers the same bytes (broadcast).
 * - `append` copies `min(remaining, capacity − position)`: check the return value and continue in a
 *   new builder when the record did not fit.
 * - Forgetting `commit()` leaves the bytes unseen; forgetting `close()` leaks the segment.
 *
 * @example
 * const builder = await pool.requestBufferBuilderBlocking(subpartition);
 * const consumer = builder.createBufferConsumerFromBeginning(); // hand to the subpartition
 * try {
 *   builder.appendAndCommit(recordBytes);
 *   if (builder.isFull()) builder.finish();
 * } finally {
 *   builder.close();
 * }
 */
export class BufferBuilder {
  private readonly _buffer: NetworkBuffer;
  private readonly _segment: MemorySegment;
  private readonly _memory: NodeBuffer;
  private readonly _cells: Int32Array;
  private readonly _slot: number;
  private _maxCapacity: number;
  /** Absolute writer position (Flink's cached position, without the sign). */
  private _position = 0;
  /** Absolute position as of the last commit: the floor for {@link setWriterPosition}. */
  private _committed = 0;
  private _finished = false;
  private _closed = false;
  private _consumerCreated = false;

  /**
   * @param segment the segment to write into (from a pool; one builder per segment at a time)
   * @param recycler gets the segment back when the builder and all its consumers are released
   */
  constructor(segment: MemorySegment, recycler: BufferRecycler) {
    this._segment = segment;
    this._buffer = new NetworkBuffer(segment, recycler);
    this._memory = segment.getArray();
    this._cells = segment.positionCells();
    this._slot = segment.positionSlot();
    this._maxCapacity = segment.size();
    // The cell may hold the previous builder's final position; start from "nothing written".
    Atomics.store(this._cells, this._slot, 0);
  }

  /**
   * A consumer that sees bytes written from the current writer position on (data written before is
   * invisible to it). Only one consumer per builder.
   */
  createBufferConsumer(): BufferConsumer {
    return this.createConsumer(this._position);
  }

  /** A consumer that sees everything from position 0 of the segment. Only one consumer per builder. */
  createBufferConsumerFromBeginning(): BufferConsumer {
    return this.createConsumer(0);
  }

  private createConsumer(readerPosition: number): BufferConsumer {
    if (this._consumerCreated) throw new IllegalStateException("Two BufferConsumer shouldn't exist for one BufferBuilder");
    this._consumerCreated = true;
    // The single writer knows what its cell holds: what it last committed (no atomic read needed).
    const published = this._finished ? PositionMarker.encode(this._committed, true) : this._committed;
    return new BufferConsumer(this._buffer.retainBuffer(), this._cells, this._slot, readerPosition, published);
  }

  /** What the buffer carries (shared with the consumers). */
  getDataType(): DataType {
    return this._buffer.getDataType();
  }

  /** Sets what the buffer carries (before consumers build from it). */
  setDataType(dataType: DataType): void {
    this._buffer.setDataType(dataType);
  }

  /**
   * Copies as many bytes as fit: `min(length, getMaxCapacity() − writerPosition())` from `source`
   * starting at `offset` (default: all of `source`). Returns the number of bytes copied. Not committed.
   */
  append(source: Uint8Array, offset?: number, length?: number): number;
  /**
   * Copies `min(source.readableBytes(), writable)` bytes from `source`'s reader index and advances it; or,
   * with `index`, `min(length ?? writerIndex − index, writable)` bytes from that absolute index without
   * moving any index of `source`.
   */
  append(source: ByteBuf, index?: number, length?: number): number;
  append(source: Uint8Array | ByteBuf, offset?: number, length?: number): number {
    if (this._finished || this._closed) this.failWrite();
    const position = this._position;
    const writable = this._maxCapacity - position;
    if (source instanceof Uint8Array) {
      const from = offset ?? 0;
      const len = length ?? source.length - from;
      if ((from >>> 0) !== from || (len >>> 0) !== len || from > source.length - len) {
        throw new IndexOutOfBoundsException(`offset: ${from}, length: ${len} (expected: range(0, ${source.length}))`);
      }
      const n = len < writable ? len : writable;
      const memory = this._memory;
      if (n <= SMALL_COPY) {
        for (let i = 0; i < n; i++) memory[position + i] = source[from + i]!;
      } else if (from === 0 && n === source.length) {
        memory.set(source, position);
      } else {
        memory.set(source.subarray(from, from + n), position);
      }
      this._position = position + n;
      return n;
    }
    const from = offset ?? source.readerIndex();
    const available = length ?? source.writerIndex() - from;
    if (!(available >= 0)) {
      throw new IndexOutOfBoundsException(`index: ${from}, length: ${available} (expected: a range of ${source.toString()})`);
    }
    const n = available < writable ? available : writable;
    if (n > 0) source.getBytes(from, this._memory, position, n); // bounds-checked by the ByteBuf
    if (offset === undefined) source.readerIndex(from + n);
    this._position = position + n;
    return n;
  }

  /** {@link append} followed by {@link commit}. */
  appendAndCommit(source: Uint8Array, offset?: number, length?: number): number;
  appendAndCommit(source: ByteBuf, index?: number, length?: number): number;
  appendAndCommit(source: Uint8Array | ByteBuf, offset?: number, length?: number): number {
    const written = this.append(source as Uint8Array, offset, length);
    this.commit();
    return written;
  }

  /**
   * Publishes the writer position to the consumers (`Atomics.store`). Costs an atomic store: after bulk
   * writes, commit once.
   */
  commit(): void {
    const position = this._position;
    Atomics.store(this._cells, this._slot, this._finished ? PositionMarker.encode(position, true) : position);
    this._committed = position;
  }

  /**
   * Marks the builder and its consumers finished (no more writes) and publishes it. Idempotent (Flink
   * FLINK-8948). Returns the number of bytes written.
   */
  finish(): number {
    this._finished = true;
    this.commit();
    return this._position;
  }

  /** True after {@link finish}. */
  isFinished(): boolean {
    return this._finished;
  }

  /** True if no byte fits any more (`writerPosition() === getMaxCapacity()`). */
  isFull(): boolean {
    return this._position === this._maxCapacity;
  }

  /** Bytes that still fit: `getMaxCapacity() − writerPosition()`. */
  getWritableBytes(): number {
    return this._maxCapacity - this._position;
  }

  /** Flink's name for the bytes written so far (committed or not); same as {@link writerPosition}. */
  getCommittedBytes(): number {
    return this._position;
  }

  /** Usable capacity in bytes: the segment size, or less after {@link trim}. */
  getMaxCapacity(): number {
    return this._maxCapacity;
  }

  /**
   * Caps the capacity at `newSize` (buffer debloating), but never below what was written nor above the
   * segment size.
   */
  trim(newSize: number): void {
    this._maxCapacity = Math.min(Math.max(newSize, this._position), this._segment.size());
  }

  /** The segment written into. */
  getMemorySegment(): MemorySegment {
    return this._segment;
  }

  /** Drops the builder's reference to the buffer. Idempotent. Consumers stay valid. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._buffer.recycleBuffer();
  }

  /** True after {@link close}. */
  isClosed(): boolean {
    return this._closed;
  }

  // ---------------------------------------------------------------- fast path

  /**
   * The whole segment as a Node `Buffer` (index 0 = segment start; no copy, same object every time).
   * Write only into `[writerPosition(), getMaxCapacity())`, then {@link setWriterPosition}/{@link advance}
   * and {@link commit}. Do not keep it after {@link close}.
   */
  memory(): NodeBuffer {
    return this._memory;
  }

  /** A `DataView` over the same memory as {@link memory} (for typed big-/little-endian writes). */
  dataView(): DataView {
    return this._segment.getDataView();
  }

  /** The current (uncommitted) writer position in bytes. */
  writerPosition(): number {
    return this._position;
  }

  /**
   * Moves the writer position to `position` after writing through {@link memory}. Throws if finished or
   * closed, if `position` is below the last committed position (a consumer may already have read there),
   * or above {@link getMaxCapacity}. Not committed.
   */
  setWriterPosition(position: number): void {
    if (this._finished || this._closed) this.failWrite();
    if ((position >>> 0) !== position || position < this._committed || position > this._maxCapacity) {
      throw new IndexOutOfBoundsException(
        `writer position ${position} (expected: ${this._committed} (committed) <= position <= ${this._maxCapacity} (max capacity))`,
      );
    }
    this._position = position;
  }

  /** `setWriterPosition(writerPosition() + bytes)`. */
  advance(bytes: number): void {
    this.setWriterPosition(this._position + bytes);
  }

  private failWrite(): never {
    throw new IllegalStateException(
      this._closed ? 'BufferBuilder is closed; request a new one to write more' : 'BufferBuilder is finished; request a new one to write more',
    );
  }

  toString(): string {
    return (
      `BufferBuilder(position: ${this._position}, committed: ${this._committed}, maxCapacity: ${this._maxCapacity}` +
      `${this._finished ? ', finished' : ''}${this._closed ? ', closed' : ''})`
    );
  }
}
