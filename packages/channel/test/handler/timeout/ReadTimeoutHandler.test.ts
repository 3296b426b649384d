import { describe, expect, it } from '@jest/globals';
import type { ChannelHandler, ChannelInboundHandler } from '../../../src/channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelException } from '../../../src/channel/errors';
import { ChannelTimeoutException, ReadTimeoutException } from '../../../src/handler/timeout/errors';
import { ReadTimeoutHandler } from '../../../src/handler/timeout/ReadTimeoutHandler';
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

describe('ReadTimeoutHandler', () => {
  it('fires ReadTimeoutException once through exceptionCaught and closes the channel', () => {
    const errors: Error[] = [];
    const ch = frozenChannel(new ReadTimeoutHandler(1000), exceptionRecorder(errors));
    ch.advanceTimeBy(999);
    ch.runPendingTasks();
    expect(errors).toHaveLength(0);
    expect(ch.isOpen()).toBe(true);

    ch.advanceTimeBy(1);
    ch.runPendingTasks();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ReadTimeoutException);
    expect(ch.isOpen()).toBe(false);

    ch.advanceTimeBy(10_000);
    ch.runPendingTasks();
    expect(errors).toHaveLength(1);
    expect(ch.finish()).toBe(false);
  });

  it('names the channel and the timeout, and belongs to the ChannelException family', () => {
    const errors: Error[] = [];
    const ch = frozenChannel(new ReadTimeoutHandler(250), exceptionRecorder(errors));
    const channelName = String(ch);
    ch.advanceTimeBy(250);
    ch.runPendingTasks();
    const err = errors[0] as ReadTimeoutException;
    expect(err).toBeInstanceOf(ChannelTimeoutException);
    expect(err).toBeInstanceOf(ChannelException);
    expect(err.code).toBe('SLUICE_READ_TIMEOUT');
    expect(err.timeoutMs).toBe(250);
    expect(err.channel).toBe(channelName);
    expect(err.message).toContain('250 ms');
    expect(err.message).toContain(channelName);
    ch.finish();
  });

  it('stays quiet while data keeps arriving within the timeout', () => {
    const errors: Error[] = [];
    const ch = frozenChannel(new ReadTimeoutHandler(1000), exceptionRecorder(errors));
    try {
      for (let i = 0; i < 5; i++) {
        ch.advanceTimeBy(900);
        ch.writeInbound(`msg ${i}`);
        expect(ch.readInbound()).toBe(`msg ${i}`);
      }
      expect(errors).toHaveLength(0);
      expect(ch.isOpen()).toBe(true);
      ch.advanceTimeBy(1000);
      ch.runPendingTasks();
      expect(errors).toHaveLength(1);
    } finally {
      ch.finishAndReleaseAll();
    }
  });

  it('is disabled by a timeout of 0 or less', () => {
    const errors: Error[] = [];
    const ch = frozenChannel(new ReadTimeoutHandler(0), exceptionRecorder(errors));
    expect(ch.runScheduledPendingTasks()).toBe(-1);
    ch.advanceTimeBy(1e9);
    ch.runPendingTasks();
    expect(errors).toHaveLength(0);
    expect(ch.isOpen()).toBe(true);
    ch.finish();
  });

  it('rejects a timeout that is not a finite number', () => {
    expect(() => new ReadTimeoutHandler(Number.NaN)).toThrow(/timeoutMs: NaN/);
  });
});
