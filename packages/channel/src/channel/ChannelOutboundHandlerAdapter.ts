import type { ChannelOutboundHandler } from './ChannelHandler';
import { ChannelHandlerAdapter } from './ChannelHandlerAdapter';
import type { ChannelHandlerContext } from './ChannelHandlerContext';
import { markSkip } from './ChannelHandlerMask';
import type { ChannelPromise } from './ChannelFuture';
import type { SocketAddress } from './SocketAddress';

/**
 * Port of io.netty.channel.ChannelOutboundHandlerAdapter: forwards every outbound operation unchanged.
 *
 * ## Ownership
 * A `write` override owns `msg` and `promise`: pass both on, or release the message and complete the
 * promise.
 */
export abstract class ChannelOutboundHandlerAdapter extends ChannelHandlerAdapter implements ChannelOutboundHandler {
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
markSkip(ChannelOutboundHandlerAdapter.prototype, 'bind', 'connect', 'disconnect', 'close', 'deregister', 'read', 'write', 'flush');
