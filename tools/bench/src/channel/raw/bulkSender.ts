/**
 * Raw baseline of {@link BulkThroughputBenchmark}, sending side: plain `node:net`. Each frame is a
 * 4-byte big-endian length and a prebuilt payload, written as two `write()`s; frames go out in
 * batches between `cork()` and `uncork()`, so one batch reaches the socket as one `writev`. When
 * `write()` returns false the sender stops and waits for `'drain'`.
 *
 * The header is prebuilt as well: every frame has the same length, so a fresh one would hold the
 * same four bytes.
 */
import { startWorker } from '../../harness/worker';
import { runCorkedSender } from './corkedSender';

const worker = startWorker();
const frameSize = worker.param('frameSize');
const payload = Buffer.alloc(frameSize, 0x5a);
const header = Buffer.allocUnsafe(4);
header.writeUInt32BE(frameSize, 0);

runCorkedSender(
  worker,
  (socket) => {
    socket.write(header);
    return socket.write(payload);
  },
  'framesWritten',
);
