/**
 * Raw baseline of the `bulk` benchmark, consuming side (second process; measures): plain `node:net`,
 * 32 KiB frames parsed by hand (a frame whole in a chunk is not copied), every length checked.
 * Metric: MB/s (10^6 bytes) of whole 32 KiB frames — the unit the Sluice consumer counts (buffers).
 */
import { connectToServer } from '../../harness/rawConnection';
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { LengthPrefixedFrameParser } from '../../channel/raw/LengthPrefixedFrameParser';

const worker = startWorker();
const bufferSize = worker.param('segmentSize');
let bytes = 0;
let done = false;
const parser = new LengthPrefixedFrameParser(bufferSize - 4, () => (bytes += bufferSize), bufferSize - 4);
const window = new MeasurementWindow(
  worker,
  () => bytes,
  (perSecond) => `${(perSecond / 1e6).toFixed(0)} MB/s`,
  (count, seconds) => {
    done = true;
    worker.result({ 'MB/s': count / seconds / 1e6, bytes: count, seconds });
  },
);
const socket = connectToServer(worker, {
  isOver: () => done,
  closeMessage: 'the producer closed the connection',
  onStop: () => {
    done = true;
  },
});
socket.on('data', (chunk: Buffer) => {
  parser.push(chunk);
  window.start();
});
