import type { ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame } from './frame';

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

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    const buf = allocateFrame(allocator, this.id, ResumeConsumption.BODY_LENGTH);
    this.receiverId.writeTo(buf);
    out.write(buf, promise);
  }

  override toString(): string {
    return `ResumeConsumption{receiverId=${this.receiverId.toString()}}`;
  }
}
