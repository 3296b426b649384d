import { RuntimeEvent } from './AbstractEvent';

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.EndOfChannelStateEvent (Flink 1.20).
 *
 * Marks the end of recovered channel state (unaligned-checkpoint recovery); sent as a RECOVERY_COMPLETION buffer. A singleton: compare with `=== EndOfChannelStateEvent.INSTANCE`.
 *
 * ## Threading
 * Immutable; any thread.
 */
export class EndOfChannelStateEvent extends RuntimeEvent {
  /** The only instance. */
  static readonly INSTANCE = new EndOfChannelStateEvent();

  private constructor() {
    super();
  }

  override toString(): string {
    return 'EndOfChannelStateEvent';
  }
}
