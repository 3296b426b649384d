import { ReferenceCountUtil } from '../../buffer/ReferenceCountUtil';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../channel/ChannelInboundHandlerAdapter';
import { toError } from '../../util/SluiceError';
import { DecoderException } from './errors';
import { typeParameterMatcher, type MessageMatcher } from './TypeParameterMatcher';

/**
 * Port of io.netty.handler.codec.MessageToMessageDecoder (Netty 4.1). Differs: the accepted message type
 * is given to the constructor (a class or a type guard).
 *
 * Decodes each accepted inbound message into zero or more messages, fired to the next handler in order.
 * Other messages pass through unchanged. As in recent Netty 4.1, a read batch that produced nothing
 * requests more data (`ctx.read()`) when autoRead is off.
 *
 * ## Threading
 * Called on the channel's event loop. A stateless subclass may be `@Sharable`; it then skips the
 * per-channel bookkeeping of the autoRead-off request.
 *
 * ## Ownership
 * The decoder releases the accepted message after `decode()` (also when it throws); push `msg.retain()`
 * (or a retained slice) to pass it, or part of it, on. Outputs are fired with their references.
 *
 * ## Pitfalls
 * Messages pushed before `decode()` threw are still fired; the error (wrapped in DecoderException unless
 * it is one) then reaches `exceptionCaught`.
 *
 * @example
 * class Utf8Decoder extends MessageToMessageDecoder<ByteBuf> {
 *   constructor() { super(ByteBuf); }
 *   protected decode(_ctx: ChannelHandlerContext, msg: ByteBuf, out: unknown[]): void {
 *     out.push(msg.toString('utf8'));
 *   }
 * }
 */
export abstract class MessageToMessageDecoder<I> extends ChannelInboundHandlerAdapter {
  private readonly matcher: (msg: unknown) => msg is I;
  private decodeCalled = false;
  private messageProduced = false;
  /** Reused output array (no allocation per message); a re-entrant channelRead gets a fresh one. */
  private readonly sharedOut: unknown[] = [];
  private sharedOutInUse = false;

  /** @param accept the messages to decode: a class or a type guard. */
  constructor(accept: MessageMatcher<I>) {
    super();
    this.matcher = typeParameterMatcher(accept);
  }

  /** Whether `msg` is decoded by this decoder (default: the matcher given to the constructor). */
  acceptInboundMessage(msg: unknown): msg is I {
    return this.matcher(msg);
  }

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    this.decodeCalled = true;
    const out = this.acquireOut();
    try {
      if (this.acceptInboundMessage(msg)) {
        try {
          this.decode(ctx, msg, out);
        } finally {
          ReferenceCountUtil.release(msg);
        }
      } else {
        out.push(msg);
      }
    } catch (e) {
      throw e instanceof DecoderException ? e : new DecoderException(toError(e), { channel: ctx.channel() });
    } finally {
      try {
        const size = out.length;
        if (size > 0) this.messageProduced = true;
        for (let i = 0; i < size; i++) ctx.fireChannelRead(out[i]);
      } finally {
        this.releaseOut(out);
      }
    }
  }

  private acquireOut(): unknown[] {
    if (this.sharedOutInUse) return [];
    this.sharedOutInUse = true;
    return this.sharedOut;
  }

  private releaseOut(out: unknown[]): void {
    // pop() keeps the backing store for the next message; `length = 0` would drop it.
    while (out.length > 0) out.pop();
    if (out === this.sharedOut) this.sharedOutInUse = false;
  }

  override channelReadComplete(ctx: ChannelHandlerContext): void {
    if (!this.isSharable()) {
      // Per-channel state only when not shared.
      if (this.decodeCalled && !this.messageProduced && !ctx.channel().config().isAutoRead()) ctx.read();
      this.decodeCalled = false;
      this.messageProduced = false;
    }
    ctx.fireChannelReadComplete();
  }

  /**
   * Decodes `msg` into zero or more messages pushed to `out`. Do not release `msg`; the decoder does
   * (retain it if you push it).
   */
  protected abstract decode(ctx: ChannelHandlerContext, msg: I, out: unknown[]): void;
}
