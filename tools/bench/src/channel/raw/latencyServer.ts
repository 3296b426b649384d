/**
 * Raw baseline of {@link LatencyBenchmark}, echo side: plain `node:net` with Nagle off; every
 * length-prefixed frame is written back as it arrived (a view of the received chunk, no copy,
 * unless the frame straddled two chunks).
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { startWorker } from '../../harness/worker';
import { LengthPrefixedFrameParser } from './LengthPrefixedFrameParser';

const worker = startWorker();
const payloadSize = worker.param('payloadSize');

let echoed = 0;
let connection: Socket | undefined;
let stopped = false;

const server = createServer({ noDelay: true }, (socket) => {
  if (connection !== undefined) {
    worker.fail(new Error(`unexpected second connection from ${socket.remoteAddress}:${socket.remotePort}`));
    return;
  }
  connection = socket;
  socket.setNoDelay(true);
  const parser = new LengthPrefixedFrameParser(
    payloadSize,
    (buffer, offset, length) => {
      // A staged frame lives in the parser's reused buffer: copy it, the write may outlive the call.
      const frame = buffer.subarray(offset - 4, offset + length);
      socket.write(buffer === parser.staging ? Buffer.from(frame) : frame);
      echoed++;
    },
    payloadSize,
  );
  socket.on('data', (chunk: Buffer) => parser.push(chunk));
  socket.on('error', (error) => {
    if (!stopped) worker.fail(error);
  });
});
server.on('error', (error) => worker.fail(error));
server.listen(0, worker.config.host, () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  worker.ready(address.port);
});
worker.onStop(() => {
  stopped = true;
  connection?.destroy();
  server.close();
  return { echoed };
});
