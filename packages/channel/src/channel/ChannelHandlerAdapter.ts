import { IllegalStateException } from '../util/SluiceError';
import type { ChannelHandler } from './ChannelHandler';
import { classIsSharable } from './ChannelHandler';
import type { ChannelHandlerContext } from './ChannelHandlerContext';
import { markSkip } from './ChannelHandlerMask';

/**
 * Port of io.netty.channel.ChannelHandlerAdapter: base of the adapters. Tracks whether the instance was
 * ever added (Netty's `added` flag, never cleared) so a non-sharable handler cannot be reused.
 */
export abstract class ChannelHandlerAdapter implements ChannelHandler {
  /** @internal Set by the pipeline on first add; never cleared (Netty's rule). */
  added = false;

  /** Whether this class is marked `@Sharable`. */
  isSharable(): boolean {
    return classIsSharable(this.constructor);
  }

  /** Throws if the class is sharable: decoders keep per-channel state and must never be shared. */
  protected ensureNotSharable(): void {
    if (this.isSharable()) {
      throw new IllegalStateException(`ChannelHandler ${this.constructor.name} is not allowed to be shared`);
    }
  }

  handlerAdded(_ctx: ChannelHandlerContext): void {}
  handlerRemoved(_ctx: ChannelHandlerContext): void {}

  /** Forwards to the next handler. */
  exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    ctx.fireExceptionCaught(cause);
  }
}
markSkip(ChannelHandlerAdapter.prototype, 'exceptionCaught');
