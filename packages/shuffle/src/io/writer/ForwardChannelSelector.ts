import type { ChannelSelector } from './ChannelSelector';

/**
 * Port of org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner (Flink 1.20).
 *
 * Every record goes to channel 0: a forward edge connects each producer subtask to exactly one consumer
 * subtask (same parallelism), so its partition has one subpartition.
 */
export class ForwardChannelSelector<T> implements ChannelSelector<T> {
  setup(_numberOfChannels: number): void {}

  selectChannel(_record: T): number {
    return 0;
  }

  isBroadcast(): boolean {
    return false;
  }

  toString(): string {
    return 'FORWARD';
  }
}
