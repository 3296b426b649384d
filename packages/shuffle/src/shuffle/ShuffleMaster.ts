import type { ExecutionAttemptID, IntermediateResultPartitionID } from '../partition/ResultPartitionID';
import type { ShuffleDescriptor } from './ShuffleDescriptor';

/**
 * Port of org.apache.flink.runtime.shuffle.PartitionDescriptor (Flink 1.20), the fields the default
 * shuffle uses. Differs: a plain object.
 */
export interface PartitionDescriptor {
  /** The partition (data set + partition number). */
  readonly partitionId: IntermediateResultPartitionID;
  /** Subpartitions = consumer subtasks. */
  readonly numberOfSubpartitions: number;
  /** Index spreading a result's channels over TCP connections (Flink: chosen per intermediate result). */
  readonly connectionIndex: number;
}

/**
 * Port of org.apache.flink.runtime.shuffle.ProducerDescriptor (Flink 1.20). Differs: a plain object with
 * the address as a host text.
 */
export interface ProducerDescriptor {
  /** The producing process (Flink's ResourceID of its TaskExecutor). */
  readonly producerLocation: string;
  /** The producing execution attempt. */
  readonly producerExecutionId: ExecutionAttemptID;
  /** The producer's data host. */
  readonly address: string;
  /** The producer's data port (its ShuffleEnvironment's `start()` result); -1 for local execution only. */
  readonly dataPort: number;
}

/**
 * Port of org.apache.flink.runtime.shuffle.ShuffleMaster (Flink 1.20), the partition registration part.
 *
 * The job side of a shuffle service: when a producer is deployed it registers each of its partitions and
 * gets the descriptor that consumers will be given.
 */
export interface ShuffleMaster<SD extends ShuffleDescriptor = ShuffleDescriptor> {
  registerPartitionWithProducer(jobId: string, partition: PartitionDescriptor, producer: ProducerDescriptor): Promise<SD>;
  /** Releases resources the shuffle service holds outside the producer for this partition (none for Netty). */
  releasePartitionExternally(descriptor: SD): void;
  close(): Promise<void>;
}
