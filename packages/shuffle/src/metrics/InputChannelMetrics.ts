import { SimpleCounter, type Counter } from './Counter';
import { MeterView } from './MeterView';
import type { MetricGroup } from './MetricGroup';

/**
 * Port of org.apache.flink.runtime.io.network.metrics.InputChannelMetrics (Flink 1.20). Differs: the
 * counters are created here and registered only if a group is given.
 *
 * The per-task counters every input channel feeds: `numBytesInLocal`, `numBytesInRemote`,
 * `numBuffersInLocal`, `numBuffersInRemote` (plus `…PerSecond` rates), registered under the group you pass
 * (Flink: `Shuffle.Netty.Input`). Local channels count into the local pair, remote ones into the remote
 * pair: pass {@link localOptions} / {@link remoteOptions} to the channel constructors.
 *
 * ## Threading
 * The task's thread.
 *
 * @example
 * const channelMetrics = new InputChannelMetrics(group.addGroup('Shuffle').addGroup('Netty').addGroup('Input'));
 * new LocalInputChannel(gate, 0, partitionId, 0, partitionManager, { ...channelMetrics.localOptions() });
 */
export class InputChannelMetrics {
  readonly numBytesInLocal: Counter;
  readonly numBytesInRemote: Counter;
  readonly numBuffersInLocal: Counter;
  readonly numBuffersInRemote: Counter;

  constructor(group?: MetricGroup) {
    this.numBytesInLocal = new SimpleCounter();
    this.numBytesInRemote = new SimpleCounter();
    this.numBuffersInLocal = new SimpleCounter();
    this.numBuffersInRemote = new SimpleCounter();
    if (group !== undefined) {
      for (const [name, counter] of [
        ['numBytesInLocal', this.numBytesInLocal],
        ['numBytesInRemote', this.numBytesInRemote],
        ['numBuffersInLocal', this.numBuffersInLocal],
        ['numBuffersInRemote', this.numBuffersInRemote],
      ] as const) {
        group.counter(name, counter);
        group.gauge(`${name}PerSecond`, new MeterView(counter));
      }
    }
  }

  /** The counters of a local channel, as channel options. */
  localOptions(): { numBytesIn: Counter; numBuffersIn: Counter } {
    return { numBytesIn: this.numBytesInLocal, numBuffersIn: this.numBuffersInLocal };
  }

  /** The counters of a remote channel, as channel options. */
  remoteOptions(): { numBytesIn: Counter; numBuffersIn: Counter } {
    return { numBytesIn: this.numBytesInRemote, numBuffersIn: this.numBuffersInRemote };
  }
}
