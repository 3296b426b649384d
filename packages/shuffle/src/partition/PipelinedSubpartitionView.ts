import type { BufferAndBacklog } from './BufferAndBacklog';
import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import type { PipelinedSubpartition } from './PipelinedSubpartition';
import type { AvailabilityWithBacklog, ResultSubpartitionView } from './ResultSubpartitionView';

/**
 * Port of org.apache.flink.runtime.io.network.partition.PipelinedSubpartitionView (Flink 1.20).
 *
 * The reading view of a {@link PipelinedSubpartition}: delegates polling to the subpartition and
 * forwards notifications to its {@link BufferAvailabilityListener}. Releasing the view tells the
 * partition its consumer is done (a pipelined partition is released when all consumers and the producer
 * are done).
 *
 * ## Threading
 * One JavaScript thread; the listener is called directly.
 *
 * ## Ownership
 * Buffers returned by {@link getNextBuffer} belong to the caller.
 */
export class PipelinedSubpartitionView implements ResultSubpartitionView {
  private released = false;

  constructor(
    private readonly parent: PipelinedSubpartition,
    private readonly availabilityListener: BufferAvailabilityListener,
  ) {}

  getNextBuffer(): BufferAndBacklog | null {
    return this.parent.pollBuffer();
  }

  notifyDataAvailable(): void {
    this.availabilityListener.notifyDataAvailable(this);
  }

  notifyPriorityEvent(priorityBufferNumber: number): void {
    this.availabilityListener.notifyPriorityEvent(priorityBufferNumber);
  }

  releaseAllResources(): void {
    if (this.released) return;
    this.released = true;
    // The view holds no resources and the parent cannot be restarted: this is the consumption notice.
    this.parent.onConsumedSubpartition();
  }

  isReleased(): boolean {
    return this.released || this.parent.isReleased();
  }

  resumeConsumption(): void {
    this.parent.resumeConsumption();
  }

  acknowledgeAllDataProcessed(): void {
    this.parent.acknowledgeAllDataProcessed();
  }

  getFailureCause(): Error | null {
    return this.parent.getFailureCause();
  }

  getAvailabilityAndBacklog(isCreditAvailable: boolean): AvailabilityWithBacklog {
    return this.parent.getAvailabilityAndBacklog(isCreditAvailable);
  }

  unsynchronizedGetNumberOfQueuedBuffers(): number {
    return this.parent.unsynchronizedGetNumberOfQueuedBuffers();
  }

  getNumberOfQueuedBuffers(): number {
    return this.parent.getNumberOfQueuedBuffers();
  }

  notifyNewBufferSize(newBufferSize: number): void {
    this.parent.bufferSize(newBufferSize);
  }

  toString(): string {
    return `PipelinedSubpartitionView(index: ${this.parent.getSubPartitionIndex()}) of ResultPartition ${this.parent.getParent().getPartitionId().toString()}`;
  }
}
