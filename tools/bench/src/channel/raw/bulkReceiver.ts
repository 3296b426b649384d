/**
 * Raw baseline of {@link BulkThroughputBenchmark}, receiving side: plain `node:net`, frames parsed
 * by hand from `'data'` chunks (only a frame straddling two chunks is copied), every frame's length
 * verified. Measures payload MB/s (10^6 bytes) over the measurement window.
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { LengthPrefixedFrameParser } from './LengthPrefixedFrameParser';

const worker = startWorker();
const frameSize = worker.param('frameSize');

let frames = 0;
let payloadBytes = 0;
const parser = new LengthPrefixedFrameParser(
  frameSize,
  (_buffer, _offset, length) => {
    frames++;
    payloadBytes += length;
  },
  frameSize,
);
const window = new MeasurementWindow(
  worker,
  () => payloadBytes,
  (perSecond) => `${(perSecond / 1e6).toFixed(0)} MB/s`,
  (bytes, seconds) => worker.result({ 'MB/s': bytes / seconds / 1e6, bytes, seconds, frames }),
);

let connection: Socket | undefined;
const server = createServer((socket) => {
  if (connection !== undefined) {
    worker.fail(new Error(`unexpected second connection from ${socket.remoteAddress}:${socket.remotePort}`));
    return;
  }
  connection = socket;
  window.start();
  socket.on('data', (chunk: Buffer) => parser.push(chunk));
  socket.on('error', (error) => {
    if (!window.finished) worker.fail(error);
  });
  socket.on('close', () => {
    if (!window.finished) worker.fail(new Error('the sender closed the connection before the measurement window ended'));
  });
});
server.on('error', (error) => worker.fail(error));
server.listen(0, worker.config.host, () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  worker.ready(address.port);
});
worker.onStop(() => {
  connection?.destroy();
  server.close();
});
