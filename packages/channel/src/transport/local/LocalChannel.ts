import { ReferenceCountUtil } from '../../buffer/ReferenceCountUtil';
import { AbstractChannel, type TransportCallback } from '../../channel/AbstractChannel';
import { DefaultChannelConfig } from '../../channel/ChannelConfig';
import { ChannelMetadata } from '../../channel/ChannelMetadata';
import type { ChannelOutboundBuffer } from '../../channel/ChannelOutboundBuffer';
import { ClosedChannelException, ConnectException, NotYetConnectedException } from '../../channel/errors';
import type { SocketAddress } from '../../channel/SocketAddress';
import { DefaultEventLoop } from '../../concurrent/DefaultEventLoop';
import type { EventLoop } from '../../concurrent/EventLoop';
import { InternalLoggerFactory } from '../../util/InternalLogger';
import { IllegalArgumentException, IllegalStateException } from '../../util/SluiceError';
import { LocalAddress } from './LocalAddress';
import { LocalChannelRegistry } from './LocalChannelRegistry';
import type { LocalServerChannel } from './LocalServerChannel';

const logger = InternalLoggerFactory.getInstance('LocalChannel');

const METADATA = new ChannelMetadata(false, 16);

const enum State {
  Open,
  Connecting,
  Connected,
  Closed,
}

/**
 * Port of io.netty.channel.local.LocalChannel (Netty 4.1). Differs: received messages are always delivered
 * from a later task on the receiver's loop (Netty delivers inline when both ends share a loop and no write
 * is in progress), which keeps ordering simple: data queued before a close arrives before channelInactive.
 *
 * One end of an in-process connection to a {@link LocalServerChannel}, for tests and for wiring two components of one process through pipelines
 * without sockets. Messages of any type pass to the peer as they are (no copy, no encoding): a write
 * retains the message, queues it on the peer and completes; the peer fires it as `channelRead` from a later
 * task on its own event loop, all queued messages as one read batch.
 *
 * Closing one end closes the other (a later task on the peer's loop, after the messages already queued
 * for it); writes after close fail at once with ClosedChannelException.
 *
 * ## Threading
 * Handlers run on each channel's own event loop; both ends may share a loop or not. Register on a
 * {@link DefaultEventLoop}.
 *
 * ## Ownership
 * The receiving handler owns each message (the writer's reference moved to it). Messages still queued
 * when a channel closes are released.
 *
 * @example
 * const f = new Bootstrap().group(group).channel(LocalChannel).handler(h).connect(new LocalAddress('echo'));
 * const ch = (await f.sync()).channel();
 * await ch.writeAndFlush('any message type');
 */
export class LocalChannel extends AbstractChannel {
  private readonly cfg = new DefaultChannelConfig(this);
  private state: State = State.Open;
  private peer: LocalChannel | null;
  private local: LocalAddress | null = null;
  private remote: LocalAddress | null = null;
  private connectDone: TransportCallback | null = null;
  private readonly inbound: unknown[] = [];
  private inboundHead = 0;
  private readPending = false;
  private deliveryScheduled = false;
  private readonly deliverTask = (): void => {
    this.deliveryScheduled = false;
    this.deliver();
  };

  /**
   * A client channel. `parent` and `peer` are internal: {@link LocalServerChannel} passes them for the
   * server side of an accepted connection.
   */
  constructor(parent: LocalServerChannel | null = null, peer: LocalChannel | null = null) {
    super(parent);
    this.peer = peer;
    if (parent !== null) {
      this.local = parent.localAddress();
      this.remote = peer?.local ?? null;
    }
  }

  config(): DefaultChannelConfig {
    return this.cfg;
  }
  metadata(): ChannelMetadata {
    return METADATA;
  }
  isOpen(): boolean {
    return this.state !== State.Closed;
  }
  isActive(): boolean {
    return this.state === State.Connected;
  }
  override parent(): LocalServerChannel | null {
    return super.parent() as LocalServerChannel | null;
  }
  override localAddress(): LocalAddress | null {
    return super.localAddress() as LocalAddress | null;
  }
  override remoteAddress(): LocalAddress | null {
    return super.remoteAddress() as LocalAddress | null;
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
    return this.remote;
  }

  /** @internal The server side becomes connected on registration and completes the client's connect. */
  override doRegister(): void {
    const peer = this.peer;
    if (this.parent() === null || peer === null || this.state !== State.Open) return;
    if (peer.state === State.Closed) {
      // The client gave up before we were registered.
      this.invokeLater(() => this.abstractUnsafe().close(this.abstractUnsafe().voidPromise()));
      return;
    }
    this.state = State.Connected;
    // Netty marks the client connected right away (so our channelActive may write to it) and completes
    // its connect promise from a task on its own loop.
    peer.remote = this.local;
    peer.state = State.Connected;
    peer.invokeLater(peer.finishConnect);
  }

  private readonly finishConnect = (): void => {
    const done = this.connectDone;
    this.connectDone = null;
    if (done !== null) done(null);
  };

  /** @internal Binds a client end to an explicit address (optional; connect picks one otherwise). */
  doBind(localAddress: SocketAddress, done: TransportCallback): void {
    if (!(localAddress instanceof LocalAddress)) {
      throw new IllegalArgumentException(`unsupported address type: ${localAddress.constructor.name} (expected: LocalAddress)`);
    }
    this.local = localAddress.id === LocalAddress.ANY.id ? LocalAddress.forChannel(this) : localAddress;
    done(null);
  }

  /** @internal Finds the server bound to `remoteAddress` and hands it the server end of the connection. */
  override doConnect(remoteAddress: SocketAddress, localAddress: SocketAddress | null, done: TransportCallback): void {
    if (!(remoteAddress instanceof LocalAddress)) {
      throw new IllegalArgumentException(`unsupported address type: ${remoteAddress.constructor.name} (expected: LocalAddress)`);
    }
    if (this.parent() !== null) throw new IllegalStateException(`an accepted channel cannot connect: ${String(this)}`);
    if (localAddress instanceof LocalAddress) this.local = localAddress;
    else if (this.local === null) this.local = LocalAddress.forChannel(this);
    const server = LocalChannelRegistry.get(remoteAddress);
    if (server === undefined || !server.isActive()) {
      // Netty closes a client whose connect was refused.
      this.state = State.Closed;
      done(new ConnectException(`connection refused: ${String(remoteAddress)}`));
      return;
    }
    this.state = State.Connecting;
    this.connectDone = done;
    this.peer = server.serve(this);
  }

  /** @internal */
  doDisconnect(): void {
    this.doClose();
  }

  /** @internal Releases what was not read and closes the peer after what it has queued. */
  doClose(): void {
    if (this.state === State.Closed) return;
    this.state = State.Closed;
    this.readPending = false;
    this.releaseInbound();
    const peer = this.peer;
    if (peer !== null && peer.state !== State.Closed) {
      if (peer.isRegistered()) {
        // A task on the peer's loop, queued after its pending deliveries (FIFO): data first, then inactive.
        peer.invokeLater(peer.closeFromPeer);
      } else {
        peer.abstractUnsafe().closeForcibly();
      }
    }
    const done = this.connectDone;
    if (done !== null) {
      this.connectDone = null;
      done(new ClosedChannelException('channel closed before the connection was established'));
    }
  }

  private readonly closeFromPeer = (): void => {
    this.abstractUnsafe().close(this.abstractUnsafe().voidPromise());
  };

  /** @internal One read: deliver what is queued (later task), or the next messages when they arrive. */
  doBeginRead(): void {
    this.readPending = true;
    if (this.inboundHead < this.inbound.length) this.scheduleDelivery();
  }

  /** @internal Moves each flushed message to the peer's queue (retained), then completes its write. */
  doWrite(buffer: ChannelOutboundBuffer): void {
    if (this.state !== State.Connected) {
      buffer.failFlushed(this.state === State.Closed ? new ClosedChannelException() : new NotYetConnectedException(), true);
      return;
    }
    const peer = this.peer;
    for (;;) {
      const msg = buffer.current();
      if (msg === null) break;
      if (peer === null || peer.state !== State.Connected) {
        buffer.removeWithFailure(new ClosedChannelException(`peer closed: ${String(this)}`));
        continue;
      }
      peer.inbound.push(ReferenceCountUtil.retain(msg));
      // Scheduled before remove() completes the promise: a close from its listener reaches the peer after
      // the data (Netty's LocalChannelTest: close in the write listener).
      peer.scheduleDelivery();
      buffer.remove();
    }
  }

  private scheduleDelivery(): void {
    if (this.deliveryScheduled || this.state === State.Closed) return;
    this.deliveryScheduled = true;
    try {
      this.eventLoop().execute(this.deliverTask);
    } catch (err) {
      this.deliveryScheduled = false;
      logger.warn(`Could not schedule the delivery of messages to ${String(this)}; releasing them.`, err);
      this.releaseInbound();
    }
  }

  /** Fires every queued message as one read batch, if a read is pending. */
  private deliver(): void {
    if (!this.readPending || !this.isOpen() || this.inboundHead === this.inbound.length) return;
    this.readPending = false;
    const pipeline = this.pipeline();
    // A handler may close the channel mid-batch; close releases the rest.
    while (this.inboundHead < this.inbound.length && this.isOpen()) {
      const msg = this.inbound[this.inboundHead];
      this.inbound[this.inboundHead++] = undefined;
      pipeline.fireChannelRead(msg);
    }
    this.compactInbound();
    pipeline.fireChannelReadComplete();
  }

  private compactInbound(): void {
    if (this.inboundHead === this.inbound.length) {
      this.inbound.length = 0;
      this.inboundHead = 0;
    }
  }

  private releaseInbound(): void {
    while (this.inboundHead < this.inbound.length) {
      const msg = this.inbound[this.inboundHead];
      this.inbound[this.inboundHead++] = undefined;
      ReferenceCountUtil.safeRelease(msg, (err) => logger.warn('Failed to release a message.', err));
    }
    this.compactInbound();
  }

  private invokeLater(task: () => void): void {
    try {
      this.eventLoop().execute(task);
    } catch (err) {
      logger.warn(`Can't invoke a task on the event loop of ${String(this)}; it rejected it.`, err);
    }
  }
}
