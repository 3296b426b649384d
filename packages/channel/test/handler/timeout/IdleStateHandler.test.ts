import { describe, expect, it } from '@jest/globals';
import { Unpooled } from '../../../src/buffer/Unpooled';
import { ReferenceCountUtil } from '../../../src/buffer/ReferenceCountUtil';
import type { ChannelPromise } from '../../../src/channel/ChannelFuture';
import type { ChannelHandler, ChannelInboundHandler, ChannelOutboundHandler } from '../../../src/channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import type { ChannelOutboundBuffer } from '../../../src/channel/ChannelOutboundBuffer';
import type { Runnable, ScheduledFuture } from '../../../src/concurrent/EventExecutor';
import { IdleState } from '../../../src/handler/timeout/IdleState';
import { IdleStateEvent } from '../../../src/handler/timeout/IdleStateEvent';
import { IdleStateHandler } from '../../../src/handler/timeout/IdleStateHandler';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { IllegalArgumentException } from '../../../src/util/SluiceError';

/**
 * Netty's TestableIdleStateHandler: time is a counter the test moves, and scheduling only remembers the
 * task and its delay so the test runs it by hand.
 */
class TestableIdleStateHandler extends IdleStateHandler {
  private task: Runnable | null = null;
  private delayMs = 0;
  private ticks = 0;

  /** The delay the last scheduled task asked for. */
  delay(): number {
    return this.delayMs;
  }
  run(): void {
    this.task!();
  }
  /** Advances time by the last scheduled delay (or by `ms`) and runs the task. */
  tickRun(ms: number = this.delayMs): void {
    this.tick(ms);
    this.run();
  }
  tick(ms: number): void {
    this.ticks += ms;
  }
  now(): number {
    return this.ticks;
  }
  protected override ticksInMillis(): number {
    return this.ticks;
  }
  protected override schedule(_ctx: ChannelHandlerContext, task: Runnable, delayMs: number): ScheduledFuture<void> | null {
    this.task = task;
    this.delayMs = delayMs;
    return null;
  }
}

/** Netty's ObservableChannel: flushed messages stay in the outbound buffer until `consume()`. */
class ObservableChannel extends EmbeddedChannel {
  override doWrite(_buffer: ChannelOutboundBuffer): void {
    // Keep everything queued: the peer is "slow".
  }
  consume(): unknown {
    const buf = this.unsafe().outboundBuffer();
    if (buf === null) return null;
    const msg = buf.current();
    if (msg === null) return null;
    ReferenceCountUtil.retain(msg);
    buf.remove();
    return msg;
  }
}

function eventRecorder(events: unknown[]): ChannelInboundHandler {
  return {
    userEventTriggered(_ctx: ChannelHandlerContext, evt: unknown): void {
      events.push(evt);
    },
  };
}

/**
 * A channel on a frozen virtual clock set to a whole number of milliseconds, so that sums of elapsed times
 * are exact (performance.now() is fractional, and a deadline off by one ulp would not be due yet).
 */
function frozenChannel(...handlers: ChannelHandler[]): EmbeddedChannel {
  const ch = new EmbeddedChannel({ register: false }, ...handlers);
  ch.freezeTime();
  const now = ch.embeddedEventLoop().currentTimeMillis();
  ch.advanceTimeBy(Math.ceil(now) - now);
  ch.register();
  return ch;
}

function anyIdle(handler: TestableIdleStateHandler, ...expected: IdleStateEvent[]): void {
  const events: unknown[] = [];
  const ch = new EmbeddedChannel(handler, eventRecorder(events));
  try {
    for (let i = 0; i < expected.length; i++) handler.tickRun();
    expect(events).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(events[i]).toBe(e));
  } finally {
    ch.finishAndReleaseAll();
  }
}

function anyNotIdle(handler: TestableIdleStateHandler, action: (ch: EmbeddedChannel) => void, expected: IdleStateEvent): void {
  const events: unknown[] = [];
  const ch = new EmbeddedChannel(handler, eventRecorder(events));
  try {
    handler.tick(1);
    action(ch);
    // Activity just happened: half a period later nothing fires.
    const delay = handler.delay();
    expect(delay).not.toBe(0);
    handler.tickRun(delay / 2);
    expect(events).toHaveLength(0);
    // A full period later exactly one FIRST event fires.
    handler.tickRun();
    expect(events).toEqual([expected]);
  } finally {
    ch.finishAndReleaseAll();
  }
}

describe('IdleStateEvent', () => {
  it('has six shared instances that report their state and whether they are the first', () => {
    expect(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT.state()).toBe(IdleState.READER_IDLE);
    expect(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT.isFirst()).toBe(true);
    expect(IdleStateEvent.READER_IDLE_STATE_EVENT.isFirst()).toBe(false);
    expect(IdleStateEvent.WRITER_IDLE_STATE_EVENT.state()).toBe(IdleState.WRITER_IDLE);
    expect(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT.state()).toBe(IdleState.ALL_IDLE);
    expect(String(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT)).toBe('IdleStateEvent(WRITER_IDLE, first)');
    expect(String(IdleStateEvent.ALL_IDLE_STATE_EVENT)).toBe('IdleStateEvent(ALL_IDLE)');
  });
});

describe('IdleStateHandler', () => {
  it('fires FIRST_READER_IDLE once, then READER_IDLE for each further idle period', () => {
    anyIdle(
      new TestableIdleStateHandler(false, 1000, 0, 0),
      IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT,
      IdleStateEvent.READER_IDLE_STATE_EVENT,
      IdleStateEvent.READER_IDLE_STATE_EVENT,
    );
  });

  it('fires FIRST_WRITER_IDLE once, then WRITER_IDLE for each further idle period', () => {
    anyIdle(
      new TestableIdleStateHandler(false, 0, 1000, 0),
      IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT,
      IdleStateEvent.WRITER_IDLE_STATE_EVENT,
      IdleStateEvent.WRITER_IDLE_STATE_EVENT,
    );
  });

  it('fires FIRST_ALL_IDLE once, then ALL_IDLE for each further idle period', () => {
    anyIdle(
      new TestableIdleStateHandler(false, 0, 0, 1000),
      IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT,
      IdleStateEvent.ALL_IDLE_STATE_EVENT,
      IdleStateEvent.ALL_IDLE_STATE_EVENT,
    );
  });

  // Scenario 76: activity just before the timer → half-delay tick fires nothing; full delay → one FIRST event.
  it('does not fire reader idle half a period after a read, and fires FIRST_READER_IDLE a full period after', () => {
    anyNotIdle(new TestableIdleStateHandler(false, 1000, 0, 0), (ch) => ch.writeInbound('Hello, World!'), IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
  });

  it('does not fire writer idle half a period after a write, and fires FIRST_WRITER_IDLE a full period after', () => {
    anyNotIdle(new TestableIdleStateHandler(false, 0, 1000, 0), (ch) => void ch.writeAndFlush('Hello, World!'), IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
  });

  it('counts both reads and writes as activity for all idle', () => {
    anyNotIdle(new TestableIdleStateHandler(false, 0, 0, 1000), (ch) => ch.writeInbound('Hello, World!'), IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    anyNotIdle(new TestableIdleStateHandler(false, 0, 0, 1000), (ch) => void ch.writeAndFlush('Hello, World!'), IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
  });

  // Scenario 77 (Netty #6150): with observeOutput, a slowly drained outbound buffer is not idle.
  for (const writer of [true, false]) {
    it(`suppresses ${writer ? 'writer' : 'all'} idle events while queued output keeps draining, and fires after 5 s without progress`, () => {
      const expected = writer ? IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT : IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT;
      const handler = new TestableIdleStateHandler(true, 0, writer ? 5000 : 0, writer ? 0 : 5000);
      const events: unknown[] = [];
      const ch = new ObservableChannel(handler, eventRecorder(events));
      const consumeAndRelease = (): void => {
        const msg = ch.consume();
        expect(msg).not.toBeNull();
        ReferenceCountUtil.release(msg);
      };
      try {
        // Three messages the "peer" will consume at different rates.
        ch.writeAndFlush(Unpooled.wrappedBuffer(Buffer.from([1])));
        ch.writeAndFlush(Unpooled.wrappedBuffer(Buffer.from([2])));
        ch.writeAndFlush(Unpooled.wrappedBuffer(Buffer.from([3])));

        // Baseline: nothing consumed, idle once.
        handler.tickRun();
        expect(events).toEqual([expected]);
        events.length = 0;
        expect(handler.now()).toBe(5000);

        // One message consumed after 4 s, then 2 s pass: not idle long enough.
        handler.tick(4000);
        consumeAndRelease();
        handler.tickRun(2000);
        expect(events).toHaveLength(0);
        expect(handler.now()).toBe(11000);

        // One more after 3 s, then 4 s pass: still not idle long enough.
        handler.tick(3000);
        consumeAndRelease();
        handler.tickRun(4000);
        expect(events).toHaveLength(0);
        expect(handler.now()).toBe(18000);

        // Nothing consumed for 5 s: idle.
        handler.tickRun(5000);
        expect(events).toHaveLength(1);
        expect(handler.now()).toBe(23000);
        events.length = 0;

        // The last message after 2 s, then 1 s: not idle.
        handler.tick(2000);
        consumeAndRelease();
        handler.tickRun(1000);
        expect(events).toHaveLength(0);
        expect(handler.now()).toBe(26000);

        // Nothing left to consume; 3 s + 2 s later it is idle again.
        handler.tick(3000);
        expect(ch.consume()).toBeNull();
        handler.tickRun(2000);
        expect(events).toHaveLength(1);
        expect(handler.now()).toBe(31000);
      } finally {
        ch.finishAndReleaseAll();
      }
    });
  }

  it('fires on the virtual clock of EmbeddedChannel, once per period, and a read resets the first flag', () => {
    const events: unknown[] = [];
    const ch = frozenChannel(new IdleStateHandler(1000, 0, 0), eventRecorder(events));
    try {
      ch.advanceTimeBy(999);
      ch.runPendingTasks();
      expect(events).toHaveLength(0);
      ch.advanceTimeBy(1);
      ch.runPendingTasks();
      expect(events).toEqual([IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT]);
      ch.advanceTimeBy(1000);
      ch.runPendingTasks();
      expect(events).toEqual([IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT, IdleStateEvent.READER_IDLE_STATE_EVENT]);

      // Activity: the next idleness is a FIRST one again, a full period after the read.
      events.length = 0;
      ch.advanceTimeBy(500);
      ch.writeInbound('ping');
      expect(ch.readInbound()).toBe('ping');
      ch.advanceTimeBy(500);
      ch.runPendingTasks();
      expect(events).toHaveLength(0);
      ch.advanceTimeBy(499);
      ch.runPendingTasks();
      expect(events).toHaveLength(0);
      ch.advanceTimeBy(1); // a full period after the read
      ch.runPendingTasks();
      expect(events).toEqual([IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT]);
    } finally {
      ch.finishAndReleaseAll();
    }
  });

  it('treats the channel as reading between channelRead and channelReadComplete', () => {
    const events: unknown[] = [];
    const ch = frozenChannel(new IdleStateHandler(0, 0, 1000), eventRecorder(events));
    try {
      ch.writeOneInbound('started'); // no channelReadComplete yet
      ch.advanceTimeBy(5000);
      ch.runPendingTasks();
      expect(events).toHaveLength(0);
      ch.flushInbound(); // read complete: idleness counts from here
      ch.advanceTimeBy(1000);
      ch.runPendingTasks();
      expect(events).toEqual([IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT]);
      ch.releaseInbound();
    } finally {
      ch.finishAndReleaseAll();
    }
  });

  it('schedules nothing for values of 0 or less and reports them as 0', () => {
    const handler = new IdleStateHandler(0, -5, 0);
    expect([handler.getReaderIdleTimeInMillis(), handler.getWriterIdleTimeInMillis(), handler.getAllIdleTimeInMillis()]).toEqual([0, 0, 0]);
    const events: unknown[] = [];
    const ch = frozenChannel(handler, eventRecorder(events));
    try {
      expect(ch.runScheduledPendingTasks()).toBe(-1);
      ch.advanceTimeBy(1e9);
      ch.runPendingTasks();
      expect(events).toHaveLength(0);
    } finally {
      ch.finishAndReleaseAll();
    }
  });

  it('raises positive values below 1 ms to 1 ms and takes an options object', () => {
    const handler = new IdleStateHandler({ readerIdleTimeMs: 0.25, allIdleTimeMs: 2500 });
    expect(handler.getReaderIdleTimeInMillis()).toBe(1);
    expect(handler.getWriterIdleTimeInMillis()).toBe(0);
    expect(handler.getAllIdleTimeInMillis()).toBe(2500);
  });

  it('rejects times that are not finite numbers', () => {
    expect(() => new IdleStateHandler(Number.NaN, 0, 0)).toThrow(IllegalArgumentException);
    expect(() => new IdleStateHandler(0, Number.POSITIVE_INFINITY, 0)).toThrow(/writerIdleTimeMs: Infinity/);
    expect(() => new IdleStateHandler({ allIdleTimeMs: '5' as unknown as number })).toThrow(IllegalArgumentException);
  });

  it('cancels its timers when removed from the pipeline', () => {
    const events: unknown[] = [];
    const handler = new IdleStateHandler(1000, 1000, 1000);
    const ch = frozenChannel(handler, eventRecorder(events));
    try {
      expect(ch.runScheduledPendingTasks()).toBe(1000);
      ch.pipeline().remove(handler);
      expect(ch.runScheduledPendingTasks()).toBe(-1);
      ch.advanceTimeBy(5000);
      ch.runPendingTasks();
      expect(events).toHaveLength(0);
    } finally {
      ch.finishAndReleaseAll();
    }
  });

  it('stops firing once the channel is inactive', () => {
    const events: unknown[] = [];
    const handler = new TestableIdleStateHandler(false, 1000, 0, 0);
    const ch = new EmbeddedChannel(handler, eventRecorder(events));
    ch.close();
    handler.tickRun();
    expect(events).toHaveLength(0);
    expect(ch.finish()).toBe(false);
  });

  it('starts its timers when added to a channel that is already active', () => {
    const events: unknown[] = [];
    const ch = frozenChannel(eventRecorder(events));
    try {
      ch.pipeline().addFirst(null, new IdleStateHandler(0, 100, 0));
      ch.advanceTimeBy(100);
      ch.runPendingTasks();
      expect(events).toEqual([IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT]);
    } finally {
      ch.finishAndReleaseAll();
    }
  });

  it('observes writes made with the void promise', () => {
    const events: unknown[] = [];
    const ch = frozenChannel(new IdleStateHandler(0, 1000, 0), eventRecorder(events));
    try {
      ch.advanceTimeBy(800);
      expect(() => ch.writeAndFlush('void write', ch.voidPromise())).not.toThrow();
      ch.runPendingTasks();
      expect(ch.readOutbound()).toBe('void write');
      ch.advanceTimeBy(200);
      ch.runPendingTasks();
      expect(events).toHaveLength(0); // the write at 800 ms reset the writer timer
      ch.advanceTimeBy(800);
      ch.runPendingTasks();
      expect(events).toEqual([IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT]);
    } finally {
      ch.finishAndReleaseAll();
    }
  });

  it('passes void-promise writes on unchanged when only reader idleness is watched', () => {
    const seen: unknown[] = [];
    const spy: ChannelOutboundHandler = {
      write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
        seen.push(promise.isVoid());
        ctx.write(msg, promise);
      },
    };
    const ch = frozenChannel(spy, new IdleStateHandler(1000, 0, 0));
    try {
      ch.writeAndFlush('x', ch.voidPromise());
      expect(seen).toEqual([true]);
      expect(ch.readOutbound()).toBe('x');
    } finally {
      ch.finishAndReleaseAll();
    }
  });

  it('fires an exception thrown by channelIdle through exceptionCaught', () => {
    const boom = new Error('boom');
    class Throwing extends IdleStateHandler {
      protected override channelIdle(): void {
        throw boom;
      }
    }
    const ch = frozenChannel(new Throwing(100, 0, 0));
    try {
      ch.advanceTimeBy(100);
      ch.runPendingTasks();
      expect(() => ch.checkException()).toThrow(boom);
    } finally {
      ch.finishAndReleaseAll();
    }
  });
});
