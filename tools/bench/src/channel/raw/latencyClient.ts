/**
 * Raw baseline of {@link LatencyBenchmark}, measuring side: plain `node:net` with Nagle off, one
 * 64-byte length-prefixed frame in flight. Each round trip — from just before `write()` to the
 * parse of the whole echoed frame — is timed with `process.hrtime.bigint()` and recorded, in
 * nanoseconds, into an HDR histogram (pure-JS build) during the measurement window only.
 */
import { connectToServer } from '../../harness/rawConnection';
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { newRoundTripHistogram, roundTripResult } from '../../harness/roundTrips';
import { LengthPrefixedFrameParser } from './LengthPrefixedFrameParser';

const worker = startWorker();
const payloadSize = worker.param('payloadSize');

const frame = Buffer.alloc(4 + payloadSize, 0x5a);
frame.writeUInt32BE(payloadSize, 0);

// 1 ns .. 60 s at 3 significant digits.
const histogram = newRoundTripHistogram();
let roundTrips = 0;
let sentAt = 0n;
let stopped = false;

const window = new MeasurementWindow(
  worker,
  () => roundTrips,
  (perSecond) => `${(perSecond / 1000).toFixed(1)}k rt/s`,
  (count, seconds) => {
    stopped = true;
    worker.result(roundTripResult(histogram, count, seconds));
    // The socket stays open until the harness stops both sides, so the echo side sees no reset.
  },
);

const socket = connectToServer(worker, {
  isOver: () => stopped,
  closeMessage: 'the echo server closed the connection',
  onStop: () => {
    stopped = true;
  },
});
const parser = new LengthPrefixedFrameParser(
  payloadSize,
  () => {
    const now = process.hrtime.bigint();
    if (window.measuring) histogram.recordValue(Number(now - sentAt));
    roundTrips++;
    if (stopped) return;
    sentAt = process.hrtime.bigint();
    socket.write(frame);
  },
  payloadSize,
);

socket.on('connect', () => {
  socket.setNoDelay(true);
  window.start();
  sentAt = process.hrtime.bigint();
  socket.write(frame);
});
socket.on('data', (chunk: Buffer) => parser.push(chunk));
