import type { Channel } from '../channel/Channel';
import type { ChannelFuture, ChannelPromise } from '../channel/ChannelFuture';
import type { EventExecutor, EventExecutorGroup } from './EventExecutor';

/**
 * Port of io.netty.channel.EventLoop: the executor that runs every handler callback of the channels
 * registered to it.
 *
 * ## Threading
 * See {@link EventExecutor}: a logical thread on Node's single JavaScript thread. Every channel callback
 * runs with `inEventLoop()` true; calls from elsewhere are queued and run FIFO.
 */
export interface EventLoop extends EventExecutor, EventLoopGroup {
  parent(): EventLoopGroup;
  next(): EventLoop;
}

/** Port of io.netty.channel.EventLoopGroup. */
export interface EventLoopGroup extends EventExecutorGroup {
  next(): EventLoop;
  /** Registers `channel` with one of the group's loops; the future completes once registered. */
  register(channel: Channel, promise?: ChannelPromise): ChannelFuture;
}
