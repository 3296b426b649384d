import type { ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.CloseRequest (Flink 1.20). Differs: a
 * top-level class.
 *
 * Client → server: the last channel left the connection; the server closes it and releases every reader.
 * Empty body.
 */
export class CloseRequest extends NettyMessage {
  static readonly BODY_LENGTH = 0;
  override readonly id = MessageId.CLOSE_REQUEST;

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    out.write(allocateFrame(allocator, this.id, 0), promise);
  }

  override toString(): string {
    return 'CloseRequest';
  }
}
