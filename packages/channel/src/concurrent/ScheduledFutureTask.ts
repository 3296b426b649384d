// The module's `performance`, not the global one: on Node 20 the global is a getter, called on every use.
import { performance } from 'node:perf_hooks';
import { DefaultPromise } from './DefaultPromise';
import type { EventExecutor, Runnable, ScheduledFuture } from './EventExecutor';

/**
 * A task scheduled on a {@link EventExecutor} with a Node timer. Port of
 * io.netty.util.concurrent.ScheduledFutureTask. Differs: the delay queue is Node's timer list; when a
 * timer fires, the task runs as a task of its executor (FIFO after the tasks already queued).
 *
 * `periodMs > 0`: fixed rate (next start = previous deadline + period); `periodMs < 0`: fixed delay
 * (next start = end of run + |period|); `0`: once. A periodic task that throws is cancelled with the
 * error as its cause, as Netty does.
 */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

export class ScheduledFutureTask extends DefaultPromise<void> implements ScheduledFuture<void> {
  private timer: NodeJS.Timeout | null = null;
  private deadline: number;

  constructor(
    private readonly loop: EventExecutor & { runScheduled(task: ScheduledFutureTask): void; removeScheduled(task: ScheduledFutureTask): void },
    private readonly task: Runnable,
    delayMs: number,
    private readonly periodMs: number,
    private readonly daemon: boolean,
  ) {
    super(loop);
    this.deadline = performance.now() + Math.max(0, delayMs);
    this.arm();
  }

  getDelay(): number {
    return this.deadline - performance.now();
  }

  private arm(): void {
    const delay = Math.max(0, this.deadline - performance.now());
    // Node turns a delay above 2^31-1 ms into 1 ms: wait in slices and re-arm until due.
    const slice = Math.min(delay, MAX_TIMER_DELAY);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.deadline - performance.now() > 1) this.arm();
      else this.loop.runScheduled(this);
    }, slice);
    if (this.daemon) this.timer.unref();
  }

  /** Runs the task on its executor; only the executor calls this. */
  run(): void {
    if (this.isDone()) return;
    if (this.periodMs === 0) {
      if (!this.setUncancellable()) return;
      try {
        this.task();
      } catch (err) {
        this.loop.removeScheduled(this);
        this.tryFailure(err);
        return;
      }
      this.loop.removeScheduled(this);
      this.trySuccess();
      return;
    }
    try {
      this.task();
    } catch (err) {
      this.loop.removeScheduled(this);
      this.tryFailure(err);
      return;
    }
    if (this.isDone()) return; // cancelled by the task itself
    this.deadline = this.periodMs > 0 ? this.deadline + this.periodMs : performance.now() - this.periodMs;
    this.arm();
  }

  override cancel(): boolean {
    const cancelled = super.cancel();
    if (cancelled) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.loop.removeScheduled(this);
    }
    return cancelled;
  }
}
