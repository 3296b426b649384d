import { IllegalArgumentException, IllegalStateException, InternalLoggerFactory } from '@sluice/channel';
import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import { PartitionNotFoundException } from './errors';
import { PartitionRequestListenerManager, type PartitionRequestListener, type PartitionRequestListenerProvider } from './PartitionRequestListener';
import type { ResultPartition } from './ResultPartition';
import type { ResultPartitionID } from './ResultPartitionID';
import type { ResultSubpartitionView } from './ResultSubpartitionView';

const logger = InternalLoggerFactory.getInstance('ResultPartitionManager');

/** Options of {@link ResultPartitionManager}. */
export interface ResultPartitionManagerOptions {
  /**
   * How long a network partition request may wait for its partition to register before it is answered
   * with PartitionNotFound, in milliseconds; 0 = wait until the partition registers or is released
   * (`taskmanager.network.partition-request-timeout`, default: 10000).
   */
  partitionRequestListenerTimeoutMs?: number;
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultPartitionManager (Flink 1.20). Differs: keys
 * are `ResultPartitionID.key()` strings; a waiting partition request's timeout is a one-shot timer armed
 * on the requester's event loop ({@link PartitionRequestListener.scheduleTimeout}) instead of a periodic
 * checker on a scheduled executor; the local-channel API ({@link createSubpartitionView}) still fails at
 * once with PartitionNotFoundException (the local consumer retries with back-off, as in Flink).
 *
 * The registry of the result partitions produced in this process: partitions register on `setup()`,
 * consumers (local input channels, the network server) create subpartition views through it, and
 * consumed or failed partitions are released through it. A network partition request that arrives
 * before its partition registered waits here as a {@link PartitionRequestListener}
 * ({@link createSubpartitionViewOrRegisterListener}): registration hands it the partition; release,
 * shutdown or the timeout answer it with "not found".
 *
 * ## Threading
 * One JavaScript thread. Listeners are notified synchronously inside `registerResultPartition`,
 * `releasePartition` and `shutdown`.
 *
 * @example
 * const manager = new ResultPartitionManager({ partitionRequestListenerTimeoutMs: 10_000 });
 * partition.setup(); // registers
 * const view = manager.createSubpartitionView(partition.getPartitionId(), 0, listener);
 */
export class ResultPartitionManager implements PartitionRequestListenerProvider {
  private readonly registeredPartitions = new Map<string, ResultPartition>();
  /** Requests waiting for a partition that is not registered yet, by `ResultPartitionID.key()`. */
  private readonly listenerManagers = new Map<string, PartitionRequestListenerManager>();
  private readonly partitionRequestListenerTimeoutMs: number;
  private isShutdown = false;

  constructor(options: ResultPartitionManagerOptions = {}) {
    const timeout = options.partitionRequestListenerTimeoutMs ?? 10000;
    if (!Number.isSafeInteger(timeout) || timeout < 0) {
      throw new IllegalArgumentException(`partitionRequestListenerTimeoutMs: ${timeout} (expected: an integer >= 0, in milliseconds)`);
    }
    this.partitionRequestListenerTimeoutMs = timeout;
  }

  /** The partition-request wait limit in milliseconds (0 = none). */
  getPartitionRequestListenerTimeoutMs(): number {
    return this.partitionRequestListenerTimeoutMs;
  }

  /**
   * Registers `partition` under its id and hands it to the requests waiting for it. Throws if the id is
   * taken or the manager is shut down.
   */
  registerResultPartition(partition: ResultPartition): void {
    if (this.isShutdown) throw new IllegalStateException('Result partition manager already shut down.');
    const key = partition.getPartitionId().key();
    if (this.registeredPartitions.has(key)) {
      throw new IllegalStateException(`Result partition already registered: ${partition.getPartitionId().toString()}`);
    }
    this.registeredPartitions.set(key, partition);
    const listenerManager = this.listenerManagers.get(key);
    this.listenerManagers.delete(key);
    if (listenerManager !== undefined) {
      for (const listener of listenerManager.getPartitionRequestListeners()) notifySafely(listener, () => listener.notifyPartitionCreated(partition));
    }
    logger.debug(`Registered ${partition.toString()}.`);
  }

  createSubpartitionView(partitionId: ResultPartitionID, subpartitionIndex: number, availabilityListener: BufferAvailabilityListener): ResultSubpartitionView {
    const partition = this.registeredPartitions.get(partitionId.key());
    if (partition === undefined) throw new PartitionNotFoundException(partitionId);
    logger.debug(`Requesting subpartition ${subpartitionIndex} of ${partition.toString()}.`);
    return partition.createSubpartitionView(subpartitionIndex, availabilityListener);
  }

  createSubpartitionViewOrRegisterListener(
    partitionId: ResultPartitionID,
    subpartitionIndex: number,
    availabilityListener: BufferAvailabilityListener,
    partitionRequestListener: PartitionRequestListener,
  ): ResultSubpartitionView | null {
    const key = partitionId.key();
    const partition = this.registeredPartitions.get(key);
    if (partition !== undefined) {
      logger.debug(`Requesting subpartition ${subpartitionIndex} of ${partition.toString()}.`);
      return partition.createSubpartitionView(subpartitionIndex, availabilityListener);
    }
    if (this.isShutdown) throw new PartitionNotFoundException(partitionId);
    let listenerManager = this.listenerManagers.get(key);
    if (listenerManager === undefined) {
      listenerManager = new PartitionRequestListenerManager();
      this.listenerManagers.set(key, listenerManager);
    }
    listenerManager.registerListener(partitionRequestListener);
    logger.debug(`Partition ${partitionId.toString()} is not registered yet; request for subpartition ${subpartitionIndex} waits.`);
    if (this.partitionRequestListenerTimeoutMs > 0) {
      partitionRequestListener.scheduleTimeout(this.partitionRequestListenerTimeoutMs, () => this.onListenerTimeout(partitionRequestListener));
    }
    return null;
  }

  releasePartitionRequestListener(listener: PartitionRequestListener): void {
    const key = listener.getResultPartitionId().key();
    const listenerManager = this.listenerManagers.get(key);
    if (listenerManager === undefined) return;
    listenerManager.removeListener(listener);
    if (listenerManager.isEmpty()) this.listenerManagers.delete(key);
  }

  /** The registered partition with this id, or undefined. */
  getPartition(partitionId: ResultPartitionID): ResultPartition | undefined {
    return this.registeredPartitions.get(partitionId.key());
  }

  /**
   * Unregisters and releases the partition (no-op if unknown); requests still waiting for this id are
   * answered "not found".
   */
  releasePartition(partitionId: ResultPartitionID, cause: Error | null = null): void {
    const key = partitionId.key();
    const partition = this.registeredPartitions.get(key);
    if (partition !== undefined) {
      this.registeredPartitions.delete(key);
      partition.release(cause);
      logger.debug(`Released partition ${partitionId.toString()} produced by ${partitionId.producerId.toString()}.`);
    }
    const listenerManager = this.listenerManagers.get(key);
    this.listenerManagers.delete(key);
    if (listenerManager !== undefined) {
      for (const listener of listenerManager.getPartitionRequestListeners()) notifySafely(listener, () => listener.notifyPartitionCreatedTimeout());
    }
  }

  /** Releases every partition, answers every waiting request "not found", and refuses new registrations. */
  shutdown(): void {
    logger.debug(`Releasing ${this.registeredPartitions.size} partitions because of shutdown.`);
    const partitions = [...this.registeredPartitions.values()];
    this.registeredPartitions.clear();
    for (const partition of partitions) partition.release();
    const listenerManagers = [...this.listenerManagers.values()];
    this.listenerManagers.clear();
    for (const listenerManager of listenerManagers) {
      for (const listener of listenerManager.getPartitionRequestListeners()) notifySafely(listener, () => listener.notifyPartitionCreatedTimeout());
    }
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

  /** Number of partition requests waiting for their partition (tests, metrics). */
  getNumberOfWaitingPartitionRequests(): number {
    let n = 0;
    for (const listenerManager of this.listenerManagers.values()) n += listenerManager.getPartitionRequestListeners().length;
    return n;
  }

  private onListenerTimeout(listener: PartitionRequestListener): void {
    const key = listener.getResultPartitionId().key();
    const listenerManager = this.listenerManagers.get(key);
    // Already notified (registered, released) or released by its requester: nothing to time out.
    if (listenerManager === undefined || !listenerManager.removeListener(listener)) return;
    if (listenerManager.isEmpty()) this.listenerManagers.delete(key);
    logger.debug(`Partition request of ${listener.getReceiverId().toString()} for ${key} timed out after ${this.partitionRequestListenerTimeoutMs} ms.`);
    listener.notifyPartitionCreatedTimeout();
  }
}

// One failing requester must not keep the partition from the others (or fail the producer's setup()).
function notifySafely(listener: PartitionRequestListener, notify: () => void): void {
  try {
    notify();
  } catch (err) {
    logger.warn(`Partition request listener of ${listener.getReceiverId().toString()} failed.`, err instanceof Error ? err : new Error(String(err)));
  }
}
