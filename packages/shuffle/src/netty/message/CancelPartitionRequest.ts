import type { ByteBuf, ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import type { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { checkBodyLength, writeReceiverFrame } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.CancelPartitionRequest (Flink 1.20). Differs: a
 * top-level class.
 *
 * Client → server: release the reader of {@link receiverId} (the consumer cancelled).
 * Body: receiverId (16).
 */
export class CancelPartitionRequest extends NettyMessage {
  static readonly BODY_LENGTH = InputChannelID.SIZE;
  override readonly id = MessageId.CANCEL_PARTITION_REQUEST;
  readonly receiverId: InputChannelID;

  constructor(receiverId: InputChannelID) {
    super();
    this.receiverId = receiverId;
  }

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an out-of-range value.
   */
  static readFrom(body: ByteBuf): CancelPartitionRequest {
    checkBodyLength(body, 'CancelPartitionRequest', CancelPartitionRequest.BODY_LENGTH);
    return new CancelPartitionRequest(InputChannelID.fromByteBuf(body));
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    writeReceiverFrame(out, promise, allocator, this.id, this.receiverId);
  }

  override toString(): string {
    return `CancelPartitionRequest{receiverId=${this.receiverId.toString()}}`;
  }
}
