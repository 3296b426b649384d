import type { ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame } from './frame';

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

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    const buf = allocateFrame(allocator, this.id, CancelPartitionRequest.BODY_LENGTH);
    this.receiverId.writeTo(buf);
    out.write(buf, promise);
  }

  override toString(): string {
    return `CancelPartitionRequest{receiverId=${this.receiverId.toString()}}`;
  }
}
