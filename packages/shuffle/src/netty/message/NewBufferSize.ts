import { IllegalArgumentException, type ByteBufAllocator, type ChannelOutboundInvoker, type ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.NewBufferSize (Flink 1.20). Differs: a
 * top-level class.
 *
 * Client → server: the producer should use buffers of {@link bufferSize} bytes (> 0) for {@link receiverId} (buffer debloating, reference §2.5).
 * Body: bufferSize (4), receiverId (16).
 */
export class NewBufferSize extends NettyMessage {
  static readonly BODY_LENGTH = 4 + InputChannelID.SIZE;
  override readonly id = MessageId.NEW_BUFFER_SIZE;
  readonly bufferSize: number;
  readonly receiverId: InputChannelID;

  constructor(bufferSize: number, receiverId: InputChannelID) {
    super();
    if (!Number.isInteger(bufferSize) || bufferSize <= 0 || bufferSize > 0x7fffffff) {
      throw new IllegalArgumentException(`NewBufferSize: bufferSize ${bufferSize} (expected: an int > 0)`);
    }
    this.bufferSize = bufferSize;
    this.receiverId = receiverId;
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    const buf = allocateFrame(allocator, this.id, NewBufferSize.BODY_LENGTH);
    buf.writeInt(this.bufferSize);
    this.receiverId.writeTo(buf);
    out.write(buf, promise);
  }

  override toString(): string {
    return `NewBufferSize{bufferSize=${this.bufferSize}, receiverId=${this.receiverId.toString()}}`;
  }
}
