/**
 * The pump of the channel suite's raw senders (bulk and small messages), plain `node:net`: connects to
 * the receiver with the benchmark's `writeHighWaterMark`, writes `batchFrames` frames between `cork()`
 * and `uncork()` (one `writev` per batch), at most 16 batches per event-loop turn so that IPC and timers
 * still run, and stops when `write()` returns false until `'drain'`.
 */
import { connect, type NetConnectOpts, type Socket } from 'node:net';
import type { DuplexOptions } from 'node:stream';
import type { Worker } from '../../harness/worker';

/** Batches written per event-loop turn before yielding. */
const MAX_BATCHES_PER_TURN = 16;

/**
 * Runs the pump until the harness stops the worker, then reports the frames written as `resultName`.
 * `writeFrame` writes one frame and returns what its last `write()` returned.
 */
export function runCorkedSender(worker: Worker, writeFrame: (socket: Socket) => boolean, resultName: string): void {
  const batchFrames = worker.param('batchFrames');
  let framesWritten = 0;
  let stopped = false;

  // net.Socket hands its options to stream.Duplex, so Node honours writableHighWaterMark here even
  // though @types/node does not list it for connect().
  const connectOptions: NetConnectOpts & Pick<DuplexOptions, 'writableHighWaterMark'> = {
    host: worker.config.host,
    port: worker.config.port,
    writableHighWaterMark: worker.param('writeHighWaterMark'),
  };
  const socket = connect(connectOptions);

  const pump = (): void => {
    let batches = 0;
    while (!stopped) {
      socket.cork();
      let writable = true;
      let i = 0;
      while (i < batchFrames && writable) {
        writable = writeFrame(socket);
        i++;
      }
      framesWritten += i;
      socket.uncork();
      if (!writable) return; // 'drain' resumes
      if (++batches === MAX_BATCHES_PER_TURN) {
        setImmediate(pump);
        return;
      }
    }
  };

  socket.on('connect', pump);
  socket.on('drain', pump);
  socket.on('error', (error) => {
    if (!stopped) worker.fail(error);
  });
  socket.on('close', () => {
    if (!stopped) worker.fail(new Error('the receiver closed the connection'));
  });
  worker.onStop(() => {
    stopped = true;
    socket.destroy();
    return { [resultName]: framesWritten };
  });
}
