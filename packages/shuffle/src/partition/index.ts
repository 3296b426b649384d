// Public API of the partition layer (Flink's io.network.partition, producer side), re-exported by the package entry.
export { AbstractID, IntermediateDataSetID, JobVertexID, ExecutionGraphID } from './AbstractID';
export { IntermediateResultPartitionID, ExecutionVertexID, ExecutionAttemptID, ResultPartitionID } from './ResultPartitionID';
export type { BufferAvailabilityListener } from './BufferAvailabilityListener';
export type { ResultSubpartitionView, AvailabilityWithBacklog } from './ResultSubpartitionView';
export { BufferAndBacklog } from './BufferAndBacklog';
export type { ResultPartitionProvider } from './ResultPartitionProvider';
export { PartitionNotFoundException, PartitionReleasedException } from './errors';
export { ResultPartitionType, type ConsumingConstraint, type ReleaseBy } from './ResultPartitionType';
export { PrioritizedDeque } from './PrioritizedDeque';
export { BufferConsumerWithPartialRecordLength } from './BufferConsumerWithPartialRecordLength';
export { ResultSubpartition } from './ResultSubpartition';
export { PipelinedSubpartition } from './PipelinedSubpartition';
export { PipelinedSubpartitionView } from './PipelinedSubpartitionView';
export { ResultPartition } from './ResultPartition';
export { BufferWritingResultPartition } from './BufferWritingResultPartition';
export { PipelinedResultPartition } from './PipelinedResultPartition';
export { ResultPartitionManager } from './ResultPartitionManager';
export {
  ResultPartitionFactory,
  type ResultPartitionFactoryOptions,
  type ResultPartitionCreateOptions,
} from './ResultPartitionFactory';
