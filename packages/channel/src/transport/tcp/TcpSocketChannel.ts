import * as net from 'node:net';
import * as tls from 'node:tls';
import { ByteBuf } from '../../buffer/ByteBuf';
import { Unpooled, wrappedArray } from '../../buffer/Unpooled';
import { AbstractChannel, type TransportCallback } from '../../channel/AbstractChannel';
import type { Channel } from '../../channel/Channel';
import { ChannelInputShutdownEvent, ChannelInputShutdownReadComplete, ChannelOutputShutdownEvent } from '../../channel/ChannelEvents';
import type { ChannelFuture, ChannelPromise } from '../../channel/ChannelFuture';
import { ChannelMetadata } from '../../channel/ChannelMetadata';
import type { RecvByteBufAllocatorHandle } from '../../channel/RecvByteBufAllocator';
import type { ChannelOutboundBuffer } from '../../channel/ChannelOutboundBuffer';
import { ClosedChannelException, ConnectException } from '../../channel/errors';
import { InetSocketAddress, type SocketAddress } from '../../channel/SocketAddress';
import { DefaultEventLoop } from '../../concurrent/DefaultEventLoop';
import type { EventLoop } from '../../concurrent/EventLoop';
import { InternalLoggerFactory } from '../../util/InternalLogger';
import { IllegalArgumentException } from '../../util/SluiceError';
import {
  ChannelOutputShutdownException,
  describeType,
  toTransportException,
  UnsupportedMessageTypeException,
} from './errors';
import { TcpSocketChannelConfig, type TcpSocketConfigTarget } from './TcpSocketChannelConfig';
import { type TcpWriteBatch, type WriteBatchOwner, writeFlushed } from './TcpWriteBatch';

const logger = InternalLoggerFactory.getInstance('TcpSocketChannel');

const METADATA = new ChannelMetadata(false, 16);

/** What a closed channel's socket reads into (nothing arrives once it is destroyed; never handed out). */
const DISCARD_READ_BUFFER = new Uint8Array(64);

const enum State {
  Open,
  Connecting,
  Active,
  Closed,
}

/** Options of a {@link TcpSocketChannel}. */
export interface TcpSocketChannelOptions {
  /**
   * Connect over TLS with these `node:tls` client options (CA, servername, ALPN, …); host and port come
   * from `connect()`. The channel turns active once the handshake completed (default: plain TCP).
   */
  tls?: tls.ConnectionOptions;
}

/**
 * Port of io.netty.channel.socket.nio.NioSocketChannel (Netty 4.1), also exported as `NioSocketChannel`.
 * Differs: Node does the socket I/O, so reads are Node's `'data'` chunks and writes are corked batches
 * completed by Node's callbacks; TLS (`node:tls`) is an option of this class, not a handler.
 *
 * A TCP connection over a `node:net` Socket, or a TLSSocket when created with `{ tls }`:
 * - **Reading**: a client channel without TLS reads like Netty: into a buffer from the channel's
 *   allocator, sized by its RecvByteBufAllocator (RCVBUF_ALLOCATOR; adaptive by default), through
 *   `net.Socket`'s `onread` — pooled memory that is already mapped, instead of a fresh 64 KiB allocation
 *   per read (whose page faults and collection cost a bulk consumer ~10 % of its CPU here). Accepted
 *   and TLS sockets cannot take `onread` in Node; their `'data'` chunks are wrapped without a copy
 *   (`Unpooled.wrappedBuffer`). Either way each read is fired as `channelRead`, followed by
 *   `channelReadComplete` (one read = one read batch). With AUTO_READ off the socket is paused and each
 *   `read()` lets exactly one read through.
 * - **Writing**: a flush hands every flushed message to the socket in one corked batch (one `writev`),
 *   copying runs of small buffers (< 1 KiB) into a 64 KiB staging buffer (reused while the kernel takes
 *   writes at once; see TcpWriteBatch) and passing large ones as views (DESIGN.md "Hot paths": one
 *   `write()` per 64-byte message is ~15× slower than corking, packing ~40×). One callback completes the
 *   whole batch. Entries stay in the outbound buffer until then, so
 *   writability also covers bytes queued inside Node's socket.
 * - **Peer FIN**: closes the channel, or with ALLOW_HALF_CLOSURE fires `ChannelInputShutdownEvent` (then
 *   `ChannelInputShutdownReadComplete`) and stays open. Once both directions are shut down Node closes the
 *   socket and the channel closes.
 * - **Errors**: a socket error (a reset: `ECONNRESET`/`EPIPE`) is fired once as `exceptionCaught` with a
 *   {@link ConnectionResetException} / {@link TransportIOException} naming both addresses, then the
 *   channel closes (flushed writes fail with that error).
 *
 * ## Threading
 * Every socket callback is dispatched inside the channel's event loop, so handlers always see
 * `inEventLoop() === true`. Register on a {@link DefaultEventLoop}.
 *
 * ## Ownership
 * Inbound `ByteBuf`s belong to the handler that receives them (release or forward). Outbound buffers
 * are released when Node reports their write complete (or failed), never earlier: the socket may still
 * be reading their memory.
 *
 * ## Pitfalls
 * - Only `ByteBuf` can be written; anything else fails with UnsupportedMessageTypeException (add an encoder).
 * - `close()` destroys the socket at once, like Netty's close: flushed data Node has not yet handed to the
 *   kernel is dropped and its promises fail. Close from the write's listener to send everything first.
 * - SO_SNDBUF / SO_RCVBUF are recorded only (Node has no setter for TCP sockets).
 * - An open client channel holds the pooled buffer its next read goes into (Node wants it before the
 *   data arrives); `close()` releases it. A leak check at PARANOID that runs while a client channel is
 *   still open reports that buffer: close channels first.
 *
 * @example
 * const group = new DefaultEventLoopGroup();
 * const f = new Bootstrap().group(group).channel(TcpSocketChannel)
 *   .handler(new MyHandler()).connect('127.0.0.1', 8080);
 * const ch = (await f.sync()).channel();
 * await ch.writeAndFlush(Unpooled.wrappedBuffer(Buffer.from('hello')));
 */
export class TcpSocketChannel extends AbstractChannel implements TcpSocketConfigTarget, WriteBatchOwner {
  private readonly cfg: TcpSocketChannelConfig;
  private readonly tlsOptions: tls.ConnectionOptions | undefined;
  private socket: net.Socket | null = null;
  private state: State = State.Open;
  private connectDone: TransportCallback | null = null;
  private requestedLocal: InetSocketAddress | null = null;
  private requestedRemote: InetSocketAddress | null = null;
  private local: InetSocketAddress | null = null;
  private remote: InetSocketAddress | null = null;
  private reading = false;
  private inputShutdown = false;
  private outputShutdown = false;
  private failureReported = false;
  /** Bumped on close: write batches of an older epoch complete nothing (their entries were failed). */
  private writeEpoch = 0;
  /** Flushed entries handed to the socket whose batch has not completed yet. */
  private inFlight = 0;
  /** Sizes the `onread` buffers (client sockets without TLS); made at connect. */
  private recvHandle: RecvByteBufAllocatorHandle | null = null;
  /** The buffer the socket reads into next (`onread` mode); owned by this channel until a read fills it. */
  private readBuffer: ByteBuf | null = null;

  private readonly onData = (chunk: Buffer): void => this.runInEventLoop(this.handleData, chunk);
  private readonly onReadInto = (nread: number): boolean => {
    this.runInEventLoop(this.handleReadInto, nread);
    // false stops the handle reading (AUTO_READ off, or closed); resume() starts it again.
    return this.reading;
  };
  private readonly nextReadBuffer = (): Uint8Array => this.allocateReadBuffer();
  private readonly onEnd = (): void => this.runInEventLoop(this.handleEnd, undefined);
  private readonly onError = (err: Error): void => this.runInEventLoop(this.handleError, err);
  private readonly onClose = (): void => this.runInEventLoop(this.handleClose, undefined);
  private readonly onConnect = (): void => this.runInEventLoop(this.handleConnect, undefined);

  /**
   * A client channel (connect it through a Bootstrap or `connect()`).
   * `parent` and `socket` are internal: {@link TcpServerSocketChannel} passes them for accepted connections.
   */
  constructor(options: TcpSocketChannelOptions = {}, parent: Channel | null = null, socket: net.Socket | null = null) {
    super(parent);
    this.cfg = new TcpSocketChannelConfig(this);
    this.tlsOptions = options.tls;
    if (socket !== null) {
      this.attach(socket);
      this.state = State.Active;
      this.cacheAddresses(socket);
    }
  }

  config(): TcpSocketChannelConfig {
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
  /** Whether this connection runs over TLS. */
  isTls(): boolean {
    return this.socket instanceof tls.TLSSocket || this.tlsOptions !== undefined;
  }
  /** Whether the peer shut its output down (only seen with ALLOW_HALF_CLOSURE; otherwise the channel closes). */
  isInputShutdown(): boolean {
    return this.inputShutdown || this.state === State.Closed;
  }
  /** Whether {@link shutdownOutput} was called (or the channel is closed). */
  isOutputShutdown(): boolean {
    return this.outputShutdown || this.state === State.Closed;
  }
  /** Both directions shut down. */
  isShutdown(): boolean {
    return this.isInputShutdown() && this.isOutputShutdown();
  }
  override localAddress(): InetSocketAddress | null {
    return super.localAddress() as InetSocketAddress | null;
  }
  override remoteAddress(): InetSocketAddress | null {
    return super.remoteAddress() as InetSocketAddress | null;
  }
  /** @internal The Node socket (null before connect). */
  nodeSocket(): net.Socket | null {
    return this.socket;
  }
  /** @internal */
  isCompatible(loop: EventLoop): boolean {
    return loop instanceof DefaultEventLoop;
  }
  /** @internal */
  localAddress0(): SocketAddress | null {
    return this.local ?? this.requestedLocal;
  }
  /** @internal */
  remoteAddress0(): SocketAddress | null {
    return this.remote;
  }

  /**
   * Half-closes the connection: sends FIN after everything already flushed (Node `socket.end()`), then
   * fires `ChannelOutputShutdownEvent`. Later writes fail with ChannelOutputShutdownException; reading
   * goes on. Port of DuplexChannel.shutdownOutput().
   */
  shutdownOutput(promise?: ChannelPromise): ChannelFuture {
    const p = promise ?? this.newPromise();
    const loop = this.eventLoop();
    if (loop.inEventLoop()) this.shutdownOutput0(p);
    else loop.execute(() => this.shutdownOutput0(p));
    return p;
  }

  private shutdownOutput0(promise: ChannelPromise): void {
    const socket = this.socket;
    if (this.state !== State.Active || socket === null) {
      promise.tryFailure(new ClosedChannelException(`cannot shut down the output of an inactive channel: ${String(this)}`));
      return;
    }
    if (this.outputShutdown) {
      promise.trySuccess();
      return;
    }
    this.outputShutdown = true;
    socket.end((err?: Error | null) => this.runInEventLoop(this.outputShutdownDone, { promise, err: err ?? null }));
  }

  private outputShutdownDone(result: { promise: ChannelPromise; err: Error | null }): void {
    if (result.err !== null) {
      result.promise.tryFailure(result.err);
      return;
    }
    result.promise.trySuccess();
    if (this.state === State.Active) this.pipeline().fireUserEventTriggered(ChannelOutputShutdownEvent.INSTANCE);
  }

  // ------------------------------------------------------------------ transport hooks

  /** @internal A local address for the connect (Netty: bind before connect). */
  doBind(localAddress: SocketAddress, done: TransportCallback): void {
    if (!(localAddress instanceof InetSocketAddress)) {
      throw new IllegalArgumentException(`unsupported address type: ${describeType(localAddress)} (expected: InetSocketAddress)`);
    }
    this.requestedLocal = localAddress;
    done(null);
  }

  /** @internal */
  override doConnect(remoteAddress: SocketAddress, localAddress: SocketAddress | null, done: TransportCallback): void {
    if (!(remoteAddress instanceof InetSocketAddress)) {
      throw new IllegalArgumentException(`unsupported address type: ${describeType(remoteAddress)} (expected: InetSocketAddress)`);
    }
    if (localAddress !== null && !(localAddress instanceof InetSocketAddress)) {
      throw new IllegalArgumentException(`unsupported address type: ${describeType(localAddress)} (expected: InetSocketAddress)`);
    }
    const local = localAddress ?? this.requestedLocal;
    const options: net.TcpNetConnectOpts = { host: remoteAddress.host, port: remoteAddress.port, allowHalfOpen: true };
    if (local !== null) {
      options.localAddress = local.host;
      if (local.port !== 0) options.localPort = local.port;
    }
    this.state = State.Connecting;
    this.connectDone = done;
    this.remote = null;
    this.requestedRemote = remoteAddress;
    let socket: net.Socket;
    if (this.tlsOptions !== undefined) {
      socket = tls.connect({ ...this.tlsOptions, ...options });
    } else {
      this.recvHandle = this.cfg.getRecvByteBufAllocator().newHandle();
      // Node calls `buffer` for the first read buffer now and for the next one after every read.
      socket = net.connect({ ...options, onread: { buffer: this.nextReadBuffer, callback: this.onReadInto } });
    }
    this.attach(socket);
    socket.once(this.tlsOptions !== undefined ? 'secureConnect' : 'connect', this.onConnect);
  }

  /** @internal */
  doDisconnect(): void {
    this.doClose();
  }

  /** @internal */
  doClose(): void {
    if (this.state === State.Closed) return;
    this.state = State.Closed;
    this.writeEpoch++;
    this.inFlight = 0;
    this.reading = false;
    this.socket?.destroy();
    this.releaseReadBuffer();
    const done = this.connectDone;
    if (done !== null) {
      this.connectDone = null;
      done(new ClosedChannelException('channel closed before the connection was established'));
    }
  }

  /** @internal A deregistered channel must not fire events: stop reading until registered again. */
  override doDeregister(): void {
    this.pauseReading();
  }

  /** @internal Resumes the socket; with AUTO_READ off, handleData pauses it again after one chunk. */
  doBeginRead(): void {
    if (this.reading || this.inputShutdown) return;
    const socket = this.socket;
    if (socket === null) return;
    this.reading = true;
    socket.resume();
  }

  /** @internal Called by the config when AUTO_READ is turned off. */
  autoReadCleared(): void {
    this.pauseReading();
  }

  private pauseReading(): void {
    if (!this.reading) return;
    this.reading = false;
    this.socket?.pause();
  }

  /** @internal Only ByteBufs, and none after shutdownOutput(). */
  override filterOutboundMessage(msg: unknown): unknown {
    if (this.outputShutdown) {
      throw new ChannelOutputShutdownException(`cannot write after shutdownOutput(): ${String(this)}`);
    }
    if (msg instanceof ByteBuf) return msg;
    throw new UnsupportedMessageTypeException(`unsupported message type: ${describeType(msg)} (expected: ByteBuf) on ${String(this)}; add an encoder`);
  }

  /** @internal Hands every flushed-but-unsent message to the socket, one corked batch per pass. */
  doWrite(buffer: ChannelOutboundBuffer): void {
    const socket = this.socket;
    if (socket === null) return;
    if (this.outputShutdown) {
      // Fail what was flushed after the shutdown once the batches ahead of it completed.
      if (this.inFlight === 0) buffer.failFlushed(new ChannelOutputShutdownException(`output shut down: ${String(this)}`), true);
      return;
    }
    while (buffer.hasUnsent()) {
      const epoch = this.writeEpoch;
      const batch = writeFlushed(this, buffer, socket, epoch);
      if (batch === null) continue; // nothing but empty buffers: removed already
      if (batch.acceptedByKernel && this.inFlight === 0) {
        // The kernel took every byte synchronously: complete the entries now, inside the flush, as Netty's
        // NIO transport does when the socket accepted the bytes — instead of a loop turn later in Node's
        // callback (which then only unpins). Only with no older batch pending: entries complete in order.
        // remove() runs listeners, which may write and flush (flush0 is not re-entered: this loop picks
        // the new entries up) or close (the epoch changes: stop).
        batch.completedEarly = true;
        for (let i = batch.count; i > 0 && epoch === this.writeEpoch; i--) buffer.remove();
        if (epoch !== this.writeEpoch || this.socket !== socket) return;
        continue;
      }
      this.inFlight += batch.count;
    }
  }

  /** @internal Node's write callback of a batch: complete it inside the loop. */
  onBatchDone(batch: TcpWriteBatch): void {
    this.runInEventLoop(this.batchWritten, batch);
  }

  /** Node reported a batch written (or failed): remove (release, succeed) its entries in order. */
  private batchWritten(batch: TcpWriteBatch): void {
    batch.releaseScratch();
    if (batch.epoch !== this.writeEpoch) return; // closed meanwhile: the core failed these entries
    if (batch.completedEarly) {
      // Entries completed in doWrite; only a late failure matters (the kernel had the bytes, so rare).
      if (batch.error !== null) this.socketFailed(batch.error, true);
      return;
    }
    this.inFlight -= batch.count;
    let err = batch.error;
    const socket = this.socket;
    // A write cancelled by a destroy reports success; the socket is gone, so the bytes are not sent.
    if (err === null && socket !== null && socket.destroyed) {
      err = socket.errored ?? new ClosedChannelException(`socket destroyed before the write completed: ${String(this)}`);
    }
    if (err !== null) {
      this.socketFailed(err, true);
      return;
    }
    const buffer = this.abstractUnsafe().outboundBuffer();
    if (buffer === null) return;
    // remove() completes promises; a listener may close (epoch changes) or write and flush more.
    for (let i = batch.count; i > 0 && batch.epoch === this.writeEpoch; i--) buffer.remove();
    if (batch.epoch === this.writeEpoch && buffer.hasUnsent()) this.abstractUnsafe().flush0();
  }

  // ------------------------------------------------------------------ socket events (inside the loop)

  private attach(socket: net.Socket): void {
    this.socket = socket;
    this.cfg.applyTo(socket);
    // Paused before the 'data' listener so that nothing flows until the first read().
    socket.pause();
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private cacheAddresses(socket: net.Socket): void {
    this.local = toInet(socket.localAddress, socket.localPort);
    this.remote = toInet(socket.remoteAddress, socket.remotePort);
  }

  private handleConnect(): void {
    const socket = this.socket;
    if (this.state !== State.Connecting || socket === null) return;
    this.state = State.Active;
    this.cacheAddresses(socket);
    const done = this.connectDone;
    this.connectDone = null;
    done?.(null);
  }

  /** `onread` mode: the socket read `nread` bytes into {@link readBuffer}, which goes up the pipeline. */
  private handleReadInto(nread: number): void {
    const buffer = this.readBuffer;
    this.readBuffer = null;
    if (buffer === null) return;
    if (this.state !== State.Active) {
      buffer.release();
      return;
    }
    buffer.writerIndex(nread);
    this.recvHandle?.lastBytesRead(nread);
    this.fireRead(buffer);
  }

  /** The next `onread` buffer: a fresh one from the allocator while the channel may still read. */
  private allocateReadBuffer(): Uint8Array {
    const handle = this.recvHandle;
    if (this.state === State.Closed || handle === null) return DISCARD_READ_BUFFER;
    let buffer = this.readBuffer;
    if (buffer === null) {
      buffer = handle.allocate(this.cfg.getAllocator());
      if (!buffer.hasArray()) {
        // Node must read into the buffer's own memory; a buffer without one (a custom allocator's
        // composite, say) is swapped for a heap buffer of the same size.
        const size = buffer.capacity();
        buffer.release();
        buffer = Unpooled.buffer(size);
      }
      this.readBuffer = buffer;
    }
    const offset = buffer.arrayOffset();
    return buffer.array().subarray(offset, offset + buffer.capacity());
  }

  private releaseReadBuffer(): void {
    const buffer = this.readBuffer;
    this.readBuffer = null;
    buffer?.release();
  }

  private handleData(chunk: Buffer): void {
    if (this.state !== State.Active) return;
    this.fireRead(wrappedArray(chunk));
  }

  /** One read is one batch: `channelRead` then `channelReadComplete`; the pipeline owns `msg` from here. */
  private fireRead(msg: ByteBuf): void {
    // Netty's one batch per read(): with auto-read off, stop after this read until read() is called again.
    if (!this.cfg.isAutoRead()) this.pauseReading();
    const pipeline = this.pipeline();
    pipeline.fireChannelRead(msg);
    pipeline.fireChannelReadComplete();
  }

  private handleEnd(): void {
    if (this.state !== State.Active) return;
    this.reading = false;
    if (this.cfg.isAllowHalfClosure()) {
      this.inputShutdown = true;
      const pipeline = this.pipeline();
      pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      pipeline.fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
    } else {
      this.abstractUnsafe().close(this.abstractUnsafe().voidPromise());
    }
  }

  private handleError(err: Error): void {
    if (this.state === State.Connecting) {
      // Like a JDK SocketChannel whose connect failed, the channel is closed (Netty then closes it).
      const done = this.connectDone;
      this.connectDone = null;
      this.state = State.Closed;
      this.releaseReadBuffer();
      done?.(this.newConnectException(err));
      return;
    }
    if (this.state === State.Active) {
      this.socketFailed(err, false);
      return;
    }
    logger.debug(`Ignored an error of a closed socket: ${String(this)}`, err);
  }

  private handleClose(): void {
    if (this.state === State.Connecting) {
      // Closed without an 'error' (e.g. the TLS peer hung up during the handshake).
      this.handleError(new ClosedChannelException(`connection closed before it was established: ${String(this.requestedRemote)}`));
      return;
    }
    if (this.state === State.Active) this.abstractUnsafe().close(this.abstractUnsafe().voidPromise());
  }

  /**
   * Reports a socket failure exactly once: exceptionCaught with a transport exception naming the channel,
   * then close (flushed writes fail with that exception).
   */
  private socketFailed(err: Error, fromWrite: boolean): void {
    if (this.failureReported || this.state === State.Closed) return;
    this.failureReported = true;
    // A write into a socket Node already destroyed reports ERR_STREAM_DESTROYED; the reason is the socket's error.
    err = this.socket?.errored ?? err;
    const cause = toTransportException(err, { channel: String(this), localAddress: this.local, remoteAddress: this.remote });
    const unsafe = this.abstractUnsafe();
    if (this.isRegistered()) this.pipeline().fireExceptionCaught(cause);
    if (fromWrite) unsafe.handleWriteError(cause);
    else unsafe.closeWithCause(cause);
  }

  private newConnectException(err: Error): ConnectException {
    if (err instanceof ConnectException) return err;
    const code = (err as NodeJS.ErrnoException).code;
    const target = String(this.requestedRemote);
    if (code === 'ECONNREFUSED') return new ConnectException(`Connection refused: ${target}`, { cause: err });
    return new ConnectException(`connect to ${target} failed${code !== undefined ? ` (${code})` : ''}: ${err.message}`, { cause: err });
  }
}

function toInet(host: string | undefined, port: number | undefined): InetSocketAddress | null {
  if (host === undefined || port === undefined) return null;
  return new InetSocketAddress(host, port);
}

/** Netty's name for {@link TcpSocketChannel}. */
export const NioSocketChannel = TcpSocketChannel;
/** Netty's name for {@link TcpSocketChannel}. */
export type NioSocketChannel = TcpSocketChannel;
