import { IllegalStateException, toError } from '../util/SluiceError';
import type { Channel } from './Channel';
import type { Settled } from '../concurrent/Future';
import type { ChannelPromise } from './ChannelFuture';
import { DefaultChannelPromise } from './DefaultChannelPromise';

/**
 * Port of io.netty.channel.VoidChannelPromise: the shared promise of a write whose caller does not want
 * the result, so no promise is allocated per write. Listeners and awaiting are refused
 * (`IllegalStateException('void future')`). A failure is fired through the pipeline as exceptionCaught
 * when `fireException` is true (the channel's and pipeline's void promise), and dropped otherwise (the
 * transport-internal one).
 *
 * ## Pitfalls
 * Only `write` and `writeAndFlush` accept it; every other operation throws IllegalArgumentException.
 */
export class VoidChannelPromise implements ChannelPromise {
  constructor(private readonly ch: Channel, private readonly fireException: boolean) {}

  channel(): Channel {
    return this.ch;
  }
  isVoid(): boolean {
    return true;
  }
  isDone(): boolean {
    return false;
  }
  isSuccess(): boolean {
    return false;
  }
  isCancelled(): boolean {
    return false;
  }
  isCancellable(): boolean {
    return false;
  }
  cause(): Error | null {
    return null;
  }
  getNow(): undefined {
    return undefined;
  }
  cancel(): boolean {
    return false;
  }
  setUncancellable(): boolean {
    return true;
  }
  addListener(): this {
    throw new IllegalStateException('void future');
  }
  addListeners(): this {
    throw new IllegalStateException('void future');
  }
  removeListener(): this {
    return this;
  }
  sync(): Promise<Settled<this>> {
    return Promise.reject(new IllegalStateException('void future'));
  }
  awaitDone(): Promise<Settled<this>> {
    return Promise.reject(new IllegalStateException('void future'));
  }
  then<R1 = void, R2 = never>(
    _onfulfilled?: ((value: void) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return Promise.reject(new IllegalStateException('void future')).then(undefined, onrejected);
  }
  setSuccess(): this {
    return this;
  }
  trySuccess(): boolean {
    return false;
  }
  setFailure(cause: unknown): this {
    this.fireExceptionIfNeeded(cause);
    return this;
  }
  tryFailure(cause: unknown): boolean {
    this.fireExceptionIfNeeded(cause);
    return false;
  }

  /** A real promise that still fires exceptionCaught on failure, for code that needs listeners. */
  unvoid(): ChannelPromise {
    const promise = new DefaultChannelPromise(this.ch);
    if (this.fireException) {
      promise.addListener((f) => {
        if (!f.isSuccess()) this.fireExceptionIfNeeded(f.cause());
      });
    }
    return promise;
  }

  private fireExceptionIfNeeded(cause: unknown): void {
    // Only fire when registered: an unregistered channel has no loop to run the pipeline on.
    if (this.fireException && this.ch.isRegistered()) this.ch.pipeline().fireExceptionCaught(toError(cause));
  }

  toString(): string {
    return 'VoidChannelPromise';
  }
}
