import { IllegalStateException } from '../util/SluiceError';
import type { DefaultPromise } from './DefaultPromise';
import type { Future } from './Future';

/**
 * Port of io.netty.util.concurrent.PromiseCombiner: completes an aggregate promise once every added
 * future completed — successfully if all succeeded, otherwise with the first failure seen.
 *
 * ## Threading
 * Use from one event loop; the aggregate is completed when the last added future completes.
 */
export class PromiseCombiner {
  private expected = 0;
  private done = 0;
  private cause: Error | null = null;
  private aggregate: DefaultPromise<void> | null = null;

  private readonly listener = (f: Future<unknown>): void => {
    this.done++;
    if (!f.isSuccess() && this.cause === null) this.cause = f.cause();
    this.tryComplete();
  };

  add(future: Future<unknown>): void {
    if (this.aggregate !== null) throw new IllegalStateException('Adding futures is not allowed after finished adding');
    this.expected++;
    future.addListener(this.listener);
  }

  addAll(...futures: Future<unknown>[]): void {
    for (const f of futures) this.add(f);
  }

  /** Sets the promise completed once all added futures are done; no futures may be added after this. */
  finish(aggregatePromise: DefaultPromise<void>): void {
    if (this.aggregate !== null) throw new IllegalStateException('Already finished');
    this.aggregate = aggregatePromise;
    this.tryComplete();
  }

  private tryComplete(): void {
    if (this.aggregate === null || this.done !== this.expected) return;
    if (this.cause === null) this.aggregate.trySuccess();
    else this.aggregate.tryFailure(this.cause);
  }
}
