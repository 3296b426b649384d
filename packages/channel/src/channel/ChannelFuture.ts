import type { Future } from '../concurrent/Future';
import type { Channel } from './Channel';

/** A listener of a {@link ChannelFuture}. */
export type ChannelFutureListener = (future: ChannelFuture) => void;

/**
 * Port of io.netty.channel.ChannelFuture: the result of an I/O operation on a channel. Awaitable:
 * `await ch.writeAndFlush(msg)` throws the cause if the write failed.
 */
export interface ChannelFuture extends Future<void> {
  channel(): Channel;
  /** True for the shared void promise, which records nothing (see `Channel.voidPromise()`). */
  isVoid(): boolean;
  addListener(listener: ChannelFutureListener): this;
  addListeners(...listeners: ChannelFutureListener[]): this;
  removeListener(listener: ChannelFutureListener): this;
}

/** Port of io.netty.channel.ChannelPromise: a writable {@link ChannelFuture}. */
export interface ChannelPromise extends ChannelFuture {
  setSuccess(): this;
  trySuccess(): boolean;
  setFailure(cause: unknown): this;
  tryFailure(cause: unknown): boolean;
  setUncancellable(): boolean;
  /** A real promise standing in for a void one (itself if not void). */
  unvoid(): ChannelPromise;
}

/** Netty's handy listeners (ChannelFutureListener.CLOSE, CLOSE_ON_FAILURE, FIRE_EXCEPTION_ON_FAILURE). */
export const ChannelFutureListeners = {
  /** Closes the channel when the operation completes. */
  CLOSE: ((f: ChannelFuture) => {
    f.channel().close();
  }) as ChannelFutureListener,
  /** Closes the channel if the operation failed. */
  CLOSE_ON_FAILURE: ((f: ChannelFuture) => {
    if (!f.isSuccess()) f.channel().close();
  }) as ChannelFutureListener,
  /** Fires the failure through the pipeline as an exceptionCaught event. */
  FIRE_EXCEPTION_ON_FAILURE: ((f: ChannelFuture) => {
    if (!f.isSuccess() && !f.isCancelled()) f.channel().pipeline().fireExceptionCaught(f.cause()!);
  }) as ChannelFutureListener,
};
