import type { ChannelHandler } from '@sluice/channel';
import type { InputChannelID } from '../consumer/InputChannelID';
import type { RemoteInputChannel } from '../consumer/RemoteInputChannel';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NetworkClientHandler (Flink 1.20).
 *
 * The client side's last inbound handler: it routes decoded messages to the registered
 * {@link RemoteInputChannel}s by InputChannelID and writes the channels' outbound messages (AddCredit,
 * ResumeConsumption, …). The client's decoder asks it for the channel a BufferResponse is for, so that
 * the payload is read straight into one of that channel's buffers.
 *
 * ## Threading
 * Runs on the connection's event loop; `addInputChannel`/`removeInputChannel` may be called from the task
 * side (one JavaScript thread, so they only mutate a map).
 */
export interface NetworkClientHandler extends ChannelHandler {
  /** Registers a channel (throws the connection's stored error, if any). */
  addInputChannel(inputChannel: RemoteInputChannel): void;
  /** Unregisters a channel. */
  removeInputChannel(inputChannel: RemoteInputChannel): void;
  /** The registered channel with this id, or `undefined`. */
  getInputChannel(inputChannelId: InputChannelID): RemoteInputChannel | undefined;
  /** Sends a CancelPartitionRequest for `inputChannelId` (once per id; ignored before the connection is active). */
  cancelRequestFor(inputChannelId: InputChannelID | null): void;
}
