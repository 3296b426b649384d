/**
 * Raw baseline of the `bulk` benchmark, producing side (first process; listens): plain `node:net`,
 * one prebuilt 32 KiB frame (4-byte big-endian length + 32,764 bytes) written again and again, batches
 * of `batchFrames` between `cork()` and `uncork()`; `write()` returning false waits for `'drain'`.
 */
import { CorkedPump } from '../../harness/CorkedPump';
import { startWorker } from '../../harness/worker';
import { servePushingConnection } from './pushingServer';

const worker = startWorker();
const bufferSize = worker.param('segmentSize');
const frame = Buffer.alloc(bufferSize, 0x5a);
frame.writeUInt32BE(bufferSize - 4, 0);
let pump: CorkedPump | null = null;

servePushingConnection(
  worker,
  (socket) => {
    pump = new CorkedPump(socket, worker.param('batchFrames'), () => socket.write(frame));
    pump.pump();
  },
  () => {
    pump?.stop();
    return { framesWritten: pump?.framesWritten ?? 0 };
  },
);
