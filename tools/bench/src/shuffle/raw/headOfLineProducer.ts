/**
 * Raw baseline of the `head-of-line` benchmark, producing side (first process; listens): naive
 * multiplexing of `channels` channels over one `node:net` connection, no flow control per channel —
 * 32 KiB frames (4-byte length, 4-byte channel, payload) round robin over the channels, cork batches of
 * 16, `write()` false waits for `'drain'`. Whatever the consumer cannot take stalls the connection.
 */
import { CorkedPump } from '../../harness/CorkedPump';
import { startWorker } from '../../harness/worker';
import { servePushingConnection } from './pushingServer';

const worker = startWorker();
const channels = worker.param('channels');
const bufferSize = worker.param('segmentSize');
const frames: Buffer[] = [];
for (let c = 0; c < channels; c++) {
  const frame = Buffer.alloc(bufferSize, 0x5a);
  frame.writeUInt32BE(bufferSize - 4, 0);
  frame.writeUInt32BE(c, 4);
  frames.push(frame);
}
let next = 0;
let pump: CorkedPump | null = null;

servePushingConnection(
  worker,
  (socket) => {
    pump = new CorkedPump(socket, 16, () => {
      const writable = socket.write(frames[next]!);
      next = next + 1 === channels ? 0 : next + 1;
      return writable;
    });
    pump.pump();
  },
  () => {
    pump?.stop();
    return { framesWritten: pump?.framesWritten ?? 0 };
  },
);
