import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import type { ResultPartitionID } from './ResultPartitionID';
import type { ResultSubpartitionView } from './ResultSubpartitionView';

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultPartitionProvider (Flink 1.20). Differs: a
 * single subpartition index instead of a `ResultSubpartitionIndexSet`; no `notifyPartitionCreatedTimeout`.
 *
 * Creates reading views of registered result partitions (implemented by `ResultPartitionManager`).
 *
 * ## Threading
 * One JavaScript thread.
 */
export interface ResultPartitionProvider {
  /**
   * A view of `subpartitionIndex` of `partitionId` reporting to `listener`.
   * @throws PartitionNotFoundException if the partition is not registered.
   */
  createSubpartitionView(
    partitionId: ResultPartitionID,
    subpartitionIndex: number,
    listener: BufferAvailabilityListener,
  ): ResultSubpartitionView;
}
