/**
 * Raw baseline of {@link BulkThroughputBenchmark}, receiving side: plain `node:net`, frames parsed
 * by hand from `'data'` chunks (only a frame straddling two chunks is copied), every frame's length
 * verified. Measures payload MB/s (10^6 bytes) over the measurement window.
 */
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { LengthPrefixedFrameParser } from './LengthPrefixedFrameParser';
import { serveOneMeasuredConnection } from './measuringServer';

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

serveOneMeasuredConnection(worker, window, (chunk: Buffer) => parser.push(chunk));
