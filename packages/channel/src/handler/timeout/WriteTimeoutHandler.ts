import type { ChannelPromise } from '../../channel/ChannelFuture';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { ChannelOutboundHandlerAdapter } from '../../channel/ChannelOutboundHandlerAdapter';
import type { Runnable, ScheduledFuture } from '../../concurrent/EventExecutor';
import { toError } from '../../util/SluiceError';
import { clockOf, MAX_TIMER_DELAY_MS, normalizeTimeoutMs, nowMillis } from './clock';
import { WriteTimeoutException } from './errors';

/** One write being timed: its timer, and when it is due on the executor's clock. */
interface PendingWrite {
  timer: ScheduledFuture<void> | null;
  readonly deadline: number;
  /** The timer was armed for less than the remaining time (Node's limit of 2^31-1 ms). */
  capped: boolean;
}

/**
 * Port of io.netty.handler.timeout.WriteTimeoutHandler (Netty 4.1). Differs: the timeout is in
 * **milliseconds** (Netty's one-argument constructor takes seconds); each timeout raises a new
 * {@link WriteTimeoutException} naming the channel and the timeout instead of a shared singleton; pending
 * timers are kept in a `Set` rather than Netty's hand-made doubly-linked list.
 *
 * Starts a timer for every write. If the write's promise is not complete when the timer fires, a
 * {@link WriteTimeoutException} is fired through `exceptionCaught` (to the handlers after this one) and the
 * channel is closed — once; the late write itself then fails with a ClosedChannelException (Netty #2159).
 * A write that completes (successfully or not) cancels its timer; removing the handler cancels them all.
 *
 * ## Threading
 * Every callback and timer runs on the channel's event loop.
 *
 * ## Ownership
 * Messages pass through untouched. A write with the void promise is given a real promise
 * (`promise.unvoid()`) so its completion can be observed; failures still reach `exceptionCaught`.
 *
 * ## Pitfalls
 * - Not sharable: one instance per channel.
 * - The timer covers the whole life of the write, from `write()` to completion, so a message written but
 *   never flushed times out too.
 * - Costs one timer per write; on a hot path prefer `IdleStateHandler` with writer idleness.
 *
 * @example
 * // Close the connection when a write cannot finish within 30 s.
 * ch.pipeline().addLast('writeTimeout', new WriteTimeoutHandler(30_000));
 */
export class WriteTimeoutHandler extends ChannelOutboundHandlerAdapter {
  private readonly timeoutMs: number;
  private readonly pending = new Set<PendingWrite>();
  private closed = false;

  /** @param timeoutMs ms a write may take to complete; ≤ 0 disables the handler. */
  constructor(timeoutMs: number) {
    super();
    this.timeoutMs = normalizeTimeoutMs('timeoutMs', timeoutMs);
  }

  /** The timeout in ms (0 when disabled). */
  getTimeoutMillis(): number {
    return this.timeoutMs;
  }

  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    if (this.timeoutMs > 0) {
      const observed = promise.unvoid();
      this.scheduleTimeout(ctx, observed);
      ctx.write(msg, observed);
    } else {
      ctx.write(msg, promise);
    }
  }

  override handlerRemoved(_ctx: ChannelHandlerContext): void {
    for (const write of this.pending) write.timer?.cancel();
    this.pending.clear();
  }

  /** Called when a write timed out: fires the exception and closes (once). Override to change that. */
  protected writeTimedOut(ctx: ChannelHandlerContext): void {
    if (this.closed) return;
    ctx.fireExceptionCaught(new WriteTimeoutException(String(ctx.channel()), this.timeoutMs));
    ctx.close();
    this.closed = true;
  }

  private scheduleTimeout(ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    const executor = ctx.executor();
    const clock = clockOf(executor);
    const write: PendingWrite = { timer: null, deadline: nowMillis(clock) + this.timeoutMs, capped: this.timeoutMs > MAX_TIMER_DELAY_MS };
    const onTimer: Runnable = () => {
      // A timeout beyond Node's timer limit was armed for the limit only: re-arm for the rest.
      const remaining = write.deadline - nowMillis(clock);
      if (write.capped && remaining > 0) {
        write.capped = remaining > MAX_TIMER_DELAY_MS;
        write.timer = executor.schedule(onTimer, Math.min(remaining, MAX_TIMER_DELAY_MS));
        return;
      }
      this.pending.delete(write);
      if (promise.isDone()) return;
      try {
        this.writeTimedOut(ctx);
      } catch (err) {
        ctx.fireExceptionCaught(toError(err));
      }
    };
    write.timer = executor.schedule(onTimer, Math.min(this.timeoutMs, MAX_TIMER_DELAY_MS));
    if (write.timer.isDone()) return;
    this.pending.add(write);
    promise.addListener(() => {
      write.timer?.cancel();
      this.pending.delete(write);
    });
  }
}
