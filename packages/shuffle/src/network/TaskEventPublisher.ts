import type { TaskEvent } from '../event/AbstractEvent';
import type { ResultPartitionID } from '../partition/ResultPartitionID';

/**
 * Port of org.apache.flink.runtime.io.network.TaskEventPublisher (Flink 1.20).
 *
 * Delivers a task event that a consumer sent backwards (TaskEventRequest) to the producer of a partition.
 * Returns false if no producer of that partition is registered.
 */
export interface TaskEventPublisher {
  publish(partitionId: ResultPartitionID, event: TaskEvent): boolean;
}
