import { ReferenceCountUtil } from '../../buffer/ReferenceCountUtil';
import { ChannelInitializer } from '../../bootstrap/ChannelInitializer';
import { AbstractChannel, type TransportCallback } from '../../channel/AbstractChannel';
import type { Channel } from '../../channel/Channel';
import { DefaultChannelConfig, type ChannelConfig } from '../../channel/ChannelConfig';
import type { ChannelFuture, ChannelPromise } from '../../channel/ChannelFuture';
import type { ChannelHandler } from '../../channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { ChannelId } from '../../channel/ChannelId';
import { ChannelMetadata } from '../../channel/ChannelMetadata';
import type { ChannelOutboundBuffer } from '../../channel/ChannelOutboundBuffer';
import { DefaultChannelPipeline } from '../../channel/DefaultChannelPipeline';
import { ClosedChannelException } from '../../channel/errors';
import { SocketAddress } from '../../channel/SocketAddress';
import type { EventLoop } from '../../concurrent/EventLoop';
import type { Future } from '../../concurrent/Future';
import { InternalLoggerFactory } from '../../util/InternalLogger';
import { toError } from '../../util/SluiceError';
import { EmbeddedEventLoop } from './EmbeddedEventLoop';

const logger = InternalLoggerFactory.getInstance('EmbeddedChannel');

/** The address of both ends of an {@link EmbeddedChannel}; prints `embedded`. */
export class EmbeddedSocketAddress extends SocketAddress {
  toString(): string {
    return 'embedded';
  }
}

/** Options of {@link EmbeddedChannel}. */
export interface EmbeddedChannelOptions {
  /** Channel id (default: `embedded`). */
  id?: ChannelId;
  /** Register (and so activate) in the constructor (default true). */
  register?: boolean;
  /** Whether disconnect differs from close (default false). */
  hasDisconnect?: boolean;
}

const enum State {
  Open,
  Active,
  Closed,
}

class EmbeddedChannelPipeline extends DefaultChannelPipeline {
  constructor(private readonly embedded: EmbeddedChannel) {
    super(embedded);
  }
  override onUnhandledInboundException(cause: Error): void {
    this.embedded.recordException(cause);
  }
  override onUnhandledInboundMessage(_ctx: ChannelHandlerContext, msg: unknown): void {
    this.embedded.inboundQueue.push(msg);
  }
}

/**
 * Port of io.netty.channel.embedded.EmbeddedChannel (Netty 4.1): a channel without a transport, for
 * testing handlers. Inbound messages are written with `writeInbound` and what reaches the tail is read
 * with `readInbound`; outbound messages written with `writeOutbound` come out at the head and are read
 * with `readOutbound`. Exceptions that reach the tail are recorded and rethrown by `checkException()`
 * (which every write and `finish` call).
 *
 * ## Threading
 * Its EmbeddedEventLoop runs tasks only when asked; every operation here runs pending tasks afterwards.
 *
 * ## Ownership
 * Messages left in the queues are the test's: read and release them, or call `finishAndReleaseAll()`.
 *
 * @example
 * const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(1024, 0, 4, 0, 4));
 * ch.writeInbound(Unpooled.wrappedBuffer(Buffer.from([0, 0, 0, 1, 65])));
 * const frame = ch.readInbound<ByteBuf>();
 */
export class EmbeddedChannel extends AbstractChannel {
  private readonly embeddedLoop = new EmbeddedEventLoop();
  private readonly cfg: DefaultChannelConfig;
  private readonly meta: ChannelMetadata;
  private state = State.Open;
  /** @internal */
  readonly inboundQueue: unknown[] = [];
  private readonly outboundQueue: unknown[] = [];
  private lastException: Error | null = null;
  private readonly local = new EmbeddedSocketAddress();
  private readonly remote = new EmbeddedSocketAddress();

  constructor(...handlers: ChannelHandler[]);
  constructor(options: EmbeddedChannelOptions, ...handlers: ChannelHandler[]);
  constructor(...args: (ChannelHandler | EmbeddedChannelOptions)[]) {
    const first = args[0];
    const options: EmbeddedChannelOptions = isOptions(first) ? (args.shift() as EmbeddedChannelOptions) : {};
    super(null, options.id ?? ChannelId.of('embedded'));
    this.cfg = new DefaultChannelConfig(this);
    this.meta = new ChannelMetadata(options.hasDisconnect ?? false);
    const handlers = args as ChannelHandler[];
    this.pipeline().addLast(
      null,
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          for (const h of handlers) {
            if (h === null || h === undefined) break;
            ch.pipeline().addLast(null, h);
          }
        }
      })(),
    );
    if (options.register ?? true) this.embeddedLoop.register(this);
  }

  protected override newChannelPipeline(): DefaultChannelPipeline {
    return new EmbeddedChannelPipeline(this);
  }

  /** Registers the channel (when constructed with `register: false`). */
  register(): void {
    const future = this.embeddedLoop.register(this);
    this.runPendingTasks();
    if (!future.isSuccess()) throw future.cause() ?? new Error('registration failed');
  }

  embeddedEventLoop(): EmbeddedEventLoop {
    return this.embeddedLoop;
  }

  config(): ChannelConfig {
    return this.cfg;
  }
  metadata(): ChannelMetadata {
    return this.meta;
  }
  isOpen(): boolean {
    return this.state !== State.Closed;
  }
  isActive(): boolean {
    return this.state === State.Active;
  }
  isCompatible(loop: EventLoop): boolean {
    return loop instanceof EmbeddedEventLoop;
  }
  localAddress0(): SocketAddress | null {
    return this.isActive() ? this.local : null;
  }
  remoteAddress0(): SocketAddress | null {
    return this.isActive() ? this.remote : null;
  }
  override doRegister(): void {
    this.state = State.Active;
  }
  doBind(_localAddress: SocketAddress, done: TransportCallback): void {
    done(null);
  }
  override doConnect(_remote: SocketAddress, _local: SocketAddress | null, done: TransportCallback): void {
    done(null);
  }
  doDisconnect(): void {
    if (!this.meta.hasDisconnect) this.doClose();
  }
  doClose(): void {
    this.state = State.Closed;
  }
  doBeginRead(): void {}
  doWrite(buffer: ChannelOutboundBuffer): void {
    for (;;) {
      const msg = buffer.current();
      if (msg === null) break;
      // Keep the message: retain for our queue, then remove() drops the buffer's reference.
      ReferenceCountUtil.retain(msg);
      this.outboundQueue.push(msg);
      buffer.remove();
    }
  }

  /** The messages that reached the tail. */
  inboundMessages(): unknown[] {
    return this.inboundQueue;
  }
  /** The messages written out at the head. */
  outboundMessages(): unknown[] {
    return this.outboundQueue;
  }
  /** The next message that reached the tail, or null. */
  readInbound<T = unknown>(): T | null {
    return (this.inboundQueue.shift() as T | undefined) ?? null;
  }
  /** The next message written out, or null. */
  readOutbound<T = unknown>(): T | null {
    return (this.outboundQueue.shift() as T | undefined) ?? null;
  }

  /**
   * Fires each message through the pipeline from the head, then channelReadComplete; runs pending tasks,
   * rethrows a recorded exception, and returns whether anything reached the tail.
   */
  writeInbound(...msgs: unknown[]): boolean {
    this.ensureOpen();
    if (msgs.length === 0) return this.inboundQueue.length > 0;
    const pipeline = this.pipeline();
    for (const m of msgs) pipeline.fireChannelRead(m);
    this.flushInbound0();
    this.checkException();
    return this.inboundQueue.length > 0;
  }

  /** Fires one message without channelReadComplete. */
  writeOneInbound(msg: unknown): ChannelFuture {
    if (this.checkOpen(true)) this.pipeline().fireChannelRead(msg);
    return this.checkExceptionAsFuture();
  }

  /** Fires channelReadComplete and runs pending tasks. */
  flushInbound(): this {
    if (this.checkOpen(true)) this.flushInbound0();
    this.checkException();
    return this;
  }

  private flushInbound0(): void {
    this.pipeline().fireChannelReadComplete();
    this.runPendingTasks();
  }

  /**
   * Writes each message from the tail, then flushes; write failures (also later ones) are recorded and
   * rethrown. Returns whether anything came out at the head.
   */
  writeOutbound(...msgs: unknown[]): boolean {
    this.ensureOpen();
    if (msgs.length === 0) return this.outboundQueue.length > 0;
    const futures: ChannelFuture[] = [];
    for (const m of msgs) {
      if (m === null || m === undefined) break;
      futures.push(this.write(m));
    }
    this.flushOutbound0();
    for (const f of futures) {
      if (f.isDone()) this.recordFutureException(f);
      else f.addListener((done) => this.recordFutureException(done));
    }
    this.checkException();
    return this.outboundQueue.length > 0;
  }

  /** Writes one message without flushing. */
  writeOneOutbound(msg: unknown, promise?: ChannelPromise): ChannelFuture {
    if (this.checkOpen(true)) return this.write(msg, promise);
    return this.checkExceptionAsFuture();
  }

  /** Runs pending tasks and flushes. */
  flushOutbound(): this {
    if (this.checkOpen(true)) this.flushOutbound0();
    this.checkException();
    return this;
  }

  private flushOutbound0(): void {
    this.runPendingTasks();
    this.flush();
  }

  /** Closes the channel; returns whether either queue still holds messages. */
  finish(): boolean {
    return this.finish0(false);
  }

  /** Closes the channel and releases everything left in both queues. */
  finishAndReleaseAll(): boolean {
    return this.finish0(true);
  }

  private finish0(releaseAll: boolean): boolean {
    this.close();
    try {
      this.checkException();
      return this.inboundQueue.length > 0 || this.outboundQueue.length > 0;
    } finally {
      if (releaseAll) {
        releaseAllIn(this.inboundQueue);
        releaseAllIn(this.outboundQueue);
      }
    }
  }

  /** Releases what is left in the inbound queue; true if there was something. */
  releaseInbound(): boolean {
    return releaseAllIn(this.inboundQueue);
  }
  /** Releases what is left in the outbound queue; true if there was something. */
  releaseOutbound(): boolean {
    return releaseAllIn(this.outboundQueue);
  }

  override close(promise?: ChannelPromise): ChannelFuture {
    // Run tasks queued via execute first; afterwards finish everything and cancel scheduled tasks.
    this.runPendingTasks();
    const future = super.close(promise);
    this.runPendingTasks();
    this.embeddedLoop.cancelScheduledTasks();
    return future;
  }

  override disconnect(promise?: ChannelPromise): ChannelFuture {
    const future = super.disconnect(promise);
    this.runPendingTasks();
    if (!this.meta.hasDisconnect) this.embeddedLoop.cancelScheduledTasks();
    return future;
  }

  /** Runs every queued task, then every due scheduled task; failures are recorded. */
  runPendingTasks(): void {
    try {
      this.embeddedLoop.runTasks();
    } catch (err) {
      this.recordException(toError(err));
    }
    try {
      this.embeddedLoop.runScheduledTasks();
    } catch (err) {
      this.recordException(toError(err));
    }
  }

  /** Runs due scheduled tasks; returns ms until the next one or -1. */
  runScheduledPendingTasks(): number {
    try {
      return this.embeddedLoop.runScheduledTasks();
    } catch (err) {
      this.recordException(toError(err));
      return this.embeddedLoop.nextScheduledTaskDelay();
    }
  }

  /** Moves the virtual clock forward (due tasks run on the next runPendingTasks). */
  advanceTimeBy(ms: number): void {
    this.embeddedLoop.advanceTimeBy(ms);
  }
  freezeTime(): void {
    this.embeddedLoop.freezeTime();
  }
  unfreezeTime(): void {
    this.embeddedLoop.unfreezeTime();
  }
  hasPendingTasks(): boolean {
    return this.embeddedLoop.hasPendingTasks();
  }

  /** Rethrows (and clears) the first exception that reached the tail or failed a write. */
  checkException(): void {
    const e = this.lastException;
    if (e !== null) {
      this.lastException = null;
      throw e;
    }
  }

  /** @internal */
  recordException(cause: Error): void {
    if (this.lastException === null) this.lastException = cause;
    else logger.warn('More than one exception was raised. Will report only the first one and log others.', cause);
  }

  private recordFutureException(future: Future<void>): void {
    if (!future.isSuccess()) this.recordException(future.cause()!);
  }

  private checkExceptionAsFuture(): ChannelFuture {
    const e = this.lastException;
    if (e !== null) {
      this.lastException = null;
      return this.newFailedFuture(e);
    }
    return this.newSucceededFuture();
  }

  private ensureOpen(): void {
    if (!this.isOpen()) {
      this.recordException(new ClosedChannelException());
      this.checkException();
    }
  }

  private checkOpen(recordException: boolean): boolean {
    if (!this.isOpen()) {
      if (recordException) this.recordException(new ClosedChannelException());
      return false;
    }
    return true;
  }
}

function releaseAllIn(queue: unknown[]): boolean {
  if (queue.length === 0) return false;
  for (;;) {
    const msg = queue.shift();
    if (msg === undefined) break;
    ReferenceCountUtil.release(msg);
  }
  return true;
}

const OPTION_KEYS = new Set(['id', 'register', 'hasDisconnect']);
function isOptions(x: unknown): x is EmbeddedChannelOptions {
  if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== Object.prototype) return false;
  const keys = Object.keys(x);
  return keys.every((k) => OPTION_KEYS.has(k));
}
