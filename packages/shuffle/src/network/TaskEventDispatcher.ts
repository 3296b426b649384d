import { IllegalStateException } from '@sluice/channel';
import type { TaskEvent } from '../event/AbstractEvent';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import type { TaskEventPublisher } from './TaskEventPublisher';

/** Receives the task events published for a partition. */
export type TaskEventListener = (event: TaskEvent) => void;

/**
 * Port of org.apache.flink.runtime.io.network.TaskEventDispatcher (Flink 1.20). Differs: listeners are
 * functions subscribed per event class; one JavaScript thread, so no lock.
 *
 * Routes task events that consumers sent backwards (TaskEventRequest) to the producer of a partition:
 * a producer registers its partition, subscribes to event classes, and {@link publish} delivers.
 */
export class TaskEventDispatcher implements TaskEventPublisher {
  private readonly registered = new Map<string, Map<abstract new (...args: never[]) => TaskEvent, TaskEventListener[]>>();

  /** Registers a partition so that events for it can be delivered. */
  registerPartition(partitionId: ResultPartitionID): void {
    const key = partitionId.key();
    if (this.registered.has(key)) throw new IllegalStateException(`Partition ${partitionId.toString()} already registered at task event dispatcher.`);
    this.registered.set(key, new Map());
  }

  /** Forgets a partition and its listeners. */
  unregisterPartition(partitionId: ResultPartitionID): void {
    this.registered.delete(partitionId.key());
  }

  /** Subscribes `listener` to events of `eventType` (and subclasses) for a registered partition. */
  subscribeToEvent(partitionId: ResultPartitionID, listener: TaskEventListener, eventType: abstract new (...args: never[]) => TaskEvent): void {
    const listeners = this.registered.get(partitionId.key());
    if (listeners === undefined) throw new IllegalStateException(`Partition ${partitionId.toString()} not registered at task event dispatcher.`);
    const list = listeners.get(eventType) ?? [];
    list.push(listener);
    listeners.set(eventType, list);
  }

  publish(partitionId: ResultPartitionID, event: TaskEvent): boolean {
    const listeners = this.registered.get(partitionId.key());
    if (listeners === undefined) return false;
    for (const [eventType, list] of listeners) {
      if (event instanceof eventType) for (const listener of list) listener(event);
    }
    return true;
  }

  /** Forgets everything. */
  clearAll(): void {
    this.registered.clear();
  }
}
