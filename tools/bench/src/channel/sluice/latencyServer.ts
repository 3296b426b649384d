/** Sluice variant of the latency benchmark, echo side: decoder → echo (writeAndFlush) → prepender. */
import {
  ChannelInboundHandlerAdapter,
  LengthFieldBasedFrameDecoder,
  LengthFieldPrepender,
  type ChannelHandlerContext,
} from '@sluice/channel';
import { startWorker } from '../../harness/worker';
import { serve } from './common';

const worker = startWorker();
const payloadSize = worker.param('payloadSize');

class Echo extends ChannelInboundHandlerAdapter {
  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    ctx.writeAndFlush(msg, ctx.voidPromise());
  }
}

serve(worker, (ch) =>
  ch.pipeline()
    .addLast('decoder', new LengthFieldBasedFrameDecoder(payloadSize + 4, 0, 4, 0, 4))
    .addLast('prepender', new LengthFieldPrepender(4))
    .addLast('echo', new Echo()),
);
