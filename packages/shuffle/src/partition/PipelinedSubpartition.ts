import { IllegalArgumentException, IllegalStateException, InternalLoggerFactory } from '@sluice/channel';
import { EndOfPartitionEvent } from '../event/EndOfPartitionEvent';
import { EventSerializer } from '../event/EventSerializer';
import type { Buffer } from '../memory/Buffer';
import type { BufferConsumer } from '../memory/BufferConsumer';
import { DataType } from '../memory/DataType';
import { BufferAndBacklog } from './BufferAndBacklog';
import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import { BufferConsumerWithPartialRecordLength } from './BufferConsumerWithPartialRecordLength';
import { PipelinedSubpartitionView } from './PipelinedSubpartitionView';
import { PrioritizedDeque } from './PrioritizedDeque';
import type { ResultPartition } from './ResultPartition';
import { ResultSubpartition } from './ResultSubpartition';
import type { AvailabilityWithBacklog } from './ResultSubpartitionView';

const logger = InternalLoggerFactory.getInstance('PipelinedSubpartition');

/** Flink's DEFAULT_PRIORITY_SEQUENCE_NUMBER: no priority event to announce. */
const NO_PRIORITY_EVENT = -1;
/** Java's Integer.MAX_VALUE: "no debloating target". */
const MAX_BUFFER_SIZE = 2147483647;

/**
 * Port of org.apache.flink.runtime.io.network.partition.PipelinedSubpartition (Flink 1.20). Differs: no
 * ChannelStateWriter yet — priority events (unaligned barriers) overtake the queue but in-flight buffers
 * are not snapshotted, and timeoutable aligned barriers are not converted on timeout
 * (`alignedBarrierTimeout` is not ported); `createReadView` throws `IllegalStateException` like Flink's
 * `checkState`.
 *
 * An in-memory subpartition consumed once, while it is being written. Rules (reference §4.3), exactly as
 * Flink's:
 * - {@link add} notifies the reader only when the FIRST finished buffer appears (`readView` set, no
 *   flush requested, not blocked, `numberOfFinishedBuffers == 1`), or always for `finish()`; the reader
 *   then drains with `pollBuffer()` until it reports nothing more. A second buffer counts the first as
 *   finished (only the last one may be unfinished).
 * - {@link flush} notifies only if there is exactly one buffer with unread data (and not blocked); with
 *   more buffers the reader was already notified. It sets `flushRequested` so the unfinished tail may be
 *   sent.
 * - Availability: `!isBlocked && (flushRequested || numberOfFinishedBuffers > 0)`; without credit only
 *   when the next buffer is an event.
 * - Backlog: data buffers queued, not counting the unfinished tail unless flushed/finished (or the tail
 *   is an event); 0 while blocked.
 * - {@link pollBuffer} skips empty slices (unless the receiver has no exclusive buffers and the buffer is
 *   finished — the empty buffer then returns the credit), blocks the subpartition after a
 *   blocking-upstream buffer (aligned barrier) until {@link resumeConsumption}, and numbers the buffers.
 *
 * ## Threading
 * Everything runs on one JavaScript thread: Flink's `synchronized (buffers)` blocks are plain code. The
 * listener is called directly, inside `add`/`flush`/`finish` (a network server re-dispatches to its
 * event loop).
 *
 * ## Ownership
 * Owns every queued consumer; `pollBuffer` hands out slices holding their own reference (the reader
 * recycles them); `release()` closes what is queued.
 *
 * ## Pitfalls
 * Single reader: a second `createReadView` throws. Creating the view does not notify; the reader checks
 * {@link getAvailabilityAndBacklog} itself (as Flink's readers do).
 */
export class PipelinedSubpartition extends ResultSubpartition {
  /** Exclusive credits per channel at the receiver (0 changes the empty-buffer rule). */
  private readonly receiverExclusiveBuffersPerChannel: number;
  /** All queued buffers; priority events at the head. */
  readonly buffers = new PrioritizedDeque<BufferConsumerWithPartialRecordLength>();
  /** Number of queued data (non-event) buffers. */
  private buffersInBacklog = 0;
  /** The read view, if a consumer attached. */
  private readView: PipelinedSubpartitionView | null = null;
  private isFinished = false;
  private flushRequested = false;
  private released = false;
  private totalNumberOfBuffers = 0;
  private totalNumberOfBytes = 0;
  private _bufferSize: number;
  /** Blocked by an aligned checkpoint barrier until {@link resumeConsumption}. */
  private isBlocked = false;
  /** Sequence number of the next polled buffer (the wire sequence number). */
  private sequenceNumber = 0;

  /**
   * @param index the subpartition index
   * @param receiverExclusiveBuffersPerChannel the consumer's buffers-per-channel (≥ 0)
   * @param startingBufferSize the initial desired buffer size in bytes (default: unlimited)
   * @param parent the owning partition
   */
  constructor(index: number, receiverExclusiveBuffersPerChannel: number, startingBufferSize: number, parent: ResultPartition) {
    super(index, parent);
    if (!Number.isSafeInteger(receiverExclusiveBuffersPerChannel) || receiverExclusiveBuffersPerChannel < 0) {
      throw new IllegalArgumentException(`Buffers per channel must be non-negative, got ${receiverExclusiveBuffersPerChannel}.`);
    }
    this.receiverExclusiveBuffersPerChannel = receiverExclusiveBuffersPerChannel;
    this._bufferSize = startingBufferSize > 0 ? startingBufferSize : MAX_BUFFER_SIZE;
  }

  add(bufferConsumer: BufferConsumer, partialRecordLength = 0): number {
    return this.add0(bufferConsumer, partialRecordLength, false);
  }

  finish(): number {
    const eventBufferConsumer = EventSerializer.toBufferConsumer(EndOfPartitionEvent.INSTANCE, false);
    const size = eventBufferConsumer.getWrittenBytes();
    this.add0(eventBufferConsumer, 0, true);
    logger.debug(`${this.parent.getOwningTaskName()}: Finished ${this.toString()}.`);
    return size;
  }

  private add0(bufferConsumer: BufferConsumer, partialRecordLength: number, finish: boolean): number {
    if (this.isFinished || this.released) {
      bufferConsumer.close();
      return ResultSubpartition.ADD_BUFFER_ERROR_CODE;
    }
    let prioritySequenceNumber = NO_PRIORITY_EVENT;
    const element = new BufferConsumerWithPartialRecordLength(bufferConsumer, partialRecordLength);
    if (bufferConsumer.getDataType().hasPriority()) {
      this.buffers.addPriorityElement(element);
      // If blocked the downstream does not expect notifications.
      if (this.buffers.getNumPriorityElements() === 1 && !this.isBlocked) prioritySequenceNumber = this.sequenceNumber;
    } else {
      this.buffers.add(element);
    }
    this.totalNumberOfBuffers++;
    if (bufferConsumer.isBuffer()) this.buffersInBacklog++;
    const notifyDataAvailable = finish || this.shouldNotifyDataAvailable();
    if (finish) this.isFinished = true;
    const newBufferSize = this._bufferSize;

    this.notifyPriorityEvent(prioritySequenceNumber);
    if (notifyDataAvailable) this.notifyDataAvailable();
    return newBufferSize;
  }

  release(): void {
    if (this.released) return;
    for (const element of this.buffers) element.bufferConsumer.close();
    this.buffers.clear();
    const view = this.readView;
    this.readView = null;
    // Make sure that no further buffers are added to the subpartition.
    this.released = true;
    logger.debug(`${this.parent.getOwningTaskName()}: Released ${this.toString()}.`);
    if (view !== null) view.releaseAllResources();
  }

  /** The next buffer for the reader, or null (blocked, empty, or only an unfinished empty tail). */
  pollBuffer(): BufferAndBacklog | null {
    if (this.isBlocked) return null;
    const buffers = this.buffers;
    let buffer: Buffer | null = null;
    if (buffers.isEmpty()) this.flushRequested = false;

    while (!buffers.isEmpty()) {
      const element = buffers.peek()!;
      const bufferConsumer = element.bufferConsumer;
      buffer = element.build();
      if (!(bufferConsumer.isFinished() || buffers.size() === 1)) {
        buffer.recycleBuffer();
        throw new IllegalStateException(
          'When there are multiple buffers, an unfinished bufferConsumer can not be at the head of the buffers queue.',
        );
      }
      // Turn off flushRequested if we drained all the available data.
      if (buffers.size() === 1) this.flushRequested = false;
      if (bufferConsumer.isFinished()) {
        buffers.poll()!.bufferConsumer.close();
        if (bufferConsumer.isBuffer()) this.buffersInBacklog--;
      }
      // An empty finished buffer with 0 exclusive credits is returned so the receiver can release the
      // credit it allocated for it (a builder finished after all its data was read; approximate recovery).
      if (this.receiverExclusiveBuffersPerChannel === 0 && bufferConsumer.isFinished()) break;
      if (buffer.readableBytes() > 0) break;
      buffer.recycleBuffer();
      buffer = null;
      if (!bufferConsumer.isFinished()) break;
    }

    if (buffer === null) return null;
    if (buffer.getDataType().isBlockingUpstream()) this.isBlocked = true;
    this.totalNumberOfBytes += buffer.getSize();
    // The last remaining (assumed unfinished) buffer is not reported as available: it will be on flush
    // or once a second buffer is queued.
    return new BufferAndBacklog(
      buffer,
      this.getBuffersInBacklogUnsafe(),
      this.isDataAvailableUnsafe() ? this.getNextBufferTypeUnsafe() : DataType.NONE,
      this.sequenceNumber++,
    );
  }

  /** Unblocks after an aligned barrier was consumed (ResumeConsumption). Throws if not blocked. */
  resumeConsumption(): void {
    if (!this.isBlocked) throw new IllegalStateException('Should be blocked by checkpoint.');
    this.isBlocked = false;
  }

  /** The consumer processed all user records (EndOfData). */
  acknowledgeAllDataProcessed(): void {
    this.parent.onSubpartitionAllDataProcessed(this.subpartitionIndex);
  }

  isReleased(): boolean {
    return this.released;
  }

  createReadView(availabilityListener: BufferAvailabilityListener): PipelinedSubpartitionView {
    if (this.released) {
      throw new IllegalStateException(`Subpartition ${this.subpartitionIndex} of ${this.parent.getPartitionId().toString()} has been released.`);
    }
    if (this.readView !== null) {
      throw new IllegalStateException(
        `Subpartition ${this.subpartitionIndex} of ${this.parent.getPartitionId().toString()} is being (or already has been) consumed, ` +
          'but pipelined subpartitions can only be consumed once.',
      );
    }
    logger.debug(`${this.parent.getOwningTaskName()}: Creating read view for subpartition ${this.subpartitionIndex} of partition ${this.parent.getPartitionId().toString()}.`);
    this.readView = new PipelinedSubpartitionView(this, availabilityListener);
    return this.readView;
  }

  /** With credit: is data available; without: is the next buffer an event. Plus the backlog. */
  getAvailabilityAndBacklog(isCreditAvailable: boolean): AvailabilityWithBacklog {
    const isAvailable = isCreditAvailable ? this.isDataAvailableUnsafe() : this.getNextBufferTypeUnsafe().isEvent();
    return { isAvailable, backlog: this.getBuffersInBacklogUnsafe() };
  }

  private isDataAvailableUnsafe(): boolean {
    return !this.isBlocked && (this.flushRequested || this.getNumberOfFinishedBuffers() > 0);
  }

  private getNextBufferTypeUnsafe(): DataType {
    const first = this.buffers.peek();
    return first !== null ? first.bufferConsumer.getDataType() : DataType.NONE;
  }

  getNumberOfQueuedBuffers(): number {
    return this.buffers.size();
  }

  unsynchronizedGetNumberOfQueuedBuffers(): number {
    return Math.max(this.buffers.size(), 0);
  }

  bufferSize(desirableNewBufferSize: number): void {
    if (!(desirableNewBufferSize >= 0)) throw new IllegalArgumentException('New buffer size can not be less than zero');
    this._bufferSize = desirableNewBufferSize;
  }

  flush(): void {
    const buffers = this.buffers;
    if (buffers.isEmpty() || this.flushRequested) return;
    // With more than one buffer the reader was already notified (at the latest when the second was added).
    const isDataAvailableInUnfinishedBuffer = buffers.size() === 1 && buffers.peek()!.bufferConsumer.isDataAvailable();
    const notifyDataAvailable = !this.isBlocked && isDataAvailableInUnfinishedBuffer;
    this.flushRequested = buffers.size() > 1 || isDataAvailableInUnfinishedBuffer;
    if (notifyDataAvailable) this.notifyDataAvailable();
  }

  getTotalNumberOfBuffersUnsafe(): number {
    return this.totalNumberOfBuffers;
  }

  getTotalNumberOfBytesUnsafe(): number {
    return this.totalNumberOfBytes;
  }

  /** Why the partition failed, if it did. */
  getFailureCause(): Error | null {
    return this.parent.getFailureCause();
  }

  /** Data buffers the reader may take now (see the class comment). */
  getBuffersInBacklogUnsafe(): number {
    if (this.isBlocked || this.buffers.isEmpty()) return 0;
    if (this.flushRequested || this.isFinished || !this.buffers.peekLast()!.bufferConsumer.isBuffer()) return this.buffersInBacklog;
    return Math.max(this.buffersInBacklog - 1, 0);
  }

  /** Flink's getBuffersInBacklog (tests): same as {@link getBuffersInBacklogUnsafe}. */
  getBuffersInBacklog(): number {
    return this.getBuffersInBacklogUnsafe();
  }

  /** True once {@link finish} was called. */
  isSubpartitionFinished(): boolean {
    return this.isFinished;
  }

  /** True while blocked by an aligned barrier. */
  isBlockedByCheckpoint(): boolean {
    return this.isBlocked;
  }

  // Notify only when we added the first finished buffer.
  private shouldNotifyDataAvailable(): boolean {
    return this.readView !== null && !this.flushRequested && !this.isBlocked && this.getNumberOfFinishedBuffers() === 1;
  }

  private notifyDataAvailable(): void {
    const view = this.readView;
    if (view !== null) view.notifyDataAvailable();
  }

  private notifyPriorityEvent(prioritySequenceNumber: number): void {
    const view = this.readView;
    if (view !== null && prioritySequenceNumber !== NO_PRIORITY_EVENT) view.notifyPriorityEvent(prioritySequenceNumber);
  }

  private getNumberOfFinishedBuffers(): number {
    // isFinished() is cached by the consumer: a single finished buffer may wait for the next flush().
    const numBuffers = this.buffers.size();
    if (numBuffers === 1 && this.buffers.peekLast()!.bufferConsumer.isFinished()) return 1;
    // Only the last buffer may be unfinished.
    return Math.max(0, numBuffers - 1);
  }

  override toString(): string {
    return (
      `PipelinedSubpartition#${this.subpartitionIndex} [number of buffers: ${this.totalNumberOfBuffers} (${this.totalNumberOfBytes} bytes), ` +
      `number of buffers in backlog: ${this.getBuffersInBacklogUnsafe()}, finished? ${this.isFinished}, read view? ${this.readView !== null}]`
    );
  }
}
