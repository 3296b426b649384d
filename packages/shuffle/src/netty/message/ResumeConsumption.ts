import type { ByteBuf, ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import type { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { checkBodyLength, writeReceiverFrame } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.ResumeConsumption (Flink 1.20). Differs: a
 * top-level class.
 *
 * Client → server: unblock the subpartition of {@link receiverId} after an aligned checkpoint barrier (reference §2.4).
 * Body: receiverId (16).
 */
export class ResumeConsumption extends NettyMessage {
  static readonly BODY_LENGTH = InputChannelID.SIZE;
  override readonly id = MessageId.RESUME_CONSUMPTION;
  readonly receiverId: InputChannelID;

  constructor(receiverId: InputChannelID) {
    super();
    this.receiverId = receiverId;
  }

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an out-of-range value.
   */
  static readFrom(body: ByteBuf): ResumeConsumption {
    checkBodyLength(body, 'ResumeConsumption', ResumeConsumption.BODY_LENGTH);
    return new ResumeConsumption(InputChannelID.fromByteBuf(body));
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    writeReceiverFrame(out, promise, allocator, this.id, this.receiverId);
  }

  override toString(): string {
    return `ResumeConsumption{receiverId=${this.receiverId.toString()}}`;
  }
}
