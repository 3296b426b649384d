import { AbstractChannel, type TransportCallback } from '../../channel/AbstractChannel';
import { DefaultChannelConfig } from '../../channel/ChannelConfig';
import { ChannelMetadata } from '../../channel/ChannelMetadata';
import type { ChannelOutboundBuffer } from '../../channel/ChannelOutboundBuffer';
import type { SocketAddress } from '../../channel/SocketAddress';
import { DefaultEventLoop } from '../../concurrent/DefaultEventLoop';
import type { EventLoop } from '../../concurrent/EventLoop';
import { IllegalArgumentException, UnsupportedOperationException } from '../../util/SluiceError';
import { LocalAddress } from './LocalAddress';
import { LocalChannel } from './LocalChannel';
import { LocalChannelRegistry } from './LocalChannelRegistry';

const METADATA = new ChannelMetadata(false, 16);

const enum State {
  Open,
  Bound,
  Closed,
}

/**
 * Port of io.netty.channel.local.LocalServerChannel (Netty 4.1). Differs: connecting clients are handed
 * out from a task on this channel's loop, up to 16 per read batch.
 *
 * Accepts in-process connections at a {@link LocalAddress}. Each connecting {@link LocalChannel} gets a server-side LocalChannel peer, fired
 * as `channelRead(child)` on this pipeline from a task on this channel's loop; the ServerBootstrap's
 * acceptor registers it, which connects both ends.
 *
 * ## Threading
 * Register on a {@link DefaultEventLoop}. With AUTO_READ off, connecting clients wait until `read()`.
 *
 * @example
 * const server = (await new ServerBootstrap().group(group).channel(LocalServerChannel)
 *   .childHandler(h).bind(new LocalAddress('svc')).sync()).channel();
 */
export class LocalServerChannel extends AbstractChannel {
  private readonly cfg = new DefaultChannelConfig(this);
  private state: State = State.Open;
  private local: LocalAddress | null = null;
  private readonly pending: LocalChannel[] = [];
  private readPending = false;
  private drainScheduled = false;
  private readonly drainTask = (): void => {
    this.drainScheduled = false;
    this.drain();
  };

  constructor() {
    super(null);
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
    return this.state === State.Bound;
  }
  override localAddress(): LocalAddress | null {
    return super.localAddress() as LocalAddress | null;
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

  /** @internal Takes the name in the process-wide registry (throws if it is in use). */
  doBind(localAddress: SocketAddress, done: TransportCallback): void {
    if (!(localAddress instanceof LocalAddress)) {
      throw new IllegalArgumentException(`unsupported address type: ${localAddress.constructor.name} (expected: LocalAddress)`);
    }
    this.local = LocalChannelRegistry.register(this, localAddress);
    this.state = State.Bound;
    done(null);
  }

  /** @internal */
  doDisconnect(): void {
    this.doClose();
  }

  /** @internal Frees the name; connections not yet handed out are closed. */
  doClose(): void {
    if (this.state === State.Closed) return;
    if (this.local !== null) LocalChannelRegistry.unregister(this, this.local);
    this.state = State.Closed;
    for (const child of this.pending.splice(0)) child.unsafe().closeForcibly();
  }

  /** @internal */
  doBeginRead(): void {
    this.readPending = true;
    if (this.pending.length > 0) this.scheduleDrain();
  }

  /** @internal */
  override filterOutboundMessage(_msg: unknown): unknown {
    throw new UnsupportedOperationException(`a server channel cannot write: ${String(this)}`);
  }

  /** @internal */
  doWrite(_buffer: ChannelOutboundBuffer): void {}

  /**
   * @internal Called by a connecting client (on its loop): creates the server end of the connection and
   * queues it for this pipeline. Returns the server end (the client's peer).
   */
  serve(client: LocalChannel): LocalChannel {
    const child = this.newLocalChannel(client);
    this.pending.push(child);
    this.scheduleDrain();
    return child;
  }

  /** Creates the server end for `peer` (override to customise the child class). */
  protected newLocalChannel(peer: LocalChannel): LocalChannel {
    return new LocalChannel(this, peer);
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    this.eventLoop().execute(this.drainTask);
  }

  private drain(): void {
    if (!this.readPending || this.pending.length === 0 || this.state !== State.Bound) return;
    this.readPending = false;
    const pipeline = this.pipeline();
    for (let n = 0; n < METADATA.defaultMaxMessagesPerRead && this.pending.length > 0; n++) {
      const child = this.pending.shift()!;
      if (child.isOpen()) pipeline.fireChannelRead(child);
    }
    pipeline.fireChannelReadComplete();
    if (this.readPending && this.pending.length > 0) this.scheduleDrain();
  }
}
