import { SimpleCounter, type Counter } from './Counter';
import type { Gauge } from './Gauge';
import { MeterView } from './MeterView';
import type { MetricGroup } from './MetricGroup';
import { SumCounter } from './SumCounter';
import { TimerGauge, type MillisClock } from './TimerGauge';

/**
 * Port of (the network part of) org.apache.flink.runtime.metrics.groups.TaskIOMetricGroup (Flink 1.20).
 * Differs: only the counters and timers the shuffle feeds; plain objects that a partition, a writer and a
 * reader are handed, registered in a group only if one is given.
 *
 * - `numBytesIn`, `numRecordsIn`, `numRecordsOut`, `numBytesOut` are {@link SumCounter}s, as in Flink:
 *   the objects that count keep their own counter and the task sums them (`reuse…Counter`). A
 *   RecordWriter's `setMetricGroup` adds its record counter; input channels' local/remote byte counters
 *   are added by {@link reuseBytesInputCounter} (NettyShuffleEnvironment does it for the gates it creates
 *   with a task's metrics); a RecordReader increments `numRecordsIn` directly (its `numRecordsIn` option).
 * - `numBytesOut` / `numBuffersOut` — fed by the result partition per buffer it finishes (Flink counts
 *   bytes when a buffer is added to a subpartition);
 * - `hardBackPressuredTimeMsPerSecond` — the result partition runs out of buffers in the middle of a
 *   record (Flink's `requestBufferBuilderBlocking`; here: from the suspension to the resumed write);
 * - `softBackPressuredTimeMsPerSecond` — the writer's output is unavailable while the task waits for it
 *   (Flink's mailbox waiting for `recordWriter.isAvailable()`; here: `RecordWriter.getAvailableFuture()`
 *   asked while unavailable, until it completes);
 * - `backPressuredTimeMsPerSecond` — their sum, capped at 1000 (Flink's gauge of the same name).
 *
 * ## Threading
 * The task's thread; increments are plain adds.
 *
 * @example
 * const io = new TaskIOMetrics(taskGroup);
 * recordWriter.setMetricGroup(io);              // numRecordsOut, numBytesOut, back-pressure
 * const reader = new RecordReader(gate, serializer, { numRecordsIn: io.numRecordsIn });
 */
export class TaskIOMetrics {
  readonly numBytesIn = new SumCounter();
  readonly numBytesOut = new SumCounter();
  readonly numBuffersOut: Counter = new SimpleCounter();
  readonly numRecordsIn = new SumCounter();
  readonly numRecordsOut = new SumCounter();
  readonly softBackPressuredTimeMsPerSecond: TimerGauge;
  readonly hardBackPressuredTimeMsPerSecond: TimerGauge;
  /** Soft + hard back-pressured time in the last interval, in ms per second (at most 1000). */
  readonly backPressuredTimeMsPerSecond: Gauge<number>;

  /**
   * @param group where to register the metrics (default: not registered)
   * @param clock the clock of the back-pressure timers (default: `performance.now()`)
   */
  constructor(group?: MetricGroup, clock?: MillisClock) {
    const soft = new TimerGauge(clock);
    const hard = new TimerGauge(clock);
    this.softBackPressuredTimeMsPerSecond = soft;
    this.hardBackPressuredTimeMsPerSecond = hard;
    this.backPressuredTimeMsPerSecond = { getValue: () => Math.min(1000, soft.getValue() + hard.getValue()) };
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
    group.gauge('softBackPressuredTimeMsPerSecond', soft);
    group.gauge('hardBackPressuredTimeMsPerSecond', hard);
    group.gauge('backPressuredTimeMsPerSecond', this.backPressuredTimeMsPerSecond);
  }

  /** Adds an input channel byte counter (e.g. InputChannelMetrics' local/remote ones) to `numBytesIn`. */
  reuseBytesInputCounter(counter: Counter): void {
    this.numBytesIn.addCounter(counter);
  }

  /** Adds a byte counter of an output to `numBytesOut`. */
  reuseBytesOutputCounter(counter: Counter): void {
    this.numBytesOut.addCounter(counter);
  }

  /** Adds a record counter of an input to `numRecordsIn`. */
  reuseRecordsInputCounter(counter: Counter): void {
    this.numRecordsIn.addCounter(counter);
  }

  /** Adds a record counter of an output (a RecordWriter's) to `numRecordsOut`. */
  reuseRecordsOutputCounter(counter: Counter): void {
    this.numRecordsOut.addCounter(counter);
  }
}
