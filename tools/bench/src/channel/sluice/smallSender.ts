/**
 * Sluice variant of the small-message benchmark, sending side: every 64-byte message goes through the
 * pipeline on its own (`LengthFieldPrepender(4)` allocates its length header per message), flushed
 * every `batchFrames` messages; the transport turns each flush into one writev.
 */
import { LengthFieldPrepender, Unpooled } from '@sluice/channel';
import { startWorker } from '../../harness/worker';
import { connectTo } from './common';
import { StreamingSender } from './StreamingSender';

const worker = startWorker();
const sender = new StreamingSender(Unpooled.wrappedBuffer(Buffer.alloc(worker.param('payloadSize'), 0x5a)), worker.param('batchFrames'));
connectTo(
  worker,
  (ch) => ch.pipeline().addLast('prepender', new LengthFieldPrepender(4)).addLast('sender', sender),
  worker.param('writeHighWaterMark'),
);
worker.onStop(() => {
  sender.stopped = true;
  return { messagesWritten: sender.written };
});
