import { DefaultPromise } from '../concurrent/DefaultPromise';
import type { EventExecutor } from '../concurrent/EventExecutor';
import type { Channel } from './Channel';
import type { ChannelFutureListener, ChannelPromise } from './ChannelFuture';

/**
 * Port of io.netty.channel.DefaultChannelPromise: listeners run on the given executor, or on the channel's
 * event loop.
 */
export class DefaultChannelPromise extends DefaultPromise<void> implements ChannelPromise {
  // Declared and assigned rather than a parameter property (see DefaultPromise).
  declare private readonly ch: Channel;

  constructor(ch: Channel, executor?: EventExecutor | null) {
    super(executor ?? (ch.isRegistered() ? ch.eventLoop() : null));
    this.ch = ch;
  }

  channel(): Channel {
    return this.ch;
  }
  isVoid(): boolean {
    return false;
  }
  unvoid(): ChannelPromise {
    return this;
  }
  override setSuccess(): this {
    return super.setSuccess();
  }
  override trySuccess(): boolean {
    return super.trySuccess();
  }
  override addListener(listener: ChannelFutureListener): this {
    return super.addListener(listener as (f: unknown) => void);
  }
  override addListeners(...listeners: ChannelFutureListener[]): this {
    for (const l of listeners) this.addListener(l);
    return this;
  }
  override removeListener(listener: ChannelFutureListener): this {
    return super.removeListener(listener as (f: unknown) => void);
  }
}
