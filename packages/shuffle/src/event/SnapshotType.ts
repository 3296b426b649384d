/**
 * Port of org.apache.flink.runtime.checkpoint.SnapshotType (Flink 1.20).
 *
 * The kind of snapshot a checkpoint barrier triggers: a checkpoint ({@link CheckpointType}) or a
 * savepoint ({@link SavepointType}). Encoded on the wire as one byte (see `EventSerializer`).
 */
export interface SnapshotType {
  /** True for savepoints. */
  isSavepoint(): boolean;
  /** True if the snapshot stops the job afterwards (suspend/terminate savepoints). */
  isSynchronous(): boolean;
  /** Human-readable name, e.g. `Checkpoint`, `Terminate Savepoint`. */
  getName(): string;
  /** Value equality. */
  equals(other: unknown): boolean;
}
