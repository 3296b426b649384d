import type { ChannelPromise } from '../../channel/ChannelFuture';
import { ChannelDuplexHandler } from '../../channel/ChannelDuplexHandler';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { MessageToMessageDecoder } from './MessageToMessageDecoder';
import { MessageToMessageEncoder } from './MessageToMessageEncoder';
import { acceptAll, typeParameterMatcher, type MessageMatcher } from './TypeParameterMatcher';

/**
 * Port of io.netty.handler.codec.MessageToMessageCodec (Netty 4.1). Differs: both accepted message types
 * are given to the constructor (classes or type guards) instead of being reflected from the type
 * parameters.
 *
 * Decodes inbound messages and encodes outbound ones on the fly, in one handler: inbound messages accepted
 * by `acceptInboundMessage` go through `decode`, outbound ones accepted by `acceptOutboundMessage` through
 * `encode`, with the rules of {@link MessageToMessageDecoder} and {@link MessageToMessageEncoder}.
 *
 * ## Threading
 * Called on the channel's event loop. May be `@Sharable` if the subclass keeps no state.
 *
 * ## Ownership
 * Accepted messages are released after `decode`/`encode`; push `msg.retain()` to pass one on. Outputs are
 * handed on with their references.
 *
 * ## Pitfalls
 * `encode` must produce at least one message; `decode` may produce none. Encoding failures fail the write
 * promise, decoding failures reach `exceptionCaught`.
 *
 * @example
 * class NumberCodec extends MessageToMessageCodec<string, number> {
 *   constructor() {
 *     super((m): m is string => typeof m === 'string', (m): m is number => typeof m === 'number');
 *   }
 *   protected decode(_ctx: ChannelHandlerContext, msg: string, out: unknown[]): void { out.push(Number(msg)); }
 *   protected encode(_ctx: ChannelHandlerContext, msg: number, out: unknown[]): void { out.push(String(msg)); }
 * }
 */
export abstract class MessageToMessageCodec<INBOUND_IN, OUTBOUND_IN> extends ChannelDuplexHandler {
  private readonly inboundMatcher: (msg: unknown) => msg is INBOUND_IN;
  private readonly outboundMatcher: (msg: unknown) => msg is OUTBOUND_IN;
  private readonly encoder: MessageToMessageEncoder<unknown>;
  private readonly decoder: MessageToMessageDecoder<unknown>;

  /**
   * @param inbound the inbound messages to decode: a class or a type guard.
   * @param outbound the outbound messages to encode: a class or a type guard.
   */
  constructor(inbound: MessageMatcher<INBOUND_IN>, outbound: MessageMatcher<OUTBOUND_IN>) {
    super();
    this.inboundMatcher = typeParameterMatcher(inbound);
    this.outboundMatcher = typeParameterMatcher(outbound);
    this.encoder = new CodecEncoder(this, (ctx, msg, out) => this.encode(ctx, msg as OUTBOUND_IN, out));
    this.decoder = new CodecDecoder(this, (ctx, msg, out) => this.decode(ctx, msg as INBOUND_IN, out));
  }

  /** Whether `msg` is decoded (default: the inbound matcher). */
  acceptInboundMessage(msg: unknown): msg is INBOUND_IN {
    return this.inboundMatcher(msg);
  }

  /** Whether `msg` is encoded (default: the outbound matcher). */
  acceptOutboundMessage(msg: unknown): msg is OUTBOUND_IN {
    return this.outboundMatcher(msg);
  }

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    this.decoder.channelRead(ctx, msg);
  }

  override channelReadComplete(ctx: ChannelHandlerContext): void {
    this.decoder.channelReadComplete(ctx);
  }

  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    this.encoder.write(ctx, msg, promise);
  }

  /** Encodes `msg` into one or more messages pushed to `out`. */
  protected abstract encode(ctx: ChannelHandlerContext, msg: OUTBOUND_IN, out: unknown[]): void;

  /** Decodes `msg` into zero or more messages pushed to `out`. */
  protected abstract decode(ctx: ChannelHandlerContext, msg: INBOUND_IN, out: unknown[]): void;
}

type CodecFn = (ctx: ChannelHandlerContext, msg: unknown, out: unknown[]) => void;

/** The codec's encoding half: delegates matching and encoding to the codec. */
class CodecEncoder extends MessageToMessageEncoder<unknown> {
  constructor(
    private readonly codec: MessageToMessageCodec<unknown, unknown>,
    private readonly encodeFn: CodecFn,
  ) {
    super(acceptAll);
  }
  override acceptOutboundMessage(msg: unknown): msg is unknown {
    return this.codec.acceptOutboundMessage(msg);
  }
  protected encode(ctx: ChannelHandlerContext, msg: unknown, out: unknown[]): void {
    this.encodeFn(ctx, msg, out);
  }
  override isSharable(): boolean {
    return this.codec.isSharable();
  }
}

/** The codec's decoding half: delegates matching and decoding to the codec. */
class CodecDecoder extends MessageToMessageDecoder<unknown> {
  constructor(
    private readonly codec: MessageToMessageCodec<unknown, unknown>,
    private readonly decodeFn: CodecFn,
  ) {
    super(acceptAll);
  }
  override acceptInboundMessage(msg: unknown): msg is unknown {
    return this.codec.acceptInboundMessage(msg);
  }
  protected decode(ctx: ChannelHandlerContext, msg: unknown, out: unknown[]): void {
    this.decodeFn(ctx, msg, out);
  }
  override isSharable(): boolean {
    return this.codec.isSharable();
  }
}
