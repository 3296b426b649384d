import { describe, expect, it } from '@jest/globals';
import type { ChannelHandler, ChannelInboundHandler } from '../../../src/channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ClosedChannelException } from '../../../src/channel/errors';
import { WriteTimeoutException } from '../../../src/handler/timeout/errors';
import { WriteTimeoutHandler } from '../../../src/handler/timeout/WriteTimeoutHandler';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';

function exceptionRecorder(errors: Error[]): ChannelInboundHandler {
  return {
    exceptionCaught(_ctx: ChannelHandlerContext, cause: Error): void {
      errors.push(cause);
    },
  };
}

/** A channel on a frozen virtual clock set to a whole number of milliseconds, so elapsed times are exact. */
function frozenChannel(...handlers: ChannelHandler[]): EmbeddedChannel {
  const ch = new EmbeddedChannel({ register: false }, ...handlers);
  ch.freezeTime();
  const now = ch.embeddedEventLoop().currentTimeMillis();
  ch.advanceTimeBy(Math.ceil(now) - now);
  ch.register();
  return ch;
}

describe('WriteTimeoutHandler', () => {
  it('fails a write that does not complete in time with WriteTimeoutException and closes the channel', () => {
    const errors: Error[] = [];
    const ch = frozenChannel(new WriteTimeoutHandler(1000), exceptionRecorder(errors));
    const future = ch.writeOneOutbound('never flushed');
    ch.advanceTimeBy(999);
    ch.runPendingTasks();
    expect(errors).toHaveLength(0);
    expect(future.isDone()).toBe(false);

    ch.advanceTimeBy(1);
    ch.runPendingTasks();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(WriteTimeoutException);
    expect((errors[0] as WriteTimeoutException).timeoutMs).toBe(1000);
    expect(ch.isOpen()).toBe(false);
    // The late write itself fails with the close (Netty #2159).
    expect(future.isDone()).toBe(true);
    expect(future.cause()).toBeInstanceOf(ClosedChannelException);
    expect(ch.finish()).toBe(false);
  });

  it('raises the exception only once when several writes time out', () => {
    const errors: Error[] = [];
    const ch = frozenChannel(new WriteTimeoutHandler(100), exceptionRecorder(errors));
    ch.writeOneOutbound('a');
    ch.advanceTimeBy(10);
    ch.writeOneOutbound('b');
    ch.advanceTimeBy(200);
    ch.runPendingTasks();
    expect(errors).toHaveLength(1);
    expect(ch.finish()).toBe(false);
  });

  it('cancels the timer when the write completes', () => {
    const errors: Error[] = [];
    const ch = frozenChannel(new WriteTimeoutHandler(1000), exceptionRecorder(errors));
    try {
      const future = ch.writeAndFlush('sent');
      expect(future.isSuccess()).toBe(true);
      expect(ch.runScheduledPendingTasks()).toBe(-1);
      ch.advanceTimeBy(5000);
      ch.runPendingTasks();
      expect(errors).toHaveLength(0);
      expect(ch.readOutbound()).toBe('sent');
    } finally {
      ch.finishAndReleaseAll();
    }
  });

  it('times writes made with the void promise, whose failure still reaches exceptionCaught', () => {
    const errors: Error[] = [];
    const ch = frozenChannel(new WriteTimeoutHandler(100), exceptionRecorder(errors));
    expect(() => ch.writeOneOutbound('void write', ch.voidPromise())).not.toThrow();
    ch.advanceTimeBy(100);
    ch.runPendingTasks();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(WriteTimeoutException);
    // The close failed the write; with a void promise that failure is fired through the pipeline.
    expect(errors[1]).toBeInstanceOf(ClosedChannelException);
    expect(ch.finish()).toBe(false);
  });

  it('cancels every pending timer when removed', () => {
    const errors: Error[] = [];
    const handler = new WriteTimeoutHandler(100);
    const ch = frozenChannel(handler, exceptionRecorder(errors));
    ch.writeOneOutbound('a');
    ch.writeOneOutbound('b');
    expect(ch.runScheduledPendingTasks()).toBe(100);
    ch.pipeline().remove(handler);
    expect(ch.runScheduledPendingTasks()).toBe(-1);
    ch.advanceTimeBy(1000);
    ch.runPendingTasks();
    expect(errors).toHaveLength(0);
    ch.flushOutbound();
    expect(ch.readOutbound()).toBe('a');
    expect(ch.readOutbound()).toBe('b');
    expect(ch.finish()).toBe(false);
  });

  it('passes writes straight on when disabled', () => {
    const handler = new WriteTimeoutHandler(-1);
    expect(handler.getTimeoutMillis()).toBe(0);
    const ch = frozenChannel(handler);
    ch.writeOneOutbound('x');
    expect(ch.runScheduledPendingTasks()).toBe(-1);
    ch.flushOutbound();
    expect(ch.readOutbound()).toBe('x');
    expect(ch.finish()).toBe(false);
  });
});
