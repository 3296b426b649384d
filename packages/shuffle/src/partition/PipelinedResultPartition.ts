import { DefaultPromise, IllegalArgumentException, IllegalStateException, InternalLoggerFactory, type Future } from '@sluice/channel';
import { EndOfData } from '../event/EndOfData';
import type { StopMode } from '../event/StopMode';
import type { BufferConsumer } from '../memory/BufferConsumer';
import type { BufferPool } from '../memory/BufferPool';
import { BroadcastBufferQueue } from './BroadcastBufferQueue';
import { BufferWritingResultPartition } from './BufferWritingResultPartition';
import { PipelinedSubpartition } from './PipelinedSubpartition';
import type { ResultPartitionID } from './ResultPartitionID';
import type { ResultPartitionManager } from './ResultPartitionManager';
import { ResultPartitionType } from './ResultPartitionType';
import { ResultSubpartition } from './ResultSubpartition';

const logger = InternalLoggerFactory.getInstance('PipelinedResultPartition');

/** The producer itself in the user count (Flink's PIPELINED_RESULT_PARTITION_ITSELF). */
const PIPELINED_RESULT_PARTITION_ITSELF = -42;

/**
 * Port of org.apache.flink.runtime.io.network.partition.PipelinedResultPartition (Flink 1.20). Differs: no
 * channel-state recovery (`finishReadRecoveredState`, `addRecovered`) and no ChannelStateWriter yet; the
 * all-data-processed future is a @sluice/channel Future.
 *
 * A result partition streamed to its consumers while it is produced (PIPELINED, PIPELINED_BOUNDED,
 * PIPELINED_APPROXIMATE). Flushes never finish the current buffers (readers get what was committed so
 * far). Broadcast buffers are appended once to a {@link BroadcastBufferQueue} shared by the
 * subpartitions, which take their `BufferConsumer.copy()` when their readers poll (or their queue is
 * needed), instead of the producer queueing one copy per subpartition (see {@link PipelinedSubpartition};
 * issue 3). It cannot be consumed twice: once every consumer released its view AND the producer called
 * `close()`, the partition releases itself through the {@link ResultPartitionManager} and every buffer
 * goes back to the pool.
 *
 * ## Threading
 * One JavaScript thread; Flink's `lock` sections are plain code.
 *
 * ## Ownership
 * See {@link BufferWritingResultPartition}.
 */
export class PipelinedResultPartition extends BufferWritingResultPartition {
  private readonly allRecordsProcessedSubpartitions: boolean[];
  private numNotAllRecordsProcessedSubpartitions: number;
  private hasNotifiedEndOfUserRecords = false;
  private readonly allRecordsProcessedFuture = new DefaultPromise<void>();
  private readonly consumedSubpartitions: boolean[];
  /** Consumers not yet done plus the producer itself; 0 ⇒ release. */
  private numberOfUsers: number;
  /**
   * The broadcast buffers the subpartitions have not taken yet; created at the first broadcast buffer
   * (the factory fills the subpartitions after construction). `null` with {@link broadcastQueueChecked}:
   * some subpartition is not a PipelinedSubpartition, so broadcasts take Flink's eager path.
   */
  private broadcastQueue: BroadcastBufferQueue | null = null;
  private broadcastQueueChecked = false;

  constructor(
    owningTaskName: string,
    partitionIndex: number,
    partitionId: ResultPartitionID,
    partitionType: ResultPartitionType,
    subpartitions: ResultSubpartition[],
    numTargetKeyGroups: number,
    partitionManager: ResultPartitionManager,
    bufferPoolFactory: () => BufferPool,
  ) {
    if (
      partitionType !== ResultPartitionType.PIPELINED &&
      partitionType !== ResultPartitionType.PIPELINED_BOUNDED &&
      partitionType !== ResultPartitionType.PIPELINED_APPROXIMATE
    ) {
      throw new IllegalArgumentException(`PipelinedResultPartition needs a pipelined partition type, got ${partitionType.toString()}`);
    }
    super(owningTaskName, partitionIndex, partitionId, partitionType, subpartitions, numTargetKeyGroups, partitionManager, bufferPoolFactory);
    this.allRecordsProcessedSubpartitions = new Array<boolean>(subpartitions.length).fill(false);
    this.numNotAllRecordsProcessedSubpartitions = subpartitions.length;
    this.consumedSubpartitions = new Array<boolean>(subpartitions.length).fill(false);
    this.numberOfUsers = subpartitions.length + 1;
  }

  /** Pipelined partitions release themselves once all readers are released (they cannot reconnect). */
  override onConsumedSubpartition(subpartitionIndex: number): void {
    this.decrementNumberOfUsers(subpartitionIndex);
  }

  private decrementNumberOfUsers(subpartitionIndex: number): void {
    if (this.isReleased()) return;
    if (subpartitionIndex !== PIPELINED_RESULT_PARTITION_ITSELF) {
      if (this.consumedSubpartitions[subpartitionIndex]) return; // repeated call
      this.consumedSubpartitions[subpartitionIndex] = true;
    }
    const remainingUnconsumed = --this.numberOfUsers;
    logger.debug(`${this.toString()}: Received consumed notification for subpartition ${subpartitionIndex}.`);
    if (remainingUnconsumed === 0) {
      this.partitionManager.onConsumedPartition(this);
    } else if (remainingUnconsumed < 0) {
      throw new IllegalStateException('Received consume notification even though all subpartitions are already consumed.');
    }
  }

  /** Appends the buffer once to the shared queue and makes each subpartition's add-time decisions. */
  protected override addBroadcastBufferConsumer(consumer: BufferConsumer, partialRecordLength: number): number {
    const queue = this.broadcastQueueChecked ? this.broadcastQueue : this.createBroadcastQueue();
    // Data buffers only (what broadcast builders hold): a priority event must overtake queued buffers
    // (addPriorityElement) and the subpartitions count the shared buffers as data.
    if (queue === null || !consumer.isBuffer() || consumer.getDataType().hasPriority()) {
      return super.addBroadcastBufferConsumer(consumer, partialRecordLength);
    }
    if (!queue.append(consumer, partialRecordLength)) return 2147483647; // all finished or released
    // No reader polled since the last scan and every subpartition had 2+ buffers: nobody to notify
    // (Flink notifies at the first finished buffer only) — the common case within a writer's turn, where
    // the producer's cost per broadcast buffer is then O(1).
    if (queue.skipsScan()) return queue.desirableBufferSizeOfScan();
    // Flink's add() for every subpartition, minus queueing the copy.
    queue.beginScan();
    const subpartitions = this.subpartitions as PipelinedSubpartition[];
    let desirableBufferSize = 2147483647;
    let minQueuedBuffers = 2147483647;
    for (let i = 0; i < subpartitions.length; i++) {
      const subpartition = subpartitions[i]!;
      const size = subpartition.notifyBroadcastBufferAdded();
      if (size === ResultSubpartition.ADD_BUFFER_ERROR_CODE) continue;
      if (size < desirableBufferSize) desirableBufferSize = size;
      const queued = subpartition.getNumberOfQueuedBuffers();
      if (queued < minQueuedBuffers) minQueuedBuffers = queued;
    }
    queue.endScan(minQueuedBuffers, desirableBufferSize);
    return desirableBufferSize;
  }

  private createBroadcastQueue(): BroadcastBufferQueue | null {
    this.broadcastQueueChecked = true;
    if (!this.subpartitions.every((subpartition) => subpartition instanceof PipelinedSubpartition)) return null;
    const queue = new BroadcastBufferQueue();
    for (const subpartition of this.subpartitions as PipelinedSubpartition[]) subpartition.attachBroadcastBuffers(queue);
    this.broadcastQueue = queue;
    return queue;
  }

  flushAll(): void {
    this.flushAllSubpartitions(false);
  }

  flush(targetSubpartition: number): void {
    this.flushSubpartition(targetSubpartition, false);
  }

  override notifyEndOfData(mode: StopMode): void {
    if (!this.hasNotifiedEndOfUserRecords) {
      this.broadcastEvent(new EndOfData(mode), false);
      this.hasNotifiedEndOfUserRecords = true;
    }
  }

  override getAllDataProcessedFuture(): Future<void> {
    return this.allRecordsProcessedFuture;
  }

  override onSubpartitionAllDataProcessed(subpartition: number): void {
    if (this.allRecordsProcessedSubpartitions[subpartition]) return;
    this.allRecordsProcessedSubpartitions[subpartition] = true;
    if (--this.numNotAllRecordsProcessedSubpartitions === 0) this.allRecordsProcessedFuture.trySuccess();
  }

  override close(): void {
    this.decrementNumberOfUsers(PIPELINED_RESULT_PARTITION_ITSELF);
    super.close();
  }

  override toString(): string {
    return (
      `PipelinedResultPartition ${this.partitionId.toString()} [${this.partitionType.toString()}, ` +
      `${this.subpartitions.length} subpartitions, ${this.numberOfUsers} pending consumptions]`
    );
  }
}
