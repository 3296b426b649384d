/**
 * Port of org.apache.flink.runtime.io.network.api.StopMode (Flink 1.20): whether a stopping job drains
 * its pipelines (flushes timers and windows) before the final checkpoint. The wire carries the ordinal
 * (index in {@link STOP_MODES}): DRAIN 0, NO_DRAIN 1.
 */
export const StopMode = {
  /** Flush all buffered state (stop-with-savepoint --drain, end of bounded input). */
  DRAIN: 'DRAIN',
  /** Stop without flushing (stop-with-savepoint without --drain). */
  NO_DRAIN: 'NO_DRAIN',
} as const;
export type StopMode = (typeof StopMode)[keyof typeof StopMode];

/** Stop modes in Flink's ordinal order (index = wire byte). */
export const STOP_MODES: readonly StopMode[] = Object.freeze([StopMode.DRAIN, StopMode.NO_DRAIN]);
