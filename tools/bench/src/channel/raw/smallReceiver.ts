/**
 * Raw baseline of {@link SmallMessageBenchmark}, receiving side: plain `node:net`, 64-byte frames
 * parsed by hand in place (no copy, no allocation per frame), each length verified. Measures
 * messages per second over the measurement window.
 */
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { LengthPrefixedFrameParser } from './LengthPrefixedFrameParser';
import { serveOneMeasuredConnection } from './measuringServer';

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

serveOneMeasuredConnection(worker, window, (chunk: Buffer) => parser.push(chunk));
