import { ReferenceCountUtil } from '../buffer/ReferenceCountUtil';
import type { ChannelHandlerContext } from './ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from './ChannelInboundHandlerAdapter';

/**
 * Port of io.netty.channel.SimpleChannelInboundHandler: handles messages accepted by
 * `acceptInboundMessage` in `channelRead0` and then releases them (autoRelease, default true); other
 * messages are forwarded.
 * Differs: TypeScript has no reified generics, so the accepted type is a predicate (or a class) given to
 * the constructor instead of a type parameter resolved by reflection.
 *
 * ## Pitfalls
 * With autoRelease, forwarding the same message (`ctx.writeAndFlush(msg)`) without `retain()` releases it
 * twice (`refCnt: 0, decrement: 1`), Netty's most reported mistake.
 */
export abstract class SimpleChannelInboundHandler<I> extends ChannelInboundHandlerAdapter {
  private readonly matcher: (msg: unknown) => msg is I;

  constructor(accept: ((msg: unknown) => msg is I) | (abstract new (...args: never[]) => I), private readonly autoRelease = true) {
    super();
    this.matcher = isClass(accept) ? (msg: unknown): msg is I => msg instanceof accept : accept;
  }

  acceptInboundMessage(msg: unknown): msg is I {
    return this.matcher(msg);
  }

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    let release = true;
    try {
      if (this.acceptInboundMessage(msg)) {
        this.channelRead0(ctx, msg);
      } else {
        release = false;
        ctx.fireChannelRead(msg);
      }
    } finally {
      if (this.autoRelease && release) ReferenceCountUtil.release(msg);
    }
  }

  protected abstract channelRead0(ctx: ChannelHandlerContext, msg: I): void;
}

function isClass<I>(f: ((msg: unknown) => msg is I) | (abstract new (...args: never[]) => I)): f is abstract new (...args: never[]) => I {
  return typeof f === 'function' && f.prototype !== undefined && /^class[\s{]/.test(Function.prototype.toString.call(f));
}
