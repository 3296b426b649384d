/**
 * Sluice variant of the bulk benchmark, sending side: `LengthFieldPrepender(4)` → TCP. Each frame is a
 * `retainedDuplicate()` of one prebuilt payload buffer (no copy), `batchFrames` writes per flush, while
 * the channel is writable (water marks from `writeHighWaterMark`).
 */
import { LengthFieldPrepender, Unpooled } from '@sluice/channel';
import { startWorker } from '../../harness/worker';
import { connectTo } from './common';
import { StreamingSender } from './StreamingSender';

const worker = startWorker();
const frameSize = worker.param('frameSize');
const sender = new StreamingSender(Unpooled.wrappedBuffer(Buffer.alloc(frameSize, 0x5a)), worker.param('batchFrames'));
connectTo(
  worker,
  (ch) => ch.pipeline().addLast('prepender', new LengthFieldPrepender(4)).addLast('sender', sender),
  worker.param('writeHighWaterMark'),
);
worker.onStop(() => {
  sender.stopped = true;
  return { messagesWritten: sender.written };
});
