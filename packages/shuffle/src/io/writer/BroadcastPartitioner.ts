import { UnsupportedOperationException } from '@sluice/channel';
import type { ChannelSelector } from './ChannelSelector';

/**
 * Port of org.apache.flink.streaming.runtime.partitioner.BroadcastPartitioner (Flink 1.20).
 *
 * Every record goes to every channel. `RecordWriterBuilder` turns a broadcast selector into a
 * {@link BroadcastRecordWriter}, which never asks it for a channel.
 */
export class BroadcastPartitioner<T> implements ChannelSelector<T> {
  setup(_numberOfChannels: number): void {}

  selectChannel(_record: T): number {
    throw new UnsupportedOperationException('Broadcast partitioner does not support select channels.');
  }

  isBroadcast(): boolean {
    return true;
  }

  toString(): string {
    return 'BROADCAST';
  }
}
