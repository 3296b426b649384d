import { DefaultPromise, IllegalArgumentException, IllegalStateException, InternalLoggerFactory, type Future } from '@sluice/channel';
import { EndOfData } from '../event/EndOfData';
import type { StopMode } from '../event/StopMode';
import type { BufferPool } from '../memory/BufferPool';
import { BufferWritingResultPartition } from './BufferWritingResultPartition';
import type { ResultPartitionID } from './ResultPartitionID';
import type { ResultPartitionManager } from './ResultPartitionManager';
import { ResultPartitionType } from './ResultPartitionType';
import type { ResultSubpartition } from './ResultSubpartition';

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
 * far). It cannot be consumed twice: once every consumer released its view AND the producer called
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
