import { IllegalArgumentException, IllegalStateException, InternalLoggerFactory, type Future } from '@sluice/channel';
import { AvailabilityHelper, type AvailabilityProvider } from './AvailabilityProvider';
import type { BufferPool } from './BufferPool';
import type { BufferPoolFactory } from './BufferPoolFactory';
import {
  BufferPoolDestroyedException,
  ExclusiveBuffersRequestTimeoutException,
  InsufficientNetworkBuffersException,
  SegmentsInUseException,
} from './errors';
import { LocalBufferPool } from './LocalBufferPool';
import type { MemorySegment } from './MemorySegment';
import { MAX_SEGMENTS_CHUNK_BYTES, MemorySegmentFactory } from './MemorySegmentFactory';
import type { MemorySegmentProvider } from './MemorySegmentProvider';
import { NetworkMemoryDefaults } from './NetworkMemoryDefaults';

const logger = InternalLoggerFactory.getInstance('NetworkBufferPool');

/** Options of a {@link NetworkBufferPool}. */
export interface NetworkBufferPoolOptions {
  /**
   * Milliseconds `requestUnpooledMemorySegments` waits for enough segments to come back before failing
   * with `ExclusiveBuffersRequestTimeoutException` (default: 30000,
   * `taskmanager.network.memory.exclusive-buffers-request-timeout-ms`).
   */
  requestSegmentsTimeoutMs?: number;
  /**
   * Allocate the segments in `SharedArrayBuffer` memory, for tasks that write or read buffers on a
   * `worker_threads` worker (default: false). Costs every bulk copy into or out of a segment: V8 copies
   * shared memory with relaxed atomic stores, byte by byte unless both sides are 8-byte congruent
   * (see MemorySegmentFactory).
   */
  sharedMemory?: boolean;
}

/**
 * Port of org.apache.flink.runtime.io.network.buffer.NetworkBufferPool (Flink 1.20). Differs: segments
 * live in `ArrayBuffer` chunks of ≤ 1 GiB (`SharedArrayBuffer` with `sharedMemory`); requests that block
 * in Flink (`requestUnpooledMemorySegments`, `requestPooledMemorySegmentsBlocking`) return promises that
 * wait on the availability future; `destroy()` refuses to run while segments are still out
 * (`SegmentsInUseException`) instead of freeing what is there; the idle segments form a stack (the most
 * recently returned, cache-warm segment is handed out first) instead of a FIFO queue.
 *
 * The global, fixed-size pool of network buffers of one TaskManager: all segments are allocated up front.
 * It creates {@link LocalBufferPool}s (per result partition and input gate) and keeps their sizes
 * balanced: each gets its required buffers, and the excess is redistributed in proportion to how much
 * more each may take, `min(excess, max − required)`, with cumulative rounding so the shares add up
 * exactly (reference §5.3). Exclusive buffers of remote input channels are "unpooled" segments requested
 * directly; they count as required buffers too.
 *
 * ## Threading
 * Single-threaded: the loop that owns it (no locks; Flink's factory lock and queue lock become program
 * order). Availability futures complete inline inside the recycle that made segments available.
 *
 * ## Ownership
 * The pool owns idle segments. Local pools take segments with `requestPooledMemorySegment()` and give
 * them back with `recyclePooledMemorySegment()`; exclusive segments go out through
 * `requestUnpooledMemorySegments()` and come back through `recycleUnpooledMemorySegments()`. Whoever
 * creates the pool destroys it once, after every segment is back.
 *
 * ## Pitfalls
 * - `createBufferPool` throws `InsufficientNetworkBuffersException` when the required buffers of all
 *   pools would exceed the total — Flink's message and advice.
 * - Tests must `lazyDestroy()` every local pool and recycle every buffer: `destroy()` names what is missing.
 *
 * @example
 * const global = new NetworkBufferPool(1024, 32 * 1024);
 * const pool = global.createBufferPool(4, 16);          // 4 guaranteed, up to 16
 * const buffer = pool.requestBuffer();
 * buffer?.recycleBuffer();
 * pool.lazyDestroy();
 * global.destroy();
 */
export class NetworkBufferPool implements BufferPoolFactory, MemorySegmentProvider, AvailabilityProvider {
  /** Max size of an unbounded local pool (Java's `Integer.MAX_VALUE`). */
  static readonly UNBOUNDED_POOL_SIZE = 2147483647;

  private readonly totalNumberOfMemorySegments: number;
  private readonly memorySegmentSize: number;
  private availableMemorySegments: MemorySegment[];
  private destroyed = false;
  private readonly allBufferPools = new Set<LocalBufferPool>();
  private readonly resizableBufferPools = new Set<LocalBufferPool>();
  private numTotalRequiredBuffers = 0;
  private readonly requestSegmentsTimeoutMs: number;
  private readonly availabilityHelper = new AvailabilityHelper();

  /**
   * Allocates every segment of the pool.
   * @param numberOfSegmentsToAllocate total network buffers
   * @param segmentSize bytes per buffer (default: 32768)
   */
  constructor(numberOfSegmentsToAllocate: number, segmentSize: number = NetworkMemoryDefaults.SEGMENT_SIZE, options: NetworkBufferPoolOptions = {}) {
    if (!Number.isSafeInteger(numberOfSegmentsToAllocate) || numberOfSegmentsToAllocate < 0) {
      throw new IllegalArgumentException(`numberOfSegmentsToAllocate: ${numberOfSegmentsToAllocate} (expected: an integer >= 0)`);
    }
    if (!Number.isSafeInteger(segmentSize) || segmentSize <= 0) {
      throw new IllegalArgumentException(`segmentSize: ${segmentSize} (expected: an integer > 0)`);
    }
    const timeout = options.requestSegmentsTimeoutMs ?? NetworkMemoryDefaults.EXCLUSIVE_BUFFERS_REQUEST_TIMEOUT_MS;
    if (!(timeout > 0)) {
      throw new IllegalArgumentException(`requestSegmentsTimeoutMs: ${timeout} (The timeout for requesting exclusive buffers should be positive.)`);
    }
    this.totalNumberOfMemorySegments = numberOfSegmentsToAllocate;
    this.memorySegmentSize = segmentSize;
    this.requestSegmentsTimeoutMs = timeout;
    const segments: MemorySegment[] = [];
    // Each chunk carries its segments and one int32 position cell per segment (see MemorySegment).
    const perChunk = Math.max(1, Math.floor((MAX_SEGMENTS_CHUNK_BYTES - 8) / (segmentSize + 4)));
    const shared = options.sharedMemory ?? false;
    for (let remaining = numberOfSegmentsToAllocate; remaining > 0; remaining -= perChunk) {
      for (const segment of MemorySegmentFactory.allocateSegments(Math.min(perChunk, remaining), segmentSize, this, shared)) {
        segments.push(segment);
      }
    }
    this.availableMemorySegments = segments;
    if (numberOfSegmentsToAllocate > 0) this.availabilityHelper.resetAvailable();
    logger.info(
      `Allocated ${Math.floor((segmentSize * numberOfSegmentsToAllocate) / (1 << 20))} MB for network buffer pool ` +
        `(number of memory segments: ${numberOfSegmentsToAllocate}, bytes per segment: ${segmentSize}).`,
    );
  }

  // ---------------------------------------------------------------- pooled segments (for LocalBufferPool)

  /** One idle segment, or `null`. For {@link LocalBufferPool}; does not touch the required count. */
  requestPooledMemorySegment(): MemorySegment | null {
    const segment = this.availableMemorySegments.pop();
    if (segment === undefined) return null;
    if (this.availableMemorySegments.length === 0) this.availabilityHelper.resetUnavailable();
    return segment;
  }

  /** `numberOfSegmentsToRequest` segments, waiting (up to the request timeout) for them to come back. */
  requestPooledMemorySegmentsBlocking(numberOfSegmentsToRequest: number): Promise<MemorySegment[]> {
    return this.internalRequestMemorySegments(numberOfSegmentsToRequest);
  }

  /** Takes back a segment obtained from {@link requestPooledMemorySegment}. */
  recyclePooledMemorySegment(segment: MemorySegment): void {
    const available = this.availableMemorySegments;
    available.push(segment);
    if (available.length === 1) AvailabilityHelper.complete(this.availabilityHelper.getUnavailableToResetAvailable());
  }

  // ---------------------------------------------------------------- unpooled (exclusive) segments

  /**
   * Reserves `numberOfSegmentsToRequest` segments for good (exclusive buffers): raises the required
   * total, redistributes (shrinking local pools), then takes the segments, waiting up to the request
   * timeout for in-use excess to come back. Rejects with `InsufficientNetworkBuffersException` if the
   * reservation exceeds the total, `ExclusiveBuffersRequestTimeoutException` on timeout (the reservation
   * is undone either way).
   */
  requestUnpooledMemorySegments(numberOfSegmentsToRequest: number): Promise<MemorySegment[]> {
    if (!Number.isSafeInteger(numberOfSegmentsToRequest) || numberOfSegmentsToRequest < 0) {
      return Promise.reject(new IllegalArgumentException(`Number of buffers to request must be non-negative: ${numberOfSegmentsToRequest}`));
    }
    if (this.destroyed) return Promise.reject(new BufferPoolDestroyedException(this.toString(), 'Network buffer pool'));
    if (numberOfSegmentsToRequest === 0) return Promise.resolve([]);
    try {
      this.tryRedistributeBuffers(numberOfSegmentsToRequest);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.internalRequestMemorySegments(numberOfSegmentsToRequest).catch((err: unknown) => {
      this.revertRequiredBuffers(numberOfSegmentsToRequest);
      throw err;
    });
  }

  /** Gives back segments from {@link requestUnpooledMemorySegments} and releases their reservation. */
  recycleUnpooledMemorySegments(segments: readonly MemorySegment[]): void {
    this.internalRecycleMemorySegments(segments);
    this.revertRequiredBuffers(segments.length);
  }

  private internalRequestMemorySegments(count: number): Promise<MemorySegment[]> {
    const segments: MemorySegment[] = [];
    this.takeAvailable(segments, count);
    if (segments.length === count) return Promise.resolve(segments);
    return new Promise<MemorySegment[]>((resolve, reject) => {
      let settled = false;
      const fail = (err: Error): void => {
        settled = true;
        clearTimeout(timer);
        this.internalRecycleMemorySegments(segments.splice(0));
        reject(err);
      };
      const listener = (): void => {
        if (settled) return;
        if (this.destroyed) {
          fail(new BufferPoolDestroyedException(this.toString(), 'Network buffer pool'));
          return;
        }
        this.takeAvailable(segments, count);
        if (segments.length === count) {
          settled = true;
          clearTimeout(timer);
          resolve(segments);
        } else {
          this.availabilityHelper.getAvailableFuture().addListener(listener);
        }
      };
      const timer = setTimeout(() => {
        if (settled) return;
        fail(
          new ExclusiveBuffersRequestTimeoutException(
            count,
            segments.length,
            this.requestSegmentsTimeoutMs,
            this.totalNumberOfMemorySegments,
            this.memorySegmentSize,
          ),
        );
      }, this.requestSegmentsTimeoutMs);
      timer.unref();
      this.availabilityHelper.getAvailableFuture().addListener(listener);
    });
  }

  private takeAvailable(into: MemorySegment[], count: number): void {
    const available = this.availableMemorySegments;
    while (into.length < count && available.length > 0) into.push(available.pop()!);
    if (available.length === 0) this.availabilityHelper.resetUnavailable();
  }

  private internalRecycleMemorySegments(segments: readonly MemorySegment[]): void {
    if (segments.length === 0) return;
    const available = this.availableMemorySegments;
    const wasEmpty = available.length === 0;
    for (const segment of segments) available.push(segment);
    if (wasEmpty) AvailabilityHelper.complete(this.availabilityHelper.getUnavailableToResetAvailable());
  }

  private revertRequiredBuffers(size: number): void {
    this.numTotalRequiredBuffers -= size;
    // If this fails, the buffer pools are still fine: the segments were already recycled.
    this.redistributeBuffers();
  }

  // ---------------------------------------------------------------- BufferPoolFactory

  /**
   * A new {@link LocalBufferPool} of `numRequiredBuffers` guaranteed and up to `maxUsedBuffers` buffers,
   * registered for redistribution. Throws `InsufficientNetworkBuffersException` if the required buffers of
   * all pools (and exclusive requests) would exceed the total.
   */
  createBufferPool(
    numRequiredBuffers: number,
    maxUsedBuffers: number,
    numSubpartitions = 0,
    maxBuffersPerChannel: number = NetworkBufferPool.UNBOUNDED_POOL_SIZE,
    maxOverdraftBuffersPerGate = 0,
  ): LocalBufferPool {
    if (this.destroyed) throw new BufferPoolDestroyedException(this.toString(), 'Network buffer pool');
    // Ensure that the number of required buffers can be satisfied.
    if (this.numTotalRequiredBuffers + numRequiredBuffers > this.totalNumberOfMemorySegments) {
      throw new InsufficientNetworkBuffersException(
        numRequiredBuffers,
        this.totalNumberOfMemorySegments - this.numTotalRequiredBuffers,
        this.totalNumberOfMemorySegments,
        this.memorySegmentSize,
      );
    }
    // Validates the arguments before anything is registered.
    const pool = new LocalBufferPool(this, numRequiredBuffers, maxUsedBuffers, numSubpartitions, maxBuffersPerChannel, maxOverdraftBuffersPerGate);
    this.numTotalRequiredBuffers += numRequiredBuffers;
    this.allBufferPools.add(pool);
    if (numRequiredBuffers < maxUsedBuffers) this.resizableBufferPools.add(pool);
    this.redistributeBuffers();
    return pool;
  }

  /** Unregisters a pool (called by its `lazyDestroy()`); its share is redistributed. */
  destroyBufferPool(bufferPool: BufferPool): void {
    if (!(bufferPool instanceof LocalBufferPool)) throw new IllegalArgumentException('bufferPool is no LocalBufferPool');
    if (this.allBufferPools.delete(bufferPool)) {
      this.numTotalRequiredBuffers -= bufferPool.getNumberOfRequiredMemorySegments();
      this.resizableBufferPools.delete(bufferPool);
      this.redistributeBuffers();
    }
  }

  /** Destroys every registered local pool (buffers still out come back when recycled). */
  destroyAllBufferPools(): void {
    for (const pool of [...this.allBufferPools]) pool.lazyDestroy();
    if (this.allBufferPools.size > 0 || this.resizableBufferPools.size > 0) {
      throw new IllegalStateException('NetworkBufferPool is not empty after destroying all LocalBufferPools');
    }
  }

  /**
   * Frees every segment. Only when all of them are back: otherwise throws `SegmentsInUseException` naming
   * how many are missing, and stays usable. Idempotent.
   */
  destroy(): void {
    if (this.destroyed) return;
    const missing = this.totalNumberOfMemorySegments - this.availableMemorySegments.length;
    if (missing > 0) throw new SegmentsInUseException(missing, this.totalNumberOfMemorySegments, this.allBufferPools.size, this.unpooledReserved());
    this.destroyed = true;
    for (const segment of this.availableMemorySegments) segment.free();
    this.availableMemorySegments = [];
    this.availabilityHelper.resetUnavailable();
  }

  /** True after {@link destroy}. */
  isDestroyed(): boolean {
    return this.destroyed;
  }

  // ---------------------------------------------------------------- redistribution (reference §5.3)

  private tryRedistributeBuffers(numberOfSegmentsToRequest: number): void {
    if (this.numTotalRequiredBuffers + numberOfSegmentsToRequest > this.totalNumberOfMemorySegments) {
      throw new InsufficientNetworkBuffersException(
        numberOfSegmentsToRequest,
        this.totalNumberOfMemorySegments - this.numTotalRequiredBuffers,
        this.totalNumberOfMemorySegments,
        this.memorySegmentSize,
      );
    }
    this.numTotalRequiredBuffers += numberOfSegmentsToRequest;
    try {
      this.redistributeBuffers();
    } catch (err) {
      this.numTotalRequiredBuffers -= numberOfSegmentsToRequest;
      this.redistributeBuffers();
      throw err;
    }
  }

  private redistributeBuffers(): void {
    if (this.resizableBufferPools.size === 0) return;
    // All buffers which are not among the required ones.
    const numAvailableMemorySegment = this.totalNumberOfMemorySegments - this.numTotalRequiredBuffers;
    if (numAvailableMemorySegment === 0) {
      // Every pool gets exactly its required size.
      for (const pool of this.resizableBufferPools) pool.setNumBuffers(pool.getNumberOfRequiredMemorySegments());
      return;
    }
    // Each pool can take up to min(excess, max - required) more; weights are these capacities.
    let totalCapacity = 0;
    for (const pool of this.resizableBufferPools) {
      const excessMax = pool.getMaxNumberOfMemorySegments() - pool.getNumberOfRequiredMemorySegments();
      totalCapacity += Math.min(numAvailableMemorySegment, excessMax);
    }
    // No capacity to receive additional buffers (also avoids dividing by zero).
    if (totalCapacity === 0) return;
    const memorySegmentsToDistribute = Math.min(numAvailableMemorySegment, totalCapacity);
    let totalPartsUsed = 0;
    let numDistributedMemorySegment = 0;
    for (const pool of this.resizableBufferPools) {
      const excessMax = pool.getMaxNumberOfMemorySegments() - pool.getNumberOfRequiredMemorySegments();
      if (excessMax === 0) continue;
      totalPartsUsed += Math.min(numAvailableMemorySegment, excessMax);
      // Cumulative rounding: what should have been distributed up to here, minus what was, so the
      // shares add up to exactly memorySegmentsToDistribute. (Products stay below 2^53 for any real pool.)
      const mySize = Math.floor((memorySegmentsToDistribute * totalPartsUsed) / totalCapacity) - numDistributedMemorySegment;
      numDistributedMemorySegment += mySize;
      pool.setNumBuffers(pool.getNumberOfRequiredMemorySegments() + mySize);
    }
  }

  private unpooledReserved(): number {
    let pooled = 0;
    for (const pool of this.allBufferPools) pooled += pool.getNumberOfRequiredMemorySegments();
    return this.numTotalRequiredBuffers - pooled;
  }

  // ---------------------------------------------------------------- metrics and availability

  /** Total segments (0 after {@link destroy}). */
  getTotalNumberOfMemorySegments(): number {
    return this.destroyed ? 0 : this.totalNumberOfMemorySegments;
  }

  /** Bytes per segment. */
  getMemorySegmentSize(): number {
    return this.memorySegmentSize;
  }

  /** Total bytes (0 after {@link destroy}). */
  getTotalMemory(): number {
    return this.getTotalNumberOfMemorySegments() * this.memorySegmentSize;
  }

  /** Idle segments in this pool. */
  getNumberOfAvailableMemorySegments(): number {
    return this.availableMemorySegments.length;
  }

  /** Idle bytes in this pool. */
  getAvailableMemory(): number {
    return this.availableMemorySegments.length * this.memorySegmentSize;
  }

  /** Segments held by local pools, buffers and exclusive requests. */
  getNumberOfUsedMemorySegments(): number {
    return this.getTotalNumberOfMemorySegments() - this.availableMemorySegments.length;
  }

  /** Bytes held by local pools, buffers and exclusive requests. */
  getUsedMemory(): number {
    return this.getNumberOfUsedMemorySegments() * this.memorySegmentSize;
  }

  /** Local pools not destroyed yet. */
  getNumberOfRegisteredBufferPools(): number {
    return this.allBufferPools.size;
  }

  /** Required buffers of all pools plus exclusive reservations. */
  getNumTotalRequiredBuffers(): number {
    return this.numTotalRequiredBuffers;
  }

  /** Sum of the current sizes of all local pools. */
  countBuffers(): number {
    let buffers = 0;
    for (const pool of this.allBufferPools) buffers += pool.getNumBuffers();
    return buffers;
  }

  /** A future completed when idle segments are available again ({@link AvailabilityProvider.AVAILABLE} now). */
  getAvailableFuture(): Future<void> {
    return this.availabilityHelper.getAvailableFuture();
  }

  isAvailable(): boolean {
    return this.availabilityHelper.isAvailable();
  }

  isApproximatelyAvailable(): boolean {
    return this.availabilityHelper.isApproximatelyAvailable();
  }

  toString(): string {
    return (
      `NetworkBufferPool(total: ${this.totalNumberOfMemorySegments}, available: ${this.availableMemorySegments.length}, ` +
      `segmentSize: ${this.memorySegmentSize}, pools: ${this.allBufferPools.size}, required: ${this.numTotalRequiredBuffers}` +
      `${this.destroyed ? ', destroyed' : ''})`
    );
  }
}
