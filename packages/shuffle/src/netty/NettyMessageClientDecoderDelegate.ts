import { ByteBuf, ChannelInboundHandlerAdapter, type ChannelHandlerContext } from '@sluice/channel';
import { BufferResponseDecoder } from './BufferResponseDecoder';
import { ProtocolException } from './errors';
import { checkFrameLength, checkMagicNumber, checkMaxFrameLength } from './message/frame';
import { MessageId, NettyMessage } from './NettyMessage';
import type { NettyMessageSubDecoder } from './NettyMessageSubDecoder';
import { NetworkBufferAllocator, type BufferReceiverLookup } from './NetworkBufferAllocator';
import { NonBufferResponseDecoder } from './NonBufferResponseDecoder';

/** Java's Integer.MAX_VALUE: Flink's frame limit. */

/** Options of {@link NettyMessageClientDecoderDelegate}. */
export interface NettyMessageClientDecoderDelegateOptions {
  /** Largest accepted frame in bytes, including the 9-byte header (default: 2^31 − 1, Flink's). */
  maxFrameLength?: number;
}

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessageClientDecoderDelegate (Flink 1.20).
 * Differs: frames shorter than 9 bytes or longer than {@link NettyMessageClientDecoderDelegateOptions.maxFrameLength}
 * and unknown ids are rejected when the frame header is read; after a protocol error the connection's
 * further bytes are dropped (the handler closes it); accepts a narrow {@link BufferReceiverLookup} (a
 * NetworkClientHandler is one).
 *
 * The client's decoder (reference §1.5). It replaces a generic frame decoder so that a BufferResponse's
 * payload is copied exactly once, from the socket buffer into a buffer of the target channel: it
 * accumulates the 9-byte frame header (across reads if need be), checks it, and hands the body to the
 * {@link BufferResponseDecoder} (id 0) or the {@link NonBufferResponseDecoder} (ids 1 and 9), firing each
 * message downstream as soon as it is complete.
 *
 * ## Threading
 * Only ever called on the connection's event loop; per-connection state, not `@Sharable`.
 *
 * ## Ownership
 * Releases every ByteBuf it reads. A fired message's buffer belongs to the next handler. On channel
 * inactive (or removal) the sub-decoders are closed: a half-received payload buffer is recycled.
 *
 * ## Pitfalls
 * A {@link ProtocolException} (wrong magic, bad length, unknown id, inconsistent header) names the remote
 * address; it is thrown from `channelRead`, so it reaches `exceptionCaught` of the client handler, which
 * fails every channel of the connection and closes it.
 */
export class NettyMessageClientDecoderDelegate extends ChannelInboundHandlerAdapter {
  private readonly bufferResponseDecoder: BufferResponseDecoder;
  private readonly nonBufferResponseDecoder: NonBufferResponseDecoder;
  private readonly maxFrameLength: number;
  /** The 9-byte frame header being accumulated; `null` before active and after inactive. */
  private frameHeaderBuffer: ByteBuf | null = null;
  /** The sub-decoder of the message whose body is being read, or `null` while a frame header is. */
  private currentDecoder: NettyMessageSubDecoder | null = null;
  /** A protocol error happened: the stream position is lost, further bytes are dropped. */
  private corrupted = false;

  constructor(networkClientHandler: BufferReceiverLookup, options: NettyMessageClientDecoderDelegateOptions = {}) {
    super();
    this.maxFrameLength = checkMaxFrameLength(options.maxFrameLength);
    this.bufferResponseDecoder = new BufferResponseDecoder(new NetworkBufferAllocator(networkClientHandler));
    this.nonBufferResponseDecoder = new NonBufferResponseDecoder();
  }

  override handlerAdded(ctx: ChannelHandlerContext): void {
    if (ctx.channel().isActive()) this.init(ctx);
  }

  override channelActive(ctx: ChannelHandlerContext): void {
    this.init(ctx);
    ctx.fireChannelActive();
  }

  override channelInactive(ctx: ChannelHandlerContext): void {
    this.closeDecoders();
    ctx.fireChannelInactive();
  }

  override handlerRemoved(_ctx: ChannelHandlerContext): void {
    this.closeDecoders();
  }

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    if (!(msg instanceof ByteBuf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    const data = msg;
    try {
      if (this.corrupted) return;
      if (this.frameHeaderBuffer === null) this.init(ctx);
      this.decode(ctx, data);
    } catch (e) {
      this.corrupted = true;
      throw e instanceof ProtocolException ? this.withAddress(ctx, e) : e;
    } finally {
      data.release();
    }
  }

  private decode(ctx: ChannelHandlerContext, data: ByteBuf): void {
    for (;;) {
      let decoder = this.currentDecoder;
      if (decoder === null) {
        if (!data.isReadable()) return;
        decoder = this.decodeFrameHeader(data);
        if (decoder === null) return;
      }
      const message = decoder.onChannelRead(data);
      if (message === null) return;
      this.currentDecoder = null;
      this.frameHeaderBuffer?.clear();
      ctx.fireChannelRead(message);
      // A handler may have closed the connection while handling the message: drop the rest.
      if (this.frameHeaderBuffer === null) {
        data.skipBytes(data.readableBytes());
        return;
      }
    }
  }

  /** Accumulates the frame header; once complete, checks it and returns the body's sub-decoder. */
  private decodeFrameHeader(data: ByteBuf): NettyMessageSubDecoder | null {
    const acc = this.frameHeaderBuffer!;
    const header = accumulateFrameHeader(acc, data);
    if (header === null) return null;
    const frameLength = header.readInt();
    const magic = header.readInt();
    const msgId = header.readUnsignedByte();
    checkMagicNumber(magic);
    checkFrameLength(frameLength, this.maxFrameLength);
    const decoder = msgId === MessageId.BUFFER_RESPONSE ? this.bufferResponseDecoder : this.nonBufferResponseDecoder;
    decoder.onNewMessageReceived(msgId, frameLength - NettyMessage.FRAME_HEADER_LENGTH);
    this.currentDecoder = decoder;
    return decoder;
  }

  private init(ctx: ChannelHandlerContext): void {
    if (this.frameHeaderBuffer !== null) return;
    this.frameHeaderBuffer = ctx.alloc().buffer(NettyMessage.FRAME_HEADER_LENGTH, NettyMessage.FRAME_HEADER_LENGTH);
    this.bufferResponseDecoder.onChannelActive(ctx);
    this.nonBufferResponseDecoder.onChannelActive(ctx);
  }

  private closeDecoders(): void {
    this.currentDecoder = null;
    this.bufferResponseDecoder.close();
    this.nonBufferResponseDecoder.close();
    const acc = this.frameHeaderBuffer;
    this.frameHeaderBuffer = null;
    if (acc !== null) acc.release();
  }

  private withAddress(ctx: ChannelHandlerContext, e: ProtocolException): ProtocolException {
    const remote = ctx.channel().remoteAddress();
    return new ProtocolException(`${e.message} (remote: ${remote === null ? 'unknown' : remote.toString()})`, { cause: e });
  }
}

/**
 * Accumulates the 9-byte frame header: returns `data` itself if the header is complete in it and nothing
 * was accumulated (read in place), `acc` once it holds 9 bytes, else `null`.
 */
function accumulateFrameHeader(acc: ByteBuf, data: ByteBuf): ByteBuf | null {
  const accumulated = acc.readableBytes();
  if (accumulated === 0 && data.readableBytes() >= NettyMessage.FRAME_HEADER_LENGTH) return data;
  const copy = Math.min(data.readableBytes(), NettyMessage.FRAME_HEADER_LENGTH - accumulated);
  if (copy > 0) acc.writeBytes(data, copy);
  return acc.readableBytes() === NettyMessage.FRAME_HEADER_LENGTH ? acc : null;
}
