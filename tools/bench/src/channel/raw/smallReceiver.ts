/**
 * Raw baseline of {@link SmallMessageBenchmark}, receiving side: plain `node:net`, 64-byte frames
 * parsed by hand in place (no copy, no allocation per frame), each length verified. Measures
 * messages per second over the measurement window.
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { LengthPrefixedFrameParser } from './LengthPrefixedFrameParser';

const worker = startWorker();
const payloadSize = worker.param('payloadSize');

let frames = 0;
const parser = new LengthPrefixedFrameParser(
  payloadSize,
  () => {
    frames++;
  },
  payloadSize,
);
const window = new MeasurementWindow(
  worker,
  () => frames,
  (perSecond) => `${(perSecond / 1e6).toFixed(2)} M msg/s`,
  (count, seconds) => worker.result({ 'msg/s': count / seconds, messages: count, seconds }),
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
