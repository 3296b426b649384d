import type { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import { ReferenceCountUtil } from '../buffer/ReferenceCountUtil';
import { enterExecutor, exitExecutor } from '../concurrent/CurrentExecutor';
import type { EventLoop } from '../concurrent/EventLoop';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { IllegalStateException } from '../util/SluiceError';
import { AbstractUnsafe } from './AbstractUnsafe';
import { DefaultAttributeMap } from './AttributeKey';
import type { Channel, Unsafe } from './Channel';
import type { ChannelConfig } from './ChannelConfig';
import type { ChannelFuture, ChannelPromise } from './ChannelFuture';
import { ChannelId } from './ChannelId';
import type { ChannelMetadata } from './ChannelMetadata';
import type { ChannelOutboundBuffer } from './ChannelOutboundBuffer';
import { CloseFuture } from './CloseFuture';
import { DefaultChannelPipeline } from './DefaultChannelPipeline';
import type { SocketAddress } from './SocketAddress';

const logger = InternalLoggerFactory.getInstance('AbstractChannel');

/** Completion callback of an asynchronous transport step (bind, connect): `null` on success. */
export type TransportCallback = (err: Error | null) => void;

/**
 * Port of io.netty.channel.AbstractChannel (Netty 4.1): the channel skeleton shared by every transport —
 * id, pipeline, close future, attributes, and the generic half of `Unsafe` ({@link AbstractUnsafe}).
 *
 * Transports implement the `do*` hooks. Differs: `doBind` and `doConnect` complete through a callback,
 * because Node binds and connects asynchronously; the transport calls it from inside the event loop
 * (see {@link runInEventLoop}).
 *
 * ## Threading
 * The hooks are only ever called on the channel's event loop.
 */
export abstract class AbstractChannel extends DefaultAttributeMap implements Channel {
  private readonly channelId: ChannelId;
  private readonly pipelineImpl: DefaultChannelPipeline;
  private readonly unsafeImpl: AbstractUnsafe;
  private readonly closeFutureImpl: CloseFuture;
  private loop: EventLoop | null = null;
  /** @internal Maintained by AbstractUnsafe. */
  registeredFlag = false;
  private strValActive = false;
  private strVal: string | null = null;

  protected constructor(private readonly parentChannel: Channel | null, id?: ChannelId) {
    super();
    this.channelId = id ?? ChannelId.newInstance();
    this.unsafeImpl = this.newUnsafe();
    this.pipelineImpl = this.newChannelPipeline();
    this.closeFutureImpl = new CloseFuture(this);
  }

  /** The Unsafe of this transport; override to customise (e.g. a transport-specific connect). */
  protected newUnsafe(): AbstractUnsafe {
    return new AbstractUnsafe(this);
  }

  protected newChannelPipeline(): DefaultChannelPipeline {
    return new DefaultChannelPipeline(this);
  }

  // ---- what transports implement ----

  abstract config(): ChannelConfig;
  abstract metadata(): ChannelMetadata;
  abstract isOpen(): boolean;
  abstract isActive(): boolean;
  /** @internal Transport hook: is `loop` usable for this channel? */
  abstract isCompatible(loop: EventLoop): boolean;
  /** @internal Transport hook. */
  abstract localAddress0(): SocketAddress | null;
  /** @internal Transport hook. */
  abstract remoteAddress0(): SocketAddress | null;
  /** @internal Transport hook: called on the loop when the channel is registered. */
  doRegister(): void {}
  /** @internal Transport hook: bind; call `done` from inside the event loop. */
  abstract doBind(localAddress: SocketAddress, done: TransportCallback): void;
  /** @internal Transport hook: connect; call `done` from inside the event loop. */
  doConnect(_remoteAddress: SocketAddress, _localAddress: SocketAddress | null, done: TransportCallback): void {
    done(new IllegalStateException(`${this.constructor.name} does not connect`));
  }
  /** @internal Transport hook. */
  abstract doDisconnect(): void;
  /** @internal Transport hook: must leave `isOpen()` false. */
  abstract doClose(): void;
  /** @internal Transport hook: called on the loop when the channel is deregistered. */
  doDeregister(): void {}
  /** @internal Transport hook: start reading (one batch when auto-read is off). */
  abstract doBeginRead(): void;
  /** @internal Transport hook: write the flushed messages of `buffer` (remove each once written). */
  abstract doWrite(buffer: ChannelOutboundBuffer): void;
  /** @internal Transport hook: reject or convert outbound messages the transport cannot write. */
  filterOutboundMessage(msg: unknown): unknown {
    return msg;
  }

  /**
   * Runs `fn` inside this channel's event loop, synchronously: transports wrap socket callbacks with it so
   * that handler code sees `inEventLoop() === true` (Netty's loop thread processing selected keys).
   */
  protected runInEventLoop<A>(fn: (arg: A) => void, arg: A): void {
    const previous = enterExecutor(this.loop);
    try {
      fn.call(this, arg);
    } finally {
      exitExecutor(previous);
    }
  }

  // ---- Channel ----

  id(): ChannelId {
    return this.channelId;
  }
  eventLoop(): EventLoop {
    const loop = this.loop;
    if (loop === null) throw new IllegalStateException('channel not registered to an event loop');
    return loop;
  }
  /** @internal */
  setEventLoop(loop: EventLoop): void {
    this.loop = loop;
  }
  parent(): Channel | null {
    return this.parentChannel;
  }
  isRegistered(): boolean {
    return this.registeredFlag;
  }
  localAddress(): SocketAddress | null {
    try {
      return this.localAddress0();
    } catch {
      return null;
    }
  }
  remoteAddress(): SocketAddress | null {
    try {
      return this.remoteAddress0();
    } catch {
      return null;
    }
  }
  closeFuture(): ChannelFuture {
    return this.closeFutureImpl;
  }
  /** @internal */
  closeFutureInternal(): CloseFuture {
    return this.closeFutureImpl;
  }
  isWritable(): boolean {
    const buf = this.unsafeImpl.outboundBuffer();
    return buf !== null && buf.isWritable();
  }
  bytesBeforeUnwritable(): number {
    return this.unsafeImpl.outboundBuffer()?.bytesBeforeUnwritable() ?? 0;
  }
  bytesBeforeWritable(): number {
    return this.unsafeImpl.outboundBuffer()?.bytesBeforeWritable() ?? 0;
  }
  unsafe(): Unsafe {
    return this.unsafeImpl;
  }
  /** @internal The generic Unsafe, for transports. */
  abstractUnsafe(): AbstractUnsafe {
    return this.unsafeImpl;
  }
  pipeline(): DefaultChannelPipeline {
    return this.pipelineImpl;
  }
  alloc(): ByteBufAllocator {
    return this.config().getAllocator();
  }

  bind(localAddress: SocketAddress, promise?: ChannelPromise): ChannelFuture {
    return this.pipelineImpl.bind(localAddress, promise);
  }
  connect(remoteAddress: SocketAddress, localAddress?: SocketAddress | null, promise?: ChannelPromise): ChannelFuture {
    return this.pipelineImpl.connect(remoteAddress, localAddress, promise);
  }
  disconnect(promise?: ChannelPromise): ChannelFuture {
    return this.pipelineImpl.disconnect(promise);
  }
  close(promise?: ChannelPromise): ChannelFuture {
    return this.pipelineImpl.close(promise);
  }
  deregister(promise?: ChannelPromise): ChannelFuture {
    return this.pipelineImpl.deregister(promise);
  }
  read(): this {
    this.pipelineImpl.read();
    return this;
  }
  write(msg: unknown, promise?: ChannelPromise): ChannelFuture {
    return this.pipelineImpl.write(msg, promise);
  }
  flush(): this {
    this.pipelineImpl.flush();
    return this;
  }
  writeAndFlush(msg: unknown, promise?: ChannelPromise): ChannelFuture {
    return this.pipelineImpl.writeAndFlush(msg, promise);
  }
  newPromise(): ChannelPromise {
    return this.pipelineImpl.newPromise();
  }
  newSucceededFuture(): ChannelFuture {
    return this.pipelineImpl.newSucceededFuture();
  }
  newFailedFuture(cause: unknown): ChannelFuture {
    return this.pipelineImpl.newFailedFuture(cause);
  }
  voidPromise(): ChannelPromise {
    return this.pipelineImpl.voidPromise();
  }

  /** Netty's format: `[id: 0xabcdef01, L:/local - R:/remote]` (`!` instead of `-` once inactive). */
  override toString(): string {
    const active = this.isActive();
    if (this.strValActive === active && this.strVal !== null) return this.strVal;
    const remote = this.remoteAddress();
    const local = this.localAddress();
    let s: string;
    if (remote !== null) {
      s = `[id: 0x${this.channelId.asShortText()}, L:${String(local)} ${active ? '-' : '!'} R:${String(remote)}]`;
    } else if (local !== null) {
      s = `[id: 0x${this.channelId.asShortText()}, L:${String(local)}]`;
    } else {
      s = `[id: 0x${this.channelId.asShortText()}]`;
    }
    this.strVal = s;
    this.strValActive = active;
    return s;
  }
}

/** @internal Releases a message that cannot be written, logging instead of throwing. */
export function releaseQuietly(msg: unknown): void {
  ReferenceCountUtil.safeRelease(msg, (err) => logger.warn('Failed to release a message.', err));
}
