// Public API of the pluggable shuffle service layer (Flink's runtime.shuffle): descriptors, master, environment.
export type { ShuffleDescriptor } from './ShuffleDescriptor';
export { NettyShuffleDescriptor, type NettyShuffleDescriptorJSON } from './NettyShuffleDescriptor';
export { NetworkPartitionConnectionInfo, LocalExecutionPartitionConnectionInfo, type PartitionConnectionInfo } from './PartitionConnectionInfo';
export type { ShuffleMaster, PartitionDescriptor, ProducerDescriptor } from './ShuffleMaster';
export { NettyShuffleMaster } from './NettyShuffleMaster';
export type {
  ShuffleEnvironment,
  ShuffleIOOwnerContext,
  ResultPartitionDeploymentDescriptor,
  InputGateDeploymentDescriptor,
  IndexRange,
} from './ShuffleEnvironment';
export { NettyShuffleEnvironment, type NettyShuffleEnvironmentParts } from './NettyShuffleEnvironment';
