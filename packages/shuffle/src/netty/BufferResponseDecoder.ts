import type { ByteBuf, ChannelHandlerContext } from '@sluice/channel';
import { ProtocolException } from './errors';
import { BufferResponse } from './message/BufferResponse';
import type { NettyMessage } from './NettyMessage';
import { NettyMessageSubDecoder } from './NettyMessageSubDecoder';
import type { NetworkBufferAllocator } from './NetworkBufferAllocator';

const HEADER = BufferResponse.MESSAGE_HEADER_LENGTH;

/**
 * Port of org.apache.flink.runtime.io.network.netty.BufferResponseDecoder (Flink 1.20). Differs: checks
 * that the header's sizes add up to the frame length before anything is allocated.
 *
 * Decodes BufferResponses on the client (reference §1.5): accumulates the message header (38 bytes,
 * then 4 per partial buffer size; possibly across reads, parsed in place when it arrived whole), asks the
 * target channel for a buffer BEFORE any payload arrives ({@link BufferResponse.readFrom}), then copies
 * the payload straight from the socket buffers into that buffer — the only copy of the payload. Without
 * a buffer (unknown or released channel) the payload bytes are skipped.
 *
 * ## Threading
 * Only ever called on the connection's event loop.
 *
 * ## Ownership
 * The buffer of the message being received is this decoder's until the message is complete (then the
 * message's taker owns it), or until {@link close} recycles it.
 */
export class BufferResponseDecoder extends NettyMessageSubDecoder {
  private readonly allocator: NetworkBufferAllocator;
  private messageHeaderBuffer: ByteBuf | null = null;
  /** The message whose payload is being received, or `null` while its header is. */
  private bufferResponse: BufferResponse | null = null;
  /** Payload bytes received (copied or skipped) so far. */
  private decodedDataBufferSize = 0;
  /** Length of the whole message header once known (38 + 4 × partials), else 38. */
  private headerLength = HEADER;

  constructor(allocator: NetworkBufferAllocator) {
    super();
    this.allocator = allocator;
  }

  override onChannelActive(ctx: ChannelHandlerContext): void {
    if (this.messageHeaderBuffer === null) this.messageHeaderBuffer = ctx.alloc().buffer(HEADER);
  }

  override onNewMessageReceived(msgId: number, messageLength: number): void {
    if (messageLength < HEADER) {
      throw new ProtocolException(`BufferResponse: body of ${messageLength} bytes (expected: at least ${HEADER})`);
    }
    super.onNewMessageReceived(msgId, messageLength);
    this.bufferResponse = null;
    this.decodedDataBufferSize = 0;
    this.headerLength = HEADER;
    this.messageHeaderBuffer?.clear();
  }

  override onChannelRead(data: ByteBuf): NettyMessage | null {
    let response = this.bufferResponse;
    if (response === null) {
      response = this.decodeMessageHeader(data);
      if (response === null) return null;
      this.bufferResponse = response;
    }
    const size = response.bufferSize;
    const remaining = Math.min(data.readableBytes(), size - this.decodedDataBufferSize);
    if (remaining > 0) {
      const buffer = response.buffer;
      if (buffer === null) data.skipBytes(remaining);
      else buffer.asByteBuf().writeBytes(data, remaining);
      this.decodedDataBufferSize += remaining;
    }
    if (this.decodedDataBufferSize !== size) return null;
    this.bufferResponse = null;
    this.decodedDataBufferSize = 0;
    return response;
  }

  /** Accumulates the message header; parses it (allocating the payload buffer) once complete. */
  private decodeMessageHeader(data: ByteBuf): BufferResponse | null {
    const acc = this.messageHeaderBuffer;
    if (acc === null) throw new ProtocolException('BufferResponseDecoder used after close');
    let accumulated = acc.readableBytes();
    if (accumulated === 0 && data.readableBytes() >= HEADER) {
      // Fast path: the fixed header is in this read; if the partial sizes are too, parse in place.
      this.headerLength = this.checkHeader(data, data.readerIndex());
      if (data.readableBytes() >= this.headerLength) return BufferResponse.readFrom(data, this.allocator);
    }
    if (accumulated < HEADER) {
      const full = NettyMessageSubDecoder.accumulate(acc, data, HEADER, accumulated);
      if (full === null) return null;
      if (full === data) acc.writeBytes(data, HEADER); // only when accumulated was 0 (handled above unless short)
      this.headerLength = this.checkHeader(acc, acc.readerIndex());
      accumulated = HEADER;
    }
    const full = NettyMessageSubDecoder.accumulate(acc, data, this.headerLength, accumulated);
    if (full === null) return null;
    return BufferResponse.readFrom(acc, this.allocator);
  }

  /** Checks the sizes in the 38-byte header at `index`; returns the whole header length. */
  private checkHeader(buf: ByteBuf, index: number): number {
    const bodyLength = BufferResponse.bodyLength(buf, index);
    if (bodyLength !== this.messageLength) {
      throw new ProtocolException(
        bodyLength < 0
          ? 'BufferResponse: negative numOfPartialBuffers or bufferSize in the message header'
          : `BufferResponse: header announces ${bodyLength} body bytes, but the frame has ${this.messageLength}`,
      );
    }
    return HEADER + 4 * BufferResponse.numOfPartialBuffers(buf, index);
  }

  override close(): void {
    const response = this.bufferResponse;
    this.bufferResponse = null;
    if (response !== null) response.releaseBuffer();
    const acc = this.messageHeaderBuffer;
    this.messageHeaderBuffer = null;
    if (acc !== null) acc.release();
  }
}
