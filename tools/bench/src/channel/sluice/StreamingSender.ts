import { ChannelInboundHandlerAdapter, type ByteBuf, type ChannelHandlerContext } from '@sluice/channel';

/** Writes batches while the channel is writable; stops when asked. Yields to I/O every few batches. */
export class StreamingSender extends ChannelInboundHandlerAdapter {
  stopped = false;
  written = 0;
  private scheduled = false;

  constructor(private readonly payload: ByteBuf, private readonly batchFrames: number) {
    super();
  }

  override channelActive(ctx: ChannelHandlerContext): void {
    this.pump(ctx);
    ctx.fireChannelActive();
  }

  override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    if (ctx.channel().isWritable()) this.pump(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  private pump(ctx: ChannelHandlerContext): void {
    const ch = ctx.channel();
    let batches = 0;
    while (!this.stopped && ch.isWritable()) {
      for (let i = 0; i < this.batchFrames; i++) ctx.write(this.payload.retainedDuplicate(), ctx.voidPromise());
      ctx.flush();
      this.written += this.batchFrames;
      if (++batches === 16) {
        // Let socket callbacks and IPC run, as the raw sender does.
        if (!this.scheduled) {
          this.scheduled = true;
          setImmediate(() => {
            this.scheduled = false;
            ctx.executor().execute(() => this.pump(ctx));
          });
        }
        return;
      }
    }
  }
}
