import { DefaultPromise, succeededFuture, type Future } from '@sluice/channel';

/** The completed future every available provider returns (Flink's `AvailabilityProvider.AVAILABLE`). */
const AVAILABLE: Future<void> = succeededFuture<void>(null);

/**
 * Port of org.apache.flink.runtime.io.AvailabilityProvider (Flink 1.20). Differs: futures are
 * `@sluice/channel` {@link Future}s (awaitable, listener-based) instead of `CompletableFuture`s; the
 * interface lives in memory/ because the buffer pools are its first users.
 *
 * Something that is either available (a request would succeed right now) or hands out a future that
 * completes when it becomes available again. This is how the port avoids blocking: where Flink's task
 * thread waits, Sluice code awaits (or adds a listener to) {@link getAvailableFuture}.
 *
 * ## Threading
 * Single-threaded (the loop that owns the provider). Futures complete inline, inside the call that made
 * the provider available (e.g. a `recycle()`), and run their listeners right there.
 *
 * ## Pitfalls
 * - Availability is a hint: another requester may take the buffer between the completion and your
 *   request, so request again and re-subscribe if that returns nothing.
 * - A future of an available provider is the shared {@link AvailabilityProvider.AVAILABLE} instance;
 *   never complete or cancel it.
 *
 * @example
 * while ((buffer = pool.requestBuffer()) === null) await pool.getAvailableFuture();
 */
export interface AvailabilityProvider {
  /** A future completed once this provider is available; {@link AvailabilityProvider.AVAILABLE} if it is now. */
  getAvailableFuture(): Future<void>;
  /** True if available right now (`getAvailableFuture()` is done). */
  isAvailable(): boolean;
  /** Like {@link isAvailable} but only compares with the AVAILABLE constant (cheaper, may lag). */
  isApproximatelyAvailable(): boolean;
}

/** Constants and combinators of {@link AvailabilityProvider}. */
export const AvailabilityProvider = {
  /** The shared, already completed future meaning "available now". */
  AVAILABLE,
  /** A future completed when both are (`and`). */
  and(first: Future<void>, second: Future<void>): Future<void> {
    if (first === AVAILABLE && second === AVAILABLE) return AVAILABLE;
    if (first === AVAILABLE || first.isSuccess()) return second;
    if (second === AVAILABLE || second.isSuccess()) return first;
    const both = new DefaultPromise<void>();
    let pending = 2;
    const done = (f: Future<void>): void => {
      if (!f.isSuccess()) both.tryFailure(f.cause());
      else if (--pending === 0) both.trySuccess();
    };
    first.addListener(done);
    second.addListener(done);
    return both;
  },
  /** A future completed when either is (`or`). */
  or(first: Future<void>, second: Future<void>): Future<void> {
    if (first === AVAILABLE || first.isDone()) return first;
    if (second === AVAILABLE || second.isDone()) return second;
    const any = new DefaultPromise<void>();
    const done = (f: Future<void>): void => {
      if (f.isSuccess()) any.trySuccess();
      else any.tryFailure(f.cause());
    };
    first.addListener(done);
    second.addListener(done);
    return any;
  },
};

/**
 * Port of org.apache.flink.runtime.io.AvailabilityProvider.AvailabilityHelper (Flink 1.20).
 *
 * Holds the current availability future of a provider: {@link AvailabilityProvider.AVAILABLE} while
 * available, a fresh incomplete future while not. The owner flips it and completes the old future
 * AFTER its own state is consistent (Flink's "toNotify" pattern), because completion runs listeners
 * inline.
 *
 * ## Threading
 * The owner's thread only.
 */
export class AvailabilityHelper implements AvailabilityProvider {
  private availableFuture: DefaultPromise<void> | Future<void> = new DefaultPromise<void>();

  /** Makes the provider unavailable (a new incomplete future) unless it already is. */
  resetUnavailable(): void {
    if (this.availableFuture === AVAILABLE) this.availableFuture = new DefaultPromise<void>();
  }

  /** Makes the provider available without completing the old future (use {@link getUnavailableToResetAvailable}). */
  resetAvailable(): void {
    this.availableFuture = AVAILABLE;
  }

  /** Makes the provider available and returns the previous future, for the caller to complete. */
  getUnavailableToResetAvailable(): Future<void> {
    const toNotify = this.availableFuture;
    this.availableFuture = AVAILABLE;
    return toNotify;
  }

  /** Returns the current future and installs a new incomplete one. */
  getUnavailableToResetUnavailable(): Future<void> {
    const toNotify = this.availableFuture;
    this.availableFuture = new DefaultPromise<void>();
    return toNotify;
  }

  getAvailableFuture(): Future<void> {
    return this.availableFuture;
  }

  isAvailable(): boolean {
    const future = this.availableFuture;
    return future === AVAILABLE || future.isDone();
  }

  isApproximatelyAvailable(): boolean {
    return this.availableFuture === AVAILABLE;
  }

  /** Completes `future` if it is a pending future (no-op for AVAILABLE or `null`). */
  static complete(future: Future<void> | null): void {
    if (future !== null && future !== AVAILABLE && future instanceof DefaultPromise) future.trySuccess();
  }
}
