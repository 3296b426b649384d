import { IllegalArgumentException, IllegalStateException, InternalLoggerFactory } from '@sluice/channel';
import { EndOfPartitionEvent } from '../event/EndOfPartitionEvent';
import { EventSerializer } from '../event/EventSerializer';
import type { Buffer } from '../memory/Buffer';
import type { BufferConsumer } from '../memory/BufferConsumer';
import { DataType } from '../memory/DataType';
import { BufferAndBacklog } from './BufferAndBacklog';
import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import type { BroadcastBufferQueue } from './BroadcastBufferQueue';
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
 * ## Broadcast buffers (differs from Flink in cost only)
 * Attached to its partition's {@link BroadcastBufferQueue}, the subpartition does not get a queued copy
 * of every broadcast buffer from the producer (Flink's `add(consumer.copy())` per subpartition): the
 * buffers it has not taken yet count as queued after everything in {@link queue} for every rule above
 * (notification, availability, backlog, flush, counters), {@link pollBuffer} takes the head one as a copy
 * and queues it only if it stays at the head (unfinished), and anything that appends to the queue
 * (`add`, `finish`) or exposes it ({@link buffers}) takes them all first, in order. The producer still
 * makes the add-time decisions (notification, desired buffer size) through
 * {@link notifyBroadcastBufferAdded}.
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
  // The fields the producer reads for every subpartition per broadcast buffer come first, so that they
  // share the object's first cache lines (V8 lays fields out in declaration order).
  /** The partition's shared broadcast buffers (null: not attached, or finished/released since). */
  private broadcastBuffers: BroadcastBufferQueue | null = null;
  /** Sequence number of the first buffer of {@link broadcastBuffers} not taken into {@link queue} yet. */
  private broadcastCursor = 0;
  /** The read view, if a consumer attached. */
  private readView: PipelinedSubpartitionView | null = null;
  private flushRequested = false;
  /** Blocked by an aligned checkpoint barrier until {@link resumeConsumption}. */
  private isBlocked = false;
  private _bufferSize: number;
  /** All queued buffers; priority events at the head. Broadcast buffers not taken yet are not in it. */
  private readonly queue = new PrioritizedDeque<BufferConsumerWithPartialRecordLength>();
  /** Exclusive credits per channel at the receiver (0 changes the empty-buffer rule). */
  private readonly receiverExclusiveBuffersPerChannel: number;
  /** Number of queued data (non-event) buffers, not counting the broadcast buffers not taken yet. */
  private buffersInBacklog = 0;
  private isFinished = false;
  private released = false;
  /** Buffers added, not counting the broadcast buffers not taken yet. */
  private totalNumberOfBuffers = 0;
  private totalNumberOfBytes = 0;
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

  /** All queued buffers, priority events at the head (takes the pending broadcast buffers first). */
  get buffers(): PrioritizedDeque<BufferConsumerWithPartialRecordLength> {
    this.takeBroadcastBuffers();
    return this.queue;
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
    // Broadcast buffers added before this one come first.
    this.takeBroadcastBuffers();
    const prioritySequenceNumber = this.enqueue(bufferConsumer, partialRecordLength);
    this.totalNumberOfBuffers++;
    if (bufferConsumer.isBuffer()) this.buffersInBacklog++;
    const notifyDataAvailable = finish || this.shouldNotifyDataAvailable();
    if (finish) {
      this.isFinished = true;
      this.detachBroadcastBuffers(); // Flink's add() refuses anything after finish()
    }
    const newBufferSize = this._bufferSize;

    this.notifyPriorityEvent(prioritySequenceNumber);
    if (notifyDataAvailable) this.notifyDataAvailable();
    return newBufferSize;
  }

  /**
   * The queueing half of Flink's add() (the counters are the caller's): returns the priority sequence
   * number to announce, if any.
   */
  private enqueue(bufferConsumer: BufferConsumer, partialRecordLength: number): number {
    let prioritySequenceNumber = NO_PRIORITY_EVENT;
    const element = new BufferConsumerWithPartialRecordLength(bufferConsumer, partialRecordLength);
    if (bufferConsumer.getDataType().hasPriority()) {
      this.queue.addPriorityElement(element);
      // If blocked the downstream does not expect notifications.
      if (this.queue.getNumPriorityElements() === 1 && !this.isBlocked) prioritySequenceNumber = this.sequenceNumber;
    } else {
      this.queue.add(element);
    }
    return prioritySequenceNumber;
  }

  // ---------------------------------------------------------------- shared broadcast buffers

  /**
   * Takes the broadcast buffers appended to `broadcastBuffers` from now on (see the class comment).
   * Called by the partition before its first broadcast; returns false (not attached) if finished or
   * released, or already attached.
   */
  attachBroadcastBuffers(broadcastBuffers: BroadcastBufferQueue): boolean {
    if (this.isFinished || this.released || this.broadcastBuffers !== null) return false;
    this.broadcastBuffers = broadcastBuffers;
    this.broadcastCursor = broadcastBuffers.attach();
    return true;
  }

  /**
   * The partition appended a data buffer (not an event, no priority) to the shared broadcast buffers:
   * Flink's add() for this subpartition — the notification of the reader when the first finished buffer
   * appeared — minus the queueing of the copy, which is deferred (the counters include the buffers not
   * taken yet). Returns the desired buffer size, or {@link ResultSubpartition.ADD_BUFFER_ERROR_CODE} if
   * finished or released (not attached any more). Reads state only — no allocation, no store — because
   * the producer calls it for every subpartition per broadcast buffer.
   */
  notifyBroadcastBufferAdded(): number {
    if (this.broadcastBuffers === null) return ResultSubpartition.ADD_BUFFER_ERROR_CODE;
    if (this.shouldNotifyDataAvailable()) this.notifyDataAvailable();
    return this._bufferSize;
  }

  /**
   * Queues this subpartition's copies of the broadcast buffers it has not taken yet, in order (they were
   * counted when added). Only needed where the queue itself is read or appended to; the reader's polls
   * and the queries work on "queue, then the buffers not taken yet" without it.
   */
  private takeBroadcastBuffers(): void {
    const broadcastBuffers = this.broadcastBuffers;
    if (broadcastBuffers === null) return;
    const end = broadcastBuffers.end();
    while (this.broadcastCursor < end) {
      const copy = this.takeNextBroadcastBuffer();
      // Non-priority data buffers only (see the partition): nothing to announce.
      this.enqueue(copy, broadcastBuffers.getTakenPartialRecordLength());
    }
  }

  /** Takes the first broadcast buffer not taken yet (there must be one): its copy, not queued. */
  private takeNextBroadcastBuffer(): BufferConsumer {
    const sequence = this.broadcastCursor++;
    this.totalNumberOfBuffers++;
    this.buffersInBacklog++;
    return this.broadcastBuffers!.take(sequence);
  }

  /** Broadcast buffers added but not taken into the queue yet (they come after everything queued). */
  private pendingBroadcastBuffers(): number {
    const broadcastBuffers = this.broadcastBuffers;
    return broadcastBuffers === null ? 0 : broadcastBuffers.end() - this.broadcastCursor;
  }

  /** The consumer of the first buffer (queued or pending), for queries only; null if none. */
  private peekFirstConsumer(): BufferConsumer | null {
    const first = this.queue.peek();
    if (first !== null) return first.bufferConsumer;
    return this.pendingBroadcastBuffers() > 0 ? this.broadcastBuffers!.sharedConsumerAt(this.broadcastCursor) : null;
  }

  /** The consumer of the last buffer (queued or pending), for queries only; null if none. */
  private peekLastConsumer(): BufferConsumer | null {
    if (this.pendingBroadcastBuffers() > 0) return this.broadcastBuffers!.sharedConsumerAt(this.broadcastBuffers!.end() - 1);
    const last = this.queue.peekLast();
    return last !== null ? last.bufferConsumer : null;
  }

  /**
   * Stops taking broadcast buffers, dropping those not taken (finish() took them before). They stay
   * counted, as the queued buffers that release() closes do.
   */
  private detachBroadcastBuffers(): void {
    const broadcastBuffers = this.broadcastBuffers;
    if (broadcastBuffers === null) return;
    const from = this.broadcastCursor;
    const end = broadcastBuffers.end();
    this.totalNumberOfBuffers += end - from;
    this.buffersInBacklog += end - from;
    // Detached before dropping: a drop may recycle the buffer, and whatever that triggers (a pool
    // listener writing more) must find this subpartition gone.
    this.broadcastBuffers = null;
    this.broadcastCursor = end;
    broadcastBuffers.detach();
    for (let sequence = from; sequence < end; sequence++) broadcastBuffers.release(sequence);
  }

  /** Buffers queued, counting the broadcast buffers not taken yet (without taking them). */
  private numberOfBuffers(): number {
    return this.queue.size() + this.pendingBroadcastBuffers();
  }

  release(): void {
    if (this.released) return;
    this.detachBroadcastBuffers();
    for (const element of this.queue) element.bufferConsumer.close();
    this.queue.clear();
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
    // Possibly fewer buffers: the next broadcast buffer may be the one to notify the reader about.
    this.broadcastBuffers?.markChanged();
    const buffers = this.queue;
    let buffer: Buffer | null = null;
    // Queued buffers first, then the broadcast buffers not taken yet.
    let numBuffers = this.numberOfBuffers();
    if (numBuffers === 0) this.flushRequested = false;

    while (numBuffers > 0) {
      const queued = !buffers.isEmpty();
      // A broadcast buffer at the head is taken as a copy that is queued only if it stays there
      // (unfinished): a finished one is built and closed without ever entering the queue.
      const bufferConsumer = queued ? buffers.peek()!.bufferConsumer : this.takeNextBroadcastBuffer();
      buffer = bufferConsumer.build();
      if (!queued && !bufferConsumer.isFinished()) this.enqueue(bufferConsumer, this.broadcastBuffers!.getTakenPartialRecordLength());
      if (!(bufferConsumer.isFinished() || numBuffers === 1)) {
        buffer.recycleBuffer();
        throw new IllegalStateException(
          'When there are multiple buffers, an unfinished bufferConsumer can not be at the head of the buffers queue.',
        );
      }
      // Turn off flushRequested if we drained all the available data.
      if (numBuffers === 1) this.flushRequested = false;
      if (bufferConsumer.isFinished()) {
        if (queued) buffers.poll();
        bufferConsumer.close();
        numBuffers--;
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
    const first = this.peekFirstConsumer();
    return first !== null ? first.getDataType() : DataType.NONE;
  }

  getNumberOfQueuedBuffers(): number {
    return this.numberOfBuffers();
  }

  unsynchronizedGetNumberOfQueuedBuffers(): number {
    return Math.max(this.numberOfBuffers(), 0);
  }

  bufferSize(desirableNewBufferSize: number): void {
    if (!(desirableNewBufferSize >= 0)) throw new IllegalArgumentException('New buffer size can not be less than zero');
    this._bufferSize = desirableNewBufferSize;
    this.broadcastBuffers?.markChanged();
  }

  flush(): void {
    const numBuffers = this.numberOfBuffers();
    if (numBuffers === 0 || this.flushRequested) return;
    // With more than one buffer the reader was already notified (at the latest when the second was added).
    const isDataAvailableInUnfinishedBuffer = numBuffers === 1 && this.peekFirstConsumer()!.isDataAvailable();
    const notifyDataAvailable = !this.isBlocked && isDataAvailableInUnfinishedBuffer;
    this.flushRequested = numBuffers > 1 || isDataAvailableInUnfinishedBuffer;
    if (notifyDataAvailable) this.notifyDataAvailable();
  }

  getTotalNumberOfBuffersUnsafe(): number {
    return this.totalNumberOfBuffers + this.pendingBroadcastBuffers();
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
    const pending = this.pendingBroadcastBuffers(); // all data buffers
    if (this.isBlocked || this.queue.size() + pending === 0) return 0;
    const buffersInBacklog = this.buffersInBacklog + pending;
    if (this.flushRequested || this.isFinished || !this.peekLastConsumer()!.isBuffer()) return buffersInBacklog;
    return Math.max(buffersInBacklog - 1, 0);
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
    // Broadcast buffers not taken yet count as queued behind the others (without taking them: the
    // producer asks this for every subpartition per broadcast buffer).
    const numBuffers = this.numberOfBuffers();
    if (numBuffers === 1 && this.peekLastConsumer()!.isFinished()) return 1;
    // Only the last buffer may be unfinished.
    return Math.max(0, numBuffers - 1);
  }

  override toString(): string {
    return (
      `PipelinedSubpartition#${this.subpartitionIndex} [number of buffers: ${this.getTotalNumberOfBuffersUnsafe()} (${this.totalNumberOfBytes} bytes), ` +
      `number of buffers in backlog: ${this.getBuffersInBacklogUnsafe()}, finished? ${this.isFinished}, read view? ${this.readView !== null}]`
    );
  }
}
