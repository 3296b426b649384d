import type { ByteBuf, ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import type { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { checkBodyLength, checkPositiveInt, readIntAtLeast, writeReceiverFrame } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.AddCredit (Flink 1.20). Differs: a
 * top-level class.
 *
 * Client → server: {@link credit} more buffers (incremental, > 0) are free to receive data for {@link receiverId} (reference §2 steps 9–10).
 * Body: credit (4), receiverId (16).
 */
export class AddCredit extends NettyMessage {
  static readonly BODY_LENGTH = 4 + InputChannelID.SIZE;
  override readonly id = MessageId.ADD_CREDIT;
  readonly credit: number;
  readonly receiverId: InputChannelID;

  constructor(credit: number, receiverId: InputChannelID) {
    super();
    this.credit = checkPositiveInt('AddCredit', 'credit', credit);
    this.receiverId = receiverId;
  }

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an out-of-range value.
   */
  static readFrom(body: ByteBuf): AddCredit {
    checkBodyLength(body, 'AddCredit', AddCredit.BODY_LENGTH);
    const credit = readIntAtLeast(body, 'AddCredit', 'credit', 1);
    return new AddCredit(credit, InputChannelID.fromByteBuf(body));
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    writeReceiverFrame(out, promise, allocator, this.id, this.receiverId, this.credit);
  }

  override toString(): string {
    return `AddCredit{credit=${this.credit}, receiverId=${this.receiverId.toString()}}`;
  }
}
