import type { BufferConsumer } from '../memory/BufferConsumer';
import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import type { ResultPartition } from './ResultPartition';
import type { ResultSubpartitionView } from './ResultSubpartitionView';

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultSubpartition (Flink 1.20). Differs: no
 * ResultSubpartitionInfo/channel-state hooks; `bufferSize` is {@link bufferSize}.
 *
 * One of the queues of a result partition, read by exactly one consumer subtask.
 *
 * ## Threading
 * One JavaScript thread; Flink's `synchronized (buffers)` sections are plain code.
 */
export abstract class ResultSubpartition {
  /** Returned by {@link add} when the subpartition is finished or released (the consumer was closed). */
  static readonly ADD_BUFFER_ERROR_CODE = -1;

  protected constructor(
    /** Index of this subpartition in its partition. */
    protected readonly subpartitionIndex: number,
    /** The partition this subpartition belongs to. */
    protected readonly parent: ResultPartition,
  ) {}

  getSubPartitionIndex(): number {
    return this.subpartitionIndex;
  }

  /** The owning partition. */
  getParent(): ResultPartition {
    return this.parent;
  }

  /** Tells the partition that this subpartition's consumer is done (its view was released). */
  onConsumedSubpartition(): void {
    this.parent.onConsumedSubpartition(this.subpartitionIndex);
  }

  /**
   * Queues `bufferConsumer` (taking ownership) whose first `partialRecordLength` bytes continue a record of
   * the previous buffer. Returns the desired size of new buffers (debloating), or
   * {@link ADD_BUFFER_ERROR_CODE} if finished/released (the consumer is closed then).
   */
  abstract add(bufferConsumer: BufferConsumer, partialRecordLength?: number): number;
  /** Makes the queued data available to the reader even if the last buffer is not full. */
  abstract flush(): void;
  /** Adds EndOfPartition and accepts nothing more; returns the event's size in bytes. */
  abstract finish(): number;
  /** Recycles every queued buffer and releases the view. Idempotent. */
  abstract release(): void;
  abstract isReleased(): boolean;
  /** The single reading view (throws if released or if a view exists). */
  abstract createReadView(availabilityListener: BufferAvailabilityListener): ResultSubpartitionView;
  /** Queued buffers (finished and unfinished). */
  abstract getNumberOfQueuedBuffers(): number;
  /** Same without synchronization (metrics). */
  abstract unsynchronizedGetNumberOfQueuedBuffers(): number;
  /** Data buffers that can be sent now (see PipelinedSubpartition). */
  abstract getBuffersInBacklogUnsafe(): number;
  /** Sets the desired size of new buffers in bytes (debloating; ≥ 0). */
  abstract bufferSize(desirableNewBufferSize: number): void;
  /** Buffers added so far (data and events). */
  abstract getTotalNumberOfBuffersUnsafe(): number;
  /** Bytes polled so far (data and events). */
  abstract getTotalNumberOfBytesUnsafe(): number;
}
