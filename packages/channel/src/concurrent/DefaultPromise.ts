import { IllegalStateException, toError } from '../util/SluiceError';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { CancellationException } from './errors';
import type { EventExecutor } from './EventExecutor';
import type { Future, FutureListener, Settled } from './Future';

const logger = InternalLoggerFactory.getInstance('DefaultPromise');

/** Netty's MAX_LISTENER_STACK_DEPTH: deeper nested notifications are queued on the executor instead. */
const MAX_LISTENER_STACK_DEPTH = 8;
let listenerStackDepth = 0;

const enum State {
  Incomplete = 0,
  Uncancellable = 1,
  Success = 2,
  Failure = 3,
  Cancelled = 4,
}

let nextHash = 1;

/**
 * Port of io.netty.util.concurrent.DefaultPromise (Netty 4.1): a writable {@link Future}.
 * Differs: no blocking waits; instead it is awaitable (`await promise`), and a failure that nobody
 * observes is not reported as an unhandled rejection (Netty semantics, not native-Promise semantics).
 *
 * ## Threading
 * May be completed from anywhere. Listeners are notified inline when the completing code runs on the
 * promise's executor (and the listener nesting depth is below 8), otherwise through `executor.execute`.
 * A promise without an executor notifies inline.
 *
 * ## Pitfalls
 * `setSuccess`/`setFailure` throw if already complete; use `trySuccess`/`tryFailure` when a race is
 * expected.
 */
export class DefaultPromise<V = void> implements Future<V> {
  // Fields are `declare`d and assigned in the constructor: initialisers would compile to class fields,
  // which V8 defines one by one on every construction (see the note in buffer/AbstractByteBuf.ts); a
  // promise is made per write that wants a result.
  declare private readonly executorRef: EventExecutor | null;
  declare private state: State;
  declare private value: V | undefined;
  declare private failure: Error | null;
  // One listener is the common case; keep it unboxed and only allocate an array for more.
  declare private listeners: FutureListener<V> | FutureListener<V>[] | null;
  declare private notifying: boolean;
  declare private readonly hash: number;

  constructor(executorRef: EventExecutor | null = null) {
    this.executorRef = executorRef;
    this.state = State.Incomplete;
    this.value = undefined;
    this.failure = null;
    this.listeners = null;
    this.notifying = false;
    this.hash = nextHash++;
  }

  /** The executor listeners are notified on (null: inline). */
  executor(): EventExecutor | null {
    return this.executorRef;
  }

  isDone(): boolean {
    return this.state >= State.Success;
  }
  isSuccess(): boolean {
    return this.state === State.Success;
  }
  isCancelled(): boolean {
    return this.state === State.Cancelled;
  }
  isCancellable(): boolean {
    return this.state === State.Incomplete;
  }
  cause(): Error | null {
    return this.failure;
  }
  getNow(): V | undefined {
    return this.value;
  }

  /** Marks success; throws IllegalStateException if already complete. */
  setSuccess(value?: V): this {
    if (!this.trySuccess(value)) throw new IllegalStateException(`complete already: ${this.toString()}`);
    return this;
  }

  /** Marks success if still incomplete; returns whether it did. */
  trySuccess(value?: V): boolean {
    if (this.state >= State.Success) return false;
    this.value = value;
    this.state = State.Success;
    this.notifyListeners();
    return true;
  }

  /** Marks failure; throws IllegalStateException if already complete. */
  setFailure(cause: unknown): this {
    if (!this.tryFailure(cause)) throw new IllegalStateException(`complete already: ${this.toString()}`, { cause });
    return this;
  }

  /** Marks failure if still incomplete; returns whether it did. */
  tryFailure(cause: unknown): boolean {
    if (this.state >= State.Success) return false;
    this.failure = toError(cause);
    this.state = State.Failure;
    this.notifyListeners();
    return true;
  }

  /** Forbids cancellation from now on; false if already cancelled. */
  setUncancellable(): boolean {
    if (this.state === State.Incomplete) {
      this.state = State.Uncancellable;
      return true;
    }
    return this.state !== State.Cancelled;
  }

  cancel(): boolean {
    if (this.state !== State.Incomplete) return false;
    this.failure = new CancellationException();
    this.state = State.Cancelled;
    this.notifyListeners();
    return true;
  }

  addListener(listener: FutureListener<V>): this {
    const current = this.listeners;
    if (current === null) this.listeners = listener;
    else if (typeof current === 'function') this.listeners = [current, listener];
    else current.push(listener);
    if (this.isDone()) this.notifyListeners();
    return this;
  }

  addListeners(...listeners: FutureListener<V>[]): this {
    for (const l of listeners) this.addListener(l);
    return this;
  }

  removeListener(listener: FutureListener<V>): this {
    const current = this.listeners;
    if (current === listener) this.listeners = null;
    else if (Array.isArray(current)) {
      const i = current.indexOf(listener);
      if (i >= 0) current.splice(i, 1);
    }
    return this;
  }

  then<R1 = V, R2 = never>(
    onfulfilled?: ((value: V) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return new Promise<V>((resolve, reject) => {
      this.addListener((f) => (f.isSuccess() ? resolve(f.getNow() as V) : reject(f.cause())));
    }).then(onfulfilled, onrejected);
  }

  sync(): Promise<Settled<this>> {
    return new Promise<Settled<this>>((resolve, reject) => {
      this.addListener(() => (this.isSuccess() ? resolve(nonThenable(this)) : reject(this.failure)));
    });
  }

  awaitDone(): Promise<Settled<this>> {
    return new Promise<Settled<this>>((resolve) => {
      this.addListener(() => resolve(nonThenable(this)));
    });
  }

  private notifyListeners(): void {
    if (this.listeners === null || this.notifying) return;
    const executor = this.executorRef;
    if (executor === null || (executor.inEventLoop() && listenerStackDepth < MAX_LISTENER_STACK_DEPTH)) {
      listenerStackDepth++;
      try {
        this.notifyListenersNow();
      } finally {
        listenerStackDepth--;
      }
      return;
    }
    this.notifying = true;
    try {
      executor.execute(() => {
        this.notifying = false;
        this.notifyListenersNow();
      });
    } catch (err) {
      this.notifying = false;
      logger.error(`Failed to submit a listener notification task. Event loop shut down? ${String(err)}`);
    }
  }

  // Listeners added while notifying are picked up by the loop, keeping insertion order.
  private notifyListenersNow(): void {
    while (this.listeners !== null) {
      const current = this.listeners;
      this.listeners = null;
      if (typeof current === 'function') {
        this.notifyOne(current);
      } else {
        for (let i = 0; i < current.length; i++) this.notifyOne(current[i]!);
      }
    }
  }

  private notifyOne(listener: FutureListener<V>): void {
    try {
      listener(this);
    } catch (err) {
      logger.warn(`An exception was thrown by a listener of ${this.toString()}`, err);
    }
  }

  toString(): string {
    const s =
      this.state === State.Success
        ? this.value === undefined ? 'success' : `success: ${String(this.value)}`
        : this.state === State.Failure || this.state === State.Cancelled
          ? `failure: ${String(this.failure)}`
          : this.state === State.Uncancellable ? 'uncancellable' : 'incomplete';
    return `${this.constructor.name}@${this.hash.toString(16)}(${s})`;
  }
}

// A native Promise resolved with a thenable adopts it (awaits its value or failure) instead of yielding
// it, so sync()/awaitDone() resolve with a view of the promise that hides `then`; every other member acts
// on the promise itself.
const NON_THENABLE: ProxyHandler<object> = {
  get(target, prop) {
    if (prop === 'then') return undefined;
    const value: unknown = Reflect.get(target, prop, target);
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  },
};

function nonThenable<T extends object>(promise: T): Settled<T> {
  return new Proxy(promise, NON_THENABLE) as Settled<T>;
}

/** A future that is already successful. */
export function succeededFuture<V>(executor: EventExecutor | null, value?: V): DefaultPromise<V> {
  return new DefaultPromise<V>(executor).setSuccess(value);
}

/** A future that has already failed. */
export function failedFuture<V>(executor: EventExecutor | null, cause: unknown): DefaultPromise<V> {
  return new DefaultPromise<V>(executor).setFailure(cause);
}
