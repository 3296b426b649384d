/**
 * Raw baseline of {@link SmallMessageBenchmark}, sending side: plain `node:net`, one `write()` per
 * 68-byte frame (4-byte length + 64-byte payload), `batchFrames` writes between `cork()` and
 * `uncork()` so that a batch reaches the socket as one `writev`. When `write()` returns false the
 * batch ends early and the sender waits for `'drain'`.
 *
 * Every message is the same prebuilt frame: the benchmark measures moving messages, not making
 * them. A variant that encodes per message (allocates, writes the length) pays for that itself.
 */
import { startWorker } from '../../harness/worker';
import { runCorkedSender } from './corkedSender';

const worker = startWorker();
const payloadSize = worker.param('payloadSize');
const frame = Buffer.alloc(4 + payloadSize, 0x5a);
frame.writeUInt32BE(payloadSize, 0);

runCorkedSender(worker, (socket) => socket.write(frame), 'messagesWritten');
