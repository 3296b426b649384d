import { ChannelDuplexHandler } from '../../channel/ChannelDuplexHandler';
import type { ChannelPromise } from '../../channel/ChannelFuture';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import type { Future } from '../../concurrent/Future';
import { IllegalArgumentException } from '../../util/SluiceError';

/** Netty's DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES. */
const DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES = 256;

/** Options of {@link FlushConsolidationHandler}. */
export interface FlushConsolidationHandlerOptions {
  /**
   * Number of consolidated flushes after which one is passed on anyway, during a read or while batching
   * outside a read (default: 256; must be a positive integer).
   */
  explicitFlushAfterFlushes?: number;
  /**
   * Also consolidate flushes issued outside a read: instead of passing each flush on, queue one flush task
   * on the event loop, so flushes issued before it runs are sent together (default: false).
   */
  consolidateWhenNoReadInProgress?: boolean;
}

/**
 * Port of io.netty.handler.flush.FlushConsolidationHandler (Netty 4.1).
 *
 * Coalesces `flush()` operations (including the flush of `writeAndFlush`): each flush that reaches the
 * transport may cost a system call, so fewer, bigger flushes trade a little latency for throughput.
 * - While a read is in progress (from `channelRead` to `channelReadComplete`), flushes are held back and
 *   one flush is passed on at `channelReadComplete` — a handler that answers each request with
 *   `writeAndFlush` sends all the answers of one read in one go.
 * - Outside a read, each flush is passed on at once, unless `consolidateWhenNoReadInProgress` is set: then
 *   a flush task is queued on the event loop and every flush issued before it runs rides along.
 * - In both cases, the `explicitFlushAfterFlushes`-th held-back flush is passed on immediately.
 * - Held-back flushes are passed on before `close` and `disconnect`, when the channel turns unwritable
 *   (to free the outbound buffer), when an exception is caught, and when the handler is removed.
 *
 * ## Threading
 * Every callback runs on the channel's event loop; the queued flush task runs there too.
 *
 * ## Ownership
 * Messages and promises pass through untouched: only flushes are delayed, never writes.
 *
 * ## Pitfalls
 * - Put it first in the pipeline (closest to the head) so it sees every flush.
 * - Not sharable: it counts the flushes of one channel.
 * - A held-back flush delays the completion of the writes' promises until the flush is passed on.
 *
 * @example
 * ch.pipeline().addFirst('flushConsolidation', new FlushConsolidationHandler(256, true));
 */
export class FlushConsolidationHandler extends ChannelDuplexHandler {
  /** Netty's default for `explicitFlushAfterFlushes`: 256. */
  static readonly DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES = DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  private readonly explicitFlushAfterFlushes: number;
  private readonly consolidateWhenNoReadInProgress: boolean;
  private flushPendingCount = 0;
  private readInProgress = false;
  private ctx: ChannelHandlerContext | null = null;
  private nextScheduledFlush: Future<void> | null = null;
  // Allocated once: runs the consolidated flush unless a read took it over meanwhile.
  private readonly flushTask = (): void => {
    if (this.flushPendingCount > 0 && !this.readInProgress) {
      this.flushPendingCount = 0;
      this.nextScheduledFlush = null;
      this.ctx?.flush();
    } // else channelReadComplete flushes
  };

  /**
   * @param explicitFlushAfterFlushes flushes held back before one is passed on anyway (default 256).
   * @param consolidateWhenNoReadInProgress also batch flushes issued outside a read (default false).
   */
  constructor(explicitFlushAfterFlushes?: number, consolidateWhenNoReadInProgress?: boolean);
  constructor(options: FlushConsolidationHandlerOptions);
  constructor(first?: number | FlushConsolidationHandlerOptions, second?: boolean) {
    super();
    const options: FlushConsolidationHandlerOptions =
      typeof first === 'object' && first !== null
        ? first
        : { explicitFlushAfterFlushes: first, consolidateWhenNoReadInProgress: second };
    const after = options.explicitFlushAfterFlushes ?? DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;
    if (!Number.isInteger(after) || after <= 0) {
      throw new IllegalArgumentException(`explicitFlushAfterFlushes: ${String(after)} (expected: > 0)`);
    }
    this.explicitFlushAfterFlushes = after;
    this.consolidateWhenNoReadInProgress = options.consolidateWhenNoReadInProgress === true;
  }

  override handlerAdded(ctx: ChannelHandlerContext): void {
    this.ctx = ctx;
  }

  override flush(ctx: ChannelHandlerContext): void {
    if (this.readInProgress) {
      // channelReadComplete will come and flush; only pass on when the limit is reached.
      if (++this.flushPendingCount === this.explicitFlushAfterFlushes) this.flushNow(ctx);
    } else if (this.consolidateWhenNoReadInProgress) {
      if (++this.flushPendingCount === this.explicitFlushAfterFlushes) this.flushNow(ctx);
      else this.scheduleFlush(ctx);
    } else {
      this.flushNow(ctx);
    }
  }

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    this.readInProgress = true;
    ctx.fireChannelRead(msg);
  }

  override channelReadComplete(ctx: ChannelHandlerContext): void {
    // Possibly the last event of the read loop: flush now.
    this.resetReadAndFlushIfNeeded(ctx);
    ctx.fireChannelReadComplete();
  }

  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    // Do not strand held-back flushes.
    this.resetReadAndFlushIfNeeded(ctx);
    ctx.fireExceptionCaught(cause);
  }

  override disconnect(ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    // One last flush before the channel goes away.
    this.resetReadAndFlushIfNeeded(ctx);
    ctx.disconnect(promise);
  }

  override close(ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    this.resetReadAndFlushIfNeeded(ctx);
    ctx.close(promise);
  }

  override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    // Unwritable: send what is held back so the outbound buffer can drain.
    if (!ctx.channel().isWritable()) this.flushIfNeeded(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  override handlerRemoved(ctx: ChannelHandlerContext): void {
    this.flushIfNeeded(ctx);
  }

  private resetReadAndFlushIfNeeded(ctx: ChannelHandlerContext): void {
    this.readInProgress = false;
    this.flushIfNeeded(ctx);
  }

  private flushIfNeeded(ctx: ChannelHandlerContext): void {
    if (this.flushPendingCount > 0) this.flushNow(ctx);
  }

  private flushNow(ctx: ChannelHandlerContext): void {
    this.cancelScheduledFlush();
    this.flushPendingCount = 0;
    ctx.flush();
  }

  private scheduleFlush(ctx: ChannelHandlerContext): void {
    // Run as soon as possible, but after the tasks already queued, so more writes can join.
    if (this.nextScheduledFlush === null) this.nextScheduledFlush = ctx.channel().eventLoop().submit(this.flushTask);
  }

  private cancelScheduledFlush(): void {
    if (this.nextScheduledFlush !== null) {
      this.nextScheduledFlush.cancel();
      this.nextScheduledFlush = null;
    }
  }
}
