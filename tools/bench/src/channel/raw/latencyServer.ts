/**
 * Raw baseline of {@link LatencyBenchmark}, echo side: plain `node:net` with Nagle off; every
 * length-prefixed frame is written back as it arrived (a view of the received chunk, no copy,
 * unless the frame straddled two chunks).
 */
import { serveOneConnection } from '../../harness/rawConnection';
import { startWorker } from '../../harness/worker';
import { LengthPrefixedFrameParser } from './LengthPrefixedFrameParser';

const worker = startWorker();
const payloadSize = worker.param('payloadSize');

let echoed = 0;

serveOneConnection(worker, {
  noDelay: true,
  onConnection: (socket) => {
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
  },
  onStop: () => ({ echoed }),
});
