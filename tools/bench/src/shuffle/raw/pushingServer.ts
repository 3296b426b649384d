/**
 * Server side shared by the raw producers of the `shuffle` suite: like the Sluice producers, the data
 * source listens and the consumer connects (Flink's direction: the producer's TaskManager serves its
 * partitions). Accepts exactly one connection, hands it to `onConnection`, and fails the worker if the
 * consumer goes away before the harness stops this side.
 */
import type { Socket } from 'node:net';
import { serveOneConnection } from '../../harness/rawConnection';
import type { Worker } from '../../harness/worker';

export function servePushingConnection(worker: Worker, onConnection: (socket: Socket) => void, onStop: () => Record<string, number> | void): void {
  serveOneConnection(worker, { onConnection, onStop, noDelay: true, closeMessage: 'the consumer closed the connection' });
}
