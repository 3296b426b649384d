import { RuntimeEvent } from './AbstractEvent';

/**
 * Port of org.apache.flink.runtime.io.network.api.EndOfPartitionEvent (Flink 1.20).
 *
 * Signals that a partition has been fully produced: the last event of every subpartition. The consumer releases the channel after it. A singleton: compare with `=== EndOfPartitionEvent.INSTANCE`.
 *
 * ## Threading
 * Immutable; any thread.
 */
export class EndOfPartitionEvent extends RuntimeEvent {
  /** The only instance. */
  static readonly INSTANCE = new EndOfPartitionEvent();

  private constructor() {
    super();
  }

  override toString(): string {
    return 'EndOfPartitionEvent';
  }
}
