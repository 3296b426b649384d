/**
 * Port of io.netty.util.concurrent.Future (Netty 4.1): the result of an asynchronous operation, observed
 * with listeners. Differs: there is no blocking `get()`/`sync()` — a Future is a `PromiseLike`, so
 * `await future` resolves with the value or throws the cause.
 *
 * ## Threading
 * Listeners run on the future's executor, in the order they were added, exactly once.
 */
export interface Future<V> extends PromiseLike<V> {
  /** True once completed (success, failure or cancellation). */
  isDone(): boolean;
  /** True if completed successfully. */
  isSuccess(): boolean;
  /** True if cancelled. */
  isCancelled(): boolean;
  /** True if `cancel()` may still succeed (incomplete and not marked uncancellable). */
  isCancellable(): boolean;
  /** The failure cause, or `null` if incomplete or successful. */
  cause(): Error | null;
  /** The value if completed successfully, else `undefined`. */
  getNow(): V | undefined;
  /** Adds a listener; if already done, it is notified right away (on the executor). */
  addListener(listener: FutureListener<V>): this;
  addListeners(...listeners: FutureListener<V>[]): this;
  removeListener(listener: FutureListener<V>): this;
  /** Cancels if still cancellable; returns whether it did. */
  cancel(): boolean;
  /** Resolves when done, rejecting with the cause on failure (Netty's `sync()`): `(await f.sync()).channel()`. */
  sync(): Promise<Settled<this>>;
  /** Resolves when done, whatever the outcome (Netty's `await()`). */
  awaitDone(): Promise<Settled<this>>;
}

/**
 * What `sync()`/`awaitDone()` resolve with: the future without `then`. A native promise resolved with a
 * thenable would adopt it (yield its value) instead of yielding the future itself.
 */
export type Settled<F> = Omit<F, 'then'>;

/** A listener on a {@link Future}; called once with the completed future. */
export type FutureListener<V> = (future: Future<V>) => void;
