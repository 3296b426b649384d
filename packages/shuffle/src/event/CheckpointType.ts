import type { SnapshotType } from './SnapshotType';

/**
 * Port of org.apache.flink.runtime.checkpoint.CheckpointType (Flink 1.20). Differs: no
 * SharingFilesStrategy (a coordinator concern).
 *
 * The two kinds of checkpoint: {@link CheckpointType.CHECKPOINT} (wire code 0) and
 * {@link CheckpointType.FULL_CHECKPOINT} (wire code 4). Compare with `===`.
 */
export class CheckpointType implements SnapshotType {
  /** A regular (possibly incremental) checkpoint. */
  static readonly CHECKPOINT = new CheckpointType('Checkpoint');
  /** A checkpoint that shares no files with previous ones. */
  static readonly FULL_CHECKPOINT = new CheckpointType('Full Checkpoint');

  private constructor(private readonly name: string) {}

  isSavepoint(): boolean {
    return false;
  }

  isSynchronous(): boolean {
    return false;
  }

  getName(): string {
    return this.name;
  }

  equals(other: unknown): boolean {
    return this === other;
  }

  toString(): string {
    return `CheckpointType{name='${this.name}'}`;
  }
}
