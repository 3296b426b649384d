/**
 * Raw baseline of {@link SmallMessageBenchmark}, sending side: plain `node:net`, one `write()` per
 * 68-byte frame (4-byte length + 64-byte payload), `batchFrames` writes between `cork()` and
 * `uncork()` so that a batch reaches the socket as one `writev`. When `write()` returns false the
 * batch ends early and the sender waits for `'drain'`.
 *
 * Every message is the same prebuilt frame: the benchmark measures moving messages, not making
 * them. A variant that encodes per message (allocates, writes the length) pays for that itself.
 */
import { connect } from 'node:net';
import type { NetConnectOpts } from 'node:net';
import type { DuplexOptions } from 'node:stream';
import { startWorker } from '../../harness/worker';

/** Batches written per event-loop turn before yielding, so IPC and timers still run. */
const MAX_BATCHES_PER_TURN = 16;

const worker = startWorker();
const payloadSize = worker.param('payloadSize');
const batchFrames = worker.param('batchFrames');
const writeHighWaterMark = worker.param('writeHighWaterMark');

const frame = Buffer.alloc(4 + payloadSize, 0x5a);
frame.writeUInt32BE(payloadSize, 0);

let messagesWritten = 0;
let stopped = false;

// net.Socket hands its options to stream.Duplex, so Node honours writableHighWaterMark here even
// though @types/node does not list it for connect().
const connectOptions: NetConnectOpts & Pick<DuplexOptions, 'writableHighWaterMark'> = {
  host: worker.config.host,
  port: worker.config.port,
  writableHighWaterMark: writeHighWaterMark,
};
const socket = connect(connectOptions);

function pump(): void {
  let batches = 0;
  while (!stopped) {
    socket.cork();
    let writable = true;
    let i = 0;
    while (i < batchFrames && writable) {
      writable = socket.write(frame);
      i++;
    }
    messagesWritten += i;
    socket.uncork();
    if (!writable) return; // 'drain' resumes
    if (++batches === MAX_BATCHES_PER_TURN) {
      setImmediate(pump);
      return;
    }
  }
}

socket.on('connect', pump);
socket.on('drain', pump);
socket.on('error', (error) => {
  if (!stopped) worker.fail(error);
});
socket.on('close', () => {
  if (!stopped) worker.fail(new Error('the receiver closed the connection'));
});
worker.onStop(() => {
  stopped = true;
  socket.destroy();
  return { messagesWritten };
});
