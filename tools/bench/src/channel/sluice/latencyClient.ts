/**
 * Sluice variant of the latency benchmark, measuring side: one 64-byte frame in flight through
 * prepender → TCP → echo → decoder; each round trip timed with `process.hrtime.bigint()` into an HDR
 * histogram, exactly like the raw client.
 */
import {
  ChannelInboundHandlerAdapter,
  LengthFieldBasedFrameDecoder,
  LengthFieldPrepender,
  Unpooled,
  type ByteBuf,
  type ChannelHandlerContext,
} from '@sluice/channel';
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { newRoundTripHistogram, roundTripResult } from '../../harness/roundTrips';
import { connectTo } from './common';

const worker = startWorker();
const payloadSize = worker.param('payloadSize');
const payload = Unpooled.wrappedBuffer(Buffer.alloc(payloadSize, 0x5a));
const histogram = newRoundTripHistogram();
let roundTrips = 0;
let sentAt = 0n;
let stopped = false;

const window = new MeasurementWindow(
  worker,
  () => roundTrips,
  (perSecond) => `${(perSecond / 1000).toFixed(1)}k rt/s`,
  (count, seconds) => {
    stopped = true;
    worker.result(roundTripResult(histogram, count, seconds));
  },
);

class PingPong extends ChannelInboundHandlerAdapter {
  override channelActive(ctx: ChannelHandlerContext): void {
    window.start();
    sentAt = process.hrtime.bigint();
    ctx.writeAndFlush(payload.retainedDuplicate(), ctx.voidPromise());
    ctx.fireChannelActive();
  }
  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    const now = process.hrtime.bigint();
    (msg as ByteBuf).release();
    if (window.measuring) histogram.recordValue(Number(now - sentAt));
    roundTrips++;
    if (stopped) return;
    sentAt = process.hrtime.bigint();
    ctx.writeAndFlush(payload.retainedDuplicate(), ctx.voidPromise());
  }
}

connectTo(worker, (ch) =>
  ch.pipeline()
    .addLast('decoder', new LengthFieldBasedFrameDecoder(payloadSize + 4, 0, 4, 0, 4))
    .addLast('prepender', new LengthFieldPrepender(4))
    .addLast('client', new PingPong()),
);
worker.onStop(() => {
  stopped = true;
});
