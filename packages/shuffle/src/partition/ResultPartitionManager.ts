import { IllegalStateException, InternalLoggerFactory } from '@sluice/channel';
import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import { PartitionNotFoundException } from './errors';
import type { ResultPartition } from './ResultPartition';
import type { ResultPartitionID } from './ResultPartitionID';
import type { ResultPartitionProvider } from './ResultPartitionProvider';
import type { ResultSubpartitionView } from './ResultSubpartitionView';

const logger = InternalLoggerFactory.getInstance('ResultPartitionManager');

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultPartitionManager (Flink 1.20). Differs: keys
 * are `ResultPartitionID.key()` strings; no partition-request listeners (a request for a partition that
 * is not registered yet fails with PartitionNotFoundException at once; the consumer retries with
 * back-off).
 *
 * The registry of the result partitions produced in this process: partitions register on `setup()`,
 * consumers (local input channels, the network server) create subpartition views through it, and
 * consumed or failed partitions are released through it.
 *
 * ## Threading
 * One JavaScript thread.
 *
 * @example
 * const manager = new ResultPartitionManager();
 * partition.setup(); // registers
 * const view = manager.createSubpartitionView(partition.getPartitionId(), 0, listener);
 */
export class ResultPartitionManager implements ResultPartitionProvider {
  private readonly registeredPartitions = new Map<string, ResultPartition>();
  private isShutdown = false;

  /** Registers `partition` under its id. Throws if the id is taken or the manager is shut down. */
  registerResultPartition(partition: ResultPartition): void {
    if (this.isShutdown) throw new IllegalStateException('Result partition manager already shut down.');
    const key = partition.getPartitionId().key();
    if (this.registeredPartitions.has(key)) {
      throw new IllegalStateException(`Result partition already registered: ${partition.getPartitionId().toString()}`);
    }
    this.registeredPartitions.set(key, partition);
    logger.debug(`Registered ${partition.toString()}.`);
  }

  createSubpartitionView(partitionId: ResultPartitionID, subpartitionIndex: number, availabilityListener: BufferAvailabilityListener): ResultSubpartitionView {
    const partition = this.registeredPartitions.get(partitionId.key());
    if (partition === undefined) throw new PartitionNotFoundException(partitionId);
    logger.debug(`Requesting subpartition ${subpartitionIndex} of ${partition.toString()}.`);
    return partition.createSubpartitionView(subpartitionIndex, availabilityListener);
  }

  /** The registered partition with this id, or undefined. */
  getPartition(partitionId: ResultPartitionID): ResultPartition | undefined {
    return this.registeredPartitions.get(partitionId.key());
  }

  /** Unregisters and releases the partition (no-op if unknown). */
  releasePartition(partitionId: ResultPartitionID, cause: Error | null = null): void {
    const key = partitionId.key();
    const partition = this.registeredPartitions.get(key);
    if (partition === undefined) return;
    this.registeredPartitions.delete(key);
    partition.release(cause);
    logger.debug(`Released partition ${partitionId.toString()} produced by ${partitionId.producerId.toString()}.`);
  }

  /** Releases every partition and refuses new registrations. */
  shutdown(): void {
    logger.debug(`Releasing ${this.registeredPartitions.size} partitions because of shutdown.`);
    const partitions = [...this.registeredPartitions.values()];
    this.registeredPartitions.clear();
    for (const partition of partitions) partition.release();
    this.isShutdown = true;
    logger.debug('Successful shutdown.');
  }

  /** Called by a partition whose consumers and producer are all done: unregisters and releases it. */
  onConsumedPartition(partition: ResultPartition): void {
    logger.debug(`Received consume notification from ${partition.toString()}.`);
    const key = partition.getPartitionId().key();
    const previous = this.registeredPartitions.get(key);
    if (previous === partition) {
      this.registeredPartitions.delete(key);
      partition.release();
      logger.debug(`Released partition ${partition.getPartitionId().toString()} after it was consumed.`);
    }
  }

  /** Ids of the registered (not yet released) partitions. */
  getUnreleasedPartitions(): ResultPartitionID[] {
    return [...this.registeredPartitions.values()].map((p) => p.getPartitionId());
  }

  /** Number of registered partitions. */
  size(): number {
    return this.registeredPartitions.size;
  }
}
