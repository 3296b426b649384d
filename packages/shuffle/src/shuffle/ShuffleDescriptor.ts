import type { ResultPartitionID } from '../partition/ResultPartitionID';

/**
 * Port of org.apache.flink.runtime.shuffle.ShuffleDescriptor (Flink 1.20). Differs: resource ids are
 * plain texts; descriptors are shipped between processes as JSON (`toJSON`) instead of Java serialization.
 *
 * Tells a consumer how to reach one produced result partition. Made by the {@link ShuffleMaster} when the
 * producer is deployed, and handed to the consumers' {@link ShuffleEnvironment}.
 */
export interface ShuffleDescriptor {
  /** The described partition. */
  getResultPartitionID(): ResultPartitionID;
  /** True if the producer is not deployed yet (the consumer must wait for an update). */
  isUnknown(): boolean;
  /** The process whose resources hold the partition's data (it must stay alive while consumed), or `null`. */
  storesLocalResourcesOn(): string | null;
}
