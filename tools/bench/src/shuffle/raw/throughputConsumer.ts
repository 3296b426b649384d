/**
 * Raw baseline of the `throughput-*` benchmarks, consuming side (second process; measures): plain
 * `node:net`, frames parsed by hand (a frame lying whole in a chunk is read in place), every record's
 * length checked and its value checked in order per writer and channel — the same check as the Sluice
 * consumer's. Metric: records per millisecond over the window, which starts at the first data.
 */
import { connectToServer } from '../../harness/rawConnection';
import { startWorker } from '../../harness/worker';
import { LengthPrefixedFrameParser } from '../../channel/raw/LengthPrefixedFrameParser';
import { RECORD_BYTES, SequenceChecker, throughputWindow } from '../common';

const TWO_POW_32 = 4294967296;

const worker = startWorker();
const writers = worker.param('writers');
const channels = worker.param('channels');
const segmentSize = worker.param('segmentSize');
const frameBytes = 8 + Math.floor((segmentSize - 8) / RECORD_BYTES) * RECORD_BYTES;

const checker = new SequenceChecker(writers, channels);
let records = 0;
let frames = 0;
let done = false;

const parser = new LengthPrefixedFrameParser(
  frameBytes - 4,
  (buffer, offset, length) => {
    const view = new DataView(buffer.buffer, buffer.byteOffset + offset, length);
    for (let p = 4; p < length; p += RECORD_BYTES) {
      if (view.getInt32(p) !== 8) throw new Error(`record length ${view.getInt32(p)} at ${p}, expected 8`);
      checker.check(view.getUint32(p + 4) * TWO_POW_32 + view.getUint32(p + 8));
    }
    records += (length - 4) / RECORD_BYTES;
    frames++;
  },
  frameBytes - 4,
);

const window = throughputWindow(
  worker,
  () => [records, frames],
  () => {
    done = true;
  },
);

let started = false;
const socket = connectToServer(worker, {
  isOver: () => done,
  closeMessage: 'the producer closed the connection',
  onStop: () => {
    done = true;
  },
});
socket.on('data', (chunk: Buffer) => {
  if (done) return;
  parser.push(chunk);
  if (!started) {
    started = true;
    window.start();
  }
});
