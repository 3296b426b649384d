import type { ByteBuf, ChannelHandlerContext } from '@sluice/channel';
import { ProtocolException } from './errors';
import { BacklogAnnouncement } from './message/BacklogAnnouncement';
import { ErrorResponse } from './message/ErrorResponse';
import { MessageId, type NettyMessage } from './NettyMessage';
import { NettyMessageSubDecoder } from './NettyMessageSubDecoder';

/** Initial capacity of the body accumulator (Flink: 128); it grows to the largest body seen. */
const INITIAL_MESSAGE_BUFFER_SIZE = 128;

/**
 * Port of org.apache.flink.runtime.io.network.netty.NonBufferResponseDecoder (Flink 1.20). Differs: the
 * body is parsed from a slice of the socket buffer when it arrived in one piece (Flink copies it always).
 *
 * Decodes the server → client messages other than BufferResponse: ErrorResponse and
 * BacklogAnnouncement. The body is accumulated (across reads if needed), then parsed; any other id is a
 * {@link ProtocolException}.
 *
 * ## Threading
 * Only ever called on the connection's event loop.
 *
 * ## Ownership
 * Owns its accumulation buffer (allocated on channel active, released by {@link close}).
 */
export class NonBufferResponseDecoder extends NettyMessageSubDecoder {
  private messageBuffer: ByteBuf | null = null;

  override onChannelActive(ctx: ChannelHandlerContext): void {
    if (this.messageBuffer === null) this.messageBuffer = ctx.alloc().buffer(INITIAL_MESSAGE_BUFFER_SIZE);
  }

  override onNewMessageReceived(msgId: number, messageLength: number): void {
    if (msgId !== MessageId.ERROR_RESPONSE && msgId !== MessageId.BACKLOG_ANNOUNCEMENT) {
      throw new ProtocolException(`Received unknown message from producer: id ${msgId} (expected: 0, 1 or 9)`);
    }
    super.onNewMessageReceived(msgId, messageLength);
    this.messageBuffer?.clear();
  }

  override onChannelRead(data: ByteBuf): NettyMessage | null {
    const acc = this.messageBuffer;
    if (acc === null) throw new ProtocolException('NonBufferResponseDecoder used after close');
    const length = this.messageLength;
    const full = NettyMessageSubDecoder.accumulate(acc, data, length, acc.readableBytes());
    if (full === null) return null;
    let body: ByteBuf;
    if (full === data) {
      body = data.slice(data.readerIndex(), length);
      data.skipBytes(length);
    } else {
      body = acc;
    }
    const message = this.msgId === MessageId.ERROR_RESPONSE ? ErrorResponse.readFrom(body) : BacklogAnnouncement.readFrom(body);
    acc.clear();
    return message;
  }

  override close(): void {
    const acc = this.messageBuffer;
    this.messageBuffer = null;
    if (acc !== null) acc.release();
  }
}
