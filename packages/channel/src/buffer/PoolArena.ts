// The module's `Buffer`, not the global one: on Node 20 the global is a getter, called on every use.
import { Buffer } from 'node:buffer';
import { copyBytes } from './ByteBufChecks';
import { PoolChunk } from './PoolChunk';
import type { PooledByteBuf } from './PooledByteBuf';
import { PoolSubpage } from './PoolSubpage';
import type { SizeClasses } from './SizeClasses';
import { IllegalStateException } from '../util/SluiceError';

/** Counters of a {@link PoolArena}, as reported by `PooledByteBufAllocator.metric()`. */
export interface PoolArenaCounters {
  numChunks: number;
  /** Bytes reserved in chunks (numChunks × chunkSize). */
  chunkBytes: number;
  /** Bytes handed out and not yet released (size-class sizes, plus huge buffers). */
  usedBytes: number;
  numAllocations: number;
  numDeallocations: number;
  numHugeAllocations: number;
  activeHugeAllocations: number;
  hugeBytes: number;
}

/** Bytes of freed regions a {@link SmallRegionCache} keeps at most (and never more than 256 regions). */
const SMALL_CACHE_BYTES = 64 * 1024;
const SMALL_CACHE_MAX_REGIONS = 256;

/**
 * Freed regions of one small size class, handed out again before the subpages are asked (LIFO, so the
 * most recently used memory comes back first). The role of Netty's PoolThreadCache for small sizes: a
 * buffer allocated and released per message (a length header) costs two field updates here instead of a
 * subpage bitmap search and its list bookkeeping — the arena's part of such an allocation went from ~47 to
 * ~10 ns on Node 20 here. A cached region stays allocated in its subpage, so its chunk is not counted as
 * empty meanwhile; the cache holds at most {@link SMALL_CACHE_BYTES} per size class.
 */
class SmallRegionCache {
  declare readonly chunks: (PoolChunk | null)[];
  declare readonly runPages: Int32Array;
  declare readonly bitmapIdxs: Int32Array;
  declare size: number;
  declare readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.chunks = new Array<PoolChunk | null>(capacity).fill(null);
    this.runPages = new Int32Array(capacity);
    this.bitmapIdxs = new Int32Array(capacity);
    this.size = 0;
  }
}

/**
 * Port of io.netty.buffer.PoolArena (Netty 4.1). Differs: one arena per allocator, with the small-size
 * region cache of Netty's thread caches built in (Node runs JS on one thread; each worker has its own
 * allocator); chunks are kept in one list searched first-fit (Netty orders them by usage), and empty
 * chunks beyond `maxEmptyChunks` are dropped at once.
 *
 * Serves allocations by size class: small sizes (< 4 pages) from {@link PoolSubpage}s kept per size
 * class, normal sizes (up to a chunk) as page runs of a {@link PoolChunk}, huge sizes (more than a chunk)
 * from memory of their own that is dropped on release.
 *
 * ## Threading
 * Only the JS thread that created it may allocate and free.
 */
export class PoolArena {
  private readonly chunks: PoolChunk[] = [];
  /** Sentinel heads of the subpage lists, one per small size class. */
  private readonly smallPools: PoolSubpage[];
  /** Freed regions per small size class (see {@link SmallRegionCache}). */
  private readonly smallCaches: SmallRegionCache[];
  /** Second return value of {@link allocateRun} (avoids a tuple per allocation). */
  private runChunk: PoolChunk | null = null;
  private readonly counters: PoolArenaCounters = {
    numChunks: 0,
    chunkBytes: 0,
    usedBytes: 0,
    numAllocations: 0,
    numDeallocations: 0,
    numHugeAllocations: 0,
    activeHugeAllocations: 0,
    hugeBytes: 0,
  };

  constructor(
    readonly sizeClasses: SizeClasses,
    private readonly useSharedMemory: boolean,
    private readonly maxEmptyChunks: number,
  ) {
    this.smallPools = Array.from({ length: sizeClasses.nSubpages }, () => new PoolSubpage(null, -1, 0, 0));
    this.smallCaches = Array.from(
      { length: sizeClasses.nSubpages },
      (_, i) => new SmallRegionCache(Math.max(1, Math.min(SMALL_CACHE_MAX_REGIONS, Math.floor(SMALL_CACHE_BYTES / sizeClasses.sizeIdx2size(i))))),
    );
  }

  /** A snapshot of the counters. */
  snapshot(): PoolArenaCounters {
    return { ...this.counters };
  }

  private newMemory(size: number): Buffer {
    return this.useSharedMemory ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafeSlow(size);
  }

  /** Points `buf` at a new region of at least `reqCapacity` bytes (its capacity becomes `reqCapacity`). */
  allocate(buf: PooledByteBuf, reqCapacity: number): void {
    const sc = this.sizeClasses;
    const sizeIdx = sc.size2SizeIdx(reqCapacity);
    this.counters.numAllocations++;
    if (sizeIdx < sc.nSubpages) this.allocateSmall(buf, reqCapacity, sizeIdx);
    else if (sizeIdx < sc.nSizes) this.allocateNormal(buf, reqCapacity, sc.sizeIdx2size(sizeIdx));
    else this.allocateHuge(buf, reqCapacity);
  }

  private allocateSmall(buf: PooledByteBuf, reqCapacity: number, sizeIdx: number): void {
    const cache = this.smallCaches[sizeIdx];
    if (cache.size > 0) {
      const i = --cache.size;
      const chunk = cache.chunks[i] as PoolChunk;
      cache.chunks[i] = null;
      const runPage = cache.runPages[i];
      const bitmapIdx = cache.bitmapIdxs[i];
      const elemSize = this.sizeClasses.sizeIdx2size(sizeIdx);
      buf.initRegion(chunk, runPage, bitmapIdx, chunk.memory, chunk.view, (runPage << chunk.pageShifts) + bitmapIdx * elemSize, reqCapacity, elemSize);
      this.counters.usedBytes += elemSize;
      return;
    }
    const head = this.smallPools[sizeIdx];
    let subpage = head.next;
    if (subpage === head) {
      const runSize = this.sizeClasses.runSize(sizeIdx);
      const page = this.allocateRun(runSize >>> this.sizeClasses.pageShifts);
      const chunk = this.runChunk as PoolChunk;
      subpage = new PoolSubpage(chunk, page, runSize, this.sizeClasses.sizeIdx2size(sizeIdx));
      chunk.subpages[page] = subpage;
      subpage.addToPool(head);
    }
    const idx = subpage.allocate();
    if (subpage.numAvail === 0) subpage.removeFromPool();
    const chunk = subpage.chunk as PoolChunk;
    const elemSize = subpage.elemSize;
    const offset = (subpage.runOffset << chunk.pageShifts) + idx * elemSize;
    buf.initRegion(chunk, subpage.runOffset, idx, chunk.memory, chunk.view, offset, reqCapacity, elemSize);
    this.counters.usedBytes += elemSize;
  }

  private allocateNormal(buf: PooledByteBuf, reqCapacity: number, size: number): void {
    const page = this.allocateRun(size >>> this.sizeClasses.pageShifts);
    const chunk = this.runChunk as PoolChunk;
    buf.initRegion(chunk, page, -1, chunk.memory, chunk.view, page << chunk.pageShifts, reqCapacity, size);
    this.counters.usedBytes += size;
  }

  private allocateHuge(buf: PooledByteBuf, reqCapacity: number): void {
    const memory = this.newMemory(reqCapacity);
    const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
    buf.initRegion(null, -1, -1, memory, view, 0, reqCapacity, reqCapacity);
    const c = this.counters;
    c.numHugeAllocations++;
    c.activeHugeAllocations++;
    c.hugeBytes += reqCapacity;
    c.usedBytes += reqCapacity;
  }

  /** Allocates `pages` pages from the first chunk with room (or a new chunk); sets {@link runChunk}. */
  private allocateRun(pages: number): number {
    const bytes = pages << this.sizeClasses.pageShifts;
    const chunks = this.chunks;
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i];
      if (chunk.freeBytes >= bytes) {
        const page = chunk.allocateRun(pages);
        if (page >= 0) {
          this.runChunk = chunk;
          return page;
        }
      }
    }
    const chunk = new PoolChunk(this.newMemory(this.sizeClasses.chunkSize), this.sizeClasses.pageShifts, this.sizeClasses.chunkSize >>> this.sizeClasses.pageShifts);
    this.chunks.push(chunk);
    this.counters.numChunks++;
    this.counters.chunkBytes += this.sizeClasses.chunkSize;
    this.runChunk = chunk;
    return chunk.allocateRun(pages);
  }

  /** Returns `buf`'s region (called from its `deallocate()`). */
  free(buf: PooledByteBuf): void {
    const c = this.counters;
    c.numDeallocations++;
    const chunk = buf.chunk;
    const bitmapIdx = buf.bitmapIdx;
    const maxLength = buf.maxLength;
    if (chunk !== null && bitmapIdx >= 0) {
      const cache = this.smallCaches[this.sizeClasses.size2SizeIdx(maxLength)];
      if (cache.size < cache.capacity) {
        const i = cache.size++;
        cache.chunks[i] = chunk;
        cache.runPages[i] = buf.runPage;
        cache.bitmapIdxs[i] = bitmapIdx;
        c.usedBytes -= maxLength;
        return;
      }
    }
    this.freeRegion(chunk, buf.runPage, bitmapIdx, maxLength);
  }

  private freeRegion(chunk: PoolChunk | null, runPage: number, bitmapIdx: number, maxLength: number): void {
    const c = this.counters;
    c.usedBytes -= maxLength;
    if (chunk === null) {
      c.activeHugeAllocations--;
      c.hugeBytes -= maxLength;
      return;
    }
    if (bitmapIdx >= 0) {
      const subpage = chunk.subpages[runPage];
      if (subpage === null) throw new IllegalStateException(`no subpage at page ${runPage} (double free?)`);
      const wasFull = subpage.numAvail === 0;
      subpage.free(bitmapIdx);
      const head = this.smallPools[this.sizeClasses.size2SizeIdx(subpage.elemSize)];
      if (wasFull) subpage.addToPool(head);
      // Netty keeps the last subpage of a size class even when empty, to avoid churn.
      if (subpage.numAvail === subpage.maxNumElems && !subpage.isOnlyInPool()) {
        subpage.removeFromPool();
        chunk.subpages[runPage] = null;
        chunk.freeRun(runPage);
      }
    } else {
      chunk.freeRun(runPage);
    }
    if (chunk.freeBytes === chunk.chunkSize) this.onChunkEmpty(chunk);
  }

  private onChunkEmpty(emptied: PoolChunk): void {
    let empty = 0;
    for (const chunk of this.chunks) if (chunk.freeBytes === chunk.chunkSize) empty++;
    if (empty > this.maxEmptyChunks) {
      this.chunks.splice(this.chunks.indexOf(emptied), 1);
      this.counters.numChunks--;
      this.counters.chunkBytes -= emptied.chunkSize;
    }
  }

  /** Moves `buf` to a region for `newCapacity` bytes, copying its content (indices already trimmed). */
  reallocate(buf: PooledByteBuf, newCapacity: number): void {
    const { memory, offset, length } = buf.region;
    const chunk = buf.chunk;
    const runPage = buf.runPage;
    const bitmapIdx = buf.bitmapIdx;
    const maxLength = buf.maxLength;
    this.allocate(buf, newCapacity);
    const next = buf.region;
    copyBytes(memory, offset, next.memory, next.offset, Math.min(length, newCapacity));
    this.counters.numDeallocations++;
    this.freeRegion(chunk, runPage, bitmapIdx, maxLength);
  }
}
