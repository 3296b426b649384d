import { describe, expect, it } from '@jest/globals';
import type { Channel } from '../../../src/channel/Channel';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../../src/channel/ChannelInboundHandlerAdapter';
import { ChannelOutboundHandlerAdapter } from '../../../src/channel/ChannelOutboundHandlerAdapter';
import type { ChannelPromise } from '../../../src/channel/ChannelFuture';
import { ClosedChannelException } from '../../../src/channel/errors';
import { ChannelInitializer } from '../../../src/bootstrap/ChannelInitializer';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { CountedMessage } from '../../channel/TestUtil';

describe('EmbeddedChannel', () => {
  it('completes close() when a closeFuture listener calls close again', async () => {
    const ch = new EmbeddedChannel();
    ch.closeFuture().addListener((f) => void f.channel().close());
    await ch.close();
    expect(ch.isOpen()).toBe(false);
  });

  it('puts the initializer\'s handler first and delivers two messages per read in order', () => {
    class TwoPerRead extends ChannelInboundHandlerAdapter {
      override channelRead(ctx: ChannelHandlerContext, m: unknown): void {
        ctx.fireChannelRead(`${String(m)}-1`);
        ctx.fireChannelRead(`${String(m)}-2`);
      }
    }
    const handler = new TwoPerRead();
    const ch = new EmbeddedChannel(
      new (class extends ChannelInitializer {
        protected initChannel(c: Channel): void {
          c.pipeline().addLast(null, handler);
        }
      })(),
    );
    expect(ch.pipeline().firstContext()?.handler()).toBe(handler);
    ch.writeInbound('m');
    expect(ch.readInbound()).toBe('m-1');
    expect(ch.readInbound()).toBe('m-2');
    ch.finish();
  });

  it('cancels a task scheduled far ahead on finish()', () => {
    const ch = new EmbeddedChannel();
    const f = ch.eventLoop().schedule(() => undefined, 24 * 3600 * 1000);
    ch.finish();
    expect(f.isCancelled()).toBe(true);
  });

  it('runs channelInactive, a task queued from it, and channelUnregistered on close and disconnect', () => {
    for (const op of ['close', 'disconnect'] as const) {
      const events: string[] = [];
      class Watch extends ChannelInboundHandlerAdapter {
        override channelInactive(ctx: ChannelHandlerContext): void {
          events.push('inactive');
          ctx.executor().execute(() => events.push('task'));
        }
        override channelUnregistered(): void {
          events.push('unregistered');
        }
      }
      const ch = new EmbeddedChannel(new Watch());
      ch[op]();
      // All three run before close() returns; the task queued from channelInactive runs after the
      // deregistration task that fired channelInactive and channelUnregistered.
      expect(events).toEqual(['inactive', 'unregistered', 'task']);
    }
  });

  it('routes disconnect to the handler as DISCONNECT only when hasDisconnect is true', () => {
    for (const hasDisconnect of [true, false]) {
      const ops: string[] = [];
      class Ops extends ChannelOutboundHandlerAdapter {
        override disconnect(ctx: ChannelHandlerContext, p: ChannelPromise): void {
          ops.push('DISCONNECT');
          ctx.disconnect(p);
        }
        override close(ctx: ChannelHandlerContext, p: ChannelPromise): void {
          ops.push('CLOSE');
          ctx.close(p);
        }
      }
      const ch = new EmbeddedChannel({ hasDisconnect }, new Ops());
      ch.disconnect();
      expect(ops).toEqual([hasDisconnect ? 'DISCONNECT' : 'CLOSE']);
      expect(ch.isOpen()).toBe(hasDisconnect);
      ch.close();
    }
  });

  it('finishAndReleaseAll releases what is left in both queues', () => {
    const ch = new EmbeddedChannel();
    const a = new CountedMessage();
    const b = new CountedMessage();
    ch.writeInbound(a);
    ch.writeOutbound(b);
    expect(ch.finishAndReleaseAll()).toBe(true);
    expect(a.refCnt()).toBe(0);
    expect(b.refCnt()).toBe(0);
    expect(ch.inboundMessages()).toHaveLength(0);
    expect(ch.outboundMessages()).toHaveLength(0);
  });

  it('releaseInbound/releaseOutbound release only their side', () => {
    const ch = new EmbeddedChannel();
    const a = new CountedMessage();
    const b = new CountedMessage();
    ch.writeInbound(a);
    ch.writeOutbound(b);
    expect(ch.releaseInbound()).toBe(true);
    expect(a.refCnt()).toBe(0);
    expect(b.refCnt()).toBe(1);
    expect(ch.releaseOutbound()).toBe(true);
    expect(b.refCnt()).toBe(0);
    expect(ch.releaseOutbound()).toBe(false);
    ch.finish();
  });

  it('still reports writeOutbound true when an outbound handler defers ctx.write to a task', () => {
    class Deferring extends ChannelOutboundHandlerAdapter {
      override write(ctx: ChannelHandlerContext, m: unknown, p: ChannelPromise): void {
        ctx.executor().execute(() => ctx.write(m, p));
      }
    }
    const ch = new EmbeddedChannel(new Deferring());
    expect(ch.writeOutbound('x')).toBe(true);
    expect(ch.readOutbound()).toBe('x');
    ch.finish();
  });

  it('writeOneInbound fires no channelReadComplete; flushInbound does; same for outbound flush', () => {
    const events: string[] = [];
    class Watch extends ChannelInboundHandlerAdapter {
      override channelReadComplete(ctx: ChannelHandlerContext): void {
        events.push('readComplete');
        ctx.fireChannelReadComplete();
      }
    }
    class FlushWatch extends ChannelOutboundHandlerAdapter {
      override flush(ctx: ChannelHandlerContext): void {
        events.push('flush');
        ctx.flush();
      }
    }
    const ch = new EmbeddedChannel(new Watch(), new FlushWatch());
    ch.writeOneInbound('a');
    expect(events).toEqual([]);
    ch.flushInbound();
    expect(events).toEqual(['readComplete']);
    ch.writeOneOutbound('b');
    expect(ch.readOutbound()).toBeNull();
    ch.flushOutbound();
    expect(events).toEqual(['readComplete', 'flush']);
    expect(ch.readOutbound()).toBe('b');
    expect(ch.readInbound()).toBe('a');
    ch.finish();
  });

  it('throws ClosedChannelException from writeInbound/writeOutbound after close', () => {
    const ch = new EmbeddedChannel();
    ch.close();
    expect(() => ch.writeInbound('x')).toThrow(ClosedChannelException);
    expect(() => ch.writeOutbound('x')).toThrow(ClosedChannelException);
  });

  it('runs scheduled tasks by virtual time: advanceTimeBy runs only those due', () => {
    const ch = new EmbeddedChannel();
    ch.freezeTime();
    const ran: string[] = [];
    ch.eventLoop().schedule(() => ran.push('10min'), 10 * 60_000);
    ch.eventLoop().schedule(() => ran.push('20min'), 20 * 60_000);
    expect(ch.hasPendingTasks()).toBe(false);
    ch.advanceTimeBy(10 * 60_000);
    expect(ch.hasPendingTasks()).toBe(true);
    ch.runPendingTasks();
    expect(ran).toEqual(['10min']);
    ch.advanceTimeBy(10 * 60_000);
    ch.runPendingTasks();
    expect(ran).toEqual(['10min', '20min']);
    ch.finish();
  });

  it('rethrows the first recorded exception once, from checkException', () => {
    const ch = new EmbeddedChannel();
    ch.pipeline().fireExceptionCaught(new Error('first'));
    ch.pipeline().fireExceptionCaught(new Error('second'));
    expect(() => ch.checkException()).toThrow('first');
    expect(() => ch.checkException()).not.toThrow();
    ch.finish();
  });

  it('prints its id and addresses as "embedded"', () => {
    const ch = new EmbeddedChannel();
    expect(ch.id().asShortText()).toBe('embedded');
    expect(String(ch.localAddress())).toBe('embedded');
    expect(String(ch)).toBe('[id: 0xembedded, L:embedded - R:embedded]');
    ch.finish();
  });
});
