import type { DefaultPromise } from './DefaultPromise';
import type { Future } from './Future';

/** A task run by an {@link EventExecutor}. */
export type Runnable = () => void;

/** A future of a scheduled task; cancelling it removes the task. */
export interface ScheduledFuture<V> extends Future<V> {
  /** Milliseconds until the next run (negative when due). */
  getDelay(): number;
}

/**
 * Port of io.netty.util.concurrent.EventExecutor: runs tasks in FIFO order on one logical thread.
 *
 * ## Threading
 * Node has one JavaScript thread, so an executor is a *logical* thread: `inEventLoop()` is true while code
 * runs inside a task, timer or I/O callback dispatched by this executor, and false anywhere else (plain
 * user code, a microtask after `await`, another executor's task). Calls made from outside are queued
 * with `execute`, exactly as Netty queues calls from foreign threads.
 */
export interface EventExecutor extends EventExecutorGroup {
  /** Is the caller running inside this executor right now? */
  inEventLoop(): boolean;
  /**
   * Netty's `lazyExecute`: queues a task that need not run promptly. On a {@link DefaultEventLoop} it runs
   * once the current callback and the microtasks it started have run (`execute` runs right after the
   * callback): what the current I/O sets off goes first, as in Netty, where tasks wait for the I/O of
   * the turn. FIFO among lazy tasks. Throws RejectedExecutionException after termination.
   */
  lazyExecute(task: Runnable): void;
  /** The group this executor belongs to (itself if standalone). */
  parent(): EventExecutorGroup;
  /** A new incomplete promise whose listeners run on this executor. */
  newPromise<V = void>(): DefaultPromise<V>;
  newSucceededFuture<V>(value: V): Future<V>;
  newFailedFuture<V>(cause: unknown): Future<V>;
}

/** Port of io.netty.util.concurrent.EventExecutorGroup. */
export interface EventExecutorGroup {
  /** Hands out one of the group's executors (round robin). */
  next(): EventExecutor;
  /** Queues `task` to run after the tasks already queued. Throws RejectedExecutionException after shutdown. */
  execute(task: Runnable): void;
  /** Like execute, returning a future of the task's result. */
  submit<T>(task: () => T): Future<T>;
  /** Runs `task` once after `delayMs` milliseconds. */
  schedule(task: Runnable, delayMs: number): ScheduledFuture<void>;
  /** Runs `task` after `initialDelayMs`, then every `periodMs` measured from the previous start. */
  scheduleAtFixedRate(task: Runnable, initialDelayMs: number, periodMs: number): ScheduledFuture<void>;
  /** Runs `task` after `initialDelayMs`, then `delayMs` after each run ends. */
  scheduleWithFixedDelay(task: Runnable, initialDelayMs: number, delayMs: number): ScheduledFuture<void>;
  /**
   * Starts an orderly shutdown: tasks are still accepted until no task ran for `quietPeriodMs`
   * (default 2000) or `timeoutMs` (default 15000) elapsed; then scheduled tasks are cancelled and the
   * executor terminates.
   */
  shutdownGracefully(quietPeriodMs?: number, timeoutMs?: number): Future<void>;
  /** Completes when the executor (every executor of the group) has terminated. */
  terminationFuture(): Future<void>;
  isShuttingDown(): boolean;
  isShutdown(): boolean;
  isTerminated(): boolean;
}
