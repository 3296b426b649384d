import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';
import { CheckpointStorageLocationReference } from './CheckpointStorageLocationReference';
import { CheckpointType } from './CheckpointType';
import type { SnapshotType } from './SnapshotType';

/**
 * Port of CheckpointOptions.AlignmentType (Flink 1.20): how a checkpoint is aligned. The wire carries
 * the ordinal (position in {@link ALIGNMENT_TYPES}): AT_LEAST_ONCE 0, ALIGNED 1, UNALIGNED 2,
 * FORCED_ALIGNED 3.
 */
export const AlignmentType = {
  AT_LEAST_ONCE: 'AT_LEAST_ONCE',
  ALIGNED: 'ALIGNED',
  UNALIGNED: 'UNALIGNED',
  FORCED_ALIGNED: 'FORCED_ALIGNED',
} as const;
export type AlignmentType = (typeof AlignmentType)[keyof typeof AlignmentType];

/** The alignment types in Flink's ordinal order (index = wire byte). */
export const ALIGNMENT_TYPES: readonly AlignmentType[] = Object.freeze([
  AlignmentType.AT_LEAST_ONCE,
  AlignmentType.ALIGNED,
  AlignmentType.UNALIGNED,
  AlignmentType.FORCED_ALIGNED,
]);

/**
 * Port of org.apache.flink.runtime.checkpoint.CheckpointOptions (Flink 1.20). Differs: the aligned
 * checkpoint timeout is a JS number in milliseconds; Flink's "no timeout" (`Long.MAX_VALUE`) is
 * `Infinity` ({@link CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT}) and is written as `Long.MAX_VALUE`
 * on the wire; every other value must be a safe integer.
 *
 * The options a checkpoint barrier carries: snapshot type, target location, alignment type and the
 * aligned-checkpoint timeout (after which an aligned barrier may turn unaligned).
 *
 * ## Threading
 * Immutable; any thread.
 *
 * @example
 * const options = CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, CheckpointStorageLocationReference.getDefault(), 1000);
 * options.isTimeoutable(); // true
 */
export class CheckpointOptions {
  /** No aligned-checkpoint timeout (Flink's `Long.MAX_VALUE`). */
  static readonly NO_ALIGNED_CHECKPOINT_TIME_OUT = Number.POSITIVE_INFINITY;

  private static readonly CHECKPOINT_AT_DEFAULT_LOCATION = new CheckpointOptions(
    CheckpointType.CHECKPOINT,
    CheckpointStorageLocationReference.getDefault(),
  );

  /** Options of an at-least-once snapshot (no alignment). */
  static notExactlyOnce(type: SnapshotType, location: CheckpointStorageLocationReference): CheckpointOptions {
    return new CheckpointOptions(type, location, AlignmentType.AT_LEAST_ONCE, CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT);
  }

  /** Options of an aligned snapshot that never times out. */
  static alignedNoTimeout(type: SnapshotType, location: CheckpointStorageLocationReference): CheckpointOptions {
    return new CheckpointOptions(type, location, AlignmentType.ALIGNED, CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT);
  }

  /** Options of an unaligned checkpoint (savepoints cannot be unaligned). */
  static unaligned(type: SnapshotType, location: CheckpointStorageLocationReference): CheckpointOptions {
    if (type.isSavepoint()) throw new IllegalArgumentException('Savepoints can not be unaligned');
    return new CheckpointOptions(type, location, AlignmentType.UNALIGNED, CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT);
  }

  /** Options of an aligned checkpoint that turns unaligned after `alignedCheckpointTimeout` ms. */
  static alignedWithTimeout(
    type: SnapshotType,
    location: CheckpointStorageLocationReference,
    alignedCheckpointTimeout: number,
  ): CheckpointOptions {
    if (type.isSavepoint()) throw new IllegalArgumentException('Savepoints can not be unaligned');
    return new CheckpointOptions(type, location, AlignmentType.ALIGNED, alignedCheckpointTimeout);
  }

  private static forceAligned(type: SnapshotType, location: CheckpointStorageLocationReference, timeout: number): CheckpointOptions {
    if (type.isSavepoint()) throw new IllegalArgumentException('Savepoints can not be unaligned');
    return new CheckpointOptions(type, location, AlignmentType.FORCED_ALIGNED, timeout);
  }

  /** Options derived from the job's checkpoint configuration (Flink's `forConfig`). */
  static forConfig(
    checkpointType: SnapshotType,
    locationReference: CheckpointStorageLocationReference,
    isExactlyOnceMode: boolean,
    isUnalignedEnabled: boolean,
    alignedCheckpointTimeout: number,
  ): CheckpointOptions {
    if (!isExactlyOnceMode) return CheckpointOptions.notExactlyOnce(checkpointType, locationReference);
    if (checkpointType.isSavepoint() || !isUnalignedEnabled) return CheckpointOptions.alignedNoTimeout(checkpointType, locationReference);
    if (alignedCheckpointTimeout === 0 || alignedCheckpointTimeout === CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT) {
      return CheckpointOptions.unaligned(checkpointType, locationReference);
    }
    return CheckpointOptions.alignedWithTimeout(checkpointType, locationReference, alignedCheckpointTimeout);
  }

  /** Aligned checkpoint at the default location (tests). */
  static forCheckpointWithDefaultLocation(): CheckpointOptions {
    return CheckpointOptions.CHECKPOINT_AT_DEFAULT_LOCATION;
  }

  private readonly checkpointType: SnapshotType;
  private readonly targetLocation: CheckpointStorageLocationReference;
  private readonly alignmentType: AlignmentType;
  private readonly alignedCheckpointTimeout: number;

  /**
   * @param alignmentType default ALIGNED
   * @param alignedCheckpointTimeout milliseconds, default {@link CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT}
   */
  constructor(
    checkpointType: SnapshotType,
    targetLocation: CheckpointStorageLocationReference,
    alignmentType: AlignmentType = AlignmentType.ALIGNED,
    alignedCheckpointTimeout: number = CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT,
  ) {
    if (!ALIGNMENT_TYPES.includes(alignmentType)) throw new IllegalArgumentException(`alignmentType: ${String(alignmentType)}`);
    if (alignmentType === AlignmentType.UNALIGNED && checkpointType.isSavepoint()) {
      throw new IllegalArgumentException("Savepoint can't be unaligned");
    }
    if (alignedCheckpointTimeout !== CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT) {
      if (!Number.isSafeInteger(alignedCheckpointTimeout)) {
        throw new IllegalArgumentException(
          `alignedCheckpointTimeout: ${alignedCheckpointTimeout} (expected: a safe integer of milliseconds, or NO_ALIGNED_CHECKPOINT_TIME_OUT)`,
        );
      }
      if (alignmentType === AlignmentType.UNALIGNED) {
        throw new IllegalArgumentException(`Unaligned checkpoint can't have timeout (${alignedCheckpointTimeout})`);
      }
    }
    this.checkpointType = checkpointType;
    this.targetLocation = targetLocation;
    this.alignmentType = alignmentType;
    this.alignedCheckpointTimeout = alignedCheckpointTimeout;
  }

  /** True if the barrier must be aligned (exactly-once and either a savepoint or not unaligned). */
  needsAlignment(): boolean {
    return this.isExactlyOnceMode() && (this.checkpointType.isSavepoint() || !this.isUnalignedCheckpoint());
  }

  /** Milliseconds after which an aligned barrier may turn unaligned (`Infinity`: never). */
  getAlignedCheckpointTimeout(): number {
    return this.alignedCheckpointTimeout;
  }

  getAlignment(): AlignmentType {
    return this.alignmentType;
  }

  /** True for an aligned checkpoint with a finite positive timeout. */
  isTimeoutable(): boolean {
    if (this.alignmentType === AlignmentType.FORCED_ALIGNED) return false;
    return (
      this.alignmentType === AlignmentType.ALIGNED &&
      this.alignedCheckpointTimeout > 0 &&
      this.alignedCheckpointTimeout !== CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT
    );
  }

  getCheckpointType(): SnapshotType {
    return this.checkpointType;
  }

  getTargetLocation(): CheckpointStorageLocationReference {
    return this.targetLocation;
  }

  isExactlyOnceMode(): boolean {
    return this.alignmentType !== AlignmentType.AT_LEAST_ONCE;
  }

  isUnalignedCheckpoint(): boolean {
    return this.alignmentType === AlignmentType.UNALIGNED;
  }

  /** True if in-flight data must be snapshotted (unaligned, or may become so). */
  needsChannelState(): boolean {
    return this.isUnalignedCheckpoint() || this.isTimeoutable();
  }

  /** Undoes {@link withUnalignedUnsupported}. */
  withUnalignedSupported(): CheckpointOptions {
    if (this.alignmentType === AlignmentType.FORCED_ALIGNED) {
      return this.alignedCheckpointTimeout !== CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT
        ? CheckpointOptions.alignedWithTimeout(this.checkpointType, this.targetLocation, this.alignedCheckpointTimeout)
        : CheckpointOptions.unaligned(this.checkpointType, this.targetLocation);
    }
    return this;
  }

  /** Forces alignment where channel state cannot be taken (e.g. pointwise connections). */
  withUnalignedUnsupported(): CheckpointOptions {
    if (this.needsChannelState()) {
      return CheckpointOptions.forceAligned(this.checkpointType, this.targetLocation, this.alignedCheckpointTimeout);
    }
    return this;
  }

  /** The unaligned version of an ALIGNED checkpoint (a timed-out aligned barrier). */
  toUnaligned(): CheckpointOptions {
    if (this.alignmentType !== AlignmentType.ALIGNED) {
      throw new IllegalStateException(`toUnaligned() needs an ALIGNED checkpoint, not ${this.alignmentType}`);
    }
    return CheckpointOptions.unaligned(this.checkpointType, this.targetLocation);
  }

  equals(other: unknown): boolean {
    if (this === other) return true;
    return (
      other instanceof CheckpointOptions &&
      this.checkpointType.equals(other.checkpointType) &&
      this.targetLocation.equals(other.targetLocation) &&
      this.alignmentType === other.alignmentType &&
      this.alignedCheckpointTimeout === other.alignedCheckpointTimeout
    );
  }

  toString(): string {
    return (
      `CheckpointOptions{checkpointType=${String(this.checkpointType)}, targetLocation=${this.targetLocation.toString()}, ` +
      `alignmentType=${this.alignmentType}, alignedCheckpointTimeout=${this.alignedCheckpointTimeout}}`
    );
  }
}
