import type { Channel } from '../channel/Channel';
import type { ChannelFuture, ChannelPromise } from '../channel/ChannelFuture';
import { DefaultEventLoop, type DefaultEventLoopOptions } from './DefaultEventLoop';
import { DefaultPromise } from './DefaultPromise';
import type { Runnable, ScheduledFuture } from './EventExecutor';
import type { EventLoop, EventLoopGroup } from './EventLoop';
import type { Future } from './Future';

/**
 * Port of io.netty.channel.DefaultEventLoopGroup / MultithreadEventLoopGroup (Netty 4.1): a fixed set of
 * {@link DefaultEventLoop}s handed out round robin. Netty users write `new NioEventLoopGroup()`; here the
 * same role is `new DefaultEventLoopGroup()`.
 * Differs: the loops share Node's one JavaScript thread, so the default is 1 loop (Netty: 2 × cores).
 * Several loops still partition channels into independent FIFO task queues, which keeps Netty's
 * per-channel ordering contract and lets tests model multi-loop setups.
 */
export class DefaultEventLoopGroup implements EventLoopGroup {
  private readonly children: DefaultEventLoop[];
  private nextIndex = 0;
  private readonly termination = new DefaultPromise<void>(null);

  constructor(nLoops = 1, options: DefaultEventLoopOptions = {}) {
    if (!Number.isInteger(nLoops) || nLoops < 1) throw new RangeError(`nLoops: ${nLoops} (expected: >= 1)`);
    this.children = Array.from({ length: nLoops }, () => new DefaultEventLoop(this, options));
    let terminated = 0;
    for (const child of this.children) {
      child.terminationFuture().addListener(() => {
        if (++terminated === this.children.length) this.termination.trySuccess();
      });
    }
  }

  next(): EventLoop {
    const child = this.children[this.nextIndex]!;
    this.nextIndex = (this.nextIndex + 1) % this.children.length;
    return child;
  }

  /** The loops of this group, in creation order. */
  loops(): readonly EventLoop[] {
    return this.children;
  }

  register(channel: Channel, promise?: ChannelPromise): ChannelFuture {
    return this.next().register(channel, promise);
  }

  execute(task: Runnable): void {
    this.next().execute(task);
  }
  submit<T>(task: () => T): Future<T> {
    return this.next().submit(task);
  }
  schedule(task: Runnable, delayMs: number): ScheduledFuture<void> {
    return this.next().schedule(task, delayMs);
  }
  scheduleAtFixedRate(task: Runnable, initialDelayMs: number, periodMs: number): ScheduledFuture<void> {
    return this.next().scheduleAtFixedRate(task, initialDelayMs, periodMs);
  }
  scheduleWithFixedDelay(task: Runnable, initialDelayMs: number, delayMs: number): ScheduledFuture<void> {
    return this.next().scheduleWithFixedDelay(task, initialDelayMs, delayMs);
  }

  shutdownGracefully(quietPeriodMs = 2000, timeoutMs = 15000): Future<void> {
    for (const child of this.children) child.shutdownGracefully(quietPeriodMs, timeoutMs);
    return this.termination;
  }
  terminationFuture(): Future<void> {
    return this.termination;
  }
  isShuttingDown(): boolean {
    return this.children.every((c) => c.isShuttingDown());
  }
  isShutdown(): boolean {
    return this.children.every((c) => c.isShutdown());
  }
  isTerminated(): boolean {
    return this.children.every((c) => c.isTerminated());
  }
}
