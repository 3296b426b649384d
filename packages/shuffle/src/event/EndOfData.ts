import { IllegalArgumentException } from '@sluice/channel';
import { RuntimeEvent } from './AbstractEvent';
import { STOP_MODES, type StopMode } from './StopMode';

/**
 * Port of org.apache.flink.runtime.io.network.api.EndOfData (Flink 1.20).
 *
 * The producer will emit no more user records (but may still send checkpoint barriers for the final
 * checkpoint). The consumer acknowledges it with AckAllUserRecordsProcessed. 5 bytes on the wire
 * (type id 8, stop-mode ordinal).
 *
 * ## Threading
 * Immutable; any thread.
 */
export class EndOfData extends RuntimeEvent {
  private readonly mode: StopMode;

  constructor(mode: StopMode) {
    super();
    if (!STOP_MODES.includes(mode)) throw new IllegalArgumentException(`stopMode: ${String(mode)} (expected: one of ${STOP_MODES.join(', ')})`);
    this.mode = mode;
  }

  getStopMode(): StopMode {
    return this.mode;
  }

  override equals(other: unknown): boolean {
    return other instanceof EndOfData && other.mode === this.mode;
  }

  override toString(): string {
    return `EndOfData{mode=${this.mode}}`;
  }
}
