import type { Channel } from '../../channel/Channel';
import type { ChannelFuture, ChannelPromise } from '../../channel/ChannelFuture';
import { DefaultChannelPromise } from '../../channel/DefaultChannelPromise';
import { DefaultPromise, failedFuture, succeededFuture } from '../../concurrent/DefaultPromise';
import type { Runnable, ScheduledFuture } from '../../concurrent/EventExecutor';
import type { EventLoop, EventLoopGroup } from '../../concurrent/EventLoop';
import type { Future } from '../../concurrent/Future';
import { UnsupportedOperationException } from '../../util/SluiceError';

class EmbeddedScheduledTask extends DefaultPromise<void> implements ScheduledFuture<void> {
  constructor(
    private readonly loop: EmbeddedEventLoop,
    readonly task: Runnable,
    public deadline: number,
    readonly periodMs: number,
    readonly seq: number,
  ) {
    super(loop);
  }
  getDelay(): number {
    return this.deadline - this.loop.currentTimeMillis();
  }
  override cancel(): boolean {
    const cancelled = super.cancel();
    if (cancelled) this.loop.removeScheduled(this);
    return cancelled;
  }
}

/**
 * Port of io.netty.channel.embedded.EmbeddedEventLoop: runs tasks only when asked
 * (`runTasks`, `runScheduledTasks`), always reports `inEventLoop() === true`, and keeps a virtual clock
 * that tests move with `advanceTimeBy` (or stop with `freezeTime`).
 */
export class EmbeddedEventLoop implements EventLoop {
  private readonly tasks: Runnable[] = [];
  private scheduled: EmbeddedScheduledTask[] = [];
  private seq = 0;
  private timeOffset = 0;
  private frozenAt: number | null = null;
  private readonly termination = new DefaultPromise<void>(null);

  inEventLoop(): boolean {
    return true;
  }
  parent(): EventLoopGroup {
    return this;
  }
  next(): EventLoop {
    return this;
  }

  /**
   * The virtual clock in whole milliseconds. Whole numbers keep deadline arithmetic exact: with a
   * fractional base, `t + 600000 + 600000` and `t + 1200000` can differ in the last bit, and a task
   * due "now" would not run.
   */
  currentTimeMillis(): number {
    return this.frozenAt ?? Math.floor(performance.now()) + this.timeOffset;
  }
  /** Moves the virtual clock forward; due scheduled tasks run on the next `runScheduledTasks`. */
  advanceTimeBy(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.timeOffset += ms;
  }
  freezeTime(): void {
    if (this.frozenAt === null) this.frozenAt = this.currentTimeMillis();
  }
  unfreezeTime(): void {
    if (this.frozenAt !== null) {
      this.timeOffset = this.frozenAt - Math.floor(performance.now());
      this.frozenAt = null;
    }
  }

  execute(task: Runnable): void {
    this.tasks.push(task);
  }
  /** Same as {@link execute}: queued until `runPendingTasks` (an embedded loop has no I/O turn to wait for). */
  lazyExecute(task: Runnable): void {
    this.tasks.push(task);
  }
  submit<T>(task: () => T): Future<T> {
    const p = new DefaultPromise<T>(this);
    this.execute(() => {
      if (!p.setUncancellable()) return; // cancelled before it ran
      try {
        p.trySuccess(task());
      } catch (err) {
        p.tryFailure(err);
      }
    });
    return p;
  }
  schedule(task: Runnable, delayMs: number): ScheduledFuture<void> {
    return this.addScheduled(task, delayMs, 0);
  }
  scheduleAtFixedRate(task: Runnable, initialDelayMs: number, periodMs: number): ScheduledFuture<void> {
    return this.addScheduled(task, initialDelayMs, periodMs);
  }
  scheduleWithFixedDelay(task: Runnable, initialDelayMs: number, delayMs: number): ScheduledFuture<void> {
    return this.addScheduled(task, initialDelayMs, -delayMs);
  }
  private addScheduled(task: Runnable, delayMs: number, periodMs: number): ScheduledFuture<void> {
    const t = new EmbeddedScheduledTask(this, task, this.currentTimeMillis() + Math.max(0, delayMs), periodMs, this.seq++);
    this.scheduled.push(t);
    return t;
  }
  /** @internal */
  removeScheduled(task: EmbeddedScheduledTask): void {
    const i = this.scheduled.indexOf(task);
    if (i >= 0) this.scheduled.splice(i, 1);
  }

  /** Runs every queued task, including tasks queued meanwhile. */
  runTasks(): void {
    for (;;) {
      const task = this.tasks.shift();
      if (task === undefined) return;
      task();
    }
  }

  /** Runs due scheduled tasks; returns ms until the next one, or -1 if none is left. */
  runScheduledTasks(): number {
    const now = this.currentTimeMillis();
    for (;;) {
      const due = this.nextDue(now);
      if (due === null) break;
      this.removeScheduled(due);
      if (!due.setUncancellable() && due.periodMs === 0) continue;
      try {
        due.task();
      } catch (err) {
        due.tryFailure(err);
        continue;
      }
      if (due.periodMs === 0) due.trySuccess();
      else if (!due.isDone()) {
        due.deadline = due.periodMs > 0 ? due.deadline + due.periodMs : now - due.periodMs;
        this.scheduled.push(due);
      }
    }
    return this.nextScheduledTaskDelay();
  }

  private nextDue(now: number): EmbeddedScheduledTask | null {
    let best: EmbeddedScheduledTask | null = null;
    for (const t of this.scheduled) {
      if (t.deadline <= now && (best === null || t.deadline < best.deadline || (t.deadline === best.deadline && t.seq < best.seq))) best = t;
    }
    return best;
  }

  /** Milliseconds until the next scheduled task, or -1. */
  nextScheduledTaskDelay(): number {
    if (this.scheduled.length === 0) return -1;
    return Math.max(0, Math.min(...this.scheduled.map((t) => t.deadline)) - this.currentTimeMillis());
  }

  /** Whether queued tasks or due scheduled tasks are waiting. */
  hasPendingTasks(): boolean {
    const now = this.currentTimeMillis();
    return this.tasks.length > 0 || this.scheduled.some((t) => t.deadline <= now);
  }

  cancelScheduledTasks(): void {
    for (const t of [...this.scheduled]) t.cancel();
    this.scheduled = [];
  }

  register(channel: Channel, promise?: ChannelPromise): ChannelFuture {
    const p = promise ?? new DefaultChannelPromise(channel, this);
    channel.unsafe().register(this, p);
    return p;
  }

  newPromise<V = void>(): DefaultPromise<V> {
    return new DefaultPromise<V>(this);
  }
  newSucceededFuture<V>(value: V): Future<V> {
    return succeededFuture(this, value);
  }
  newFailedFuture<V>(cause: unknown): Future<V> {
    return failedFuture<V>(this, cause);
  }
  shutdownGracefully(): Future<void> {
    throw new UnsupportedOperationException('EmbeddedEventLoop cannot be shut down');
  }
  terminationFuture(): Future<void> {
    return this.termination;
  }
  isShuttingDown(): boolean {
    return false;
  }
  isShutdown(): boolean {
    return false;
  }
  isTerminated(): boolean {
    return false;
  }
}
