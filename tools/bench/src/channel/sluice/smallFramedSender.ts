/**
 * Sluice variant of the small-message benchmark doing the raw sender's work: each prebuilt 68-byte
 * frame (4-byte length + 64-byte payload) is written through the pipeline as its own message — a
 * `retainedDuplicate()` of one buffer, as the raw sender reuses one `Buffer` — and flushed every
 * `batchFrames` messages. Measures the framework's per-message cost: pipeline dispatch, outbound
 * buffer entry, batching into one writev, release on completion.
 */
import { Unpooled } from '@sluice/channel';
import { startWorker } from '../../harness/worker';
import { connectTo } from './common';
import { StreamingSender } from './StreamingSender';

const worker = startWorker();
const payloadSize = worker.param('payloadSize');
const frame = Buffer.alloc(4 + payloadSize, 0x5a);
frame.writeUInt32BE(payloadSize, 0);
const sender = new StreamingSender(Unpooled.wrappedBuffer(frame), worker.param('batchFrames'));
connectTo(worker, (ch) => ch.pipeline().addLast('sender', sender), worker.param('writeHighWaterMark'));
worker.onStop(() => {
  sender.stopped = true;
  return { messagesWritten: sender.written };
});
