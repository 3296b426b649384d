import type { ByteBuf } from '../../buffer/ByteBuf';
import { ReferenceCountUtil } from '../../buffer/ReferenceCountUtil';
import { Unpooled } from '../../buffer/Unpooled';
import type { ChannelPromise } from '../../channel/ChannelFuture';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { ChannelOutboundHandlerAdapter } from '../../channel/ChannelOutboundHandlerAdapter';
import { toError } from '../../util/SluiceError';
import { EncoderException } from './errors';
import { typeParameterMatcher, type MessageMatcher } from './TypeParameterMatcher';

/**
 * Port of io.netty.handler.codec.MessageToByteEncoder (Netty 4.1). Differs: the accepted message type is
 * given to the constructor (a class or a type guard), because TypeScript erases the type parameter Netty
 * reflects on; `preferDirect` chooses `ioBuffer()` over `heapBuffer()` as in Netty, though in Node both
 * are the same kind of memory.
 *
 * Encodes each accepted outbound message into a newly allocated ByteBuf and writes that with the
 * message's promise. Other messages pass through unchanged.
 *
 * ## Threading
 * Called on the channel's event loop. Not `@Sharable` unless a subclass keeps no state and says so.
 *
 * ## Ownership
 * The encoder releases the accepted message after `encode()` (also when it throws) and owns the output
 * buffer: written on success, released on failure. An encoder that wrote nothing writes
 * `Unpooled.EMPTY_BUFFER` instead, so the promise still completes.
 *
 * ## Pitfalls
 * A failure fails the write's promise with an {@link EncoderException} (wrapping anything else thrown);
 * it does not reach `exceptionCaught`. Nobody learns of it if the write used the void promise, unless
 * the channel's void promise fires it through the pipeline.
 *
 * @example
 * class IntEncoder extends MessageToByteEncoder<number> {
 *   constructor() { super((m): m is number => typeof m === 'number'); }
 *   protected encode(_ctx: ChannelHandlerContext, msg: number, out: ByteBuf): void { out.writeInt(msg); }
 * }
 */
export abstract class MessageToByteEncoder<I> extends ChannelOutboundHandlerAdapter {
  private readonly matcher: (msg: unknown) => msg is I;
  private readonly preferDirect: boolean;

  /**
   * @param accept the messages to encode: a class or a type guard.
   * @param preferDirect allocate with `ioBuffer()` (default true) rather than `heapBuffer()`.
   */
  constructor(accept: MessageMatcher<I>, preferDirect = true) {
    super();
    this.matcher = typeParameterMatcher(accept);
    this.preferDirect = preferDirect;
  }

  /** Whether `msg` is encoded by this encoder (default: the matcher given to the constructor). */
  acceptOutboundMessage(msg: unknown): msg is I {
    return this.matcher(msg);
  }

  /** Whether output buffers come from `ioBuffer()`. */
  isPreferDirect(): boolean {
    return this.preferDirect;
  }

  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    let buf: ByteBuf | null = null;
    try {
      if (this.acceptOutboundMessage(msg)) {
        buf = this.allocateBuffer(ctx, msg, this.preferDirect);
        try {
          this.encode(ctx, msg, buf);
        } finally {
          ReferenceCountUtil.release(msg);
        }
        if (buf.isReadable()) {
          ctx.write(buf, promise);
        } else {
          buf.release();
          ctx.write(Unpooled.EMPTY_BUFFER, promise);
        }
        buf = null;
      } else {
        ctx.write(msg, promise);
      }
    } catch (e) {
      throw e instanceof EncoderException ? e : new EncoderException(toError(e), { channel: ctx.channel() });
    } finally {
      if (buf !== null) buf.release();
    }
  }

  /** Allocates the buffer `encode()` writes into; override to size it for `msg`. */
  protected allocateBuffer(ctx: ChannelHandlerContext, _msg: I, preferDirect: boolean): ByteBuf {
    return preferDirect ? ctx.alloc().ioBuffer() : ctx.alloc().heapBuffer();
  }

  /** Writes the encoded form of `msg` into `out`. Do not release `msg`; the encoder does. */
  protected abstract encode(ctx: ChannelHandlerContext, msg: I, out: ByteBuf): void;
}
