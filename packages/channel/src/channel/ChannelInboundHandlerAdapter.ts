import type { ChannelInboundHandler } from './ChannelHandler';
import { ChannelHandlerAdapter } from './ChannelHandlerAdapter';
import type { ChannelHandlerContext } from './ChannelHandlerContext';
import { markSkip } from './ChannelHandlerMask';

/**
 * Port of io.netty.channel.ChannelInboundHandlerAdapter: forwards every inbound event unchanged. Override
 * the ones you handle; the rest are skipped by the pipeline at no cost.
 *
 * ## Ownership
 * A `channelRead` override owns `msg`: forward it or release it.
 */
export abstract class ChannelInboundHandlerAdapter extends ChannelHandlerAdapter implements ChannelInboundHandler {
  channelRegistered(ctx: ChannelHandlerContext): void {
    ctx.fireChannelRegistered();
  }
  channelUnregistered(ctx: ChannelHandlerContext): void {
    ctx.fireChannelUnregistered();
  }
  channelActive(ctx: ChannelHandlerContext): void {
    ctx.fireChannelActive();
  }
  channelInactive(ctx: ChannelHandlerContext): void {
    ctx.fireChannelInactive();
  }
  channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    ctx.fireChannelRead(msg);
  }
  channelReadComplete(ctx: ChannelHandlerContext): void {
    ctx.fireChannelReadComplete();
  }
  userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
    ctx.fireUserEventTriggered(evt);
  }
  channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    ctx.fireChannelWritabilityChanged();
  }
}
markSkip(
  ChannelInboundHandlerAdapter.prototype,
  'channelRegistered', 'channelUnregistered', 'channelActive', 'channelInactive', 'channelRead',
  'channelReadComplete', 'userEventTriggered', 'channelWritabilityChanged',
);
