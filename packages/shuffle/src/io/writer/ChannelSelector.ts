/**
 * Port of org.apache.flink.runtime.io.network.api.writer.ChannelSelector (Flink 1.20).
 *
 * Picks the subpartition (output channel) for each record of a {@link ChannelSelectorRecordWriter}.
 * `setup(n)` is called once with the number of channels before the first `selectChannel`.
 *
 * ## Threading
 * Called on the writer's thread only; may keep state (round robin).
 */
export interface ChannelSelector<T> {
  /** Called once with the number of output channels. */
  setup(numberOfChannels: number): void;
  /** The channel for `record`, in `[0, numberOfChannels)`. Broadcast selectors throw. */
  selectChannel(record: T): number;
  /** True if every record goes to all channels (the writer then uses BroadcastRecordWriter). */
  isBroadcast(): boolean;
}
