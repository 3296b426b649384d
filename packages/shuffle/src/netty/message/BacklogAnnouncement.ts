import type { ByteBuf, ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import type { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { checkBodyLength, checkPositiveInt, readIntAtLeast, writeReceiverFrame } from './frame';

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
    this.backlog = checkPositiveInt('BacklogAnnouncement', 'backlog', backlog);
    this.receiverId = receiverId;
  }

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an out-of-range value.
   */
  static readFrom(body: ByteBuf): BacklogAnnouncement {
    checkBodyLength(body, 'BacklogAnnouncement', BacklogAnnouncement.BODY_LENGTH);
    const backlog = readIntAtLeast(body, 'BacklogAnnouncement', 'backlog', 1);
    return new BacklogAnnouncement(backlog, InputChannelID.fromByteBuf(body));
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    writeReceiverFrame(out, promise, allocator, this.id, this.receiverId, this.backlog);
  }

  override toString(): string {
    return `BacklogAnnouncement{backlog=${this.backlog}, receiverId=${this.receiverId.toString()}}`;
  }
}
