/**
 * Raw baseline of {@link BulkThroughputBenchmark}, sending side: plain `node:net`. Each frame is a
 * 4-byte big-endian length and a prebuilt payload, written as two `write()`s; frames go out in
 * batches between `cork()` and `uncork()`, so one batch reaches the socket as one `writev`. When
 * `write()` returns false the sender stops and waits for `'drain'`.
 *
 * The header is prebuilt as well: every frame has the same length, so a fresh one would hold the
 * same four bytes.
 */
import { connect } from 'node:net';
import type { NetConnectOpts } from 'node:net';
import type { DuplexOptions } from 'node:stream';
import { startWorker } from '../../harness/worker';

/** Batches written per event-loop turn before yielding, so IPC and timers still run. */
const MAX_BATCHES_PER_TURN = 16;

const worker = startWorker();
const frameSize = worker.param('frameSize');
const batchFrames = worker.param('batchFrames');
const writeHighWaterMark = worker.param('writeHighWaterMark');

const payload = Buffer.alloc(frameSize, 0x5a);
const header = Buffer.allocUnsafe(4);
header.writeUInt32BE(frameSize, 0);

let framesWritten = 0;
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
      socket.write(header);
      writable = socket.write(payload);
      i++;
    }
    framesWritten += i;
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
  return { framesWritten };
});
