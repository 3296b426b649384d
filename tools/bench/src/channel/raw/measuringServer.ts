/**
 * The server side shared by the raw receivers: accepts exactly one connection, starts the measurement
 * window when it arrives, feeds every chunk to `onData`, and fails the worker if the sender goes away
 * (or a second one connects) before the window ended.
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import type { MeasurementWindow, Worker } from '../../harness/worker';

export function serveOneMeasuredConnection(worker: Worker, window: MeasurementWindow, onData: (chunk: Buffer) => void): void {
  let connection: Socket | undefined;
  const server = createServer((socket) => {
    if (connection !== undefined) {
      worker.fail(new Error(`unexpected second connection from ${socket.remoteAddress}:${socket.remotePort}`));
      return;
    }
    connection = socket;
    window.start();
    socket.on('data', onData);
    socket.on('error', (error) => {
      if (!window.finished) worker.fail(error);
    });
    socket.on('close', () => {
      if (!window.finished) worker.fail(new Error('the sender closed the connection before the measurement window ended'));
    });
  });
  server.on('error', (error) => worker.fail(error));
  server.listen(0, worker.config.host, () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
    worker.ready(address.port);
  });
  worker.onStop(() => {
    connection?.destroy();
    server.close();
  });
}
