import { SimpleCounter, type Counter } from './Counter';
import { MeterView } from './MeterView';
import type { MetricGroup } from './MetricGroup';
import { TimerGauge, type MillisClock } from './TimerGauge';

/**
 * Port of (the network part of) org.apache.flink.runtime.metrics.groups.TaskIOMetricGroup (Flink 1.20).
 * Differs: only the counters and timers the shuffle feeds; plain objects that a partition, a writer and a
 * reader are handed, registered in a group only if one is given.
 *
 * - `numBytesOut` / `numBuffersOut` — fed by the result partition per buffer it finishes (Flink counts
 *   bytes when a buffer is added to a subpartition);
 * - `numRecordsOut` / `numRecordsIn` — fed by the record writer and reader;
 * - `numBytesIn` — the task total (channels count local/remote separately, see InputChannelMetrics);
 * - `backPressuredTimeMsPerSecond` — a {@link TimerGauge} the writer brackets around waiting for an
 *   output buffer (`markStart()` before awaiting `requestBufferBuilderBlocking`, `markEnd()` after).
 *
 * ## Threading
 * The task's thread; increments are plain adds.
 *
 * @example
 * const io = new TaskIOMetrics(taskGroup);
 * io.numBuffersOut.inc(); io.numBytesOut.inc(buffer.getSize());
 */
export class TaskIOMetrics {
  readonly numBytesIn: Counter = new SimpleCounter();
  readonly numBytesOut: Counter = new SimpleCounter();
  readonly numBuffersOut: Counter = new SimpleCounter();
  readonly numRecordsIn: Counter = new SimpleCounter();
  readonly numRecordsOut: Counter = new SimpleCounter();
  readonly backPressuredTimeMsPerSecond: TimerGauge;

  /**
   * @param group where to register the metrics (default: not registered)
   * @param clock the clock of the back-pressure timer (default: `performance.now()`)
   */
  constructor(group?: MetricGroup, clock?: MillisClock) {
    this.backPressuredTimeMsPerSecond = new TimerGauge(clock);
    if (group === undefined) return;
    for (const [name, counter] of [
      ['numBytesIn', this.numBytesIn],
      ['numBytesOut', this.numBytesOut],
      ['numBuffersOut', this.numBuffersOut],
      ['numRecordsIn', this.numRecordsIn],
      ['numRecordsOut', this.numRecordsOut],
    ] as const) {
      group.counter(name, counter);
      group.gauge(`${name}PerSecond`, new MeterView(counter, clock));
    }
    group.gauge('backPressuredTimeMsPerSecond', this.backPressuredTimeMsPerSecond);
  }
}
