import type { ByteBuf, ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import type { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { checkBodyLength, writeReceiverFrame } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.AckAllUserRecordsProcessed (Flink 1.20). Differs: a
 * top-level class.
 *
 * Client → server: the consumer of {@link receiverId} processed every record before EndOfData; the producer may finish.
 * Body: receiverId (16).
 */
export class AckAllUserRecordsProcessed extends NettyMessage {
  static readonly BODY_LENGTH = InputChannelID.SIZE;
  override readonly id = MessageId.ACK_ALL_USER_RECORDS_PROCESSED;
  readonly receiverId: InputChannelID;

  constructor(receiverId: InputChannelID) {
    super();
    this.receiverId = receiverId;
  }

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an out-of-range value.
   */
  static readFrom(body: ByteBuf): AckAllUserRecordsProcessed {
    checkBodyLength(body, 'AckAllUserRecordsProcessed', AckAllUserRecordsProcessed.BODY_LENGTH);
    return new AckAllUserRecordsProcessed(InputChannelID.fromByteBuf(body));
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    writeReceiverFrame(out, promise, allocator, this.id, this.receiverId);
  }

  override toString(): string {
    return `AckAllUserRecordsProcessed{receiverId=${this.receiverId.toString()}}`;
  }
}
