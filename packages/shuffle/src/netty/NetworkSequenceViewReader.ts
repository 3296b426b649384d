import { IllegalStateException } from '@sluice/channel';
import type { BufferAndAvailability } from '../consumer/InputChannel';
import type { InputChannelID } from '../consumer/InputChannelID';
import type { BufferAvailabilityListener } from '../partition/BufferAvailabilityListener';
import { supportsPartitionRequestListeners } from '../partition/PartitionRequestListener';
import type { ResultPartition } from '../partition/ResultPartition';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import type { ResultPartitionProvider } from '../partition/ResultPartitionProvider';
import type { AvailabilityWithBacklog, ResultSubpartitionView } from '../partition/ResultSubpartitionView';
import { NettyPartitionRequestListener } from './NettyPartitionRequestListener';
import type { PartitionRequestQueue } from './PartitionRequestQueue';

/**
 * Port of org.apache.flink.runtime.io.network.NetworkSequenceViewReader (Flink 1.20). Differs: one
 * subpartition index instead of a `ResultSubpartitionIndexSet`; no `notifyRequiredSegmentId` (no hybrid
 * shuffle); adds {@link hasSubpartitionView} because a reader whose partition is not registered yet is
 * known to the queue before its view exists.
 *
 * The server's reading end of one remote input channel: wraps the subpartition view, numbers nothing
 * itself (the subpartition numbers its buffers), and tells the {@link PartitionRequestQueue} when it
 * has something to send. Credit-based ({@link CreditBasedSequenceNumberingViewReader}) or push
 * ({@link SequenceNumberingViewReader}).
 *
 * ## Threading
 * Called on the server channel's event loop, except the BufferAvailabilityListener callbacks, which run
 * inside the producer's calls and only re-dispatch to the loop.
 *
 * ## Ownership
 * A {@link BufferAndAvailability} from {@link getNextBuffer} carries one buffer reference for the caller.
 */
export interface NetworkSequenceViewReader extends BufferAvailabilityListener {
  /**
   * Creates the subpartition view, or — when the partition is not registered yet and the provider
   * supports it — leaves a listener waiting for it. Once only ("Subpartition already requested").
   */
  requestSubpartitionViewOrRegisterListener(partitionProvider: ResultPartitionProvider, resultPartitionId: ResultPartitionID, subpartitionIndex: number): void;
  /** The waited-for partition registered: create the view now. */
  notifySubpartitionCreated(partition: ResultPartition, subpartitionIndex: number): void;
  /** The waited-for partition did not appear in time: the queue answers PartitionNotFound. */
  notifyPartitionRequestTimeout(listener: NettyPartitionRequestListener): void;
  /** Whether the view exists (false while waiting for the partition). */
  hasSubpartitionView(): boolean;
  /** Incremental credit from an AddCredit (ignored in push mode). */
  addCredit(creditDeltas: number): void;
  /** Unblocks the subpartition after an aligned barrier (ResumeConsumption). */
  resumeConsumption(): void;
  /** The consumer processed all user records. */
  acknowledgeAllRecordsProcessed(): void;
  /** Buffer debloating target from a NewBufferSize. */
  notifyNewBufferSize(newBufferSize: number): void;
  /** Flag of the queue: is this reader in its available-readers FIFO. */
  setRegisteredAsAvailable(isRegisteredAvailable: boolean): void;
  isRegisteredAsAvailable(): boolean;
  /** Could {@link getNextBuffer} return a buffer now, and the subpartition's backlog. */
  getAvailabilityAndBacklog(): AvailabilityWithBacklog;
  /** True if a BacklogAnnouncement should be sent (the receiver has no credit to ask for the data). */
  needAnnounceBacklog(): boolean;
  /** The subpartition the next buffer comes from. */
  peekNextBufferSubpartitionId(): number;
  /** The next buffer, or null if none can be sent now. */
  getNextBuffer(): BufferAndAvailability | null;
  isReleased(): boolean;
  /** Releases the view (or stops waiting for the partition). Idempotent. */
  releaseAllResources(): void;
  getFailureCause(): Error | null;
  getReceiverId(): InputChannelID;
}

/**
 * What both readers share: the view's life cycle (requested once, possibly through a partition-request
 * listener), the queue registration flag, notifications, release. Subclasses add the flow control.
 *
 * ## Threading
 * See {@link NetworkSequenceViewReader}; everything is on one JavaScript thread, so Flink's request
 * lock is a plain check.
 */
export abstract class AbstractNetworkSequenceViewReader implements NetworkSequenceViewReader {
  protected subpartitionView: ResultSubpartitionView | null = null;
  private partitionRequestListener: NettyPartitionRequestListener | null = null;
  /** The one subpartition this reader reads (Flink caches it when the index set has one element). */
  private subpartitionId = -1;
  private registeredAsAvailable = false;
  /** Released before a view existed (cancelled while waiting for the partition). */
  private releasedWithoutView = false;

  protected constructor(
    protected readonly receiverId: InputChannelID,
    protected readonly requestQueue: PartitionRequestQueue,
  ) {}

  requestSubpartitionViewOrRegisterListener(partitionProvider: ResultPartitionProvider, resultPartitionId: ResultPartitionID, subpartitionIndex: number): void {
    if (this.subpartitionView !== null || this.releasedWithoutView) throw new IllegalStateException('Subpartition already requested');
    if (this.partitionRequestListener !== null) throw new IllegalStateException('Partition request listener already created');
    let view: ResultSubpartitionView | null;
    if (supportsPartitionRequestListeners(partitionProvider)) {
      const listener = new NettyPartitionRequestListener(partitionProvider, this, subpartitionIndex, resultPartitionId, this.requestQueue);
      this.partitionRequestListener = listener;
      try {
        view = partitionProvider.createSubpartitionViewOrRegisterListener(resultPartitionId, subpartitionIndex, this, listener);
      } catch (err) {
        this.partitionRequestListener = null;
        throw err;
      }
      if (view === null) {
        // Not registered yet: the listener creates the view (notifySubpartitionCreated) or times out.
        this.requestQueue.notifyReaderWaitingForPartition(this);
        return;
      }
      this.partitionRequestListener = null;
    } else {
      view = partitionProvider.createSubpartitionView(resultPartitionId, subpartitionIndex, this);
    }
    this.onViewCreated(view, subpartitionIndex);
  }

  notifySubpartitionCreated(partition: ResultPartition, subpartitionIndex: number): void {
    // Cancelled (or the connection closed) while waiting: nobody wants the view any more.
    if (this.releasedWithoutView) return;
    if (this.subpartitionView !== null) throw new IllegalStateException('Subpartition already requested');
    this.partitionRequestListener = null;
    this.onViewCreated(partition.createSubpartitionView(subpartitionIndex, this), subpartitionIndex);
  }

  private onViewCreated(view: ResultSubpartitionView, subpartitionIndex: number): void {
    this.subpartitionView = view;
    this.subpartitionId = subpartitionIndex;
    // Creating a view does not notify: ask the queue to look at the reader once (Flink does the same).
    this.notifyDataAvailable(view);
    this.requestQueue.notifyReaderCreated(this);
  }

  notifyPartitionRequestTimeout(listener: NettyPartitionRequestListener): void {
    this.requestQueue.notifyPartitionRequestTimeout(listener);
    this.partitionRequestListener = null;
  }

  hasSubpartitionView(): boolean {
    return this.subpartitionView !== null;
  }

  /** The view; throws while the reader still waits for its partition. */
  protected view(): ResultSubpartitionView {
    const view = this.subpartitionView;
    if (view === null) throw new IllegalStateException(`Reader of ${this.receiverId.toString()} has no subpartition view yet (the partition is not registered).`);
    return view;
  }

  /**
   * The view's availability with or without credit. Without a view: not available. A released view
   * counts as available (Sluice): the queue then polls it, finds it released and reports its failure
   * cause to the consumer — with a real subpartition nothing would ever be "available" again.
   */
  protected availabilityAndBacklog(isCreditAvailable: boolean): AvailabilityWithBacklog {
    const view = this.subpartitionView;
    if (view === null) return { isAvailable: false, backlog: 0 };
    if (view.isReleased()) return { isAvailable: true, backlog: 0 };
    return view.getAvailabilityAndBacklog(isCreditAvailable);
  }

  abstract addCredit(creditDeltas: number): void;
  abstract getAvailabilityAndBacklog(): AvailabilityWithBacklog;
  abstract needAnnounceBacklog(): boolean;
  abstract getNextBuffer(): BufferAndAvailability | null;

  resumeConsumption(): void {
    this.view().resumeConsumption();
  }

  acknowledgeAllRecordsProcessed(): void {
    this.view().acknowledgeAllDataProcessed();
  }

  notifyNewBufferSize(newBufferSize: number): void {
    this.subpartitionView?.notifyNewBufferSize(newBufferSize);
  }

  setRegisteredAsAvailable(isRegisteredAvailable: boolean): void {
    this.registeredAsAvailable = isRegisteredAvailable;
  }

  isRegisteredAsAvailable(): boolean {
    return this.registeredAsAvailable;
  }

  peekNextBufferSubpartitionId(): number {
    return this.subpartitionId;
  }

  isReleased(): boolean {
    const view = this.subpartitionView;
    return view === null ? this.releasedWithoutView : view.isReleased();
  }

  releaseAllResources(): void {
    const listener = this.partitionRequestListener;
    this.partitionRequestListener = null;
    if (listener !== null) listener.releaseListener();
    if (this.subpartitionView !== null) this.subpartitionView.releaseAllResources();
    else this.releasedWithoutView = true;
  }

  getFailureCause(): Error | null {
    return this.subpartitionView?.getFailureCause() ?? null;
  }

  getReceiverId(): InputChannelID {
    return this.receiverId;
  }

  notifyDataAvailable(_view: ResultSubpartitionView): void {
    this.requestQueue.notifyReaderNonEmpty(this);
  }

  notifyPriorityEvent(_prioritySequenceNumber: number): void {
    this.requestQueue.notifyReaderNonEmpty(this);
  }
}
