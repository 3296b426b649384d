import { IllegalArgumentException, IllegalStateException, InternalLoggerFactory } from '@sluice/channel';
import type { Buffer } from '../memory/Buffer';
import type { BufferListener } from '../memory/BufferListener';
import type { BufferProvider } from '../memory/BufferProvider';
import type { BufferRecycler } from '../memory/BufferRecycler';
import type { MemorySegment } from '../memory/MemorySegment';
import type { MemorySegmentProvider } from '../memory/MemorySegmentProvider';
import { NetworkBuffer } from '../memory/NetworkBuffer';

const logger = InternalLoggerFactory.getInstance('BufferManager');

/**
 * What a {@link BufferManager} needs from the input channel that owns it (RemoteInputChannel implements
 * it by extending `InputChannel`).
 */
export interface BufferManagerOwner {
  /** True once the channel released its resources: buffers then go straight back to their pools. */
  isReleased(): boolean;
  /**
   * The credit hook: `numAvailableBuffers` buffers just became available to receive into (an exclusive
   * buffer came back, a floating one was granted). Called with 0 when a recycled exclusive buffer replaced
   * a floating one. Remote channels announce positive numbers as credit.
   */
  notifyBufferAvailable(numAvailableBuffers: number): void;
  /** Stores an asynchronous failure (surfaces on the channel's next poll). */
  setError(cause: unknown): void;
  /** The gate's floating buffer pool (`null` before the gate's setup). */
  getFloatingBufferPool(): BufferProvider | null;
  /** For messages. */
  toString(): string;
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.BufferManager (Flink 1.20). Differs:
 * `requestExclusiveBuffers` returns a promise (the NetworkBufferPool's request is asynchronous); no
 * `requestBufferBlocking` (only recovered channels use it); buffer-listener notifications follow Sluice's
 * contract (the buffer is always handed over; an unwanted one is recycled here and `false` returned);
 * a failure while recycling an exclusive buffer is stored on the channel instead of thrown into whoever
 * released the buffer; the available queues are stacks (most recently returned buffer first).
 *
 * Holds the buffers a remote input channel receives into (reference §2 steps 1, 7, 11, 12, §3.3):
 * - **exclusive** buffers — `buffers-per-channel` segments requested once from the NetworkBufferPool
 *   ({@link requestExclusiveBuffers}); their recycler is this manager, so a consumed one comes back here;
 * - **floating** buffers — taken from the gate's LocalBufferPool when the sender's backlog needs more
 *   ({@link requestFloatingBuffers}: `numRequired = backlog + initialCredit`); when the pool is empty the
 *   manager registers as its {@link BufferListener} and is handed recycled floating buffers one by one.
 *
 * {@link requestBuffer} hands out a floating buffer first (so floating ones flow back to the shared pool
 * soon). A recycled exclusive buffer is queued again; if that makes more available than required, a
 * floating buffer goes back to the pool instead and no credit is announced (`notifyBufferAvailable(0)`),
 * else one credit is (`notifyBufferAvailable(1)`).
 *
 * ## Threading
 * One JavaScript thread: the network loop (backlog, received buffers) and the task (recycling) take
 * turns, so Flink's `synchronized (bufferQueue)` becomes program order. Recycling runs inline inside a
 * buffer's last release.
 *
 * ## Ownership
 * Available buffers are owned by the manager; {@link requestBuffer} hands one reference to the caller.
 * {@link releaseAllBuffers} returns every available buffer: floating ones to the gate's pool, exclusive
 * segments to the global pool in one batch; exclusive buffers still in use return there when recycled.
 *
 * @example
 * const manager = new BufferManager(networkBufferPool, channel, initialCredit);
 * await manager.requestExclusiveBuffers(initialCredit);          // setup
 * manager.requestFloatingBuffers(backlog + initialCredit);       // on sender backlog
 * const target = manager.requestBuffer();                        // for an incoming BufferResponse
 */
export class BufferManager implements BufferListener, BufferRecycler {
  private readonly globalPool: MemorySegmentProvider;
  private readonly owner: BufferManagerOwner;
  private readonly floatingBuffers: Buffer[] = [];
  private readonly exclusiveBuffers: Buffer[] = [];
  private isWaitingForFloatingBuffers = false;
  private numRequiredBuffers: number;
  /** While releasing: recycled exclusive segments are collected here and returned in one batch. */
  private releasedSegments: MemorySegment[] | null = null;

  /**
   * @param globalPool where exclusive segments come from and go back to (the NetworkBufferPool)
   * @param owner the input channel
   * @param numRequiredBuffers initial number of required buffers (the channel's initial credit)
   */
  constructor(globalPool: MemorySegmentProvider, owner: BufferManagerOwner, numRequiredBuffers: number) {
    if (!Number.isSafeInteger(numRequiredBuffers) || numRequiredBuffers < 0) {
      throw new IllegalArgumentException(`numRequiredBuffers: ${numRequiredBuffers} (expected: an integer >= 0)`);
    }
    this.globalPool = globalPool;
    this.owner = owner;
    this.numRequiredBuffers = numRequiredBuffers;
  }

  // ---------------------------------------------------------------- requests

  /** An available buffer to receive into — floating first — or `null`. One reference for the caller. */
  requestBuffer(): Buffer | null {
    return this.floatingBuffers.pop() ?? this.exclusiveBuffers.pop() ?? null;
  }

  /**
   * Requests `numExclusiveBuffers` exclusive segments from the global pool (reference §2 step 1) and
   * queues them as buffers recycled to this manager. Resolves with the number added (0 for 0). If the
   * channel was released while waiting, the segments go straight back.
   */
  async requestExclusiveBuffers(numExclusiveBuffers: number): Promise<number> {
    if (!Number.isSafeInteger(numExclusiveBuffers) || numExclusiveBuffers < 0) {
      throw new IllegalArgumentException(`numExclusiveBuffers: ${numExclusiveBuffers} (expected: an integer >= 0)`);
    }
    if (numExclusiveBuffers === 0) return 0;
    const segments = await this.globalPool.requestUnpooledMemorySegments(numExclusiveBuffers);
    if (this.owner.isReleased()) {
      this.globalPool.recycleUnpooledMemorySegments(segments);
      return 0;
    }
    for (const segment of segments) this.addExclusiveBuffer(new NetworkBuffer(segment, this));
    return segments.length;
  }

  /**
   * Sets the required number of buffers to `numRequired` (backlog + initial credit) and takes floating
   * buffers from the gate's pool until that many are available; if the pool runs dry, registers as its
   * listener (once — nothing more is requested while waiting). Returns how many were taken now (reference
   * §2 step 7). Does nothing once the channel is released.
   */
  requestFloatingBuffers(numRequired: number): number {
    let numRequestedBuffers = 0;
    // Never add a buffer after the channel released all buffers.
    if (this.owner.isReleased()) return numRequestedBuffers;
    this.numRequiredBuffers = numRequired;
    while (this.getNumberOfAvailableBuffers() < this.numRequiredBuffers && !this.isWaitingForFloatingBuffers) {
      const pool = this.requireFloatingBufferPool();
      const buffer = pool.requestBuffer();
      if (buffer !== null) {
        this.floatingBuffers.push(buffer);
        numRequestedBuffers++;
      } else if (pool.addBufferListener(this)) {
        this.isWaitingForFloatingBuffers = true;
        break;
      }
      // else: a buffer became available between the two calls (or the pool was destroyed): try again,
      // and requestBuffer() throws if it was destroyed.
    }
    return numRequestedBuffers;
  }

  private requireFloatingBufferPool(): BufferProvider {
    const pool = this.owner.getFloatingBufferPool();
    if (pool === null) throw new IllegalStateException(`${this.owner.toString()}: the input gate has no floating buffer pool yet (call setup() first)`);
    return pool;
  }

  // ---------------------------------------------------------------- recycling

  /**
   * Takes back an exclusive segment (reference §2 step 11): queues it again and announces one credit — or,
   * if that makes more buffers available than required, returns a floating buffer to the pool instead and
   * announces none. After the channel's release the segment goes back to the global pool.
   */
  recycle(segment: MemorySegment): void {
    if (this.releasedSegments !== null) {
      this.releasedSegments.push(segment);
      return;
    }
    if (this.owner.isReleased()) {
      this.globalPool.recycleUnpooledMemorySegments([segment]);
      return;
    }
    try {
      const numAddedBuffers = this.addExclusiveBuffer(new NetworkBuffer(segment, this));
      this.owner.notifyBufferAvailable(numAddedBuffers);
    } catch (err) {
      // Flink rethrows; here the caller is whoever released the buffer (a reader, a socket write
      // callback), so the failure goes to the channel instead.
      logger.error(`${this.owner.toString()}: failed to take back an exclusive buffer`, err);
      this.owner.setError(err);
    }
  }

  /** Queues an exclusive buffer; returns a floating one to its pool if now more than required. */
  private addExclusiveBuffer(buffer: Buffer): number {
    this.exclusiveBuffers.push(buffer);
    if (this.getNumberOfAvailableBuffers() > this.numRequiredBuffers) {
      const floating = this.floatingBuffers.pop();
      if (floating !== undefined) {
        floating.recycleBuffer();
        return 0;
      }
    }
    return 1;
  }

  /** Returns every floating buffer to the pool and requires none (reference §2.4: blocked with zero initial credit). */
  releaseFloatingBuffers(): void {
    this.numRequiredBuffers = 0;
    let buffer: Buffer | undefined;
    while ((buffer = this.floatingBuffers.pop()) !== undefined) buffer.recycleBuffer();
  }

  /**
   * Releases `buffers` (the channel's queued received buffers, one reference each) and every available
   * buffer: floating ones go back to the gate's pool, exclusive segments to the global pool in one batch
   * (one redistribution instead of one per segment). Call after the channel is marked released.
   */
  releaseAllBuffers(buffers: readonly Buffer[] = []): void {
    const segments: MemorySegment[] = [];
    this.releasedSegments = segments;
    try {
      for (const buffer of buffers) buffer.recycleBuffer();
      let buffer: Buffer | undefined;
      while ((buffer = this.floatingBuffers.pop()) !== undefined) buffer.recycleBuffer();
      while ((buffer = this.exclusiveBuffers.pop()) !== undefined) buffer.recycleBuffer();
    } finally {
      this.releasedSegments = null;
      if (segments.length > 0) this.globalPool.recycleUnpooledMemorySegments(segments);
    }
  }

  // ---------------------------------------------------------------- BufferListener

  /**
   * The gate's pool hands over a recycled floating buffer (reference §2 step 12). Not wanted (channel
   * released, or enough buffers already): recycled right here, stop waiting, return `false`. Wanted:
   * queued, one credit announced, and `true` (stay registered) until exactly the required number is
   * available.
   */
  notifyBufferAvailable(buffer: Buffer): boolean {
    // Checked first (Flink: outside the lock, to avoid a deadlock between two channels' queues).
    if (this.owner.isReleased()) {
      buffer.recycleBuffer();
      return false;
    }
    let needMore: boolean;
    try {
      if (!this.isWaitingForFloatingBuffers) {
        throw new IllegalStateException(`${this.owner.toString()}: This channel should be waiting for floating buffers.`);
      }
      if (this.getNumberOfAvailableBuffers() >= this.numRequiredBuffers) {
        this.isWaitingForFloatingBuffers = false;
        buffer.recycleBuffer();
        return false;
      }
      this.floatingBuffers.push(buffer);
      needMore = this.getNumberOfAvailableBuffers() !== this.numRequiredBuffers;
      if (!needMore) this.isWaitingForFloatingBuffers = false;
    } catch (err) {
      buffer.recycleBuffer();
      this.owner.setError(err);
      return false;
    }
    try {
      this.owner.notifyBufferAvailable(1);
    } catch (err) {
      // The buffer stays queued (released with the channel), as in Flink.
      this.owner.setError(err);
    }
    return needMore;
  }

  /** The pool was destroyed: nothing to do (the channel is being released with the gate). */
  notifyBufferDestroyed(): void {}

  // ---------------------------------------------------------------- counters

  /** Buffers required now (backlog + initial credit). Flink: `unsynchronizedGetNumberOfRequiredBuffers`. */
  getNumberOfRequiredBuffers(): number {
    return this.numRequiredBuffers;
  }

  /** True while registered as the pool's listener. */
  unsynchronizedIsWaitingForFloatingBuffers(): boolean {
    return this.isWaitingForFloatingBuffers;
  }

  /** Available buffers, floating plus exclusive. */
  getNumberOfAvailableBuffers(): number {
    return this.floatingBuffers.length + this.exclusiveBuffers.length;
  }

  /** Available exclusive buffers. */
  unsynchronizedGetAvailableExclusiveBuffers(): number {
    return this.exclusiveBuffers.length;
  }

  /** Available floating buffers. */
  unsynchronizedGetFloatingBuffersAvailable(): number {
    return this.floatingBuffers.length;
  }

  toString(): string {
    return (
      `BufferManager[${this.owner.toString()}, exclusive: ${this.exclusiveBuffers.length}, floating: ${this.floatingBuffers.length}, ` +
      `required: ${this.numRequiredBuffers}, waiting: ${this.isWaitingForFloatingBuffers}]`
    );
  }
}
