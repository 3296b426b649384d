/**
 * The server side shared by the raw receivers: accepts exactly one connection, starts the measurement
 * window when it arrives, feeds every chunk to `onData`, and fails the worker if the sender goes away
 * (or a second one connects) before the window ended.
 */
import { serveOneConnection } from '../../harness/rawConnection';
import type { MeasurementWindow, Worker } from '../../harness/worker';

export function serveOneMeasuredConnection(worker: Worker, window: MeasurementWindow, onData: (chunk: Buffer) => void): void {
  serveOneConnection(worker, {
    onConnection: (socket) => {
      window.start();
      socket.on('data', onData);
    },
    isOver: () => window.finished,
    closeMessage: 'the sender closed the connection before the measurement window ended',
  });
}
