import { RuntimeEvent } from './AbstractEvent';

/**
 * Port of org.apache.flink.runtime.io.network.api.EndOfSuperstepEvent (Flink 1.20).
 *
 * Marks the end of a superstep of a bulk/delta iteration. A singleton: compare with `=== EndOfSuperstepEvent.INSTANCE`.
 *
 * ## Threading
 * Immutable; any thread.
 */
export class EndOfSuperstepEvent extends RuntimeEvent {
  /** The only instance. */
  static readonly INSTANCE = new EndOfSuperstepEvent();

  private constructor() {
    super();
  }

  override toString(): string {
    return 'EndOfSuperstepEvent';
  }
}
