import type { ChannelInboundHandler, ChannelOutboundHandler } from './ChannelHandler';
import type { ChannelHandlerContext } from './ChannelHandlerContext';
import type { ChannelPromise } from './ChannelFuture';
import type { DefaultChannelPipeline } from './DefaultChannelPipeline';
import type { SocketAddress } from './SocketAddress';

/**
 * The handler of the pipeline's head context (Netty's HeadContext): the only place that talks to the
 * transport. Outbound operations end here in `Channel.Unsafe`; inbound events start here.
 */
export class HeadHandler implements ChannelInboundHandler, ChannelOutboundHandler {
  constructor(private readonly pipeline: DefaultChannelPipeline) {}

  bind(_ctx: ChannelHandlerContext, localAddress: SocketAddress, promise: ChannelPromise): void {
    this.pipeline.channel().unsafe().bind(localAddress, promise);
  }
  connect(_ctx: ChannelHandlerContext, remoteAddress: SocketAddress, localAddress: SocketAddress | null, promise: ChannelPromise): void {
    this.pipeline.channel().unsafe().connect(remoteAddress, localAddress, promise);
  }
  disconnect(_ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    this.pipeline.channel().unsafe().disconnect(promise);
  }
  close(_ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    this.pipeline.channel().unsafe().close(promise);
  }
  deregister(_ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    this.pipeline.channel().unsafe().deregister(promise);
  }
  read(_ctx: ChannelHandlerContext): void {
    this.pipeline.channel().unsafe().beginRead();
  }
  write(_ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    this.pipeline.channel().unsafe().write(msg, promise);
  }
  flush(_ctx: ChannelHandlerContext): void {
    this.pipeline.channel().unsafe().flush();
  }

  exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    ctx.fireExceptionCaught(cause);
  }
  channelRegistered(ctx: ChannelHandlerContext): void {
    this.pipeline.invokeHandlerAddedIfNeeded();
    ctx.fireChannelRegistered();
  }
  channelUnregistered(ctx: ChannelHandlerContext): void {
    ctx.fireChannelUnregistered();
    // The channel was closed and deregistered: remove every handler (tail back to head).
    if (!this.pipeline.channel().isOpen()) this.pipeline.destroy();
  }
  channelActive(ctx: ChannelHandlerContext): void {
    ctx.fireChannelActive();
    this.readIfIsAutoRead();
  }
  channelInactive(ctx: ChannelHandlerContext): void {
    ctx.fireChannelInactive();
  }
  channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    ctx.fireChannelRead(msg);
  }
  channelReadComplete(ctx: ChannelHandlerContext): void {
    ctx.fireChannelReadComplete();
    this.readIfIsAutoRead();
  }
  userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
    ctx.fireUserEventTriggered(evt);
  }
  channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    ctx.fireChannelWritabilityChanged();
  }

  private readIfIsAutoRead(): void {
    const channel = this.pipeline.channel();
    if (channel.config().isAutoRead()) channel.read();
  }
}

/** The handler of the pipeline's tail context (Netty's TailContext): the end of every inbound event. */
export class TailHandler implements ChannelInboundHandler {
  constructor(private readonly pipeline: DefaultChannelPipeline) {}

  channelRegistered(): void {}
  channelUnregistered(): void {}
  channelActive(): void {
    this.pipeline.onUnhandledInboundChannelActive();
  }
  channelInactive(): void {
    this.pipeline.onUnhandledInboundChannelInactive();
  }
  channelWritabilityChanged(): void {
    this.pipeline.onUnhandledChannelWritabilityChanged();
  }
  userEventTriggered(_ctx: ChannelHandlerContext, evt: unknown): void {
    this.pipeline.onUnhandledInboundUserEventTriggered(evt);
  }
  exceptionCaught(_ctx: ChannelHandlerContext, cause: Error): void {
    this.pipeline.onUnhandledInboundException(cause);
  }
  channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    this.pipeline.onUnhandledInboundMessage(ctx, msg);
  }
  channelReadComplete(): void {
    this.pipeline.onUnhandledInboundReadComplete();
  }
}
