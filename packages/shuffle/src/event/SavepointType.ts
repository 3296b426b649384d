import { IllegalArgumentException } from '@sluice/channel';
import type { SnapshotType } from './SnapshotType';

/** Port of org.apache.flink.core.execution.SavepointFormatType (Flink 1.20); wire codes 0 and 1. */
export const SavepointFormatType = {
  /** The state-backend-independent format (wire code 0). */
  CANONICAL: 'CANONICAL',
  /** The state backend's own format (wire code 1). */
  NATIVE: 'NATIVE',
} as const;
export type SavepointFormatType = (typeof SavepointFormatType)[keyof typeof SavepointFormatType];

/** Port of SavepointType.PostCheckpointAction (Flink 1.20): what the job does after the savepoint. */
export const PostCheckpointAction = {
  NONE: 'NONE',
  SUSPEND: 'SUSPEND',
  TERMINATE: 'TERMINATE',
} as const;
export type PostCheckpointAction = (typeof PostCheckpointAction)[keyof typeof PostCheckpointAction];

const NAMES: Readonly<Record<PostCheckpointAction, string>> = {
  NONE: 'Savepoint',
  SUSPEND: 'Suspend Savepoint',
  TERMINATE: 'Terminate Savepoint',
};

/**
 * Port of org.apache.flink.runtime.checkpoint.SavepointType (Flink 1.20). Differs: only what the network
 * layer needs (kind and format; no drain/end-of-time helpers beyond {@link shouldAdvanceToEndOfTime}).
 *
 * A savepoint: plain (wire code 1), suspend (2) or terminate (3), each in canonical or native format
 * (one more byte on the wire). Instances are values: compare with {@link equals}.
 *
 * @example
 * SavepointType.terminate(SavepointFormatType.NATIVE).isSynchronous(); // true
 */
export class SavepointType implements SnapshotType {
  /** A plain savepoint; the job keeps running. */
  static savepoint(formatType: SavepointFormatType): SavepointType {
    return new SavepointType(PostCheckpointAction.NONE, formatType);
  }

  /** A savepoint after which the job is suspended (stop-with-savepoint). */
  static suspend(formatType: SavepointFormatType): SavepointType {
    return new SavepointType(PostCheckpointAction.SUSPEND, formatType);
  }

  /** A savepoint after which the job terminates (stop-with-savepoint --drain). */
  static terminate(formatType: SavepointFormatType): SavepointType {
    return new SavepointType(PostCheckpointAction.TERMINATE, formatType);
  }

  private constructor(
    private readonly postCheckpointAction: PostCheckpointAction,
    private readonly formatType: SavepointFormatType,
  ) {
    if (!(formatType in SavepointFormatType)) throw new IllegalArgumentException(`formatType: ${String(formatType)}`);
  }

  isSavepoint(): boolean {
    return true;
  }

  isSynchronous(): boolean {
    return this.postCheckpointAction !== PostCheckpointAction.NONE;
  }

  getName(): string {
    return NAMES[this.postCheckpointAction];
  }

  getPostCheckpointAction(): PostCheckpointAction {
    return this.postCheckpointAction;
  }

  getFormatType(): SavepointFormatType {
    return this.formatType;
  }

  /** True for terminate savepoints (sources advance to the end of time first). */
  shouldAdvanceToEndOfTime(): boolean {
    return this.postCheckpointAction === PostCheckpointAction.TERMINATE;
  }

  equals(other: unknown): boolean {
    return (
      other instanceof SavepointType &&
      other.postCheckpointAction === this.postCheckpointAction &&
      other.formatType === this.formatType
    );
  }

  toString(): string {
    return `SavepointType{name='${this.getName()}', postCheckpointAction=${this.postCheckpointAction}, formatType=${this.formatType}}`;
  }
}
