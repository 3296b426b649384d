import { ByteBuf } from '../../buffer/ByteBuf';
import { ReferenceCountUtil } from '../../buffer/ReferenceCountUtil';
import type { ChannelPromise } from '../../channel/ChannelFuture';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { ChannelOutboundHandlerAdapter } from '../../channel/ChannelOutboundHandlerAdapter';
import type { DefaultPromise } from '../../concurrent/DefaultPromise';
import { PromiseCombiner } from '../../concurrent/PromiseCombiner';
import { toError } from '../../util/SluiceError';
import { EncoderException, simpleClassName } from './errors';
import { typeParameterMatcher, type MessageMatcher } from './TypeParameterMatcher';

/**
 * Port of io.netty.handler.codec.MessageToMessageEncoder (Netty 4.1). Differs: the accepted message type
 * is given to the constructor (a class or a type guard); when `encode()` throws after producing some
 * messages, those are released rather than written (Netty writes them and then fails the promise too).
 *
 * Encodes each accepted outbound message into one or more messages. One output is written with the
 * original promise; several are written each with its own promise, combined into the original one
 * (PromiseCombiner), or all with the void promise when the original write used it (Netty #2525). Other
 * messages pass through unchanged.
 *
 * ## Threading
 * Called on the channel's event loop. A stateless subclass may be `@Sharable` (LengthFieldPrepender is).
 *
 * ## Ownership
 * The encoder releases the accepted message after `encode()` (also when it throws). The outputs are
 * written, and so handed on with their references. To pass a ref-counted input on as (part of) the
 * output, push `msg.retain()`, since the encoder releases `msg` once.
 *
 * ## Pitfalls
 * `encode()` must produce at least one message, else the write fails with
 * `EncoderException('<ClassName> must produce at least one message.')`. Failures fail the promise; they do
 * not reach `exceptionCaught`.
 *
 * @example
 * class ToUtf8 extends MessageToMessageEncoder<string> {
 *   constructor() { super((m): m is string => typeof m === 'string'); }
 *   protected encode(ctx: ChannelHandlerContext, msg: string, out: unknown[]): void {
 *     const buf = ctx.alloc().buffer();
 *     buf.writeCharSequence(msg, 'utf8');
 *     out.push(buf);
 *   }
 * }
 */
export abstract class MessageToMessageEncoder<I> extends ChannelOutboundHandlerAdapter {
  private readonly matcher: (msg: unknown) => msg is I;
  /** Reused output array (no allocation per message); a re-entrant write gets a fresh one. */
  private readonly sharedOut: unknown[] = [];
  private sharedOutInUse = false;

  /** @param accept the messages to encode: a class or a type guard. */
  constructor(accept: MessageMatcher<I>) {
    super();
    this.matcher = typeParameterMatcher(accept);
  }

  /** Whether `msg` is encoded by this encoder (default: the matcher given to the constructor). */
  acceptOutboundMessage(msg: unknown): msg is I {
    return this.matcher(msg);
  }

  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    if (!this.acceptOutboundMessage(msg)) {
      ctx.write(msg, promise);
      return;
    }
    const out = this.acquireOut();
    try {
      try {
        try {
          this.encode(ctx, msg, out);
        } finally {
          // A ByteBuf directly; ReferenceCountUtil's duck typing costs three property lookups per message.
          if (msg instanceof ByteBuf) msg.release();
          else ReferenceCountUtil.release(msg);
        }
        if (out.length === 0) {
          throw new EncoderException(`${simpleClassName(this)} must produce at least one message.`, {
            channel: ctx.channel(),
          });
        }
      } catch (e) {
        for (const m of out) ReferenceCountUtil.safeRelease(m);
        throw e instanceof EncoderException ? e : new EncoderException(toError(e), { channel: ctx.channel() });
      }
      const size = out.length;
      if (size === 1) {
        ctx.write(out[0], promise);
      } else if (promise.isVoid()) {
        for (let i = 0; i < size; i++) ctx.write(out[i], promise);
      } else {
        const combiner = new PromiseCombiner();
        for (let i = 0; i < size; i++) combiner.add(ctx.write(out[i]));
        // PromiseCombiner only calls trySuccess/tryFailure, which every ChannelPromise has.
        combiner.finish(promise as unknown as DefaultPromise<void>);
      }
    } finally {
      this.releaseOut(out);
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

  /**
   * Encodes `msg` into one or more messages pushed to `out`. Do not release `msg`; the encoder does
   * (retain it if you push it).
   */
  protected abstract encode(ctx: ChannelHandlerContext, msg: I, out: unknown[]): void;
}
