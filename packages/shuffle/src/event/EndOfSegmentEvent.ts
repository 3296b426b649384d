import { RuntimeEvent } from './AbstractEvent';

/**
 * Port of org.apache.flink.runtime.io.network.api.EndOfSegmentEvent (Flink 1.20).
 *
 * Tells the consumer of a hybrid-shuffle (tiered storage) subpartition that a segment ended and it should switch tiers; sent as an END_OF_SEGMENT buffer. A singleton: compare with `=== EndOfSegmentEvent.INSTANCE`.
 *
 * ## Threading
 * Immutable; any thread.
 */
export class EndOfSegmentEvent extends RuntimeEvent {
  /** The only instance. */
  static readonly INSTANCE = new EndOfSegmentEvent();

  private constructor() {
    super();
  }

  override toString(): string {
    return 'EndOfSegmentEvent';
  }
}
