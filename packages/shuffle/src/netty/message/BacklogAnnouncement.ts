import { IllegalArgumentException, type ByteBufAllocator, type ChannelOutboundInvoker, type ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.BacklogAnnouncement (Flink 1.20). Differs: a
 * top-level class.
 *
 * Server → client: {@link backlog} data buffers (> 0) wait for {@link receiverId}, which has no credit (zero exclusive buffers, reference §2.6).
 * Body: backlog (4), receiverId (16).
 */
export class BacklogAnnouncement extends NettyMessage {
  static readonly BODY_LENGTH = 4 + InputChannelID.SIZE;
  override readonly id = MessageId.BACKLOG_ANNOUNCEMENT;
  readonly backlog: number;
  readonly receiverId: InputChannelID;

  constructor(backlog: number, receiverId: InputChannelID) {
    super();
    if (!Number.isInteger(backlog) || backlog <= 0 || backlog > 0x7fffffff) {
      throw new IllegalArgumentException(`BacklogAnnouncement: backlog ${backlog} (expected: an int > 0)`);
    }
    this.backlog = backlog;
    this.receiverId = receiverId;
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    const buf = allocateFrame(allocator, this.id, BacklogAnnouncement.BODY_LENGTH);
    buf.writeInt(this.backlog);
    this.receiverId.writeTo(buf);
    out.write(buf, promise);
  }

  override toString(): string {
    return `BacklogAnnouncement{backlog=${this.backlog}, receiverId=${this.receiverId.toString()}}`;
  }
}
