import type { EventExecutor } from '../../concurrent/EventExecutor';
import { IllegalArgumentException } from '../../util/SluiceError';

/**
 * @internal Time helpers shared by the timeout handlers.
 *
 * An executor may keep its own clock (`EmbeddedEventLoop` has a virtual one that tests move with
 * `advanceTimeBy`); the handlers must measure idleness with the clock their timers are scheduled on, or a
 * test that advances virtual time would see timers fire while the measured idle time stays near zero.
 */
export interface MillisClock {
  currentTimeMillis(): number;
}

/** The executor's own millisecond clock if it has one, else null (use `performance.now()`). */
export function clockOf(executor: EventExecutor): MillisClock | null {
  const candidate = executor as EventExecutor & Partial<MillisClock>;
  return typeof candidate.currentTimeMillis === 'function' ? (candidate as EventExecutor & MillisClock) : null;
}

/** Milliseconds on `clock`, or on the monotonic `performance.now()` clock when there is none. */
export function nowMillis(clock: MillisClock | null): number {
  return clock !== null ? clock.currentTimeMillis() : performance.now();
}

/**
 * Node turns a timer delay above 2^31-1 ms (about 24.8 days) into 1 ms. Delays are capped at this value;
 * the handlers re-check the elapsed time when such a timer fires and re-arm for the rest.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Netty's MIN_TIMEOUT_NANOS: a positive timeout is raised to at least 1 ms. */
export const MIN_TIMEOUT_MS = 1;

/**
 * Validates a timeout argument in milliseconds: a finite number; 0 or less disables (returns 0); a positive
 * value is raised to at least {@link MIN_TIMEOUT_MS}.
 */
export function normalizeTimeoutMs(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new IllegalArgumentException(`${name}: ${String(value)} (expected: a finite number of milliseconds; 0 or less disables)`);
  }
  return value <= 0 ? 0 : Math.max(value, MIN_TIMEOUT_MS);
}
