import { AbstractHeapByteBuf } from './AbstractHeapByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import type { PoolArena } from './PoolArena';
import type { PoolChunk } from './PoolChunk';

/**
 * Port of io.netty.buffer.PooledByteBuf / PooledHeapByteBuf (Netty 4.1). Differs: wrappers are never
 * recycled — each allocation gets a fresh object, so a stale reference to a released buffer can only ever
 * throw `IllegalReferenceCountException`, never read or corrupt the next owner's bytes (a small JS object
 * is cheap to allocate); memory access goes through the chunk's shared `DataView`.
 *
 * A buffer over a region of a pool chunk (`[offset, offset + maxLength)` of the chunk's memory), or over
 * its own memory for huge allocations. Its capacity can grow up to `maxLength` (the size class) without
 * moving; beyond that it is reallocated from the pool and the bytes are copied.
 *
 * ## Ownership
 * Count 1 at creation; the last release returns the region to the arena immediately.
 *
 * ## Pitfalls
 * - `array()` is the whole chunk (use `arrayOffset()`), and a `Buffer` from `nioBuffer()` aliases pool
 *   memory: neither may be used after the release, when the region is handed to the next allocation.
 * - Allocation and release must happen on the JS thread that owns the allocator.
 */
export class PooledByteBuf extends AbstractHeapByteBuf {
  declare private readonly _arena: PoolArena;
  /** The chunk holding the region, or null for huge buffers and after release. */
  declare private _chunk: PoolChunk | null;
  /** First page of the run holding the region. */
  declare private _runPage: number;
  /** Element index within the subpage for small sizes; -1 for runs and huge buffers. */
  declare private _bitmapIdx: number;
  /** Size of the region (the size class), the capacity reachable without reallocation. */
  declare private _maxLength: number;

  /** Created by {@link PoolArena.allocate}; not for direct use. */
  constructor(arena: PoolArena, alloc: ByteBufAllocator, maxCapacity: number) {
    super(alloc, maxCapacity);
    this._arena = arena;
    this._chunk = null;
    this._runPage = -1;
    this._bitmapIdx = -1;
    this._maxLength = 0;
  }

  /** @internal Points this buffer at a region handed out by the arena. */
  initRegion(chunk: PoolChunk | null, runPage: number, bitmapIdx: number, memory: Buffer, view: DataView, offset: number, length: number, maxLength: number): void {
    this._chunk = chunk;
    this._runPage = runPage;
    this._bitmapIdx = bitmapIdx;
    this._maxLength = maxLength;
    this.setMemory(memory, view, offset, length);
  }

  /** @internal The region's chunk (null when huge). */
  get chunk(): PoolChunk | null {
    return this._chunk;
  }

  /** @internal First page of the region's run. */
  get runPage(): number {
    return this._runPage;
  }

  /** @internal Subpage element index, or -1. */
  get bitmapIdx(): number {
    return this._bitmapIdx;
  }

  /** @internal Region size in bytes. */
  get maxLength(): number {
    return this._maxLength;
  }

  /** @internal Current memory, offset and capacity (for copying on reallocation). */
  get region(): { memory: Buffer; offset: number; length: number } {
    return { memory: this._memory, offset: this._offset, length: this._capacity };
  }

  override maxFastWritableBytes(): number {
    return Math.min(this._maxLength, this._maxCapacity) - this._writerIndex;
  }

  protected adjustCapacity(newCapacity: number): void {
    this.checkNewCapacity(newCapacity);
    const length = this._capacity;
    if (newCapacity === length) return;
    if (this._chunk !== null) {
      if (newCapacity > length) {
        if (newCapacity <= this._maxLength) {
          this._capacity = newCapacity;
          return;
        }
      } else if (newCapacity > this._maxLength >>> 1 && (this._maxLength > 512 || newCapacity > this._maxLength - 16)) {
        // Netty keeps the region when shrinking by less than half (or within 16 bytes for tiny sizes).
        this._capacity = newCapacity;
        this.trimIndicesToCapacity(newCapacity);
        return;
      }
    }
    if (newCapacity < length) this.trimIndicesToCapacity(newCapacity);
    this._arena.reallocate(this, newCapacity);
  }

  protected deallocate(): void {
    this._arena.free(this);
    this._chunk = null;
    this._runPage = -1;
    this._bitmapIdx = -1;
    this._maxLength = 0;
    this.clearMemory();
  }
}
