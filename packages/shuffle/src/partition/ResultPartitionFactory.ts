import { IllegalArgumentException, UnsupportedOperationException } from '@sluice/channel';
import type { BufferPool } from '../memory/BufferPool';
import type { NetworkBufferPool } from '../memory/NetworkBufferPool';
import { PipelinedResultPartition } from './PipelinedResultPartition';
import { PipelinedSubpartition } from './PipelinedSubpartition';
import { ResultPartitionID } from './ResultPartitionID';
import type { ResultPartitionManager } from './ResultPartitionManager';
import { ResultPartitionType } from './ResultPartitionType';
import type { ResultSubpartition } from './ResultSubpartition';

/** Java's Integer.MAX_VALUE. */
const UNBOUNDED = 2147483647;

/** Configuration of a {@link ResultPartitionFactory} (Flink's NettyShuffleEnvironmentConfiguration subset). */
export interface ResultPartitionFactoryOptions {
  /** Global pool the partitions' local pools are created from (needed unless every partition brings its pool). */
  networkBufferPool?: NetworkBufferPool;
  /** `taskmanager.network.memory.buffers-per-channel`: the consumers' exclusive buffers per channel (default 2). */
  networkBuffersPerChannel?: number;
  /** `taskmanager.network.memory.floating-buffers-per-gate` (default 8). */
  floatingNetworkBuffersPerGate?: number;
  /** `taskmanager.network.memory.max-buffers-per-channel` (default 10). */
  maxBuffersPerChannel?: number;
  /** `taskmanager.network.memory.max-overdraft-buffers-per-gate` (default 5). */
  maxOverdraftBuffersPerGate?: number;
  /** Initial desired buffer size in bytes for debloating (default: the segment size, i.e. no limit). */
  startingBufferSize?: number;
}

/** What to create (Flink's ResultPartitionDeploymentDescriptor subset). */
export interface ResultPartitionCreateOptions {
  /** Number of subpartitions (consumer subtasks), ≥ 1. */
  numberOfSubpartitions: number;
  /** Partition id (default random). */
  partitionId?: ResultPartitionID;
  /** Partition type (default PIPELINED_BOUNDED). */
  partitionType?: ResultPartitionType;
  /** Index of the partition among the task's outputs (default 0). */
  partitionIndex?: number;
  /** Key groups of the consumer (default: the number of subpartitions). */
  numTargetKeyGroups?: number;
  /** Task name for messages (default 'Task'). */
  owningTaskName?: string;
  /** A ready pool for this partition (the partition owns it from now on and destroys it on close). */
  bufferPool?: BufferPool;
  /** Or a function creating the pool at `setup()`. Default: from the factory's NetworkBufferPool. */
  bufferPoolFactory?: () => BufferPool;
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultPartitionFactory (Flink 1.20). Differs: only
 * the pipelined types (PIPELINED, PIPELINED_BOUNDED, PIPELINED_APPROXIMATE) are created so far — blocking
 * and hybrid partitions throw `UnsupportedOperationException`; options objects instead of Flink's
 * descriptor classes; a partition may be given a ready buffer pool.
 *
 * Creates result partitions with their subpartitions and the factory of their buffer pool (created at
 * `setup()`). Pool sizes are Flink's for pipelined partitions: min = subpartitions + 1, max =
 * subpartitions × buffers-per-channel + floating-buffers-per-gate if bounded (else unbounded), with
 * max-buffers-per-channel and max-overdraft-buffers-per-gate.
 *
 * ## Threading
 * One JavaScript thread.
 *
 * @example
 * const factory = new ResultPartitionFactory(manager, { networkBufferPool: global });
 * const partition = factory.create({ numberOfSubpartitions: 4 });
 * partition.setup();
 */
export class ResultPartitionFactory {
  private readonly networkBufferPool: NetworkBufferPool | undefined;
  private readonly networkBuffersPerChannel: number;
  private readonly floatingNetworkBuffersPerGate: number;
  private readonly maxBuffersPerChannel: number;
  private readonly maxOverdraftBuffersPerGate: number;
  private readonly startingBufferSize: number;

  constructor(
    private readonly partitionManager: ResultPartitionManager,
    options: ResultPartitionFactoryOptions = {},
  ) {
    this.networkBufferPool = options.networkBufferPool;
    this.networkBuffersPerChannel = checkNonNegative(options.networkBuffersPerChannel ?? 2, 'networkBuffersPerChannel');
    this.floatingNetworkBuffersPerGate = checkNonNegative(options.floatingNetworkBuffersPerGate ?? 8, 'floatingNetworkBuffersPerGate');
    this.maxBuffersPerChannel = options.maxBuffersPerChannel ?? 10;
    if (!Number.isSafeInteger(this.maxBuffersPerChannel) || this.maxBuffersPerChannel < 1) {
      throw new IllegalArgumentException(`maxBuffersPerChannel: ${this.maxBuffersPerChannel} (expected: >= 1)`);
    }
    this.maxOverdraftBuffersPerGate = checkNonNegative(options.maxOverdraftBuffersPerGate ?? 5, 'maxOverdraftBuffersPerGate');
    this.startingBufferSize = options.startingBufferSize ?? options.networkBufferPool?.getMemorySegmentSize() ?? UNBOUNDED;
  }

  /** A new, not yet set up partition (call `setup()` to create its pool and register it). */
  create(options: ResultPartitionCreateOptions): PipelinedResultPartition {
    const n = options.numberOfSubpartitions;
    if (!Number.isSafeInteger(n) || n < 1) throw new IllegalArgumentException(`numberOfSubpartitions: ${n} (expected: >= 1)`);
    const type = options.partitionType ?? ResultPartitionType.PIPELINED_BOUNDED;
    if (!type.isPipelinedOrPipelinedBoundedResultPartition() && type !== ResultPartitionType.PIPELINED_APPROXIMATE) {
      throw new UnsupportedOperationException(`Result partition type ${type.toString()} is not supported yet (only pipelined partitions are ported)`);
    }
    let poolFactory = options.bufferPoolFactory;
    if (options.bufferPool !== undefined) {
      const pool = options.bufferPool;
      poolFactory = () => pool;
    }
    poolFactory ??= this.createBufferPoolFactory(n, type);
    const subpartitions: ResultSubpartition[] = new Array<ResultSubpartition>(n);
    const partition = new PipelinedResultPartition(
      options.owningTaskName ?? 'Task',
      options.partitionIndex ?? 0,
      options.partitionId ?? ResultPartitionID.random(),
      type,
      subpartitions,
      options.numTargetKeyGroups ?? n,
      this.partitionManager,
      poolFactory,
    );
    for (let i = 0; i < n; i++) {
      subpartitions[i] = new PipelinedSubpartition(i, this.networkBuffersPerChannel, this.startingBufferSize, partition);
    }
    return partition;
  }

  /** Flink's pool factory for a pipelined partition of `numberOfSubpartitions` subpartitions. */
  createBufferPoolFactory(numberOfSubpartitions: number, type: ResultPartitionType): () => BufferPool {
    const global = this.networkBufferPool;
    return () => {
      if (global === undefined) {
        throw new IllegalArgumentException('ResultPartitionFactory has no networkBufferPool: give one, or a bufferPool per partition');
      }
      const min = numberOfSubpartitions + 1;
      const max = type.isBounded()
        ? Math.max(min, numberOfSubpartitions * this.networkBuffersPerChannel + this.floatingNetworkBuffersPerGate)
        : UNBOUNDED;
      return global.createBufferPool(min, max, numberOfSubpartitions, this.maxBuffersPerChannel, this.maxOverdraftBuffersPerGate);
    };
  }
}

function checkNonNegative(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new IllegalArgumentException(`${name}: ${value} (expected: >= 0)`);
  return value;
}
