import { IllegalStateException } from '../util/SluiceError';
import type { Channel } from './Channel';
import { DefaultChannelPromise } from './DefaultChannelPromise';

/**
 * The close future of a channel (Netty's AbstractChannel.CloseFuture): completed only by the channel,
 * always successfully. User code may listen to it but not complete it.
 */
export class CloseFuture extends DefaultChannelPromise {
  constructor(channel: Channel) {
    super(channel, null);
  }
  override setSuccess(): this {
    throw new IllegalStateException('close future is completed by the channel only');
  }
  override setFailure(): this {
    throw new IllegalStateException('close future is completed by the channel only');
  }
  override trySuccess(): boolean {
    throw new IllegalStateException('close future is completed by the channel only');
  }
  override tryFailure(): boolean {
    throw new IllegalStateException('close future is completed by the channel only');
  }
  /** @internal */
  setClosed(): boolean {
    return super.trySuccess();
  }
}
