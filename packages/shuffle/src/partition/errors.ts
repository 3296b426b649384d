import { SluiceError } from '@sluice/channel';
import type { ResultPartitionID } from './ResultPartitionID';

/**
 * Port of org.apache.flink.runtime.io.network.partition.PartitionNotFoundException (Flink 1.20).
 *
 * The requested result partition is not registered with the {@link ResultPartitionProvider} (not yet
 * produced, already released, or the wrong producer attempt). The consumer may retry (Flink's
 * partition request back-off).
 */
export class PartitionNotFoundException extends SluiceError {
  /** The partition that was asked for. */
  readonly partitionId: ResultPartitionID;

  constructor(partitionId: ResultPartitionID) {
    super(
      `Partition ${partitionId.toString()} not found. It has not been registered yet, was released, or belongs to another producer attempt.`,
      { code: 'SLUICE_PARTITION_NOT_FOUND' },
    );
    this.partitionId = partitionId;
  }
}

/**
 * The result partition was released (or its producer failed / was closed) while a record write was
 * waiting for buffers: the unwritten remainder was dropped. Flink's blocked task gets a
 * `CancelTaskException` from the destroyed pool in the same situation.
 */
export class PartitionReleasedException extends SluiceError {
  /** The partition. */
  readonly partitionId: ResultPartitionID;

  constructor(partitionId: ResultPartitionID, cause?: Error | null) {
    super(
      `Result partition ${partitionId.toString()} was released while a record was waiting for buffers; the record was dropped.`,
      { code: 'SLUICE_PARTITION_RELEASED', ...(cause ? { cause } : {}) },
    );
    this.partitionId = partitionId;
  }
}
