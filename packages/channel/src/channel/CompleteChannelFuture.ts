import type { EventExecutor } from '../concurrent/EventExecutor';
import type { Channel } from './Channel';
import type { ChannelFuture } from './ChannelFuture';
import { DefaultChannelPromise } from './DefaultChannelPromise';

/** A future that is already successful (Netty's SucceededChannelFuture). */
export function succeededChannelFuture(channel: Channel, executor: EventExecutor | null): ChannelFuture {
  return new DefaultChannelPromise(channel, executor).setSuccess();
}

/** A future that has already failed (Netty's FailedChannelFuture). */
export function failedChannelFuture(channel: Channel, executor: EventExecutor | null, cause: unknown): ChannelFuture {
  return new DefaultChannelPromise(channel, executor).setFailure(cause);
}
