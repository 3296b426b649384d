/**
 * Server side shared by the raw producers of the `shuffle` suite: like the Sluice producers, the data
 * source listens and the consumer connects (Flink's direction: the producer's TaskManager serves its
 * partitions). Accepts exactly one connection, hands it to `onConnection`, and fails the worker if the
 * consumer goes away before the harness stops this side.
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import type { Worker } from '../../harness/worker';

export function servePushingConnection(worker: Worker, onConnection: (socket: Socket) => void, onStop: () => Record<string, number> | void): void {
  let connection: Socket | undefined;
  let stopped = false;
  const server = createServer({ noDelay: true }, (socket) => {
    if (connection !== undefined) {
      worker.fail(new Error(`unexpected second connection from ${socket.remoteAddress}:${socket.remotePort}`));
      return;
    }
    connection = socket;
    socket.on('error', (error) => {
      if (!stopped) worker.fail(error);
    });
    socket.on('close', () => {
      if (!stopped) worker.fail(new Error('the consumer closed the connection'));
    });
    onConnection(socket);
  });
  server.on('error', (error) => worker.fail(error));
  server.listen(0, worker.config.host, () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
    worker.ready(address.port);
  });
  worker.onStop(() => {
    stopped = true;
    const metrics = onStop();
    connection?.destroy();
    server.close();
    return metrics;
  });
}
