import { IllegalArgumentException } from '@sluice/channel';
import type { ChannelSelector } from './ChannelSelector';

/**
 * Port of org.apache.flink.runtime.io.network.api.writer.RoundRobinChannelSelector (Flink 1.20), which is
 * also what the streaming `RebalancePartitioner` does. Differs: the first channel is 0 unless
 * `randomStart` is set (RebalancePartitioner starts at a random channel); a compare instead of `%`.
 *
 * Sends records to channels 0, 1, …, n−1, 0, … in turn ("rebalance").
 */
export class RoundRobinChannelSelector<T> implements ChannelSelector<T> {
  private numberOfChannels = 0;
  private nextChannel = -1;

  /** @param randomStart start at a random channel, as Flink's RebalancePartitioner (default false: channel 0 first) */
  constructor(private readonly randomStart = false) {}

  setup(numberOfChannels: number): void {
    if (!Number.isSafeInteger(numberOfChannels) || numberOfChannels < 1) {
      throw new IllegalArgumentException(`numberOfChannels: ${numberOfChannels} (expected: >= 1)`);
    }
    this.numberOfChannels = numberOfChannels;
    this.nextChannel = this.randomStart ? Math.floor(Math.random() * numberOfChannels) - 1 : -1;
  }

  selectChannel(_record: T): number {
    let next = this.nextChannel + 1;
    if (next >= this.numberOfChannels) next = 0;
    this.nextChannel = next;
    return next;
  }

  isBroadcast(): boolean {
    return false;
  }

  toString(): string {
    return 'REBALANCE';
  }
}
