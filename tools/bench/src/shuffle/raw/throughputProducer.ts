/**
 * Raw baseline of the `throughput-*` benchmarks, producing side (first process; listens): the same
 * bytes as Sluice's writers over plain `node:net`, no framework. `writers` × `channels` streams; writer
 * w's k-th record — the long `w·2^40 + k` with its 4-byte length prefix, 12 bytes — goes round robin to
 * its channel k mod channels, packed into that stream's 32 KiB buffer (an 8-byte frame header —
 * length and stream number — then 2,730 records). A full buffer is written to the socket as one frame
 * and a fresh one is allocated. Writers take turns by 1,024 records; writes are corked per turn of the
 * event loop (~1 ms of work); `write()` returning false stops the pump until `'drain'`.
 *
 * No flushing: buffers leave full, whatever the flush timeout (a raw ceiling, as in `shuffle-local`).
 */
import type { Socket } from 'node:net';
import { startWorker } from '../../harness/worker';
import { CLOCK_CHECK_RECORDS, nowMs } from '../../shuffle-local/cooperative';
import { RECORD_BYTES, WRITER_VALUE_STRIDE } from '../common';
import { servePushingConnection } from './pushingServer';

const INV_TWO_POW_32 = 1 / 4294967296;
/** Work per event-loop turn before yielding, in ms. */
const TURN_MS = 1;

const worker = startWorker();
const writers = worker.param('writers');
const channels = worker.param('channels');
const segmentSize = worker.param('segmentSize');
const recordsPerBuffer = Math.floor((segmentSize - 8) / RECORD_BYTES);
const frameBytes = 8 + recordsPerBuffer * RECORD_BYTES;

const streams = writers * channels;
const buffers: Buffer[] = [];
const views: DataView[] = [];
const positions = new Int32Array(streams);
const nextK = new Float64Array(writers);
/** Writer w's next channel: k mod channels, kept as a counter. */
const nextChannel = new Int32Array(writers);
let stopped = false;
let framesWritten = 0;

function freshBuffer(stream: number): void {
  const buffer = Buffer.allocUnsafe(frameBytes);
  const view = new DataView(buffer.buffer, buffer.byteOffset, frameBytes);
  view.setUint32(0, frameBytes - 4);
  view.setUint32(4, stream);
  buffers[stream] = buffer;
  views[stream] = view;
  positions[stream] = 8;
}
for (let s = 0; s < streams; s++) freshBuffer(s);

function pump(socket: Socket): void {
  socket.cork();
  const turnEnd = nowMs() + TURN_MS;
  let writable = true;
  while (!stopped && writable && nowMs() < turnEnd) {
    for (let w = 0; w < writers && writable; w++) {
      const base = w * WRITER_VALUE_STRIDE;
      const firstStream = w * channels;
      let k = nextK[w]!;
      let channel = nextChannel[w]!;
      for (let i = 0; i < CLOCK_CHECK_RECORDS; i++) {
        // A counter rather than `k % channels`: k outgrows int32, and V8 computes `%` on doubles with a
        // call to fmod, which cost more than the rest of the record (this loop is the ceiling: keep it tight).
        const stream = firstStream + channel;
        if (++channel === channels) channel = 0;
        const value = base + k;
        const view = views[stream]!;
        const position = positions[stream]!;
        const low = value >>> 0;
        view.setInt32(position, 8);
        view.setUint32(position + 4, (value - low) * INV_TWO_POW_32);
        view.setUint32(position + 8, low);
        k++;
        if (position + RECORD_BYTES === frameBytes) {
          framesWritten++;
          if (!socket.write(buffers[stream]!)) writable = false;
          freshBuffer(stream);
        } else {
          positions[stream] = position + RECORD_BYTES;
        }
      }
      nextK[w] = k;
      nextChannel[w] = channel;
    }
  }
  socket.uncork();
  if (stopped || !writable) return; // 'drain' resumes
  setImmediate(() => pump(socket));
}

servePushingConnection(
  worker,
  (socket) => {
    socket.on('drain', () => pump(socket));
    pump(socket);
  },
  () => {
    stopped = true;
    return { recordsEmitted: nextK.reduce((a, b) => a + b, 0), framesWritten };
  },
);
