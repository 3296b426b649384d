import type { ByteBuf, ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import type { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { checkBodyLength, checkPositiveInt, readIntAtLeast, writeReceiverFrame } from './frame';

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
    this.bufferSize = checkPositiveInt('NewBufferSize', 'bufferSize', bufferSize);
    this.receiverId = receiverId;
  }

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an out-of-range value.
   */
  static readFrom(body: ByteBuf): NewBufferSize {
    checkBodyLength(body, 'NewBufferSize', NewBufferSize.BODY_LENGTH);
    const bufferSize = readIntAtLeast(body, 'NewBufferSize', 'bufferSize', 1);
    return new NewBufferSize(bufferSize, InputChannelID.fromByteBuf(body));
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    writeReceiverFrame(out, promise, allocator, this.id, this.receiverId, this.bufferSize);
  }

  override toString(): string {
    return `NewBufferSize{bufferSize=${this.bufferSize}, receiverId=${this.receiverId.toString()}}`;
  }
}
