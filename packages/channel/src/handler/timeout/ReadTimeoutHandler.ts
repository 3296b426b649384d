import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { normalizeTimeoutMs } from './clock';
import { ReadTimeoutException } from './errors';
import type { IdleStateEvent } from './IdleStateEvent';
import { IdleStateHandler } from './IdleStateHandler';

/**
 * Port of io.netty.handler.timeout.ReadTimeoutHandler (Netty 4.1). Differs: the timeout is in
 * **milliseconds** (Netty's one-argument constructor takes seconds), and each timeout raises a new
 * {@link ReadTimeoutException} naming the channel and the timeout instead of a shared singleton.
 *
 * When nothing was read for `timeoutMs`, fires a {@link ReadTimeoutException} through `exceptionCaught`
 * (to the handlers after this one) and closes the channel — once: later periods of silence before the
 * close completes raise nothing more. It is an {@link IdleStateHandler} watching reader idleness only.
 *
 * ## Threading
 * Every callback and the timer run on the channel's event loop.
 *
 * ## Pitfalls
 * Not sharable: one instance per channel. A read in progress (between `channelRead` and
 * `channelReadComplete`) counts as activity.
 *
 * @example
 * // Close connections that stay silent for 30 s.
 * ch.pipeline().addLast('readTimeout', new ReadTimeoutHandler(30_000));
 */
export class ReadTimeoutHandler extends IdleStateHandler {
  private closed = false;

  /** @param timeoutMs ms without a read before the timeout fires; ≤ 0 disables the handler. */
  constructor(timeoutMs: number) {
    super(false, normalizeTimeoutMs('timeoutMs', timeoutMs), 0, 0);
  }

  protected override channelIdle(ctx: ChannelHandlerContext, _evt: IdleStateEvent): void {
    this.readTimedOut(ctx);
  }

  /** Called when the read timeout elapsed: fires the exception and closes (once). Override to change that. */
  protected readTimedOut(ctx: ChannelHandlerContext): void {
    if (this.closed) return;
    ctx.fireExceptionCaught(new ReadTimeoutException(String(ctx.channel()), this.getReaderIdleTimeInMillis()));
    ctx.close();
    this.closed = true;
  }
}
