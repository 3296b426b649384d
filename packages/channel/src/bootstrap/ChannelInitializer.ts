import type { Channel } from '../channel/Channel';
import { Sharable } from '../channel/ChannelHandler';
import type { ChannelHandlerContext } from '../channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../channel/ChannelInboundHandlerAdapter';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { toError } from '../util/SluiceError';

const logger = InternalLoggerFactory.getInstance('ChannelInitializer');

/**
 * Port of io.netty.channel.ChannelInitializer (Netty 4.1): a sharable handler that sets up a channel's
 * pipeline once the channel is registered, then removes itself.
 *
 * `initChannel` runs once per channel, from `handlerAdded` (the usual case) or `channelRegistered`. If
 * it throws, `exceptionCaught` logs `Failed to initialize a channel. Closing: <channel>` and closes it.
 *
 * @example
 * bootstrap.childHandler(new (class extends ChannelInitializer {
 *   protected initChannel(ch: Channel) {
 *     ch.pipeline().addLast('framer', new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4));
 *   }
 * })());
 */
@Sharable
export abstract class ChannelInitializer<C extends Channel = Channel> extends ChannelInboundHandlerAdapter {
  // One instance may serve many channels: remember which contexts were initialised.
  private readonly initialized = new WeakSet<ChannelHandlerContext>();

  /** Adds the channel's handlers. Runs on the channel's event loop, once per channel. */
  protected abstract initChannel(ch: C): void;

  override channelRegistered(ctx: ChannelHandlerContext): void {
    if (this.initChannelOnce(ctx)) {
      // Handlers just added missed the registration: fire it again from the head.
      ctx.pipeline().fireChannelRegistered();
    } else {
      ctx.fireChannelRegistered();
    }
  }

  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    logger.warn(`Failed to initialize a channel. Closing: ${String(ctx.channel())}`, cause);
    ctx.close();
  }

  override handlerAdded(ctx: ChannelHandlerContext): void {
    if (ctx.channel().isRegistered()) this.initChannelOnce(ctx);
  }

  private initChannelOnce(ctx: ChannelHandlerContext): boolean {
    if (this.initialized.has(ctx)) return false;
    this.initialized.add(ctx);
    try {
      this.initChannel(ctx.channel() as C);
    } catch (cause) {
      this.exceptionCaught(ctx, toError(cause));
    } finally {
      if (!ctx.isRemoved()) ctx.pipeline().remove(this);
    }
    return true;
  }
}
