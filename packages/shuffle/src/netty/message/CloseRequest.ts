import type { ByteBuf, ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import type { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame, checkBodyLength } from './frame';

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

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an out-of-range value.
   */
  static readFrom(body: ByteBuf): CloseRequest {
    checkBodyLength(body, 'CloseRequest', CloseRequest.BODY_LENGTH);
    return new CloseRequest();
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    out.write(allocateFrame(allocator, this.id, 0), promise);
  }

  override toString(): string {
    return 'CloseRequest';
  }
}
