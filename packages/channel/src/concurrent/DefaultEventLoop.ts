// The module's `performance`, not the global one: on Node 20 the global is a getter, called on every use.
import { performance } from 'node:perf_hooks';
import type { Channel } from '../channel/Channel';
import type { ChannelFuture, ChannelPromise } from '../channel/ChannelFuture';
import { DefaultChannelPromise } from '../channel/DefaultChannelPromise';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { currentExecutor, enterExecutor, exitExecutor } from './CurrentExecutor';
import { DefaultPromise, failedFuture, succeededFuture } from './DefaultPromise';
import { RejectedExecutionException } from './errors';
import type { Runnable, ScheduledFuture } from './EventExecutor';
import type { EventLoop, EventLoopGroup } from './EventLoop';
import type { Future } from './Future';
import { ScheduledFutureTask } from './ScheduledFutureTask';

const logger = InternalLoggerFactory.getInstance('DefaultEventLoop');

/** Tasks run per turn before the loop yields to Node's I/O phase with `setImmediate`. */
const MAX_TASKS_PER_TURN = 4096;

const enum LoopState {
  Running,
  ShuttingDown,
  Terminated,
}

/** Options of {@link DefaultEventLoop}. */
export interface DefaultEventLoopOptions {
  /**
   * Timers of scheduled tasks do not keep the process alive (default: false — like Netty's non-daemon
   * threads, a loop with pending scheduled tasks keeps the process running until it is shut down).
   */
  daemon?: boolean;
}

/**
 * Port of io.netty.channel.DefaultEventLoop / SingleThreadEventLoop (Netty 4.1).
 * Differs: Node gives us one JavaScript thread, so this is a *logical* thread (see
 * {@link EventExecutor}). Queued tasks run in a microtask right after the current callback, up to 4096 per
 * turn, then the loop yields to I/O with `setImmediate` so that a task storm cannot starve sockets.
 * {@link lazyExecute}d tasks also wait for the microtasks that the current callback started.
 * Scheduled tasks use Node timers. I/O callbacks of channels registered here are dispatched inside the
 * loop by their transports, so handler code always sees `inEventLoop() === true`.
 *
 * ## Threading
 * `execute` may be called from anywhere; tasks run FIFO. Nothing runs re-entrantly: a task queued from
 * inside the loop runs after the current task returns.
 *
 * @example
 * const group = new DefaultEventLoopGroup();
 * group.next().execute(() => console.log('on the loop'));
 * await group.shutdownGracefully(0, 100);
 */
export class DefaultEventLoop implements EventLoop {
  private queue: (Runnable | undefined)[] = [];
  private head = 0;
  private turnScheduled = false;
  /**
   * Tasks of {@link lazyExecute}, moved to {@link queue} once the microtask queue drained (a next tick).
   * Non-empty exactly while that move is scheduled.
   */
  private lazyQueue: Runnable[] = [];
  private state = LoopState.Running;
  private lastExecutionTime = performance.now();
  private readonly scheduled = new Set<ScheduledFutureTask>();
  private readonly channels = new Set<Channel>();
  private readonly termination: DefaultPromise<void> = new DefaultPromise<void>(null);
  private readonly daemon: boolean;

  constructor(private readonly parentGroup: EventLoopGroup | null = null, options: DefaultEventLoopOptions = {}) {
    this.daemon = options.daemon ?? false;
  }

  inEventLoop(): boolean {
    return currentExecutor() === this;
  }

  parent(): EventLoopGroup {
    return this.parentGroup ?? this;
  }

  next(): EventLoop {
    return this;
  }

  execute(task: Runnable): void {
    if (this.state === LoopState.Terminated) throw new RejectedExecutionException();
    this.queue.push(task);
    if (!this.turnScheduled) {
      this.turnScheduled = true;
      queueMicrotask(this.runTasks);
    }
  }

  /**
   * Queues `task` to run once the current callback and every microtask it started have run: the lazy
   * tasks join the task queue in a next tick queued from a microtask, which Node runs only after the
   * microtask queue drained — so behind the promise chains (an awaiting task, the `execute`d tasks) that
   * the current I/O callback set off, yet before the next I/O callback. Netty runs every task after the
   * I/O of its turn; this loop runs `execute`d tasks right after the current callback, so work that
   * should not delay what a read triggers — a credit announcement behind the data the read made a task
   * send — asks for this later slot.
   */
  lazyExecute(task: Runnable): void {
    if (this.state === LoopState.Terminated) throw new RejectedExecutionException();
    if (this.lazyQueue.push(task) === 1) queueMicrotask(this.scheduleLazyTasks);
  }

  // A next tick queued from a microtask runs after the microtask queue drained (Node's processTicksAndRejections).
  private readonly scheduleLazyTasks = (): void => process.nextTick(this.moveLazyTasks);

  private readonly moveLazyTasks = (): void => {
    const tasks = this.lazyQueue;
    this.lazyQueue = [];
    if (this.state === LoopState.Terminated) {
      logger.debug(`Dropped ${tasks.length} lazy task(s) queued before termination: ${String(this)}`);
      return;
    }
    for (const task of tasks) this.queue.push(task);
    if (!this.turnScheduled) {
      this.turnScheduled = true;
      queueMicrotask(this.runTasks);
    }
  };

  submit<T>(task: () => T): Future<T> {
    const promise = new DefaultPromise<T>(this);
    this.execute(() => {
      if (!promise.setUncancellable()) return;
      try {
        promise.trySuccess(task());
      } catch (err) {
        promise.tryFailure(err);
      }
    });
    return promise;
  }

  schedule(task: Runnable, delayMs: number): ScheduledFuture<void> {
    return this.addScheduled(task, delayMs, 0);
  }

  scheduleAtFixedRate(task: Runnable, initialDelayMs: number, periodMs: number): ScheduledFuture<void> {
    if (!(periodMs > 0)) throw new RangeError(`periodMs: ${periodMs} (expected: > 0)`);
    return this.addScheduled(task, initialDelayMs, periodMs);
  }

  scheduleWithFixedDelay(task: Runnable, initialDelayMs: number, delayMs: number): ScheduledFuture<void> {
    if (!(delayMs > 0)) throw new RangeError(`delayMs: ${delayMs} (expected: > 0)`);
    return this.addScheduled(task, initialDelayMs, -delayMs);
  }

  private addScheduled(task: Runnable, delayMs: number, periodMs: number): ScheduledFuture<void> {
    if (this.state === LoopState.Terminated) throw new RejectedExecutionException();
    const scheduledTask = new ScheduledFutureTask(this, task, delayMs, periodMs, this.daemon);
    this.scheduled.add(scheduledTask);
    return scheduledTask;
  }

  /** @internal Called by a scheduled task's timer: runs it inside this loop. */
  runScheduled(task: ScheduledFutureTask): void {
    if (this.state === LoopState.Terminated) return;
    const previous = enterExecutor(this);
    try {
      task.run();
    } finally {
      exitExecutor(previous);
    }
    this.lastExecutionTime = performance.now();
  }

  /** @internal */
  removeScheduled(task: ScheduledFutureTask): void {
    this.scheduled.delete(task);
  }

  /** Number of tasks waiting to run (not counting scheduled ones). */
  pendingTasks(): number {
    return this.queue.length - this.head + this.lazyQueue.length;
  }

  /** Number of scheduled tasks not yet done. */
  scheduledTasks(): number {
    return this.scheduled.size;
  }

  private readonly runTasks = (): void => {
    this.turnScheduled = false;
    const previous = enterExecutor(this);
    let budget = MAX_TASKS_PER_TURN;
    try {
      while (this.head < this.queue.length && budget-- > 0) {
        const task = this.queue[this.head]!;
        this.queue[this.head++] = undefined;
        try {
          task();
        } catch (err) {
          logger.warn('A task raised an exception. Task: ' + String(task), err);
        }
      }
    } finally {
      exitExecutor(previous);
    }
    this.lastExecutionTime = performance.now();
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else {
      if (this.head > 1024) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      // Budget exhausted: let Node run I/O callbacks before the next batch.
      this.turnScheduled = true;
      setImmediate(this.runTasks);
    }
  };

  register(channel: Channel, promise?: ChannelPromise): ChannelFuture {
    const p = promise ?? new DefaultChannelPromise(channel, this);
    channel.unsafe().register(this, p);
    return p;
  }

  /** @internal Transports track registered channels so that shutdown can close them (Netty's closeAll). */
  channelRegistered(channel: Channel): void {
    this.channels.add(channel);
  }

  /** @internal */
  channelDeregistered(channel: Channel): void {
    this.channels.delete(channel);
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

  shutdownGracefully(quietPeriodMs = 2000, timeoutMs = 15000): Future<void> {
    if (quietPeriodMs < 0) throw new RangeError(`quietPeriod: ${quietPeriodMs} (expected >= 0)`);
    if (timeoutMs < quietPeriodMs) {
      throw new RangeError(`timeout: ${timeoutMs} (expected >= quietPeriod (${quietPeriodMs}))`);
    }
    if (this.state !== LoopState.Running) return this.termination;
    this.state = LoopState.ShuttingDown;
    const start = performance.now();
    // Netty's NioEventLoop closes every registered channel once shutdown starts.
    this.execute(() => {
      for (const ch of [...this.channels]) ch.unsafe().close(ch.unsafe().voidPromise());
    });
    const check = (): void => {
      const now = performance.now();
      const idle = this.pendingTasks() === 0 && !this.turnScheduled;
      if ((idle && now - this.lastExecutionTime >= quietPeriodMs) || now - start >= timeoutMs) {
        this.terminate();
      } else {
        setTimeout(check, Math.max(1, Math.min(100, quietPeriodMs))).unref();
      }
    };
    setTimeout(check, 0);
    return this.termination;
  }

  private terminate(): void {
    if (this.state === LoopState.Terminated) return;
    for (const task of [...this.scheduled]) task.cancel();
    this.state = LoopState.Terminated;
    this.termination.trySuccess();
  }

  terminationFuture(): Future<void> {
    return this.termination;
  }
  isShuttingDown(): boolean {
    return this.state !== LoopState.Running;
  }
  isShutdown(): boolean {
    return this.state === LoopState.Terminated;
  }
  isTerminated(): boolean {
    return this.state === LoopState.Terminated;
  }

  toString(): string {
    return `DefaultEventLoop(${this.state === LoopState.Running ? 'running' : this.state === LoopState.ShuttingDown ? 'shutting down' : 'terminated'})`;
  }
}
