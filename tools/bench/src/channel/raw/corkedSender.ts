/**
 * The connecting side of the channel suite's raw senders (bulk and small messages), plain `node:net`:
 * connects to the receiver with the benchmark's `writeHighWaterMark` and runs a {@link CorkedPump} of
 * `batchFrames` frames per batch until the harness stops the worker.
 */
import type { NetConnectOpts, Socket } from 'node:net';
import type { DuplexOptions } from 'node:stream';
import { CorkedPump } from '../../harness/CorkedPump';
import { connectToServer } from '../../harness/rawConnection';
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
  const socket = connectToServer(worker, {
    connect: connectOptions,
    closeMessage: 'the receiver closed the connection',
    onStop: () => {
      pump.stop();
      return { [resultName]: pump.framesWritten };
    },
  });
  const pump = new CorkedPump(socket, worker.param('batchFrames'), writeFrame);
  socket.on('connect', pump.pump);
}
