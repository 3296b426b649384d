import type { ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame } from './frame';

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

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    const buf = allocateFrame(allocator, this.id, AckAllUserRecordsProcessed.BODY_LENGTH);
    this.receiverId.writeTo(buf);
    out.write(buf, promise);
  }

  override toString(): string {
    return `AckAllUserRecordsProcessed{receiverId=${this.receiverId.toString()}}`;
  }
}
