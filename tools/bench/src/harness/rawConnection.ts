/**
 * The one connection of a raw (node:net) benchmark process, either side. Both fail the worker if the
 * peer errs or (given `closeMessage`) goes away before `isOver()`, and on the harness's stop run
 * `onStop` (whose metrics are reported), then destroy the socket.
 *
 * - {@link serveOneConnection}: listens, reports the port to the harness, accepts exactly one peer
 *   (a second one fails the worker) and closes the server on stop.
 * - {@link connectToServer}: connects to the port the harness names.
 */
import { connect, createServer, type NetConnectOpts, type Socket } from 'node:net';
import type { Worker } from './worker';

export interface OneConnectionOptions {
  /** Called with the accepted socket. */
  onConnection(socket: Socket): void;
  /** True once losing the connection is expected (default: the harness stopped this side). */
  isOver?: () => boolean;
  /** The failure message when the peer closes before `isOver()`; omitted: a close is not a failure. */
  closeMessage?: string;
  /** Runs on the harness's stop, before the connection is destroyed; what it returns is reported. */
  onStop?: () => Record<string, number> | void;
  /** TCP_NODELAY on the accepted socket (default: Node's). */
  noDelay?: boolean;
}

/** Serves the other benchmark process; see the file comment. */
export function serveOneConnection(worker: Worker, options: OneConnectionOptions): void {
  let connection: Socket | undefined;
  let stopped = false;
  const isOver = options.isOver ?? ((): boolean => stopped);
  const server = createServer(options.noDelay === true ? { noDelay: true } : {}, (socket) => {
    if (connection !== undefined) {
      worker.fail(new Error(`unexpected second connection from ${socket.remoteAddress}:${socket.remotePort}`));
      return;
    }
    connection = socket;
    socket.on('error', (error) => {
      if (!isOver()) worker.fail(error);
    });
    const closeMessage = options.closeMessage;
    if (closeMessage !== undefined) {
      socket.on('close', () => {
        if (!isOver()) worker.fail(new Error(closeMessage));
      });
    }
    options.onConnection(socket);
  });
  server.on('error', (error) => worker.fail(error));
  server.listen(0, worker.config.host, () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
    worker.ready(address.port);
  });
  worker.onStop(() => {
    stopped = true;
    const metrics = options.onStop?.();
    connection?.destroy();
    server.close();
    return metrics;
  });
}

export interface ConnectOptions {
  /** True once losing the connection is expected (default: the harness stopped this side). */
  isOver?: () => boolean;
  /** The failure message when the server closes before `isOver()`. */
  closeMessage: string;
  /** Runs on the harness's stop, before the socket is destroyed; what it returns is reported. */
  onStop?: () => Record<string, number> | void;
  /** Socket options (default: the harness's host and port, TCP_NODELAY on). */
  connect?: NetConnectOpts;
}

/** Connects to the other benchmark process; see the file comment. */
export function connectToServer(worker: Worker, options: ConnectOptions): Socket {
  let stopped = false;
  const isOver = options.isOver ?? ((): boolean => stopped);
  const socket = connect(options.connect ?? { host: worker.config.host, port: worker.config.port, noDelay: true });
  socket.on('error', (error) => {
    if (!isOver()) worker.fail(error);
  });
  socket.on('close', () => {
    if (!isOver()) worker.fail(new Error(options.closeMessage));
  });
  worker.onStop(() => {
    stopped = true;
    const metrics = options.onStop?.();
    socket.destroy();
    return metrics;
  });
  return socket;
}
