import { IllegalArgumentException, UnsupportedOperationException, type ByteBuf } from '@sluice/channel';
import { RuntimeEvent } from './AbstractEvent';
import type { CheckpointOptions } from './CheckpointOptions';

/** Throws unless `value` is a safe integer (the documented range of Sluice's 64-bit event fields). */
export function checkSafeLong(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new IllegalArgumentException(`${what}: ${value} (expected: a safe integer, ±${Number.MAX_SAFE_INTEGER})`);
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.api.CheckpointBarrier (Flink 1.20). Differs: `id` and
 * `timestamp` are JS numbers limited to safe integers (±2^53−1): checkpoint ids count up from 1 and
 * timestamps are epoch milliseconds, both far below 2^53, so the per-barrier cost and API stay simple;
 * decoding a wire value outside that range fails with `CorruptEventException`.
 *
 * Flows with the records from the sources to the sinks; when a task has received a barrier on every
 * input it snapshots its state (aligned), or it snapshots when the first barrier arrives, together with
 * the in-flight data it overtook (unaligned). Serialized by `EventSerializer` (type id 1).
 *
 * ## Threading
 * Immutable; any thread.
 *
 * @example
 * const barrier = new CheckpointBarrier(7, Date.now(), CheckpointOptions.forCheckpointWithDefaultLocation());
 */
export class CheckpointBarrier extends RuntimeEvent {
  private readonly id: number;
  private readonly timestamp: number;
  private readonly checkpointOptions: CheckpointOptions;

  /**
   * @param id checkpoint id (safe integer)
   * @param timestamp epoch milliseconds when the checkpoint was triggered (safe integer)
   */
  constructor(id: number, timestamp: number, checkpointOptions: CheckpointOptions) {
    super();
    checkSafeLong(id, 'checkpoint id');
    checkSafeLong(timestamp, 'checkpoint timestamp');
    this.id = id;
    this.timestamp = timestamp;
    this.checkpointOptions = checkpointOptions;
  }

  getId(): number {
    return this.id;
  }

  getTimestamp(): number {
    return this.timestamp;
  }

  getCheckpointOptions(): CheckpointOptions {
    return this.checkpointOptions;
  }

  /** The same barrier with other options. */
  withOptions(checkpointOptions: CheckpointOptions): CheckpointBarrier {
    return this.checkpointOptions === checkpointOptions ? this : new CheckpointBarrier(this.id, this.timestamp, checkpointOptions);
  }

  /** True unless this barrier triggers a savepoint. */
  isCheckpoint(): boolean {
    return !this.checkpointOptions.getCheckpointType().isSavepoint();
  }

  /** This barrier as an unaligned one (a timed-out aligned barrier); itself if already unaligned. */
  asUnaligned(): CheckpointBarrier {
    return this.checkpointOptions.isUnalignedCheckpoint() ? this : this.withOptions(this.checkpointOptions.toUnaligned());
  }

  override write(_out: ByteBuf): void {
    throw new UnsupportedOperationException('This method should never be called: EventSerializer writes CheckpointBarriers');
  }

  override read(_input: ByteBuf): void {
    throw new UnsupportedOperationException('This method should never be called: EventSerializer reads CheckpointBarriers');
  }

  override equals(other: unknown): boolean {
    if (this === other) return true;
    return (
      other instanceof CheckpointBarrier &&
      other.id === this.id &&
      other.timestamp === this.timestamp &&
      this.checkpointOptions.equals(other.checkpointOptions)
    );
  }

  override toString(): string {
    return `CheckpointBarrier ${this.id} @ ${this.timestamp} Options: ${this.checkpointOptions.toString()}`;
  }
}
