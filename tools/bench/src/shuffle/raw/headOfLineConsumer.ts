/**
 * Raw baseline of the `head-of-line` benchmark, consuming side (second process; measures): frames of
 * the fast channels are counted at once; the last channel's frames go to a queue of at most
 * `maxBuffersPerChannel` (a bounded receive buffer, like a gate's pool). While the slow channel is slow
 * its queue drains one frame per `slowMsPerBuffer` ms, and a full queue pauses the socket — the only
 * back-pressure a connection without per-channel credit has, so every channel waits (Flink 1.4's push
 * mode in a few lines).
 */
import { LengthPrefixedFrameParser } from '../../channel/raw/LengthPrefixedFrameParser';
import { connectToServer } from '../../harness/rawConnection';
import { startWorker } from '../../harness/worker';
import { HeadOfLinePhases } from '../headOfLinePhases';

const worker = startWorker();
const channels = worker.param('channels');
const bufferSize = worker.param('segmentSize');
const queueLimit = worker.param('maxBuffersPerChannel');
const slowMsPerBuffer = worker.param('slowMsPerBuffer');
const slowChannel = channels - 1;
let fastBytes = 0;
let slowBuffers = 0;
let slowQueue = 0;
let paused = false;

const phases = new HeadOfLinePhases(worker, () => fastBytes, () => slowBuffers, worker.param('settleMs'));
const socket = connectToServer(worker, {
  isOver: () => phases.done,
  closeMessage: 'the producer closed the connection',
  onStop: () => clearInterval(drain),
});
const parser = new LengthPrefixedFrameParser(
  bufferSize - 4,
  (buffer, offset) => {
    if (buffer.readUInt32BE(offset) !== slowChannel) {
      fastBytes += bufferSize;
    } else if (!phases.slow) {
      slowBuffers++;
    } else {
      slowQueue++;
      if (slowQueue >= queueLimit && !paused) {
        paused = true;
        socket.pause();
      }
    }
  },
  bufferSize - 4,
);
const drain = setInterval(() => {
  if (slowQueue === 0) return;
  slowQueue--;
  slowBuffers++;
  if (paused && slowQueue < queueLimit) {
    paused = false;
    socket.resume();
  }
}, slowMsPerBuffer);
socket.on('data', (chunk: Buffer) => {
  parser.push(chunk);
  phases.start();
});
