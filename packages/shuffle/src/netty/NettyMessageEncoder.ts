import { ChannelOutboundHandlerAdapter, Sharable, type ChannelHandlerContext, type ChannelPromise } from '@sluice/channel';
import { NettyMessage } from './NettyMessage';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.NettyMessageEncoder (Flink 1.20).
 * Differs: a top-level class; a failing `write` fails the promise here (Netty's pipeline would do the
 * same) instead of relying on the pipeline.
 *
 * The outbound handler of both sides: a {@link NettyMessage} writes itself (`msg.write(ctx, promise,
 * ctx.alloc())`) — one ByteBuf, or for a BufferResponse a header ByteBuf followed by the network buffer
 * itself (zero copy). Anything else passes through unchanged.
 *
 * ## Threading
 * `@Sharable`: keeps no state; one instance serves every connection. Called on each channel's event loop.
 *
 * ## Ownership
 * The message's buffers go to the pipeline (released by the transport once written), or are released by
 * the message's `write` when it fails.
 */
@Sharable
export class NettyMessageEncoder extends ChannelOutboundHandlerAdapter {
  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    if (!(msg instanceof NettyMessage)) {
      ctx.write(msg, promise);
      return;
    }
    try {
      msg.write(ctx, promise, ctx.alloc());
    } catch (e) {
      promise.tryFailure(e);
    }
  }
}
