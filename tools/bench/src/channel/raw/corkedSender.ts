/**
 * The connecting side of the channel suite's raw senders (bulk and small messages), plain `node:net`:
 * connects to the receiver with the benchmark's `writeHighWaterMark` and runs a {@link CorkedPump} of
 * `batchFrames` frames per batch until the harness stops the worker.
 */
import { connect, type NetConnectOpts, type Socket } from 'node:net';
import type { DuplexOptions } from 'node:stream';
import { CorkedPump } from '../../harness/CorkedPump';
import type { Worker } from '../../harness/worker';

/** Runs the pump, then reports the frames written as `resultName`. `writeFrame`: see CorkedPump. */
export function runCorkedSender(worker: Worker, writeFrame: (socket: Socket) => boolean, resultName: string): void {
  // net.Socket hands its options to stream.Duplex, so Node honours writableHighWaterMark here even
  // though @types/node does not list it for connect().
  const connectOptions: NetConnectOpts & Pick<DuplexOptions, 'writableHighWaterMark'> = {
    host: worker.config.host,
    port: worker.config.port,
    writableHighWaterMark: worker.param('writeHighWaterMark'),
  };
  const socket = connect(connectOptions);
  const pump = new CorkedPump(socket, worker.param('batchFrames'), writeFrame);
  let stopped = false;

  socket.on('connect', pump.pump);
  socket.on('error', (error) => {
    if (!stopped) worker.fail(error);
  });
  socket.on('close', () => {
    if (!stopped) worker.fail(new Error('the receiver closed the connection'));
  });
  worker.onStop(() => {
    stopped = true;
    pump.stop();
    socket.destroy();
    return { [resultName]: pump.framesWritten };
  });
}
