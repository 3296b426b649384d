import type { ChannelOutboundHandler } from './ChannelHandler';
import type { ChannelHandlerContext } from './ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from './ChannelInboundHandlerAdapter';
import { markSkip } from './ChannelHandlerMask';
import type { ChannelPromise } from './ChannelFuture';
import type { SocketAddress } from './SocketAddress';

/**
 * Port of io.netty.channel.ChannelDuplexHandler: an inbound adapter that also forwards every outbound
 * operation; override what you handle in either direction.
 */
export abstract class ChannelDuplexHandler extends ChannelInboundHandlerAdapter implements ChannelOutboundHandler {
  bind(ctx: ChannelHandlerContext, localAddress: SocketAddress, promise: ChannelPromise): void {
    ctx.bind(localAddress, promise);
  }
  connect(ctx: ChannelHandlerContext, remoteAddress: SocketAddress, localAddress: SocketAddress | null, promise: ChannelPromise): void {
    ctx.connect(remoteAddress, localAddress, promise);
  }
  disconnect(ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    ctx.disconnect(promise);
  }
  close(ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    ctx.close(promise);
  }
  deregister(ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    ctx.deregister(promise);
  }
  read(ctx: ChannelHandlerContext): void {
    ctx.read();
  }
  write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    ctx.write(msg, promise);
  }
  flush(ctx: ChannelHandlerContext): void {
    ctx.flush();
  }
}
markSkip(ChannelDuplexHandler.prototype, 'bind', 'connect', 'disconnect', 'close', 'deregister', 'read', 'write', 'flush');
