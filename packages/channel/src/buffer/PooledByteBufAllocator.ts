import { AbstractByteBufAllocator } from './AbstractByteBufAllocator';
import { PoolArena } from './PoolArena';
import { PooledByteBuf } from './PooledByteBuf';
import { SizeClasses } from './SizeClasses';
import { IllegalArgumentException } from '../util/SluiceError';

/** Options of a {@link PooledByteBufAllocator}; every field is optional. */
export interface PooledByteBufAllocatorOptions {
  /** Page size in bytes, the granularity of normal allocations (default: 8192; a power of two, at least 4096). */
  pageSize?: number;
  /** Chunk size is `pageSize << maxOrder` bytes (default: 9, giving 4 MiB chunks; 0-14, chunk at most 1 GiB). */
  maxOrder?: number;
  /**
   * Allocate chunks (and huge buffers) in `SharedArrayBuffer` memory, so the bytes can be read by
   * `worker_threads` (default: false).
   */
  useSharedMemory?: boolean;
  /** Completely free chunks kept for reuse instead of being dropped (default: 1). */
  maxEmptyChunks?: number;
}

/** A snapshot of a pooled allocator's state (see {@link PooledByteBufAllocator.metric}). */
export interface PooledByteBufAllocatorMetric {
  /** Chunk size in bytes. */
  readonly chunkSize: number;
  /** Page size in bytes. */
  readonly pageSize: number;
  /** Chunks currently held. */
  readonly numChunks: number;
  /** Bytes reserved in chunks (numChunks × chunkSize). */
  readonly chunkBytes: number;
  /** Bytes handed out and not released (size-class sizes of pooled buffers plus huge buffers). */
  readonly usedBytes: number;
  /** Allocations not yet released (`numAllocations - numDeallocations`); 0 when nothing leaks. */
  readonly activeAllocations: number;
  /** Regions handed out since creation (including those made by capacity growth). */
  readonly numAllocations: number;
  /** Regions returned since creation. */
  readonly numDeallocations: number;
  /** Allocations larger than a chunk, served unpooled, since creation. */
  readonly numHugeAllocations: number;
  /** Huge allocations not yet released. */
  readonly activeHugeAllocations: number;
  /** Bytes of unreleased huge allocations. */
  readonly hugeBytes: number;
  /** Whether the memory is `SharedArrayBuffer`-backed. */
  readonly useSharedMemory: boolean;
}

const KNOWN_OPTIONS: ReadonlySet<string> = new Set(['pageSize', 'maxOrder', 'useSharedMemory', 'maxEmptyChunks']);
const MIN_PAGE_SIZE = 4096;
const MAX_CHUNK_SIZE = 1073741824;

function validate(options: PooledByteBufAllocatorOptions): Required<PooledByteBufAllocatorOptions> {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new IllegalArgumentException(`unknown PooledByteBufAllocator option '${key}' (expected one of: ${[...KNOWN_OPTIONS].join(', ')})`);
    }
  }
  const pageSize = options.pageSize ?? 8192;
  const maxOrder = options.maxOrder ?? 9;
  const useSharedMemory = options.useSharedMemory ?? false;
  const maxEmptyChunks = options.maxEmptyChunks ?? 1;
  if (!Number.isInteger(pageSize) || pageSize < MIN_PAGE_SIZE || (pageSize & (pageSize - 1)) !== 0) {
    throw new IllegalArgumentException(`pageSize: ${pageSize} (expected: a power of two >= ${MIN_PAGE_SIZE}, default 8192)`);
  }
  if (!Number.isInteger(maxOrder) || maxOrder < 0 || maxOrder > 14) {
    throw new IllegalArgumentException(`maxOrder: ${maxOrder} (expected: 0-14, default 9)`);
  }
  if (pageSize * 2 ** maxOrder > MAX_CHUNK_SIZE) {
    throw new IllegalArgumentException(
      `pageSize (${pageSize}) << maxOrder (${maxOrder}) must not exceed ${MAX_CHUNK_SIZE}; lower maxOrder or pageSize`,
    );
  }
  if (typeof useSharedMemory !== 'boolean') {
    throw new IllegalArgumentException(`useSharedMemory: ${String(useSharedMemory)} (expected: a boolean)`);
  }
  if (!Number.isInteger(maxEmptyChunks) || maxEmptyChunks < 0) {
    throw new IllegalArgumentException(`maxEmptyChunks: ${maxEmptyChunks} (expected: an integer >= 0, default 1)`);
  }
  return { pageSize, maxOrder, useSharedMemory, maxEmptyChunks };
}

/**
 * Port of io.netty.buffer.PooledByteBufAllocator (Netty 4.1). Differs: one arena and no thread caches —
 * Node runs JS on one thread, so there is nothing to contend on and nothing to cache per thread (each
 * `worker_threads` worker that imports Sluice has its own `DEFAULT`); buffer wrapper objects are not
 * recycled (see {@link PooledByteBuf}); memory can be `SharedArrayBuffer`-backed (`useSharedMemory`).
 *
 * Carves buffers from 4 MiB chunks (pageSize 8192 << maxOrder 9) using jemalloc-style size classes: small
 * requests (under 32 KiB) share page runs split into equal elements, normal ones get runs of whole pages,
 * and requests larger than a chunk are allocated unpooled ("huge"). A released region is reused by the
 * next request of its size class, so steady traffic allocates no new memory at all.
 *
 * ## Threading
 * Allocate and release only on the JS thread that created the allocator. Bytes in shared memory may be
 * read or written by other threads, but the allocator's bookkeeping may not be touched there.
 *
 * ## Ownership
 * Every buffer returned has a reference count of 1; its last `release()` returns the region to the pool.
 * `metric().activeAllocations` counts buffers not yet released — tests and benchmarks assert it is 0.
 *
 * ## Pitfalls
 * - A leaked pooled buffer keeps its region forever (the pool cannot know it is unused).
 * - As in Netty, the last (empty) subpage of each small size class is kept for reuse, and the regions of
 *   released small buffers are cached for the next allocation of their size (up to 64 KiB per size
 *   class, like Netty's thread caches), so a chunk that served small buffers may stay allocated after
 *   everything was released; `metric().usedBytes` and `activeAllocations` still drop to 0.
 * - Memory is not zeroed: a new buffer's writable bytes hold whatever the previous owner wrote.
 * - Views from `nioBuffer()`/`array()` must not outlive the buffer's release.
 *
 * @example
 * const alloc = new PooledByteBufAllocator({ useSharedMemory: true });
 * const buf = alloc.buffer(32 * 1024);
 * try { buf.writeInt(1); } finally { buf.release(); }
 * alloc.metric().activeAllocations; // 0
 */
export class PooledByteBufAllocator extends AbstractByteBufAllocator {
  /** The shared instance with default options. */
  static readonly DEFAULT = new PooledByteBufAllocator();

  private readonly arena: PoolArena;
  private readonly options: Readonly<Required<PooledByteBufAllocatorOptions>>;

  constructor(options: PooledByteBufAllocatorOptions = {}) {
    super();
    this.options = validate(options);
    const { pageSize, maxOrder, useSharedMemory, maxEmptyChunks } = this.options;
    this.arena = new PoolArena(new SizeClasses(pageSize, pageSize * 2 ** maxOrder), useSharedMemory, maxEmptyChunks);
  }

  protected newHeapBuffer(initialCapacity: number, maxCapacity: number): PooledByteBuf {
    const buf = new PooledByteBuf(this.arena, this, maxCapacity);
    this.arena.allocate(buf, initialCapacity);
    return buf;
  }

  isDirectBufferPooled(): boolean {
    return true;
  }

  /** Chunk size in bytes (`pageSize << maxOrder`). */
  chunkSize(): number {
    return this.arena.sizeClasses.chunkSize;
  }

  /** Page size in bytes. */
  pageSize(): number {
    return this.options.pageSize;
  }

  /** Whether chunks are `SharedArrayBuffer`-backed. */
  isSharedMemory(): boolean {
    return this.options.useSharedMemory;
  }

  /** A snapshot of the pool's counters. */
  metric(): PooledByteBufAllocatorMetric {
    const c = this.arena.snapshot();
    return {
      chunkSize: this.arena.sizeClasses.chunkSize,
      pageSize: this.options.pageSize,
      numChunks: c.numChunks,
      chunkBytes: c.chunkBytes,
      usedBytes: c.usedBytes,
      activeAllocations: c.numAllocations - c.numDeallocations,
      numAllocations: c.numAllocations,
      numDeallocations: c.numDeallocations,
      numHugeAllocations: c.numHugeAllocations,
      activeHugeAllocations: c.activeHugeAllocations,
      hugeBytes: c.hugeBytes,
      useSharedMemory: this.options.useSharedMemory,
    };
  }

  override toString(): string {
    const m = this.metric();
    return `PooledByteBufAllocator(chunkSize: ${m.chunkSize}, chunks: ${m.numChunks}, usedBytes: ${m.usedBytes}, active: ${m.activeAllocations})`;
  }
}
