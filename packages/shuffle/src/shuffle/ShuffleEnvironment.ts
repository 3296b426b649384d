import type { SingleInputGate } from '../consumer/SingleInputGate';
import type { InputChannelMetrics } from '../metrics/InputChannelMetrics';
import type { TaskIOMetrics } from '../metrics/TaskIOMetrics';
import type { ResultPartition } from '../partition/ResultPartition';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import type { ResultPartitionType } from '../partition/ResultPartitionType';
import type { ShuffleDescriptor } from './ShuffleDescriptor';

/**
 * Port of org.apache.flink.runtime.deployment.ResultPartitionDeploymentDescriptor (Flink 1.20), the fields
 * the shuffle environment uses. Differs: a plain object.
 */
export interface ResultPartitionDeploymentDescriptor<SD extends ShuffleDescriptor = ShuffleDescriptor> {
  /** Where the partition is (from the ShuffleMaster); its id is the partition's id. */
  readonly shuffleDescriptor: SD;
  /** Subpartitions = consumer subtasks. */
  readonly numberOfSubpartitions: number;
  /** Default PIPELINED_BOUNDED. */
  readonly partitionType?: ResultPartitionType;
}

/** An inclusive range of subpartition indexes (Flink's IndexRange). */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Port of org.apache.flink.runtime.deployment.InputGateDeploymentDescriptor (Flink 1.20). Differs: a
 * plain object; the consumed subpartitions are an index or an inclusive {@link IndexRange}, and each
 * (partition, subpartition) pair gets its own input channel (Flink 1.17's layout; newer Flink reads a
 * range through one channel).
 *
 * One gate of a consumer subtask: the consumed subpartitions of every partition listed in
 * {@link shuffleDescriptors}; channels are ordered partition by partition, subpartitions ascending.
 */
export interface InputGateDeploymentDescriptor<SD extends ShuffleDescriptor = ShuffleDescriptor> {
  readonly consumedSubpartitionIndex: number | IndexRange;
  readonly shuffleDescriptors: readonly SD[];
}

/** Who owns the writers and gates being created (Flink's ShuffleIOOwnerContext, reduced). */
export interface ShuffleIOOwnerContext {
  /** Task name with subtask index, for messages. */
  readonly ownerName: string;
  /** The task's input counters (numBytesInLocal/Remote); default: none (or fresh ones if ioMetrics is given). */
  readonly inputChannelMetrics?: InputChannelMetrics;
  /**
   * The task's IO metrics; default: none. Result partitions count into its numBytesOut/numBuffersOut
   * and time hard back-pressure; the input channels' byte counters are summed into its numBytesIn
   * (once per `createInputGates` call: call it once per task, as Flink's Task does).
   */
  readonly ioMetrics?: TaskIOMetrics;
}

/**
 * Port of org.apache.flink.runtime.shuffle.ShuffleEnvironment (Flink 1.20). Differs: asynchronous
 * `start`/`close`; no partition-info updates (descriptors are known at deployment).
 *
 * The task-executor side of a shuffle service: creates the result partitions a task writes to and the
 * input gates it reads from, and owns the network resources behind them.
 */
export interface ShuffleEnvironment<P = ResultPartition, G = SingleInputGate, SD extends ShuffleDescriptor = ShuffleDescriptor> {
  /** Starts the service; resolves with the data port consumers connect to (-1 if none). */
  start(): Promise<number>;
  createResultPartitionWriters(owner: ShuffleIOOwnerContext, descriptors: readonly ResultPartitionDeploymentDescriptor<SD>[]): P[];
  createInputGates(owner: ShuffleIOOwnerContext, descriptors: readonly InputGateDeploymentDescriptor<SD>[]): G[];
  /** Partitions still held by this process (to be released before the process may go). */
  getPartitionsOccupyingLocalResources(): ResultPartitionID[];
  close(): Promise<void>;
}
