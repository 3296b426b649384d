import { IllegalArgumentException, toError } from '@sluice/channel';
import type { Buffer } from '../memory/Buffer';
import type { BufferProvider } from '../memory/BufferProvider';
import { DataType } from '../memory/DataType';
import { SimpleCounter, type Counter } from '../metrics/Counter';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import { ConsumerDefaults } from './ConsumerDefaults';
import { InputChannelInfo } from './InputChannelInfo';
import type { SingleInputGate } from './SingleInputGate';

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.InputChannel.BufferAndAvailability
 * (Flink 1.20). Differs: mutable and reused — each channel owns one instance and refills it on every
 * `getNextBuffer()`, so polling a buffer allocates nothing here; it is valid until the channel's next
 * `getNextBuffer()`.
 *
 * One polled buffer plus what comes next: the data type of the next buffer (`NONE` if nothing is ready),
 * the sender's backlog, and the buffer's sequence number.
 *
 * ## Ownership
 * Carries one reference to {@link buffer} for whoever took it from the channel (the gate).
 */
export class BufferAndAvailability {
  buffer: Buffer;
  nextDataType: DataType;
  buffersInBacklog: number;
  sequenceNumber: number;

  constructor(buffer: Buffer, nextDataType: DataType, buffersInBacklog: number, sequenceNumber: number) {
    this.buffer = buffer;
    this.nextDataType = nextDataType;
    this.buffersInBacklog = buffersInBacklog;
    this.sequenceNumber = sequenceNumber;
  }

  /** Refills this instance (see the class comment) and returns it. */
  set(buffer: Buffer, nextDataType: DataType, buffersInBacklog: number, sequenceNumber: number): this {
    this.buffer = buffer;
    this.nextDataType = nextDataType;
    this.buffersInBacklog = buffersInBacklog;
    this.sequenceNumber = sequenceNumber;
    return this;
  }

  /** True if the channel has another buffer ready (`nextDataType !== NONE`). */
  moreAvailable(): boolean {
    return this.nextDataType !== DataType.NONE;
  }

  /** True if the next buffer is a priority event. */
  morePriorityEvents(): boolean {
    return this.nextDataType.hasPriority();
  }

  /** True if this buffer is a priority event. */
  hasPriority(): boolean {
    return this.buffer.getDataType().hasPriority();
  }

  toString(): string {
    return (
      `BufferAndAvailability{buffer=${this.buffer.getSize()} bytes ${this.buffer.getDataType().name}, nextDataType=${this.nextDataType.name}, ` +
      `buffersInBacklog=${this.buffersInBacklog}, sequenceNumber=${this.sequenceNumber}}`
    );
  }
}

/** Options of an {@link InputChannel}. */
export interface InputChannelOptions {
  /**
   * Milliseconds before the first retry of a partition request that found no partition; 0 disables
   * retries (default: 100, `taskmanager.network.request-backoff.initial`).
   */
  initialBackoffMs?: number;
  /** Milliseconds the back-off may grow to before the request fails (default: 10000, `taskmanager.network.request-backoff.max`). */
  maxBackoffMs?: number;
  /** Counts bytes received (default: a new counter). Share one per task and kind: numBytesInLocal/Remote. */
  numBytesIn?: Counter;
  /** Counts buffers received (default: a new counter): numBuffersInLocal/Remote. */
  numBuffersIn?: Counter;
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.InputChannel (Flink 1.20). Differs:
 * one subpartition per channel (no `ResultSubpartitionIndexSet`); `getNextBuffer()` returns a reused
 * {@link BufferAndAvailability} or `null` instead of an `Optional`; the stored error is rethrown as it is
 * (Flink wraps non-IOExceptions in an IOException); retriggering is polymorphic
 * ({@link retriggerSubpartitionRequest}) instead of the gate switching on the channel class; no task
 * events and no checkpoint persistence hooks yet.
 *
 * Consumes one subpartition of one result partition for a {@link SingleInputGate}: request it
 * ({@link requestSubpartition}), then the gate polls {@link getNextBuffer} whenever the channel told it
 * that it is non-empty ({@link notifyChannelNonEmpty}), and finally {@link releaseAllResources}.
 * Errors reported from elsewhere (the network, a retry timer) are stored with {@link setError} and thrown
 * by the next poll ({@link checkError}).
 *
 * Partition-request back-off (reference §3.3): {@link increaseBackoff} implements Flink 1.20's base rule
 * used by local channels — the first retry waits `initialBackoffMs`, each further one doubles the wait
 * up to `maxBackoffMs`, and once the wait is at the maximum the next retry fails. Remote channels use the
 * listener-timeout rule instead ({@link increaseBackoffByListenerTimeout}).
 *
 * ## Threading
 * One JavaScript thread (the task's reads, the producers' notifications and the network loop take turns
 * on it); Flink's `AtomicReference` error and request locks become plain fields.
 *
 * ## Ownership
 * A buffer returned by `getNextBuffer()` carries one reference for the caller. `releaseAllResources()`
 * gives back everything the channel still holds.
 */
export abstract class InputChannel {
  /** Identifies the channel within the task. */
  protected readonly channelInfo: InputChannelInfo;
  /** The partition this channel consumes a subpartition of. */
  protected readonly partitionId: ResultPartitionID;
  /** Index of the consumed subpartition. */
  protected readonly consumedSubpartitionIndex: number;
  /** The gate this channel belongs to. */
  protected readonly inputGate: SingleInputGate;
  /** Initial partition-request back-off in ms (0: no retries). */
  protected readonly initialBackoff: number;
  /** Maximum partition-request back-off in ms. */
  protected readonly maxBackoff: number;
  /** Current back-off in ms (0: not backing off yet). */
  protected currentBackoff = 0;
  /** Bytes received by this channel (shared counter). */
  protected readonly numBytesIn: Counter;
  /** Buffers received by this channel (shared counter). */
  protected readonly numBuffersIn: Counter;

  private cause: Error | null = null;

  protected constructor(
    inputGate: SingleInputGate,
    channelIndex: number,
    partitionId: ResultPartitionID,
    consumedSubpartitionIndex: number,
    options: InputChannelOptions = {},
  ) {
    const initial = options.initialBackoffMs ?? ConsumerDefaults.REQUEST_BACKOFF_INITIAL_MS;
    const max = options.maxBackoffMs ?? ConsumerDefaults.REQUEST_BACKOFF_MAX_MS;
    if (!Number.isSafeInteger(initial) || !Number.isSafeInteger(max) || initial < 0 || initial > max) {
      throw new IllegalArgumentException(
        `initialBackoffMs: ${initial}, maxBackoffMs: ${max} (expected: integers with 0 <= initialBackoffMs <= maxBackoffMs)`,
      );
    }
    if (!Number.isSafeInteger(consumedSubpartitionIndex) || consumedSubpartitionIndex < 0) {
      throw new IllegalArgumentException(`consumedSubpartitionIndex: ${consumedSubpartitionIndex} (expected: an integer >= 0)`);
    }
    this.inputGate = inputGate;
    this.channelInfo = new InputChannelInfo(inputGate.getGateIndex(), channelIndex);
    this.partitionId = partitionId;
    this.consumedSubpartitionIndex = consumedSubpartitionIndex;
    this.initialBackoff = initial;
    this.maxBackoff = max;
    this.numBytesIn = options.numBytesIn ?? new SimpleCounter();
    this.numBuffersIn = options.numBuffersIn ?? new SimpleCounter();
  }

  // ---------------------------------------------------------------- properties

  /** Index of this channel within its gate. */
  getChannelIndex(): number {
    return this.channelInfo.getInputChannelIdx();
  }

  /** Identifies this channel within the task. */
  getChannelInfo(): InputChannelInfo {
    return this.channelInfo;
  }

  /** The consumed partition. */
  getPartitionId(): ResultPartitionID {
    return this.partitionId;
  }

  /** The consumed subpartition's index. */
  getConsumedSubpartitionIndex(): number {
    return this.consumedSubpartitionIndex;
  }

  /** The gate's floating buffer pool (`null` before the gate's `setup()`); used by buffer managers. */
  getFloatingBufferPool(): BufferProvider | null {
    return this.inputGate.getBufferPool();
  }

  // ---------------------------------------------------------------- consume

  /**
   * Requests the subpartition (once; later calls do nothing). Local channels finish synchronously;
   * remote ones return a promise (connecting). A failure the channel can retry is handled inside; others
   * are thrown (or reject).
   */
  abstract requestSubpartition(): void | Promise<void>;

  /** Retries the subpartition request after the current back-off (called through the gate). */
  abstract retriggerSubpartitionRequest(): void;

  /**
   * The next buffer, or `null` if there is none right now. Throws the stored error ({@link checkError})
   * and `CancelTaskException` if the consumed partition was released.
   */
  abstract getNextBuffer(): BufferAndAvailability | null;

  /** Unblocks the upstream subpartition after an aligned checkpoint barrier. */
  abstract resumeConsumption(): void;

  /** Acknowledges that every record before `EndOfData` was processed. */
  abstract acknowledgeAllRecordsProcessed(): void;

  /** Tells the producer which buffer size to use from now on (debloating), in bytes. */
  abstract announceBufferSize(newBufferSize: number): void;

  /** Buffers this channel holds in use (queued data plus reserved credit). */
  abstract getBuffersInUseCount(): number;

  /** Requests exclusive buffers and similar one-time preparation (before `requestSubpartition`). */
  setup(): Promise<void> {
    return Promise.resolve();
  }

  // ---------------------------------------------------------------- notifications

  /** Tells the gate that this channel has data (or an error) to poll. */
  notifyChannelNonEmpty(): void {
    this.inputGate.notifyChannelNonEmpty(this);
  }

  /** Tells the gate that a priority event with `priorityBufferNumber` is at the head of this channel. */
  notifyPriorityEvent(priorityBufferNumber: number): void {
    this.inputGate.notifyPriorityEvent(this, priorityBufferNumber);
  }

  /**
   * The credit hook: the channel's buffer manager calls it with the number of buffers that just became
   * available to receive into (exclusive recycled, floating granted). Remote channels announce them as
   * credit; the default does nothing.
   */
  notifyBufferAvailable(_numAvailableBuffers: number): void {}

  // ---------------------------------------------------------------- life cycle

  /** True after {@link releaseAllResources}. */
  abstract isReleased(): boolean;

  /** Releases everything the channel holds (idempotent). */
  abstract releaseAllResources(): void;

  // ---------------------------------------------------------------- errors

  /** Throws the error stored by {@link setError}, if any. */
  checkError(): void {
    if (this.cause !== null) throw this.cause;
  }

  /** The stored error, or `null`. */
  getError(): Error | null {
    return this.cause;
  }

  /**
   * Stores `cause` (the first error wins) and notifies the gate, so that the reader polls this channel and
   * {@link checkError} throws it.
   */
  setError(cause: unknown): void {
    if (this.cause === null) {
      this.cause = toError(cause);
      this.notifyChannelNonEmpty();
    }
  }

  /** An asynchronous failure of this channel (the network, a retry): same as {@link setError}. */
  onError(cause: unknown): void {
    this.setError(cause);
  }

  // ---------------------------------------------------------------- partition request back-off

  /** The current back-off in ms (0 before the first retry). */
  getCurrentBackoff(): number {
    return this.currentBackoff <= 0 ? 0 : this.currentBackoff;
  }

  /**
   * Flink 1.20's base back-off rule: disabled if the initial back-off is 0; the first call sets it to the
   * initial back-off; later calls double it, capped at the maximum; once it is at the maximum, fails.
   * Returns whether the request may be retried (after {@link getCurrentBackoff} ms).
   */
  protected increaseBackoff(): boolean {
    if (this.initialBackoff === 0) return false;
    if (this.currentBackoff === 0) {
      this.currentBackoff = this.initialBackoff;
      return true;
    }
    if (this.currentBackoff < this.maxBackoff) {
      this.currentBackoff = Math.min(this.currentBackoff * 2, this.maxBackoff);
      return true;
    }
    return false;
  }

  /**
   * The current remote rule (reference §3.3, §10 scenario 44): the remote side answers
   * PartitionNotFound only after its partition-request listener timed out, so each retry adds that
   * timeout; retries are allowed while the back-off stays below twice the maximum. A timeout of 0
   * disables retries. With timeout 500 and max 1000 the back-offs are 500, 1000, 1500, then 2000 fails.
   */
  protected increaseBackoffByListenerTimeout(partitionRequestListenerTimeoutMs: number): boolean {
    if (partitionRequestListenerTimeoutMs > 0) {
      this.currentBackoff += partitionRequestListenerTimeoutMs;
      return this.currentBackoff < 2 * this.maxBackoff;
    }
    return false;
  }

  // ---------------------------------------------------------------- metrics

  /** Buffers queued in this channel (or its view), for `inputQueueLength`. */
  unsynchronizedGetNumberOfQueuedBuffers(): number {
    return 0;
  }

  /** Exclusive buffers currently in use (remote channels; 0 otherwise), for `inputExclusiveBuffersUsage`. */
  unsynchronizedGetExclusiveBuffersUsed(): number {
    return 0;
  }

  /** Floating buffers held but not in use (remote channels; 0 otherwise), for `inputFloatingBuffersUsage`. */
  unsynchronizedGetFloatingBuffersAvailable(): number {
    return 0;
  }

  /** Exclusive buffers of this channel (remote channels' initial credit; 0 otherwise). */
  getInitialCredit(): number {
    return 0;
  }

  /** Counts received bytes (what `numBytesInLocal`/`numBytesInRemote` read). */
  getNumBytesInCounter(): Counter {
    return this.numBytesIn;
  }

  /** Counts received buffers. */
  getNumBuffersInCounter(): Counter {
    return this.numBuffersIn;
  }
}
