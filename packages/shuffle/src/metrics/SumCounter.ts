import { SimpleCounter, type Counter } from './Counter';

/**
 * Port of org.apache.flink.runtime.metrics.groups.TaskIOMetricGroup.SumCounter (Flink 1.20). Differs: no
 * per-target breakdown of numRecordsOut.
 *
 * A task-level counter that is the sum of the counters of the objects that actually count (a writer's
 * records, an input channel's bytes) plus its own increments. The counting objects keep their own plain
 * {@link SimpleCounter} on their hot path; the sum is only computed when the metric is read.
 *
 * ## Threading
 * The task's thread.
 *
 * @example
 * const numBytesIn = new SumCounter();
 * numBytesIn.addCounter(channelMetrics.numBytesInLocal);
 * numBytesIn.addCounter(channelMetrics.numBytesInRemote);
 * numBytesIn.getCount(); // local + remote
 */
export class SumCounter extends SimpleCounter {
  private readonly internalCounters: Counter[] = [];

  /** Adds `counter` to the sum (Flink's `addCounter`); a counter added twice counts twice. */
  addCounter(counter: Counter): void {
    this.internalCounters.push(counter);
  }

  override getCount(): number {
    let sum = super.getCount();
    for (const counter of this.internalCounters) sum += counter.getCount();
    return sum;
  }

  override toString(): string {
    return `SumCounter(${this.getCount()} over ${this.internalCounters.length} counters)`;
  }
}
