import { IllegalArgumentException, type ByteBuf, type ByteBufAllocator, type ChannelOutboundInvoker, type ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import type { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame, checkBodyLength, readIntAtLeast } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.SegmentId (Flink 1.20). Differs: a
 * top-level class.
 *
 * Client → server (hybrid shuffle / tiered storage): the consumer of {@link receiverId} needs segment {@link segmentId} (> 0) of subpartition {@link subpartitionId} next.
 * Body: subpartitionId (4), segmentId (4), receiverId (16).
 */
export class SegmentId extends NettyMessage {
  static readonly BODY_LENGTH = 4 + 4 + InputChannelID.SIZE;
  override readonly id = MessageId.SEGMENT_ID;
  readonly subpartitionId: number;
  readonly segmentId: number;
  readonly receiverId: InputChannelID;

  constructor(subpartitionId: number, segmentId: number, receiverId: InputChannelID) {
    super();
    if (!Number.isInteger(segmentId) || segmentId <= 0 || segmentId > 0x7fffffff) {
      throw new IllegalArgumentException(`SegmentId: segmentId ${segmentId} (expected: an int > 0)`);
    }
    if (!Number.isInteger(subpartitionId) || subpartitionId < 0 || subpartitionId > 0x7fffffff) {
      throw new IllegalArgumentException(`SegmentId: subpartitionId ${subpartitionId} (expected: an int >= 0)`);
    }
    this.subpartitionId = subpartitionId;
    this.segmentId = segmentId;
    this.receiverId = receiverId;
  }

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an out-of-range value.
   */
  static readFrom(body: ByteBuf): SegmentId {
    checkBodyLength(body, 'SegmentId', SegmentId.BODY_LENGTH);
    const subpartitionId = readIntAtLeast(body, 'SegmentId', 'subpartitionId', 0);
    const segmentId = readIntAtLeast(body, 'SegmentId', 'segmentId', 1);
    return new SegmentId(subpartitionId, segmentId, InputChannelID.fromByteBuf(body));
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    const buf = allocateFrame(allocator, this.id, SegmentId.BODY_LENGTH);
    buf.writeInt(this.subpartitionId);
    buf.writeInt(this.segmentId);
    this.receiverId.writeTo(buf);
    out.write(buf, promise);
  }

  override toString(): string {
    return `SegmentId{subpartitionId=${this.subpartitionId}, segmentId=${this.segmentId}, receiverId=${this.receiverId.toString()}}`;
  }
}
