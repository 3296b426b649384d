import {
  IllegalArgumentException,
  IllegalStateException,
  InternalLoggerFactory,
  type Future,
  type FutureListener,
} from '@sluice/channel';
import { AvailabilityHelper } from './AvailabilityProvider';
import type { Buffer } from './Buffer';
import { BufferBuilder } from './BufferBuilder';
import type { BufferListener } from './BufferListener';
import type { BufferPool } from './BufferPool';
import type { BufferRecycler } from './BufferRecycler';
import { BufferPoolDestroyedException } from './errors';
import type { MemorySegment } from './MemorySegment';
import { NetworkBuffer } from './NetworkBuffer';
import type { NetworkBufferPool } from './NetworkBufferPool';

const logger = InternalLoggerFactory.getInstance('LocalBufferPool');

/** Requests not counted against a subpartition (Flink's `UNKNOWN_CHANNEL`). */
const UNKNOWN_CHANNEL = -1;
/** Java's `Integer.MAX_VALUE`: unbounded sizes. */
const UNBOUNDED = 2147483647;

function describeListener(listener: BufferListener): string {
  const text = String(listener);
  return text === '[object Object]' ? `BufferListener (${listener.constructor.name})` : text;
}

// Flink's AvailabilityStatus: the ground truth computed by checkAvailability().
const UNAVAILABLE = 0;
const AVAILABLE = 1;
const UNAVAILABLE_NEED_NOTIFICATION = 2;

/**
 * Port of org.apache.flink.runtime.io.network.buffer.LocalBufferPool (Flink 1.20). Differs: the blocking
 * requests (`requestBufferBuilderBlocking`, `requestMemorySegmentBlocking`, `reserveSegments`) return
 * promises — Flink's task thread blocks on the availability future, Sluice never blocks the loop, so the
 * caller awaits instead; requests to a destroyed pool throw/reject `BufferPoolDestroyedException`
 * (Flink: `CancelTaskException`); buffer listeners follow the "keep me registered" contract of
 * {@link BufferListener}; idle segments form a stack.
 *
 * A pool of network buffers for one result partition or input gate, drawing segments from the global
 * {@link NetworkBufferPool}. Its size (`getNumBuffers()`) is set by the global pool's redistribution
 * between the required and the max size. It fetches segments from the global pool lazily — always
 * keeping one idle segment ahead when it can, so that "available" means "the next request succeeds".
 *
 * Availability (the producer's back-pressure signal): the pool is available when it holds an idle
 * segment AND no subpartition holds `maxBuffersPerChannel` buffers; one subpartition at its quota makes
 * the whole pool unavailable. When exhausted, up to `maxOverdraftBuffersPerGate` extra buffers may still
 * be taken from the global pool (for records spanning buffers), without making the pool available.
 *
 * When the global pool is empty, the pool subscribes to the global availability future and fetches a
 * segment as soon as one comes back.
 *
 * ## Threading
 * Single-threaded: the loop that owns the pool. Futures complete and listeners are notified inline
 * (inside the `recycle()` that freed the segment), exactly where Flink's would run.
 *
 * ## Ownership
 * Every buffer/builder/segment handed out belongs to the requester until recycled. `lazyDestroy()` gives
 * idle segments back at once; buffers still out go to the global pool when recycled.
 *
 * ## Pitfalls
 * - A request returns `null` both when the pool is exhausted and when the global pool has nothing:
 *   wait on {@link getAvailableFuture} (or use the promise variants), do not spin.
 * - A pool built with `new LocalBufferPool(...)` is not registered with the global pool (no reserved
 *   segments, no redistribution); production code uses `networkBufferPool.createBufferPool(...)`.
 *
 * @example
 * const pool = global.createBufferPool(numSubpartitions + 1, 64, numSubpartitions, 10, 5);
 * const builder = pool.requestBufferBuilder(3) ?? (await pool.requestBufferBuilderBlocking(3));
 * // … write, hand the consumer to subpartition 3, close the builder …
 * pool.lazyDestroy();
 */
export class LocalBufferPool implements BufferPool {
  private readonly networkBufferPool: NetworkBufferPool;
  private readonly numberOfRequiredMemorySegments: number;
  private readonly maxNumberOfMemorySegments: number;
  private readonly availableMemorySegments: MemorySegment[] = [];
  private readonly registeredListeners: BufferListener[] = [];
  private currentPoolSize: number;
  /** Segments taken from the global pool and referenced through this pool (in use + idle). */
  private numberOfRequestedMemorySegments = 0;
  private readonly maxBuffersPerChannel: number;
  private readonly subpartitionBuffersCount: Int32Array;
  private readonly subpartitionBufferRecyclers: readonly BufferRecycler[];
  private unavailableSubpartitionsCount = 0;
  private maxOverdraftBuffersPerGate: number;
  private destroyed = false;
  private readonly availabilityHelper = new AvailabilityHelper();
  private requestingNotificationOfGlobalPoolAvailable = false;
  private readonly onGlobalPoolAvailableListener: FutureListener<void> = () => this.onGlobalPoolAvailable();

  /**
   * Prefer `networkBufferPool.createBufferPool(...)`, which registers the pool.
   * @param networkBufferPool the global pool to draw from
   * @param numberOfRequiredMemorySegments guaranteed size (> 0)
   * @param maxNumberOfMemorySegments max size (default unbounded)
   * @param numberOfSubpartitions subpartitions counted separately (default 0: none)
   * @param maxBuffersPerChannel buffers per subpartition before the pool turns unavailable (default unbounded)
   * @param maxOverdraftBuffersPerGate extra buffers allowed when exhausted (default 0)
   */
  constructor(
    networkBufferPool: NetworkBufferPool,
    numberOfRequiredMemorySegments: number,
    maxNumberOfMemorySegments: number = UNBOUNDED,
    numberOfSubpartitions = 0,
    maxBuffersPerChannel: number = UNBOUNDED,
    maxOverdraftBuffersPerGate = 0,
  ) {
    if (!Number.isSafeInteger(numberOfRequiredMemorySegments) || numberOfRequiredMemorySegments <= 0) {
      throw new IllegalArgumentException(`Required number of memory segments (${numberOfRequiredMemorySegments}) should be larger than 0.`);
    }
    if (!Number.isSafeInteger(maxNumberOfMemorySegments) || maxNumberOfMemorySegments < numberOfRequiredMemorySegments) {
      throw new IllegalArgumentException(
        `Maximum number of memory segments (${maxNumberOfMemorySegments}) should not be smaller than minimum (${numberOfRequiredMemorySegments}).`,
      );
    }
    if (!Number.isSafeInteger(numberOfSubpartitions) || numberOfSubpartitions < 0) {
      throw new IllegalArgumentException(`Number of subpartitions (${numberOfSubpartitions}) should not be negative.`);
    }
    if (numberOfSubpartitions > 0) {
      if (!Number.isSafeInteger(maxBuffersPerChannel) || maxBuffersPerChannel <= 0) {
        throw new IllegalArgumentException(`Maximum number of buffers for each channel (${maxBuffersPerChannel}) should be larger than 0.`);
      }
      if (!Number.isSafeInteger(maxOverdraftBuffersPerGate) || maxOverdraftBuffersPerGate < 0) {
        throw new IllegalArgumentException(
          `Maximum number of overdraft buffers for each gate (${maxOverdraftBuffersPerGate}) should not be less than 0.`,
        );
      }
    }
    this.networkBufferPool = networkBufferPool;
    this.numberOfRequiredMemorySegments = numberOfRequiredMemorySegments;
    this.currentPoolSize = numberOfRequiredMemorySegments;
    this.maxNumberOfMemorySegments = maxNumberOfMemorySegments;
    this.subpartitionBuffersCount = new Int32Array(numberOfSubpartitions);
    const recyclers: BufferRecycler[] = [];
    for (let i = 0; i < numberOfSubpartitions; i++) {
      const channel = i;
      recyclers.push({ recycle: (segment: MemorySegment) => this.recycle0(segment, channel) });
    }
    this.subpartitionBufferRecyclers = recyclers;
    this.maxBuffersPerChannel = maxBuffersPerChannel;
    this.maxOverdraftBuffersPerGate = maxOverdraftBuffersPerGate;
    AvailabilityHelper.complete(this.checkAndUpdateAvailability());
  }

  // ---------------------------------------------------------------- properties

  async reserveSegments(numberOfSegmentsToReserve: number): Promise<void> {
    if (numberOfSegmentsToReserve > this.numberOfRequiredMemorySegments) {
      throw new IllegalArgumentException('Can not reserve more segments than number of required segments.');
    }
    this.checkDestroyed();
    const missing = numberOfSegmentsToReserve - this.numberOfRequestedMemorySegments;
    if (missing <= 0) return;
    this.numberOfRequestedMemorySegments += missing; // counted now so that concurrent requests see the reservation
    let segments: MemorySegment[];
    try {
      segments = await this.networkBufferPool.requestPooledMemorySegmentsBlocking(missing);
    } catch (err) {
      this.numberOfRequestedMemorySegments -= missing;
      throw err;
    }
    if (this.destroyed) {
      for (const segment of segments) this.returnMemorySegment(segment);
      this.checkDestroyed();
    }
    for (const segment of segments) this.availableMemorySegments.push(segment);
    AvailabilityHelper.complete(this.checkAndUpdateAvailability());
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  getNumberOfRequiredMemorySegments(): number {
    return this.numberOfRequiredMemorySegments;
  }

  getMaxNumberOfMemorySegments(): number {
    return this.maxNumberOfMemorySegments;
  }

  /** For bounded pools the max size; for unbounded ones an estimate (twice the required size). */
  getEstimatedNumberOfRequestedMemorySegments(): number {
    return this.maxNumberOfMemorySegments < UNBOUNDED ? this.maxNumberOfMemorySegments : this.numberOfRequiredMemorySegments * 2;
  }

  /** Segments taken from the global pool (in use + idle). */
  getNumberOfRequestedMemorySegments(): number {
    return this.numberOfRequestedMemorySegments;
  }

  getNumberOfAvailableMemorySegments(): number {
    return this.availableMemorySegments.length;
  }

  getNumBuffers(): number {
    return this.currentPoolSize;
  }

  bestEffortGetNumOfUsedBuffers(): number {
    return Math.max(0, this.numberOfRequestedMemorySegments - this.availableMemorySegments.length);
  }

  /** Number of subpartitions counted separately. */
  getNumberOfSubpartitions(): number {
    return this.subpartitionBuffersCount.length;
  }

  setMaxOverdraftBuffersPerGate(maxOverdraftBuffersPerGate: number): void {
    if (!Number.isSafeInteger(maxOverdraftBuffersPerGate) || maxOverdraftBuffersPerGate < 0) {
      throw new IllegalArgumentException(`maxOverdraftBuffersPerGate: ${maxOverdraftBuffersPerGate} (expected: an integer >= 0)`);
    }
    this.maxOverdraftBuffersPerGate = maxOverdraftBuffersPerGate;
  }

  getMaxOverdraftBuffersPerGate(): number {
    return this.maxOverdraftBuffersPerGate;
  }

  // ---------------------------------------------------------------- requests

  requestBuffer(): Buffer | null {
    const segment = this.requestMemorySegment0(UNKNOWN_CHANNEL);
    return segment === null ? null : new NetworkBuffer(segment, this);
  }

  requestBufferBuilder(targetChannel: number = UNKNOWN_CHANNEL): BufferBuilder | null {
    const segment = this.requestMemorySegment0(targetChannel);
    return segment === null ? null : this.toBufferBuilder(segment, targetChannel);
  }

  /**
   * A builder as soon as one is available. Flink blocks the task thread here; Sluice returns a promise
   * that settles inline when a buffer is recycled (or the pool is resized). Rejects with
   * `BufferPoolDestroyedException` as soon as the pool is destroyed.
   */
  requestBufferBuilderBlocking(targetChannel: number = UNKNOWN_CHANNEL): Promise<BufferBuilder> {
    return this.requestBlocking(targetChannel, (segment) => this.toBufferBuilder(segment, targetChannel));
  }

  requestMemorySegment(): MemorySegment | null {
    return this.requestMemorySegment0(UNKNOWN_CHANNEL);
  }

  /** A raw segment as soon as one is available (see {@link requestBufferBuilderBlocking}). */
  requestMemorySegmentBlocking(): Promise<MemorySegment> {
    return this.requestBlocking(UNKNOWN_CHANNEL, (segment) => segment);
  }

  private toBufferBuilder(segment: MemorySegment, targetChannel: number): BufferBuilder {
    return new BufferBuilder(segment, targetChannel === UNKNOWN_CHANNEL ? this : this.subpartitionBufferRecyclers[targetChannel]!);
  }

  private requestBlocking<T>(targetChannel: number, wrap: (segment: MemorySegment) => T): Promise<T> {
    let segment: MemorySegment | null;
    try {
      segment = this.requestMemorySegment0(targetChannel);
    } catch (err) {
      return Promise.reject(err);
    }
    if (segment !== null) return Promise.resolve(wrap(segment));
    return new Promise<T>((resolve, reject) => {
      // Runs when the availability future completes; wraps the segment right away so that no segment is
      // ever unowned between the completion and the promise reaction.
      const attempt = (): void => {
        let s: MemorySegment | null;
        try {
          s = this.requestMemorySegment0(targetChannel);
        } catch (err) {
          reject(err);
          return;
        }
        if (s !== null) resolve(wrap(s));
        else this.availabilityHelper.getAvailableFuture().addListener(attempt);
      };
      this.availabilityHelper.getAvailableFuture().addListener(attempt);
    });
  }

  private requestMemorySegment0(targetChannel: number): MemorySegment | null {
    if (this.destroyed) this.checkDestroyed();
    if (targetChannel !== UNKNOWN_CHANNEL && ((targetChannel >>> 0) !== targetChannel || targetChannel >= this.subpartitionBuffersCount.length)) {
      throw new IllegalArgumentException(
        `targetChannel: ${targetChannel} (expected: 0-${this.subpartitionBuffersCount.length - 1}, or none)`,
      );
    }
    let segment = this.availableMemorySegments.pop() ?? null;
    if (segment === null && this.isRequestedSizeReached()) {
      // Only when the pool is exhausted (its size reached) may an overdraft buffer be taken.
      segment = this.requestOverdraftMemorySegmentFromGlobal();
    }
    if (segment === null) return null;
    if (targetChannel !== UNKNOWN_CHANNEL && ++this.subpartitionBuffersCount[targetChannel]! === this.maxBuffersPerChannel) {
      this.unavailableSubpartitionsCount++;
    }
    AvailabilityHelper.complete(this.checkAndUpdateAvailability());
    return segment;
  }

  private checkDestroyed(): void {
    if (this.destroyed) throw new BufferPoolDestroyedException(this.toString());
  }

  private requestMemorySegmentFromGlobal(): boolean {
    if (this.isRequestedSizeReached()) return false;
    const segment = this.requestPooledMemorySegment();
    if (segment === null) return false;
    this.availableMemorySegments.push(segment);
    return true;
  }

  private requestOverdraftMemorySegmentFromGlobal(): MemorySegment | null {
    // Buffers beyond currentPoolSize are overdraft buffers; at most maxOverdraftBuffersPerGate of them.
    if (this.numberOfRequestedMemorySegments - this.currentPoolSize >= this.maxOverdraftBuffersPerGate) return null;
    return this.requestPooledMemorySegment();
  }

  private requestPooledMemorySegment(): MemorySegment | null {
    if (this.destroyed) {
      throw new IllegalStateException('Destroyed buffer pools should never acquire segments - this will lead to buffer leaks.');
    }
    const segment = this.networkBufferPool.requestPooledMemorySegment();
    if (segment !== null) this.numberOfRequestedMemorySegments++;
    return segment;
  }

  // ---------------------------------------------------------------- availability

  /**
   * Subscribes to the global pool's availability; the global pool may be awaited by several local pools,
   * so {@link onGlobalPoolAvailable} checks again whether a segment is still needed.
   */
  private requestMemorySegmentFromGlobalWhenAvailable(): void {
    if (this.requestingNotificationOfGlobalPoolAvailable) {
      throw new IllegalStateException('local buffer pool is already in the state of requesting memory segment from global when it is available.');
    }
    this.requestingNotificationOfGlobalPoolAvailable = true;
    this.networkBufferPool.getAvailableFuture().addListener(this.onGlobalPoolAvailableListener);
  }

  private onGlobalPoolAvailable(): void {
    this.requestingNotificationOfGlobalPoolAvailable = false;
    // Nothing to gain from the global pool now: let other pools take precedence.
    if (this.destroyed || this.availabilityHelper.isApproximatelyAvailable()) return;
    // May subscribe again if another pool took the segment first.
    AvailabilityHelper.complete(this.checkAndUpdateAvailability());
  }

  private shouldBeAvailable(): boolean {
    return this.availableMemorySegments.length > 0 && this.unavailableSubpartitionsCount === 0;
  }

  /** Recomputes availability (fetching a segment ahead if it can); returns the future to complete, if any. */
  private checkAndUpdateAvailability(): Future<void> | null {
    let toNotify: Future<void> | null = null;
    const status = this.checkAvailability();
    if (status === AVAILABLE) toNotify = this.availabilityHelper.getUnavailableToResetAvailable();
    else this.availabilityHelper.resetUnavailable();
    if (status === UNAVAILABLE_NEED_NOTIFICATION) this.requestMemorySegmentFromGlobalWhenAvailable();
    this.checkConsistentAvailability();
    return toNotify;
  }

  private checkAvailability(): number {
    if (this.availableMemorySegments.length > 0) return this.shouldBeAvailable() ? AVAILABLE : UNAVAILABLE;
    if (this.isRequestedSizeReached()) return UNAVAILABLE;
    // No idle segment: fetch one from the global pool, or ask to be told when it has one again (once).
    let needNotification = false;
    if (!this.requestMemorySegmentFromGlobal()) needNotification = !this.requestingNotificationOfGlobalPoolAvailable;
    if (this.shouldBeAvailable()) return AVAILABLE;
    return needNotification ? UNAVAILABLE_NEED_NOTIFICATION : UNAVAILABLE;
  }

  private checkConsistentAvailability(): void {
    const shouldBeAvailable = this.shouldBeAvailable();
    if (this.availabilityHelper.isApproximatelyAvailable() !== shouldBeAvailable) {
      throw new IllegalStateException(`Inconsistent availability: expected ${shouldBeAvailable} for ${this.toString()}`);
    }
  }

  getAvailableFuture(): Future<void> {
    return this.availabilityHelper.getAvailableFuture();
  }

  isAvailable(): boolean {
    return this.availabilityHelper.isAvailable();
  }

  isApproximatelyAvailable(): boolean {
    return this.availabilityHelper.isApproximatelyAvailable();
  }

  // ---------------------------------------------------------------- recycling

  recycle(segment: MemorySegment): void {
    this.recycle0(segment, UNKNOWN_CHANNEL);
  }

  private recycle0(segment: MemorySegment, channel: number): void {
    if (channel !== UNKNOWN_CHANNEL && this.subpartitionBuffersCount[channel]!-- === this.maxBuffersPerChannel) {
      this.unavailableSubpartitionsCount--;
    }
    if (this.destroyed || this.hasExcessBuffers()) {
      this.returnMemorySegment(segment);
      return;
    }
    const listener = this.registeredListeners.shift();
    if (listener === undefined) {
      this.availableMemorySegments.push(segment);
      if (!this.availabilityHelper.isApproximatelyAvailable() && this.shouldBeAvailable()) {
        AvailabilityHelper.complete(this.availabilityHelper.getUnavailableToResetAvailable());
      }
      return;
    }
    this.fireBufferAvailableNotification(listener, segment);
  }

  private fireBufferAvailableNotification(listener: BufferListener, segment: MemorySegment): void {
    let needsMore: boolean;
    try {
      // The buffer (one reference) belongs to the listener from here on, also if it throws.
      needsMore = listener.notifyBufferAvailable(new NetworkBuffer(segment, this));
    } catch (err) {
      logger.error(`${describeListener(listener)} threw from notifyBufferAvailable; it is no longer registered`, err);
      return;
    }
    if (!needsMore) return;
    if (this.destroyed) listener.notifyBufferDestroyed();
    else this.registeredListeners.push(listener);
  }

  addBufferListener(listener: BufferListener): boolean {
    if (this.availableMemorySegments.length > 0 || this.destroyed) return false;
    this.registeredListeners.push(listener);
    return true;
  }

  /**
   * Destroys the pool (idempotent): idle segments go back to the global pool, listeners are told
   * (`notifyBufferDestroyed`), pending promise requests reject, later recycles go to the global pool,
   * and the global pool forgets this pool.
   */
  lazyDestroy(): void {
    let toNotify: Future<void> | null = null;
    if (!this.destroyed) {
      let segment: MemorySegment | undefined;
      while ((segment = this.availableMemorySegments.pop()) !== undefined) this.returnMemorySegment(segment);
      let listener: BufferListener | undefined;
      while ((listener = this.registeredListeners.shift()) !== undefined) {
        try {
          listener.notifyBufferDestroyed();
        } catch (err) {
          logger.error(`${describeListener(listener)} threw from notifyBufferDestroyed`, err);
        }
      }
      if (!this.isAvailable()) toNotify = this.availabilityHelper.getAvailableFuture();
      this.destroyed = true;
    }
    // Wakes every waiter; their retry sees the destroyed pool and rejects.
    AvailabilityHelper.complete(toNotify);
    this.networkBufferPool.destroyBufferPool(this);
  }

  /**
   * Sets the pool size to `min(numBuffers, max)`. Throws `IllegalArgumentException` below the required
   * size. Idle excess goes back to the global pool now; excess in use goes back as it is recycled.
   */
  setNumBuffers(numBuffers: number): void {
    if (!Number.isSafeInteger(numBuffers) || numBuffers < this.numberOfRequiredMemorySegments) {
      throw new IllegalArgumentException(
        `Buffer pool needs at least ${this.numberOfRequiredMemorySegments} buffers, but tried to set to ${numBuffers}`,
      );
    }
    this.currentPoolSize = Math.min(numBuffers, this.maxNumberOfMemorySegments);
    this.returnExcessMemorySegments();
    // FLINK-19964: a destroyed pool must not fetch a segment proactively (it would never be returned).
    if (this.destroyed) return;
    AvailabilityHelper.complete(this.checkAndUpdateAvailability());
  }

  private returnMemorySegment(segment: MemorySegment): void {
    this.numberOfRequestedMemorySegments--;
    this.networkBufferPool.recyclePooledMemorySegment(segment);
  }

  private returnExcessMemorySegments(): void {
    while (this.hasExcessBuffers()) {
      const segment = this.availableMemorySegments.pop();
      if (segment === undefined) return;
      this.returnMemorySegment(segment);
    }
  }

  private hasExcessBuffers(): boolean {
    return this.numberOfRequestedMemorySegments > this.currentPoolSize;
  }

  private isRequestedSizeReached(): boolean {
    return this.numberOfRequestedMemorySegments >= this.currentPoolSize;
  }

  toString(): string {
    return (
      `LocalBufferPool[size: ${this.currentPoolSize}, required: ${this.numberOfRequiredMemorySegments}, ` +
      `requested: ${this.numberOfRequestedMemorySegments}, available: ${this.availableMemorySegments.length}, ` +
      `max: ${this.maxNumberOfMemorySegments}, listeners: ${this.registeredListeners.length}, ` +
      `subpartitions: ${this.subpartitionBuffersCount.length}, maxBuffersPerChannel: ${this.maxBuffersPerChannel}, ` +
      `destroyed: ${this.destroyed}]`
    );
  }
}
