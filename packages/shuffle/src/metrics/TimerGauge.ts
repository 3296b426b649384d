import type { Gauge } from './Gauge';

/** Milliseconds since some fixed point; injectable so tests control time. */
export type MillisClock = () => number;

/** `performance.now()`. */
export const defaultClock: MillisClock = () => performance.now();

/**
 * Port of org.apache.flink.runtime.metrics.TimerGauge (Flink 1.20). Differs: the clock is a function
 * (default `performance.now()`), and {@link update} takes no argument: whoever exports the metric calls
 * it once per reporting interval (Flink's `View.update()` every 5 s).
 *
 * Measures how much of the time something was in a state — for `backPressuredTimeMsPerSecond`, the time
 * a writer waited for an output buffer. The measured code brackets the state with {@link markStart} and
 * {@link markEnd} (two clock reads, no allocation); {@link getValue} is the time in the state per second
 * of the last interval, in ms (0–1000).
 *
 * ## Threading
 * The measured thread (one JavaScript thread).
 *
 * @example
 * const backPressured = new TimerGauge();
 * backPressured.markStart();
 * const builder = await pool.requestBufferBuilderBlocking(target);
 * backPressured.markEnd();
 * // every few seconds, by the exporter:
 * backPressured.update(); backPressured.getValue(); // e.g. 250 (ms per second)
 */
export class TimerGauge implements Gauge<number> {
  private readonly clock: MillisClock;
  private currentMeasurementStart = -1;
  private currentCount = 0;
  private accumulatedCount = 0;
  private intervalStart: number;
  private currentValue = 0;
  private maxSingleMeasurement = 0;
  private currentMaxSingleMeasurement = 0;

  constructor(clock: MillisClock = defaultClock) {
    this.clock = clock;
    this.intervalStart = clock();
  }

  /** Enters the measured state (no-op if already in it). */
  markStart(): void {
    if (this.currentMeasurementStart >= 0) return;
    this.currentMeasurementStart = this.clock();
  }

  /** Leaves the measured state (no-op if not in it). */
  markEnd(): void {
    if (this.currentMeasurementStart < 0) return;
    const elapsed = Math.max(0, this.clock() - this.currentMeasurementStart);
    this.currentCount += elapsed;
    this.accumulatedCount += elapsed;
    if (elapsed > this.currentMaxSingleMeasurement) this.currentMaxSingleMeasurement = elapsed;
    this.currentMeasurementStart = -1;
  }

  /**
   * Closes the current interval: the value becomes the time in the state during it, per second. A
   * measurement still running is counted up to now and continues into the next interval.
   */
  update(): void {
    const now = this.clock();
    if (this.currentMeasurementStart >= 0) {
      const elapsed = Math.max(0, now - this.currentMeasurementStart);
      this.currentCount += elapsed;
      this.accumulatedCount += elapsed;
      if (elapsed > this.currentMaxSingleMeasurement) this.currentMaxSingleMeasurement = elapsed;
      this.currentMeasurementStart = now;
    }
    const interval = now - this.intervalStart;
    this.currentValue = interval > 0 ? Math.min(1000, (this.currentCount * 1000) / interval) : 0;
    this.maxSingleMeasurement = this.currentMaxSingleMeasurement;
    this.currentMaxSingleMeasurement = 0;
    this.currentCount = 0;
    this.intervalStart = now;
  }

  /** Milliseconds in the state per second, over the last interval closed by {@link update}. */
  getValue(): number {
    return this.currentValue;
  }

  /** The longest single stay in the state during the last interval, in ms. */
  getMaxSingleMeasurement(): number {
    return this.maxSingleMeasurement;
  }

  /** Total milliseconds in the state since creation (completed measurements and updates). */
  getCount(): number {
    return this.accumulatedCount;
  }

  /** True between {@link markStart} and {@link markEnd}. */
  isMeasuring(): boolean {
    return this.currentMeasurementStart >= 0;
  }
}
