import { ChannelDuplexHandler } from '../../channel/ChannelDuplexHandler';
import type { ChannelFutureListener, ChannelPromise } from '../../channel/ChannelFuture';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import type { Runnable, ScheduledFuture } from '../../concurrent/EventExecutor';
import { toError } from '../../util/SluiceError';
import { clockOf, MAX_TIMER_DELAY_MS, type MillisClock, normalizeTimeoutMs, nowMillis } from './clock';
import { IdleState } from './IdleState';
import { IdleStateEvent } from './IdleStateEvent';

/** Options of {@link IdleStateHandler}. Every time is in milliseconds. */
export interface IdleStateHandlerOptions {
  /** Fire `READER_IDLE` after this many ms without a read (default: 0 — disabled; ≤ 0 disables). */
  readerIdleTimeMs?: number;
  /** Fire `WRITER_IDLE` after this many ms without a completed write (default: 0 — disabled; ≤ 0 disables). */
  writerIdleTimeMs?: number;
  /** Fire `ALL_IDLE` after this many ms without a read or a completed write (default: 0 — disabled; ≤ 0 disables). */
  allIdleTimeMs?: number;
  /**
   * Count progress of the outbound buffer (a different message at its head, or a different number of
   * pending bytes) as write activity, so a slow peer that is still draining data is not reported as
   * idle (default: false). Netty #6150.
   */
  observeOutput?: boolean;
}

const enum State {
  None,
  Initialized,
  Destroyed,
}

/**
 * Port of io.netty.handler.timeout.IdleStateHandler (Netty 4.1). Differs: times are in **milliseconds**
 * (Netty's three-argument constructor takes seconds); the clock is the channel loop's own millisecond
 * clock (the virtual clock of `EmbeddedEventLoop`, otherwise `performance.now()`), exposed through the
 * overridable {@link ticksInMillis}; with `observeOutput`, the progress of a partly written message is not
 * observed (Sluice's outbound buffer does not track it), only the head message and the pending bytes.
 *
 * Fires an {@link IdleStateEvent} through `userEventTriggered` (to the handlers after this one) when the
 * channel has not read, written, or done either for a while:
 * - `READER_IDLE`: no `channelRead` for `readerIdleTimeMs`;
 * - `WRITER_IDLE`: no write completed for `writerIdleTimeMs`;
 * - `ALL_IDLE`: neither for `allIdleTimeMs`.
 *
 * The first event after activity is the `FIRST_…` one; while the idleness lasts, one plain event follows
 * per further period. A read resets the reader and all-idle flags, a completed write the writer and
 * all-idle ones. While a read is in progress (between `channelRead` and `channelReadComplete`) the channel
 * counts as reading, not idle.
 *
 * The timers start once the channel is registered and active (in `handlerAdded`, `channelRegistered`
 * or `channelActive`, whichever comes first with the channel active) and stop for good on
 * `channelInactive` or when the handler is removed.
 *
 * ## Threading
 * Every callback and timer runs on the channel's event loop.
 *
 * ## Ownership
 * Messages pass through untouched. With writer or all-idle enabled, a write with the void promise is given
 * a real promise (`promise.unvoid()`) so its completion can be observed; failures still reach
 * `exceptionCaught` as with the void promise.
 *
 * ## Pitfalls
 * - Not sharable: it keeps per-channel timers. Create one per channel (in a `ChannelInitializer`).
 * - Netty's three-argument constructor takes seconds; this one takes milliseconds. `new
 *   IdleStateHandler(60, 30, 0)` means 60 **ms**.
 * - Writer idleness is measured on write *completion*: a write stuck in a full socket buffer does not
 *   reset it. Use `observeOutput` if a slowly draining peer should not count as idle.
 *
 * @example
 * // Ping when nothing was sent for 30 s; close when nothing was received for 60 s.
 * ch.pipeline().addLast('idle', new IdleStateHandler(60_000, 30_000, 0));
 * ch.pipeline().addLast('heartbeat', new (class extends ChannelDuplexHandler {
 *   override userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
 *     if (!(evt instanceof IdleStateEvent)) return void ctx.fireUserEventTriggered(evt);
 *     if (evt.state() === IdleState.READER_IDLE) ctx.close();
 *     else if (evt.state() === IdleState.WRITER_IDLE) ctx.writeAndFlush(newPing(ctx.alloc()));
 *   }
 * })());
 */
export class IdleStateHandler extends ChannelDuplexHandler {
  private readonly observeOutput: boolean;
  private readonly readerIdleTimeMs: number;
  private readonly writerIdleTimeMs: number;
  private readonly allIdleTimeMs: number;

  private readerIdleTimeout: ScheduledFuture<void> | null = null;
  private lastReadTime = 0;
  private firstReaderIdleEvent = true;

  private writerIdleTimeout: ScheduledFuture<void> | null = null;
  private lastWriteTime = 0;
  private firstWriterIdleEvent = true;

  private allIdleTimeout: ScheduledFuture<void> | null = null;
  private firstAllIdleEvent = true;

  private state = State.None;
  private reading = false;
  private clock: MillisClock | null = null;

  // observeOutput: what the outbound buffer looked like at the previous check (Netty #6150).
  private lastChangeCheckTimeStamp = 0;
  private lastMessage: unknown = null;
  private lastPendingWriteBytes = 0;

  // One listener for every write, not one per write.
  private readonly writeListener: ChannelFutureListener = () => {
    this.lastWriteTime = this.ticksInMillis();
    this.firstWriterIdleEvent = this.firstAllIdleEvent = true;
  };

  /**
   * @param readerIdleTimeMs ms without a read before `READER_IDLE`; ≤ 0 disables.
   * @param writerIdleTimeMs ms without a completed write before `WRITER_IDLE`; ≤ 0 disables.
   * @param allIdleTimeMs ms without either before `ALL_IDLE`; ≤ 0 disables.
   */
  constructor(readerIdleTimeMs: number, writerIdleTimeMs: number, allIdleTimeMs: number);
  /** As above, with Netty's `observeOutput` flag first (see {@link IdleStateHandlerOptions.observeOutput}). */
  constructor(observeOutput: boolean, readerIdleTimeMs: number, writerIdleTimeMs: number, allIdleTimeMs: number);
  constructor(options: IdleStateHandlerOptions);
  constructor(first: number | boolean | IdleStateHandlerOptions, second?: number, third?: number, fourth?: number) {
    super();
    let observeOutput: boolean;
    let reader: unknown;
    let writer: unknown;
    let all: unknown;
    if (typeof first === 'object' && first !== null) {
      observeOutput = first.observeOutput ?? false;
      reader = first.readerIdleTimeMs ?? 0;
      writer = first.writerIdleTimeMs ?? 0;
      all = first.allIdleTimeMs ?? 0;
    } else if (typeof first === 'boolean') {
      observeOutput = first;
      reader = second;
      writer = third;
      all = fourth;
    } else {
      observeOutput = false;
      reader = first;
      writer = second;
      all = third;
    }
    this.observeOutput = observeOutput === true;
    this.readerIdleTimeMs = normalizeTimeoutMs('readerIdleTimeMs', reader);
    this.writerIdleTimeMs = normalizeTimeoutMs('writerIdleTimeMs', writer);
    this.allIdleTimeMs = normalizeTimeoutMs('allIdleTimeMs', all);
  }

  /** The reader idle time in ms (0 when disabled). */
  getReaderIdleTimeInMillis(): number {
    return this.readerIdleTimeMs;
  }
  /** The writer idle time in ms (0 when disabled). */
  getWriterIdleTimeInMillis(): number {
    return this.writerIdleTimeMs;
  }
  /** The all-idle time in ms (0 when disabled). */
  getAllIdleTimeInMillis(): number {
    return this.allIdleTimeMs;
  }

  override handlerAdded(ctx: ChannelHandlerContext): void {
    this.clock = clockOf(ctx.executor());
    // Added after channelActive was fired: that event will not reach us, so start here.
    if (ctx.channel().isActive() && ctx.channel().isRegistered()) this.initialize(ctx);
  }

  override handlerRemoved(_ctx: ChannelHandlerContext): void {
    this.destroy();
  }

  override channelRegistered(ctx: ChannelHandlerContext): void {
    // Start early if the channel is active already.
    if (ctx.channel().isActive()) this.initialize(ctx);
    ctx.fireChannelRegistered();
  }

  override channelActive(ctx: ChannelHandlerContext): void {
    this.initialize(ctx);
    ctx.fireChannelActive();
  }

  override channelInactive(ctx: ChannelHandlerContext): void {
    this.destroy();
    ctx.fireChannelInactive();
  }

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    if (this.readerIdleTimeMs > 0 || this.allIdleTimeMs > 0) {
      this.reading = true;
      this.firstReaderIdleEvent = this.firstAllIdleEvent = true;
    }
    ctx.fireChannelRead(msg);
  }

  override channelReadComplete(ctx: ChannelHandlerContext): void {
    if ((this.readerIdleTimeMs > 0 || this.allIdleTimeMs > 0) && this.reading) {
      this.lastReadTime = this.ticksInMillis();
      this.reading = false;
    }
    ctx.fireChannelReadComplete();
  }

  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    // Only observe completion when a write timer needs it, so read-only use keeps void promises void.
    if (this.writerIdleTimeMs > 0 || this.allIdleTimeMs > 0) {
      ctx.write(msg, promise.unvoid()).addListener(this.writeListener);
    } else {
      ctx.write(msg, promise);
    }
  }

  /**
   * Called with the event to fire when the channel is idle; fires it to the next handlers. Override to
   * act on idleness here instead (as `ReadTimeoutHandler` does). A throw is fired as `exceptionCaught`.
   */
  protected channelIdle(ctx: ChannelHandlerContext, evt: IdleStateEvent): void {
    ctx.fireUserEventTriggered(evt);
  }

  /** The event for `state`; override to fire your own subclass of {@link IdleStateEvent}. */
  protected newIdleStateEvent(state: IdleState, first: boolean): IdleStateEvent {
    switch (state) {
      case IdleState.READER_IDLE:
        return first ? IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT : IdleStateEvent.READER_IDLE_STATE_EVENT;
      case IdleState.WRITER_IDLE:
        return first ? IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT : IdleStateEvent.WRITER_IDLE_STATE_EVENT;
      case IdleState.ALL_IDLE:
        return first ? IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT : IdleStateEvent.ALL_IDLE_STATE_EVENT;
    }
  }

  /**
   * The current time in milliseconds: the clock of the handler's executor if it has one (the virtual
   * clock of `EmbeddedEventLoop`), otherwise `performance.now()`. Tests may override it (with
   * {@link schedule}) to drive time by hand.
   */
  protected ticksInMillis(): number {
    return nowMillis(this.clock);
  }

  /**
   * Schedules `task` on the handler's executor after `delayMs` milliseconds. Tests may override it to
   * capture the task and run it by hand; returning null is allowed then.
   */
  protected schedule(ctx: ChannelHandlerContext, task: Runnable, delayMs: number): ScheduledFuture<void> | null {
    // A longer delay would overflow Node's timer; the tasks measure the elapsed time and re-arm.
    return ctx.executor().schedule(task, Math.min(delayMs, MAX_TIMER_DELAY_MS));
  }

  private initialize(ctx: ChannelHandlerContext): void {
    // Once only, and never after destroy(): Netty #143.
    if (this.state !== State.None) return;
    this.state = State.Initialized;
    this.initOutputChanged(ctx);
    this.lastReadTime = this.lastWriteTime = this.ticksInMillis();
    if (this.readerIdleTimeMs > 0) {
      this.readerIdleTimeout = this.schedule(ctx, this.newReaderIdleTask(ctx), this.readerIdleTimeMs);
    }
    if (this.writerIdleTimeMs > 0) {
      this.writerIdleTimeout = this.schedule(ctx, this.newWriterIdleTask(ctx), this.writerIdleTimeMs);
    }
    if (this.allIdleTimeMs > 0) {
      this.allIdleTimeout = this.schedule(ctx, this.newAllIdleTask(ctx), this.allIdleTimeMs);
    }
  }

  private destroy(): void {
    this.state = State.Destroyed;
    this.readerIdleTimeout?.cancel();
    this.readerIdleTimeout = null;
    this.writerIdleTimeout?.cancel();
    this.writerIdleTimeout = null;
    this.allIdleTimeout?.cancel();
    this.allIdleTimeout = null;
    this.lastMessage = null;
  }

  private isStopped(ctx: ChannelHandlerContext): boolean {
    return this.state === State.Destroyed || !ctx.channel().isOpen();
  }

  private newReaderIdleTask(ctx: ChannelHandlerContext): Runnable {
    const task: Runnable = () => {
      if (this.isStopped(ctx)) return;
      let nextDelay = this.readerIdleTimeMs;
      if (!this.reading) nextDelay -= this.ticksInMillis() - this.lastReadTime;
      if (nextDelay > 0) {
        // Read happened meanwhile: wait for the rest of the period.
        this.readerIdleTimeout = this.schedule(ctx, task, nextDelay);
        return;
      }
      this.readerIdleTimeout = this.schedule(ctx, task, this.readerIdleTimeMs);
      const first = this.firstReaderIdleEvent;
      this.firstReaderIdleEvent = false;
      try {
        this.channelIdle(ctx, this.newIdleStateEvent(IdleState.READER_IDLE, first));
      } catch (err) {
        ctx.fireExceptionCaught(toError(err));
      }
    };
    return task;
  }

  private newWriterIdleTask(ctx: ChannelHandlerContext): Runnable {
    const task: Runnable = () => {
      if (this.isStopped(ctx)) return;
      const nextDelay = this.writerIdleTimeMs - (this.ticksInMillis() - this.lastWriteTime);
      if (nextDelay > 0) {
        this.writerIdleTimeout = this.schedule(ctx, task, nextDelay);
        return;
      }
      this.writerIdleTimeout = this.schedule(ctx, task, this.writerIdleTimeMs);
      const first = this.firstWriterIdleEvent;
      this.firstWriterIdleEvent = false;
      try {
        if (this.hasOutputChanged(ctx, first)) return;
        this.channelIdle(ctx, this.newIdleStateEvent(IdleState.WRITER_IDLE, first));
      } catch (err) {
        ctx.fireExceptionCaught(toError(err));
      }
    };
    return task;
  }

  private newAllIdleTask(ctx: ChannelHandlerContext): Runnable {
    const task: Runnable = () => {
      if (this.isStopped(ctx)) return;
      let nextDelay = this.allIdleTimeMs;
      if (!this.reading) nextDelay -= this.ticksInMillis() - Math.max(this.lastReadTime, this.lastWriteTime);
      if (nextDelay > 0) {
        this.allIdleTimeout = this.schedule(ctx, task, nextDelay);
        return;
      }
      this.allIdleTimeout = this.schedule(ctx, task, this.allIdleTimeMs);
      const first = this.firstAllIdleEvent;
      this.firstAllIdleEvent = false;
      try {
        if (this.hasOutputChanged(ctx, first)) return;
        this.channelIdle(ctx, this.newIdleStateEvent(IdleState.ALL_IDLE, first));
      } catch (err) {
        ctx.fireExceptionCaught(toError(err));
      }
    };
    return task;
  }

  private initOutputChanged(ctx: ChannelHandlerContext): void {
    if (!this.observeOutput) return;
    const buf = ctx.channel().unsafe().outboundBuffer();
    if (buf !== null) {
      this.lastMessage = buf.current();
      this.lastPendingWriteBytes = buf.totalPendingWriteBytes();
    }
  }

  /**
   * With observeOutput: did the outbound buffer move since the previous check? A completed write counts
   * as movement too. The first check after activity only records the baseline (Netty #6150).
   */
  private hasOutputChanged(ctx: ChannelHandlerContext, first: boolean): boolean {
    if (!this.observeOutput) return false;
    if (this.lastChangeCheckTimeStamp !== this.lastWriteTime) {
      this.lastChangeCheckTimeStamp = this.lastWriteTime;
      if (!first) return true;
    }
    const buf = ctx.channel().unsafe().outboundBuffer();
    if (buf !== null) {
      const message = buf.current();
      const pendingWriteBytes = buf.totalPendingWriteBytes();
      if (message !== this.lastMessage || pendingWriteBytes !== this.lastPendingWriteBytes) {
        this.lastMessage = message;
        this.lastPendingWriteBytes = pendingWriteBytes;
        if (!first) return true;
      }
    }
    return false;
  }
}
