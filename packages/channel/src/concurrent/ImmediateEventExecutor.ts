import { DefaultPromise, failedFuture, succeededFuture } from './DefaultPromise';
import type { EventExecutor, Runnable, ScheduledFuture } from './EventExecutor';
import type { Future } from './Future';
import { UnsupportedOperationException } from '../util/SluiceError';

/**
 * Port of io.netty.util.concurrent.ImmediateEventExecutor: runs each task in the caller, right away
 * (tasks submitted from inside a running task are queued until it returns, so nothing re-enters).
 * Used for promises that belong to no event loop, e.g. the combined promise of a PromiseCombiner.
 */
export class ImmediateEventExecutor implements EventExecutor {
  static readonly INSTANCE = new ImmediateEventExecutor();
  private running = false;
  private readonly pending: Runnable[] = [];
  private readonly termination = new DefaultPromise<void>(null);

  private constructor() {}

  inEventLoop(): boolean {
    return true;
  }
  parent(): EventExecutor {
    return this;
  }
  next(): EventExecutor {
    return this;
  }
  /** Same as {@link execute}: nothing here is deferred. */
  lazyExecute(task: Runnable): void {
    this.execute(task);
  }
  execute(task: Runnable): void {
    if (this.running) {
      this.pending.push(task);
      return;
    }
    this.running = true;
    try {
      task();
      while (this.pending.length > 0) this.pending.shift()!();
    } finally {
      this.running = false;
    }
  }
  submit<T>(task: () => T): Future<T> {
    const p = new DefaultPromise<T>(this);
    this.execute(() => {
      try {
        p.trySuccess(task());
      } catch (err) {
        p.tryFailure(err);
      }
    });
    return p;
  }
  schedule(): ScheduledFuture<void> {
    throw new UnsupportedOperationException('ImmediateEventExecutor cannot schedule');
  }
  scheduleAtFixedRate(): ScheduledFuture<void> {
    throw new UnsupportedOperationException('ImmediateEventExecutor cannot schedule');
  }
  scheduleWithFixedDelay(): ScheduledFuture<void> {
    throw new UnsupportedOperationException('ImmediateEventExecutor cannot schedule');
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
    return this.termination;
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
