/**
 * Raw baseline of the `bulk` benchmark, producing side (first process; listens): plain `node:net`,
 * one prebuilt 32 KiB frame (4-byte big-endian length + 32,764 bytes) written again and again, batches
 * of `batchFrames` between `cork()` and `uncork()`; `write()` returning false waits for `'drain'`.
 */
import type { Socket } from 'node:net';
import { startWorker } from '../../harness/worker';
import { servePushingConnection } from './pushingServer';

/** Batches per event-loop turn before yielding, so IPC and timers still run. */
const MAX_BATCHES_PER_TURN = 16;

const worker = startWorker();
const bufferSize = worker.param('segmentSize');
const batchFrames = worker.param('batchFrames');
const frame = Buffer.alloc(bufferSize, 0x5a);
frame.writeUInt32BE(bufferSize - 4, 0);
let framesWritten = 0;
let stopped = false;

function pump(socket: Socket): void {
  let batches = 0;
  while (!stopped) {
    socket.cork();
    let writable = true;
    let i = 0;
    while (i < batchFrames && writable) {
      writable = socket.write(frame);
      i++;
    }
    framesWritten += i;
    socket.uncork();
    if (!writable) return; // 'drain' resumes
    if (++batches === MAX_BATCHES_PER_TURN) {
      setImmediate(() => pump(socket));
      return;
    }
  }
}

servePushingConnection(
  worker,
  (socket) => {
    socket.on('drain', () => pump(socket));
    pump(socket);
  },
  () => {
    stopped = true;
    return { framesWritten };
  },
);
