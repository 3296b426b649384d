import { ChannelInboundHandlerAdapter, type ByteBuf, type ChannelHandlerContext } from '@sluice/channel';

/** Counts decoded frames and payload bytes, releasing each frame. */
export class FrameCounter extends ChannelInboundHandlerAdapter {
  frames = 0;
  bytes = 0;
  onFirst: (() => void) | null = null;

  override channelActive(ctx: ChannelHandlerContext): void {
    this.onFirst?.();
    ctx.fireChannelActive();
  }

  override channelRead(_ctx: ChannelHandlerContext, msg: unknown): void {
    const frame = msg as ByteBuf;
    this.frames++;
    this.bytes += frame.readableBytes();
    frame.release();
  }
}
