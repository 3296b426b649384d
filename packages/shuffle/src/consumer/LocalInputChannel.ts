import { IllegalStateException, InternalLoggerFactory } from '@sluice/channel';
import type { BufferAvailabilityListener } from '../partition/BufferAvailabilityListener';
import { PartitionNotFoundException } from '../partition/errors';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import type { ResultPartitionProvider } from '../partition/ResultPartitionProvider';
import type { ResultSubpartitionView } from '../partition/ResultSubpartitionView';
import { CancelTaskException } from './errors';
import { BufferAndAvailability, InputChannel, type InputChannelOptions } from './InputChannel';
import type { Cancellable, SingleInputGate } from './SingleInputGate';

const logger = InternalLoggerFactory.getInstance('LocalInputChannel');

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.LocalInputChannel (Flink 1.20). Differs:
 * the retry after PartitionNotFound is scheduled on the gate's event executor (Flink: a `java.util.Timer`
 * per gate) and cancelled by `releaseAllResources()`; no request lock (one thread), so a poll before the
 * view exists is an `IllegalStateException` instead of waiting for the lock; no task events, no
 * checkpoint persistence, no file-region or composite buffers.
 *
 * The same-process shortcut of a remote channel: it asks a {@link ResultPartitionProvider} (the
 * ResultPartitionManager) for a view of the subpartition, passing itself as the
 * {@link BufferAvailabilityListener}, and reads the producer's buffers directly — no network, no credit,
 * no copy (reference §3.5). A data notification from the view queues the channel at the gate; the
 * backlog is ignored (the view, not the consumer, holds the buffers).
 *
 * If the partition is not registered yet, the request is retried with the back-off of
 * {@link InputChannel} (initial, doubling, up to the maximum) and fails with the
 * `PartitionNotFoundException` once the back-off is exhausted; the failure surfaces on the next poll.
 *
 * ## Threading
 * One JavaScript thread: the producer's `notifyDataAvailable` runs inline inside its `flush()`/`add()`,
 * the retry runs in a task of the gate's executor.
 *
 * ## Ownership
 * Buffers polled from the view carry one reference each and go to the gate (and the reader); empty buffers
 * are recycled here. `releaseAllResources()` releases the view, which recycles what the subpartition
 * still queues.
 *
 * @example
 * const channel = new LocalInputChannel(gate, 0, partitionId, subpartitionIndex, resultPartitionManager);
 * gate.setInputChannels(channel);
 */
export class LocalInputChannel extends InputChannel implements BufferAvailabilityListener {
  private readonly partitionProvider: ResultPartitionProvider;
  private subpartitionView: ResultSubpartitionView | null = null;
  private released = false;
  private retrigger: Cancellable | null = null;
  private reusable: BufferAndAvailability | null = null;

  /**
   * @param inputGate the gate this channel belongs to
   * @param channelIndex index within the gate
   * @param partitionId the consumed partition
   * @param consumedSubpartitionIndex the consumed subpartition of that partition
   * @param partitionProvider creates the view (the local ResultPartitionManager)
   */
  constructor(
    inputGate: SingleInputGate,
    channelIndex: number,
    partitionId: ResultPartitionID,
    consumedSubpartitionIndex: number,
    partitionProvider: ResultPartitionProvider,
    options: InputChannelOptions = {},
  ) {
    super(inputGate, channelIndex, partitionId, consumedSubpartitionIndex, options);
    this.partitionProvider = partitionProvider;
  }

  // ---------------------------------------------------------------- consume

  /**
   * Creates the view (once). On PartitionNotFound: retries after the back-off if it may (through the gate,
   * which ignores retries after `close()`), else throws the `PartitionNotFoundException`.
   */
  requestSubpartition(): void {
    if (this.released) throw new IllegalStateException(`${this.toString()} has been released already`);
    if (this.subpartitionView !== null) return;
    let retriggerRequest = false;
    let notifyDataAvailable = false;
    logger.debug(`${this.toString()}: Requesting LOCAL subpartition ${this.consumedSubpartitionIndex} of partition ${this.partitionId.toString()}.`);
    try {
      this.subpartitionView = this.partitionProvider.createSubpartitionView(this.partitionId, this.consumedSubpartitionIndex, this);
      notifyDataAvailable = true;
    } catch (err) {
      if (!(err instanceof PartitionNotFoundException)) throw err;
      if (!this.increaseBackoff()) throw err;
      retriggerRequest = true;
    }
    // Flink ≥1.15: poll once after the request, the view may already hold data it notified nobody about.
    if (notifyDataAvailable) this.notifyChannelNonEmpty();
    if (retriggerRequest) this.inputGate.retriggerPartitionRequest(this.partitionId.partitionId, this.getChannelInfo());
  }

  /** Schedules {@link requestSubpartition} after the current back-off; a failure is stored with `setError`. */
  retriggerSubpartitionRequest(): void {
    if (this.subpartitionView !== null) throw new IllegalStateException(`${this.toString()}: already requested partition`);
    if (this.released) return;
    this.retrigger?.cancel();
    this.retrigger = this.inputGate.scheduleRetrigger(() => {
      this.retrigger = null;
      if (this.released) return;
      try {
        this.requestSubpartition();
      } catch (err) {
        this.setError(err);
      }
    }, this.getCurrentBackoff());
  }

  getNextBuffer(): BufferAndAvailability | null {
    this.checkError();
    const view = this.subpartitionView;
    if (view === null) {
      // A late notification after the EndOfPartitionEvent released the channel (Flink's comment on the
      // write (1) – read (2) – flush (3) – notification (4) race) finds nothing to read.
      if (this.released) return null;
      throw new IllegalStateException(`${this.toString()}: Queried for a buffer before requesting the subpartition.`);
    }
    let next = view.getNextBuffer();
    // Empty buffers carry nothing for the reader; recycle them right here.
    while (next !== null && next.buffer.readableBytes() === 0) {
      next.buffer.recycleBuffer();
      this.numBuffersIn.inc();
      next = view.getNextBuffer();
    }
    if (next === null) {
      if (view.isReleased()) {
        const failure = view.getFailureCause();
        throw new CancelTaskException(
          `Consumed partition ${this.partitionId.toString()} (subpartition ${this.consumedSubpartitionIndex}) has been released` +
            (failure !== null ? `: ${failure.message}` : '.'),
          failure !== null ? { cause: failure } : undefined,
        );
      }
      return null;
    }
    const buffer = next.buffer;
    this.numBytesIn.inc(buffer.readableBytes());
    this.numBuffersIn.inc();
    const reusable = this.reusable;
    if (reusable === null) {
      return (this.reusable = new BufferAndAvailability(buffer, next.nextDataType, next.buffersInBacklog, next.sequenceNumber));
    }
    return reusable.set(buffer, next.nextDataType, next.buffersInBacklog, next.sequenceNumber);
  }

  // ---------------------------------------------------------------- BufferAvailabilityListener

  /** The view has data: queue this channel at the gate. */
  notifyDataAvailable(_view: ResultSubpartitionView): void {
    this.notifyChannelNonEmpty();
  }

  /** A priority event is at the view's head (same as {@link InputChannel.notifyPriorityEvent}). */
  override notifyPriorityEvent(prioritySequenceNumber: number): void {
    super.notifyPriorityEvent(prioritySequenceNumber);
  }

  // ---------------------------------------------------------------- control

  resumeConsumption(): void {
    const view = this.requireView('resumeConsumption');
    view.resumeConsumption();
    if (view.getAvailabilityAndBacklog(true).isAvailable) this.notifyChannelNonEmpty();
  }

  acknowledgeAllRecordsProcessed(): void {
    this.requireView('acknowledgeAllRecordsProcessed').acknowledgeAllDataProcessed();
  }

  announceBufferSize(newBufferSize: number): void {
    if (this.released) throw new IllegalStateException(`${this.toString()}: Channel released.`);
    this.subpartitionView?.notifyNewBufferSize(newBufferSize);
  }

  private requireView(what: string): ResultSubpartitionView {
    if (this.released) throw new IllegalStateException(`${this.toString()}: Channel released (${what}).`);
    const view = this.subpartitionView;
    if (view === null) throw new IllegalStateException(`${this.toString()}: ${what} before the subpartition was requested.`);
    return view;
  }

  // ---------------------------------------------------------------- life cycle

  isReleased(): boolean {
    return this.released;
  }

  /** Releases the view (and cancels a pending retry). Idempotent. */
  releaseAllResources(): void {
    if (this.released) return;
    this.released = true;
    this.retrigger?.cancel();
    this.retrigger = null;
    const view = this.subpartitionView;
    if (view !== null) {
      this.subpartitionView = null;
      view.releaseAllResources();
    }
  }

  // ---------------------------------------------------------------- metrics

  getBuffersInUseCount(): number {
    return this.subpartitionView?.getNumberOfQueuedBuffers() ?? 0;
  }

  override unsynchronizedGetNumberOfQueuedBuffers(): number {
    return this.subpartitionView?.unsynchronizedGetNumberOfQueuedBuffers() ?? 0;
  }

  /** The view, once requested (for tests and diagnostics). */
  getSubpartitionView(): ResultSubpartitionView | null {
    return this.subpartitionView;
  }

  override toString(): string {
    return `LocalInputChannel [${this.partitionId.toString()}, ${this.channelInfo.toString()}]`;
  }
}
