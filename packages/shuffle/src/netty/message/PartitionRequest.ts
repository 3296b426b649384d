import { IllegalArgumentException, type ByteBuf, type ByteBufAllocator, type ChannelOutboundInvoker, type ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import { ResultPartitionID } from '../../partition/ResultPartitionID';
import type { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame, checkBodyLength, readIntAtLeast } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.PartitionRequest (Flink 1.20). Differs:
 * a top-level class; the subpartition range is two ints here rather than a `ResultSubpartitionIndexSet`
 * (same bytes), and Sluice's server serves one subpartition per reader (the range must be a single index).
 *
 * Client → server: open a reader for subpartitions `[startIndex, endIndex]` of {@link partitionId} for the
 * channel {@link receiverId}, with {@link credit} = the channel's exclusive buffers (its initial credit).
 * Body (88 bytes): IntermediateResultPartitionID (20), ExecutionAttemptID (40), startIndex (4),
 * endIndex (4), receiverId (16), credit (4).
 */
export class PartitionRequest extends NettyMessage {
  static readonly BODY_LENGTH = ResultPartitionID.SIZE + 8 + InputChannelID.SIZE + 4;
  override readonly id = MessageId.PARTITION_REQUEST;
  readonly partitionId: ResultPartitionID;
  /** First requested subpartition. */
  readonly startIndex: number;
  /** Last requested subpartition (inclusive). */
  readonly endIndex: number;
  readonly receiverId: InputChannelID;
  /** Initial credit (>= 0). */
  readonly credit: number;

  constructor(partitionId: ResultPartitionID, startIndex: number, endIndex: number, receiverId: InputChannelID, credit: number) {
    super();
    for (const [name, value] of [['startIndex', startIndex], ['endIndex', endIndex], ['credit', credit]] as const) {
      if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
        throw new IllegalArgumentException(`PartitionRequest: ${name} ${value} (expected: an int >= 0)`);
      }
    }
    if (endIndex < startIndex) throw new IllegalArgumentException(`PartitionRequest: endIndex ${endIndex} < startIndex ${startIndex}`);
    this.partitionId = partitionId;
    this.startIndex = startIndex;
    this.endIndex = endIndex;
    this.receiverId = receiverId;
    this.credit = credit;
  }

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an out-of-range value.
   */
  static readFrom(body: ByteBuf): PartitionRequest {
    checkBodyLength(body, 'PartitionRequest', PartitionRequest.BODY_LENGTH);
    const partitionId = ResultPartitionID.fromByteBuf(body);
    const startIndex = readIntAtLeast(body, 'PartitionRequest', 'startIndex', 0);
    const endIndex = readIntAtLeast(body, 'PartitionRequest', 'endIndex', startIndex);
    const receiverId = InputChannelID.fromByteBuf(body);
    const credit = readIntAtLeast(body, 'PartitionRequest', 'credit', 0);
    return new PartitionRequest(partitionId, startIndex, endIndex, receiverId, credit);
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    const buf = allocateFrame(allocator, this.id, PartitionRequest.BODY_LENGTH);
    this.partitionId.writeTo(buf); // partition id (20), then producer id (40)
    buf.writeInt(this.startIndex);
    buf.writeInt(this.endIndex);
    this.receiverId.writeTo(buf);
    buf.writeInt(this.credit);
    out.write(buf, promise);
  }

  override toString(): string {
    const range = this.startIndex === this.endIndex ? `${this.startIndex}` : `${this.startIndex}..${this.endIndex}`;
    return `PartitionRequest{${this.partitionId.toString()}:${range}, receiverId=${this.receiverId.toString()}, credit=${this.credit}}`;
  }
}
