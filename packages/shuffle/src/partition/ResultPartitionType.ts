/** When a consumer may start reading a partition (Flink's ResultPartitionType.ConsumingConstraint). */
export type ConsumingConstraint = 'BLOCKING' | 'CAN_BE_PIPELINED' | 'MUST_BE_PIPELINED';
/** Who releases a partition (Flink's ResultPartitionType.ReleaseBy). */
export type ReleaseBy = 'UPSTREAM' | 'SCHEDULER';

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultPartitionType (Flink 1.20). Differs: a class
 * with one frozen instance per constant; only the pipelined types can be created so far
 * (`ResultPartitionFactory` rejects the others).
 *
 * | type | bounded | persistent | consuming | released by |
 * |---|---|---|---|---|
 * | BLOCKING | yes | no | BLOCKING | SCHEDULER |
 * | BLOCKING_PERSISTENT | yes | yes | BLOCKING | SCHEDULER |
 * | PIPELINED | no | no | MUST_BE_PIPELINED | UPSTREAM |
 * | PIPELINED_BOUNDED | yes | no | MUST_BE_PIPELINED | UPSTREAM |
 * | PIPELINED_APPROXIMATE | yes | no | CAN_BE_PIPELINED | UPSTREAM |
 * | HYBRID_FULL | yes | no | CAN_BE_PIPELINED | SCHEDULER |
 * | HYBRID_SELECTIVE | yes | no | CAN_BE_PIPELINED | SCHEDULER |
 *
 * "Bounded" means the partition's buffer pool has a maximum size (back-pressure).
 *
 * ## Threading
 * Immutable.
 */
export class ResultPartitionType {
  static readonly BLOCKING = new ResultPartitionType('BLOCKING', true, false, 'BLOCKING', 'SCHEDULER');
  static readonly BLOCKING_PERSISTENT = new ResultPartitionType('BLOCKING_PERSISTENT', true, true, 'BLOCKING', 'SCHEDULER');
  static readonly PIPELINED = new ResultPartitionType('PIPELINED', false, false, 'MUST_BE_PIPELINED', 'UPSTREAM');
  static readonly PIPELINED_BOUNDED = new ResultPartitionType('PIPELINED_BOUNDED', true, false, 'MUST_BE_PIPELINED', 'UPSTREAM');
  static readonly PIPELINED_APPROXIMATE = new ResultPartitionType('PIPELINED_APPROXIMATE', true, false, 'CAN_BE_PIPELINED', 'UPSTREAM');
  static readonly HYBRID_FULL = new ResultPartitionType('HYBRID_FULL', true, false, 'CAN_BE_PIPELINED', 'SCHEDULER');
  static readonly HYBRID_SELECTIVE = new ResultPartitionType('HYBRID_SELECTIVE', true, false, 'CAN_BE_PIPELINED', 'SCHEDULER');

  private static readonly VALUES: readonly ResultPartitionType[] = Object.freeze([
    ResultPartitionType.BLOCKING,
    ResultPartitionType.BLOCKING_PERSISTENT,
    ResultPartitionType.PIPELINED,
    ResultPartitionType.PIPELINED_BOUNDED,
    ResultPartitionType.PIPELINED_APPROXIMATE,
    ResultPartitionType.HYBRID_FULL,
    ResultPartitionType.HYBRID_SELECTIVE,
  ]);

  /** All constants in declaration order. */
  static values(): readonly ResultPartitionType[] {
    return ResultPartitionType.VALUES;
  }

  private constructor(
    /** Flink's constant name. */
    readonly name: string,
    private readonly bounded: boolean,
    private readonly persistent: boolean,
    /** When consumers may start. */
    readonly consumingConstraint: ConsumingConstraint,
    /** Who releases the partition. */
    readonly releaseBy: ReleaseBy,
  ) {
    Object.freeze(this);
  }

  /** Consumers may read while the producer writes. */
  canBePipelinedConsumed(): boolean {
    return this.consumingConstraint !== 'BLOCKING';
  }

  /** Consumers must read while the producer writes (streaming). */
  mustBePipelinedConsumed(): boolean {
    return this.consumingConstraint === 'MUST_BE_PIPELINED';
  }

  isReleaseByScheduler(): boolean {
    return this.releaseBy === 'SCHEDULER';
  }

  isReleaseByUpstream(): boolean {
    return this.releaseBy === 'UPSTREAM';
  }

  isBlockingOrBlockingPersistentResultPartition(): boolean {
    return this === ResultPartitionType.BLOCKING || this === ResultPartitionType.BLOCKING_PERSISTENT;
  }

  isHybridResultPartition(): boolean {
    return this === ResultPartitionType.HYBRID_FULL || this === ResultPartitionType.HYBRID_SELECTIVE;
  }

  isPipelinedOrPipelinedBoundedResultPartition(): boolean {
    return this === ResultPartitionType.PIPELINED || this === ResultPartitionType.PIPELINED_BOUNDED;
  }

  /** The partition's buffer pool has a maximum size. */
  isBounded(): boolean {
    return this.bounded;
  }

  /** The partition outlives the job (interactive queries). */
  isPersistent(): boolean {
    return this.persistent;
  }

  /** Buffers may be compressed (blocking and hybrid partitions). */
  supportCompression(): boolean {
    return this.isBlockingOrBlockingPersistentResultPartition() || this.isHybridResultPartition();
  }

  /** The partition may be read more than once. */
  isReconsumable(): boolean {
    return this.consumingConstraint === 'BLOCKING' || this === ResultPartitionType.HYBRID_FULL;
  }

  toString(): string {
    return this.name;
  }
}
