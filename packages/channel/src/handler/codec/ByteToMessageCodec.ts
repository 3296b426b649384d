import type { ByteBuf } from '../../buffer/ByteBuf';
import type { ChannelPromise } from '../../channel/ChannelFuture';
import { ChannelDuplexHandler } from '../../channel/ChannelDuplexHandler';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { ByteToMessageDecoder } from './ByteToMessageDecoder';
import { MessageToByteEncoder } from './MessageToByteEncoder';
import { acceptAll, typeParameterMatcher, type MessageMatcher } from './TypeParameterMatcher';

/**
 * Port of io.netty.handler.codec.ByteToMessageCodec (Netty 4.1). Differs: the accepted outbound type is
 * given to the constructor (a class or a type guard) instead of being reflected from the type parameter.
 *
 * A {@link ByteToMessageDecoder} and a {@link MessageToByteEncoder} in one handler: inbound bytes are
 * cumulated and decoded by `decode`, accepted outbound messages are encoded by `encode` into a new
 * ByteBuf.
 *
 * ## Threading
 * Called on the channel's event loop. Keeps per-channel state: never `@Sharable` (the constructor throws).
 *
 * ## Ownership
 * As {@link ByteToMessageDecoder} inbound (push retained slices, the codec releases the cumulation) and as
 * {@link MessageToByteEncoder} outbound (the codec releases the accepted message and owns the output).
 *
 * ## Pitfalls
 * Removing the codec forwards its undecoded bytes downstream as a ByteBuf, as the decoder does.
 *
 * @example
 * class IntCodec extends ByteToMessageCodec<number> {
 *   constructor() { super((m): m is number => typeof m === 'number'); }
 *   protected encode(_ctx: ChannelHandlerContext, msg: number, out: ByteBuf): void { out.writeInt(msg); }
 *   protected decode(_ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
 *     if (input.readableBytes() >= 4) out.push(input.readInt());
 *   }
 * }
 */
export abstract class ByteToMessageCodec<I> extends ChannelDuplexHandler {
  private readonly outboundMatcher: (msg: unknown) => msg is I;
  private readonly encoder: CodecEncoder;
  private readonly decoder: CodecDecoder;

  /**
   * @param outbound the outbound messages to encode: a class or a type guard.
   * @param preferDirect allocate output with `ioBuffer()` (default true) rather than `heapBuffer()`.
   */
  constructor(outbound: MessageMatcher<I>, preferDirect = true) {
    super();
    this.ensureNotSharable();
    this.outboundMatcher = typeParameterMatcher(outbound);
    this.encoder = new CodecEncoder(
      preferDirect,
      (msg) => this.acceptOutboundMessage(msg),
      (ctx, msg, out) => this.encode(ctx, msg as I, out),
      (ctx, msg, direct) => this.allocateBuffer(ctx, msg as I, direct),
    );
    this.decoder = new CodecDecoder(
      (ctx, input, out) => this.decode(ctx, input, out),
      (ctx, input, out) => this.decodeLast(ctx, input, out),
    );
  }

  /** Whether `msg` is encoded (default: the outbound matcher). */
  acceptOutboundMessage(msg: unknown): msg is I {
    return this.outboundMatcher(msg);
  }

  /** See {@link ByteToMessageDecoder.setSingleDecode}. */
  setSingleDecode(singleDecode: boolean): void {
    this.decoder.setSingleDecode(singleDecode);
  }

  isSingleDecode(): boolean {
    return this.decoder.isSingleDecode();
  }

  override handlerAdded(ctx: ChannelHandlerContext): void {
    try {
      this.decoder.handlerAdded(ctx);
    } finally {
      this.encoder.handlerAdded(ctx);
    }
  }

  override handlerRemoved(ctx: ChannelHandlerContext): void {
    try {
      this.decoder.handlerRemoved(ctx);
    } finally {
      this.encoder.handlerRemoved(ctx);
    }
  }

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    this.decoder.channelRead(ctx, msg);
  }

  override channelReadComplete(ctx: ChannelHandlerContext): void {
    this.decoder.channelReadComplete(ctx);
  }

  override channelInactive(ctx: ChannelHandlerContext): void {
    this.decoder.channelInactive(ctx);
  }

  override userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
    this.decoder.userEventTriggered(ctx, evt);
  }

  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    this.encoder.write(ctx, msg, promise);
  }

  /** Allocates the buffer `encode()` writes into; override to size it for `msg`. */
  protected allocateBuffer(ctx: ChannelHandlerContext, _msg: I, preferDirect: boolean): ByteBuf {
    return preferDirect ? ctx.alloc().ioBuffer() : ctx.alloc().heapBuffer();
  }

  /** Writes the encoded form of `msg` into `out`. Do not release `msg`; the codec does. */
  protected abstract encode(ctx: ChannelHandlerContext, msg: I, out: ByteBuf): void;

  /** See {@link ByteToMessageDecoder} `decode`. */
  protected abstract decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void;

  /** See {@link ByteToMessageDecoder} `decodeLast`; default: `decode()` if anything is readable. */
  protected decodeLast(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    if (input.isReadable()) this.decode(ctx, input, out);
  }
}

type DecodeFn = (ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]) => void;

/** The codec's decoding half. */
class CodecDecoder extends ByteToMessageDecoder {
  constructor(
    private readonly decodeFn: DecodeFn,
    private readonly decodeLastFn: DecodeFn,
  ) {
    super();
  }
  protected decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    this.decodeFn(ctx, input, out);
  }
  protected override decodeLast(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    this.decodeLastFn(ctx, input, out);
  }
}

/** The codec's encoding half. */
class CodecEncoder extends MessageToByteEncoder<unknown> {
  constructor(
    preferDirect: boolean,
    private readonly acceptFn: (msg: unknown) => boolean,
    private readonly encodeFn: (ctx: ChannelHandlerContext, msg: unknown, out: ByteBuf) => void,
    private readonly allocateFn: (ctx: ChannelHandlerContext, msg: unknown, preferDirect: boolean) => ByteBuf,
  ) {
    super(acceptAll, preferDirect);
  }
  override acceptOutboundMessage(msg: unknown): msg is unknown {
    return this.acceptFn(msg);
  }
  protected encode(ctx: ChannelHandlerContext, msg: unknown, out: ByteBuf): void {
    this.encodeFn(ctx, msg, out);
  }
  protected override allocateBuffer(ctx: ChannelHandlerContext, msg: unknown, preferDirect: boolean): ByteBuf {
    return this.allocateFn(ctx, msg, preferDirect);
  }
}
