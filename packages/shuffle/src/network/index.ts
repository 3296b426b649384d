// Public API of Flink's io.network level: connections and what remote channels ask of them.
export { ConnectionID } from './ConnectionID';
export type { ConnectionManager } from './ConnectionManager';
export type { PartitionRequestClient } from './PartitionRequestClient';
export type { TaskEventPublisher } from './TaskEventPublisher';
export { TaskEventDispatcher, type TaskEventListener } from './TaskEventDispatcher';
