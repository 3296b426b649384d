import { IllegalArgumentException } from '@sluice/channel';
import type { Gauge } from './Gauge';
import { defaultClock, type MillisClock } from './TimerGauge';

/**
 * Port of org.apache.flink.metrics.MeterView (Flink 1.20), simplified: the rate of a {@link Counter}-like
 * source per second over the interval between the last two {@link update} calls (Flink averages over a
 * 60 s window of 5 s updates). For `numBytesInLocalPerSecond` and friends.
 *
 * ## Threading
 * The exporter's calls, on the owning thread.
 */
export class MeterView implements Gauge<number> {
  private readonly source: { getCount(): number };
  private readonly clock: MillisClock;
  private lastCount: number;
  private lastTime: number;
  private rate = 0;

  constructor(source: { getCount(): number }, clock: MillisClock = defaultClock) {
    if (typeof source?.getCount !== 'function') throw new IllegalArgumentException('MeterView needs a source with getCount()');
    this.source = source;
    this.clock = clock;
    this.lastCount = source.getCount();
    this.lastTime = clock();
  }

  /** Closes the interval and computes the rate over it. */
  update(): void {
    const now = this.clock();
    const count = this.source.getCount();
    const interval = now - this.lastTime;
    this.rate = interval > 0 ? ((count - this.lastCount) * 1000) / interval : 0;
    this.lastCount = count;
    this.lastTime = now;
  }

  /** Events per second over the last interval. */
  getRate(): number {
    return this.rate;
  }

  getValue(): number {
    return this.rate;
  }

  /** The source's count. */
  getCount(): number {
    return this.source.getCount();
  }
}
