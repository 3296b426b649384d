import * as net from 'node:net';
import * as tls from 'node:tls';
import { AbstractChannel, type TransportCallback } from '../../channel/AbstractChannel';
import { ChannelMetadata } from '../../channel/ChannelMetadata';
import type { ChannelOutboundBuffer } from '../../channel/ChannelOutboundBuffer';
import { ClosedChannelException } from '../../channel/errors';
import { InetSocketAddress, type SocketAddress } from '../../channel/SocketAddress';
import { DefaultEventLoop } from '../../concurrent/DefaultEventLoop';
import type { EventLoop } from '../../concurrent/EventLoop';
import { InternalLoggerFactory } from '../../util/InternalLogger';
import { IllegalArgumentException, IllegalStateException, UnsupportedOperationException } from '../../util/SluiceError';
import { BindException, describeType, toTransportException } from './errors';
import { TcpServerSocketChannelConfig, type TcpServerConfigTarget } from './TcpServerSocketChannelConfig';
import { TcpSocketChannel } from './TcpSocketChannel';

const logger = InternalLoggerFactory.getInstance('TcpServerSocketChannel');

const METADATA = new ChannelMetadata(false, 16);

const enum State {
  Open,
  Binding,
  Active,
  Closed,
}

/** Options of a {@link TcpServerSocketChannel}. */
export interface TcpServerSocketChannelOptions {
  /**
   * Accept TLS connections with these `node:tls` server options (key, cert, ALPN, …): accepted channels
   * are TLS sockets whose handshake has completed (default: plain TCP).
   */
  tls?: tls.TlsOptions;
}

/** `server.listen()` options, with `reusePort` (Node ≥ 22.12; older versions ignore it). */
type ListenOptions = net.ListenOptions & { reusePort?: boolean };

function swallowError(): void {}

/**
 * Port of io.netty.channel.socket.nio.NioServerSocketChannel (Netty 4.1), also exported as
 * `NioServerSocketChannel`. Differs: Node accepts by itself, so AUTO_READ off queues accepted sockets
 * instead of leaving them in the kernel (below); TLS (`tls.Server`) is an option of this class.
 *
 * A listening TCP socket over `net.Server` (or `tls.Server` when created with `{ tls }`). Each accepted
 * connection becomes a {@link TcpSocketChannel} fired as
 * `channelRead(child)` on this channel's pipeline, followed by `channelReadComplete`; the
 * ServerBootstrap's acceptor registers it with the child group.
 *
 * AUTO_READ: Node accepts connections itself and offers no way to stop accepting short of closing the
 * listening socket (which gives up the port). So AUTO_READ off does not leave connections in the kernel:
 * accepted sockets wait here, paused and unread, in a queue of at most SO_BACKLOG entries, and each
 * `read()` hands out up to 16 of them (Netty's maxMessagesPerRead); past the backlog new connections are
 * dropped, as a full kernel accept queue would refuse them.
 *
 * ## Threading
 * Server callbacks are dispatched inside the channel's event loop. Register on a {@link DefaultEventLoop}.
 *
 * ## Pitfalls
 * A TLS server hands out connections after their handshake; handshake failures are logged at debug
 * level and never reach the pipeline.
 *
 * @example
 * const f = new ServerBootstrap().group(group).channel(TcpServerSocketChannel)
 *   .childHandler(new EchoHandler()).bind('127.0.0.1', 0);
 * const server = (await f.sync()).channel();
 * const port = (server.localAddress() as InetSocketAddress).port;
 */
export class TcpServerSocketChannel extends AbstractChannel implements TcpServerConfigTarget {
  private readonly cfg: TcpServerSocketChannelConfig;
  private readonly tlsOptions: tls.TlsOptions | undefined;
  private server: net.Server | null = null;
  private state: State = State.Open;
  private local: InetSocketAddress | null = null;
  private bindDone: TransportCallback | null = null;
  private requested: InetSocketAddress | null = null;
  private readPending = false;
  private readonly accepted: net.Socket[] = [];
  private drainScheduled = false;

  private readonly onConnection = (socket: net.Socket): void => this.runInEventLoop(this.handleConnection, socket);
  private readonly onListening = (): void => this.runInEventLoop(this.handleListening, undefined);
  private readonly onServerError = (err: Error): void => this.runInEventLoop(this.handleServerError, err);
  private readonly onTlsClientError = (err: Error, socket: tls.TLSSocket): void => {
    logger.debug(`TLS handshake with ${String(socket.remoteAddress)}:${String(socket.remotePort)} failed on ${String(this)}`, err);
    socket.destroy();
  };
  private readonly drainTask = (): void => {
    this.drainScheduled = false;
    this.drain();
  };

  constructor(options: TcpServerSocketChannelOptions = {}) {
    super(null);
    this.cfg = new TcpServerSocketChannelConfig(this);
    this.tlsOptions = options.tls;
  }

  config(): TcpServerSocketChannelConfig {
    return this.cfg;
  }
  metadata(): ChannelMetadata {
    return METADATA;
  }
  isOpen(): boolean {
    return this.state !== State.Closed;
  }
  isActive(): boolean {
    return this.state === State.Active;
  }
  override localAddress(): InetSocketAddress | null {
    return super.localAddress() as InetSocketAddress | null;
  }
  /** Accepted connections waiting for a `read()` (AUTO_READ off). */
  pendingConnections(): number {
    return this.accepted.length;
  }
  /** @internal */
  isCompatible(loop: EventLoop): boolean {
    return loop instanceof DefaultEventLoop;
  }
  /** @internal */
  localAddress0(): SocketAddress | null {
    return this.local;
  }
  /** @internal */
  remoteAddress0(): SocketAddress | null {
    return null;
  }

  /** @internal Starts listening; `done` runs once Node listens (or failed to). */
  doBind(localAddress: SocketAddress, done: TransportCallback): void {
    if (!(localAddress instanceof InetSocketAddress)) {
      throw new IllegalArgumentException(`unsupported address type: ${describeType(localAddress)} (expected: InetSocketAddress)`);
    }
    if (this.state !== State.Open) throw new IllegalStateException(`already bound: ${String(this)}`);
    const server =
      this.tlsOptions !== undefined
        ? tls.createServer({ ...this.tlsOptions, allowHalfOpen: true })
        : net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    this.server = server;
    this.state = State.Binding;
    this.bindDone = done;
    server.on(this.tlsOptions !== undefined ? 'secureConnection' : 'connection', this.onConnection);
    server.on('error', this.onServerError);
    if (this.tlsOptions !== undefined) server.on('tlsClientError', this.onTlsClientError);
    const listen: ListenOptions = { host: localAddress.host, port: localAddress.port, backlog: this.cfg.getBacklog() };
    if (this.cfg.isReuseAddress()) listen.reusePort = true;
    this.requested = localAddress;
    server.listen(listen, this.onListening);
  }

  /** @internal A listening socket has no peer: disconnect is close (hasDisconnect is false anyway). */
  doDisconnect(): void {
    this.doClose();
  }

  /** @internal Stops listening and drops connections nobody took; accepted channels live on. */
  doClose(): void {
    if (this.state === State.Closed) return;
    this.state = State.Closed;
    this.readPending = false;
    const server = this.server;
    if (server !== null) server.close();
    for (const socket of this.accepted.splice(0)) socket.destroy();
    const done = this.bindDone;
    if (done !== null) {
      this.bindDone = null;
      done(new ClosedChannelException(`channel closed before listening on ${String(this.requested)}`));
    }
  }

  /** @internal One read: hand out queued connections (later task), or take the next one when it arrives. */
  doBeginRead(): void {
    this.readPending = true;
    if (this.accepted.length > 0 && !this.drainScheduled) {
      this.drainScheduled = true;
      this.eventLoop().execute(this.drainTask);
    }
  }

  /** @internal Called by the config when AUTO_READ is turned off. */
  autoReadCleared(): void {
    this.readPending = false;
  }

  /** @internal A server channel does not write. */
  override filterOutboundMessage(_msg: unknown): unknown {
    throw new UnsupportedOperationException(`a server channel cannot write: ${String(this)}`);
  }

  /** @internal */
  doWrite(_buffer: ChannelOutboundBuffer): void {}

  // ------------------------------------------------------------------ server events (inside the loop)

  private handleListening(): void {
    const server = this.server;
    if (this.state !== State.Binding || server === null) return;
    const address = server.address();
    if (address !== null && typeof address === 'object') this.local = new InetSocketAddress(address.address, address.port);
    this.state = State.Active;
    const done = this.bindDone;
    this.bindDone = null;
    done?.(null);
  }

  private handleServerError(err: Error): void {
    if (this.state === State.Binding) {
      const done = this.bindDone;
      this.bindDone = null;
      this.state = State.Open;
      this.server = null;
      const code = (err as NodeJS.ErrnoException).code;
      const what = code === 'EADDRINUSE' ? 'Address already in use' : code === 'EACCES' ? 'Permission denied' : err.message;
      done?.(new BindException(`${what}${code !== undefined ? ` (${code})` : ''}: ${String(this.requested)}`, { cause: err }));
      return;
    }
    if (this.state !== State.Active) return;
    // An accept failure (e.g. EMFILE): report it; Node keeps listening.
    this.pipeline().fireExceptionCaught(toTransportException(err, { channel: String(this), localAddress: this.local, remoteAddress: null }));
  }

  private handleConnection(socket: net.Socket): void {
    if (this.state !== State.Active) {
      socket.destroy();
      return;
    }
    if (!this.readPending && this.accepted.length >= Math.max(1, this.cfg.getBacklog())) {
      logger.debug(`Dropped a connection from ${String(socket.remoteAddress)}: ${this.accepted.length} waiting on ${String(this)}`);
      socket.destroy();
      return;
    }
    // Waiting sockets need an error listener: an 'error' without one would crash the process.
    socket.on('error', swallowError);
    this.accepted.push(socket);
    this.drain();
  }

  /** Hands out up to 16 waiting connections as one read batch, if a read is pending. */
  private drain(): void {
    if (!this.readPending || this.accepted.length === 0 || this.state !== State.Active) return;
    this.readPending = false;
    const pipeline = this.pipeline();
    const max = METADATA.defaultMaxMessagesPerRead;
    for (let n = 0; n < max && this.accepted.length > 0; n++) {
      const socket = this.accepted.shift()!;
      if (socket.destroyed) continue;
      let child: TcpSocketChannel;
      try {
        child = this.newChildChannel(socket);
      } catch (err) {
        logger.warn(`Failed to create a channel for an accepted connection on ${String(this)}`, err);
        socket.destroy();
        continue;
      } finally {
        socket.off('error', swallowError);
      }
      pipeline.fireChannelRead(child);
    }
    pipeline.fireChannelReadComplete();
    // A read() issued during channelReadComplete (auto-read) takes the rest in a later batch.
    if (this.readPending && this.accepted.length > 0 && !this.drainScheduled) {
      this.drainScheduled = true;
      this.eventLoop().execute(this.drainTask);
    }
  }

  /** Creates the channel of an accepted connection (override to customise the child class). */
  protected newChildChannel(socket: net.Socket): TcpSocketChannel {
    return new TcpSocketChannel({}, this, socket);
  }
}

/** Netty's name for {@link TcpServerSocketChannel}. */
export const NioServerSocketChannel = TcpServerSocketChannel;
/** Netty's name for {@link TcpServerSocketChannel}. */
export type NioServerSocketChannel = TcpServerSocketChannel;
