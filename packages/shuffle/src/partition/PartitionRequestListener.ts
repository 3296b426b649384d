import type { AbstractID } from './AbstractID';
import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import type { ResultPartition } from './ResultPartition';
import type { ResultPartitionID } from './ResultPartitionID';
import type { ResultPartitionProvider } from './ResultPartitionProvider';
import type { ResultSubpartitionView } from './ResultSubpartitionView';

/**
 * Port of org.apache.flink.runtime.io.network.partition.PartitionRequestListener (Flink 1.20). Differs:
 * Flink's manager polls every listener with a periodic checker against its creation timestamp; here the
 * manager arms a one-shot timer through {@link scheduleTimeout} (the listener knows its event loop — the
 * network server's channel loop — the manager has none). The receiver id is typed as the
 * {@link AbstractID} it is (an InputChannelID; partition/ does not import consumer/).
 *
 * A partition request that arrived before its result partition was registered: it waits in the
 * {@link ResultPartitionManager} until the partition registers ({@link notifyPartitionCreated}: create
 * the view now) or the wait times out / the partition is released first
 * ({@link notifyPartitionCreatedTimeout}: answer PartitionNotFound).
 *
 * ## Threading
 * One JavaScript thread. `notifyPartitionCreated` runs inside the producer's `partition.setup()`.
 */
export interface PartitionRequestListener {
  /** The partition waited for. */
  getResultPartitionId(): ResultPartitionID;
  /** The requesting input channel's id (unique among the listeners of one partition). */
  getReceiverId(): AbstractID;
  /** The partition registered: create the subpartition view. */
  notifyPartitionCreated(partition: ResultPartition): void;
  /** The wait ended without a partition (timeout, release, shutdown): fail the request. */
  notifyPartitionCreatedTimeout(): void;
  /** The requester went away: stop waiting (unregisters from the provider, cancels the timer). */
  releaseListener(): void;
  /**
   * Arms the timeout: run `onTimeout` after `timeoutMs` milliseconds unless the listener was notified or
   * released before. A listener without an event loop may ignore this (it then waits until the
   * partition registers or is released).
   */
  scheduleTimeout(timeoutMs: number, onTimeout: () => void): void;
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.PartitionRequestListenerManager (Flink 1.20).
 * Differs: keyed by the receiver id's `key()`; no expiry scan (timers are per listener).
 *
 * The listeners waiting for one result partition, one per requesting input channel, in arrival order.
 *
 * ## Threading
 * One JavaScript thread.
 */
export class PartitionRequestListenerManager {
  private readonly listeners = new Map<string, PartitionRequestListener>();

  /** Adds (or replaces) the listener of its receiver. */
  registerListener(listener: PartitionRequestListener): void {
    this.listeners.set(listener.getReceiverId().toHexString(), listener);
  }

  /** Removes the listener of `receiverId`; true if there was one. */
  remove(receiverId: AbstractID): boolean {
    return this.listeners.delete(receiverId.toHexString());
  }

  /** Removes `listener` only if it is the registered one for its receiver; true if it was. */
  removeListener(listener: PartitionRequestListener): boolean {
    const key = listener.getReceiverId().toHexString();
    if (this.listeners.get(key) !== listener) return false;
    this.listeners.delete(key);
    return true;
  }

  isEmpty(): boolean {
    return this.listeners.size === 0;
  }

  /** The waiting listeners in arrival order (a copy). */
  getPartitionRequestListeners(): PartitionRequestListener[] {
    return [...this.listeners.values()];
  }
}

/**
 * The part of Flink 1.20's ResultPartitionProvider that lets a partition request wait for its partition
 * (`createSubpartitionViewOrRegisterListener`, `releasePartitionRequestListener`). Differs: a separate
 * interface (implemented by {@link ResultPartitionManager}) so that providers that only serve local
 * channels need not implement it; {@link supportsPartitionRequestListeners} tells them apart.
 *
 * ## Threading
 * One JavaScript thread.
 */
export interface PartitionRequestListenerProvider extends ResultPartitionProvider {
  /**
   * The view of `subpartitionIndex` of `partitionId` if the partition is registered; otherwise registers
   * `partitionRequestListener` (arming its timeout) and returns null.
   */
  createSubpartitionViewOrRegisterListener(
    partitionId: ResultPartitionID,
    subpartitionIndex: number,
    availabilityListener: BufferAvailabilityListener,
    partitionRequestListener: PartitionRequestListener,
  ): ResultSubpartitionView | null;
  /** Forgets a waiting listener (no-op if it is not waiting any more). */
  releasePartitionRequestListener(listener: PartitionRequestListener): void;
}

/** True if `provider` can keep partition requests waiting for their partition. */
export function supportsPartitionRequestListeners(provider: ResultPartitionProvider): provider is PartitionRequestListenerProvider {
  const candidate = provider as Partial<PartitionRequestListenerProvider>;
  return typeof candidate.createSubpartitionViewOrRegisterListener === 'function' && typeof candidate.releasePartitionRequestListener === 'function';
}
