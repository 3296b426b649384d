import { describe, expect, it } from '@jest/globals';
import type { ChannelHandlerContext } from '../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../src/channel/ChannelInboundHandlerAdapter';
import { ChannelOutboundBuffer } from '../../src/channel/ChannelOutboundBuffer';
import { ChannelOutboundHandlerAdapter } from '../../src/channel/ChannelOutboundHandlerAdapter';
import type { ChannelPromise } from '../../src/channel/ChannelFuture';
import { DefaultEventLoopGroup } from '../../src/concurrent/DefaultEventLoopGroup';
import { WriteBufferWaterMark } from '../../src/channel/WriteBufferWaterMark';
import { IllegalArgumentException } from '../../src/util/SluiceError';
import { EmbeddedChannel } from '../../src/transport/embedded/EmbeddedChannel';
import { CountedMessage } from './TestUtil';

class WritabilityRecorder extends ChannelInboundHandlerAdapter {
  log = '';
  override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    this.log += `${ctx.channel().isWritable()} `;
    ctx.fireChannelWritabilityChanged();
  }
}

/** Sizes every message as its `label.length` (so tests control the pending bytes exactly). */
const sizeOf = { size: (m: unknown) => (m instanceof CountedMessage ? Number(m.label) : 8) };

function newChannel(low: number, high: number): { ch: EmbeddedChannel; rec: WritabilityRecorder; buf: ChannelOutboundBuffer } {
  const rec = new WritabilityRecorder();
  const ch = new EmbeddedChannel(rec);
  ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(low, high)).setMessageSizeEstimator(sizeOf);
  return { ch, rec, buf: ch.unsafe().outboundBuffer()! };
}

describe('ChannelOutboundBuffer', () => {
  it('follows Netty\'s water-mark numbers: unwritable above high, writable below low (hysteresis)', () => {
    const { ch, rec, buf } = newChannel(128 + 96, 256 + 96);
    const msgs = [new CountedMessage('128'), new CountedMessage('2'), new CountedMessage('127')];
    buf.addMessage(msgs[0], 128, ch.unsafe().voidPromise());
    expect(buf.totalPendingWriteBytes()).toBe(224);
    buf.addMessage(msgs[1], 2, ch.unsafe().voidPromise());
    expect(buf.totalPendingWriteBytes()).toBe(322);
    expect(rec.log).toBe('');
    buf.addFlush();
    buf.addMessage(msgs[2], 127, ch.unsafe().voidPromise());
    expect(buf.totalPendingWriteBytes()).toBe(545);
    expect(rec.log).toBe('false ');
    expect(ch.isWritable()).toBe(false);
    buf.remove();
    expect(buf.totalPendingWriteBytes()).toBe(321);
    expect(rec.log).toBe('false ');
    buf.remove();
    expect(rec.log).toBe('false true ');
    expect(buf.totalPendingWriteBytes()).toBe(223);
    expect(msgs[0]!.refCnt()).toBe(0);
    expect(msgs[1]!.refCnt()).toBe(0);
    ch.finish();
    expect(msgs[2]!.refCnt()).toBe(0); // unflushed: released by close
  });

  it('counts user-defined writability flags and fires only on whole-mask transitions', () => {
    const { ch, rec, buf } = newChannel(32, 64);
    for (let i = 1; i <= 31; i++) expect(buf.getUserDefinedWritability(i)).toBe(true);
    buf.setUserDefinedWritability(1, false);
    ch.runPendingTasks();
    expect(rec.log).toBe('false ');
    buf.setUserDefinedWritability(2, false);
    ch.runPendingTasks();
    expect(rec.log).toBe('false ');
    buf.setUserDefinedWritability(1, true);
    buf.setUserDefinedWritability(2, true);
    ch.runPendingTasks();
    expect(rec.log).toBe('false true ');
    expect(() => buf.setUserDefinedWritability(0, true)).toThrow(IllegalArgumentException);
    expect(() => buf.setUserDefinedWritability(32, true)).toThrow('index: 32 (expected: 1~31)');
    ch.finish();
  });

  it('does not fire on water-mark crossings while a user flag keeps the channel unwritable', () => {
    const { ch, rec, buf } = newChannel(128, 256);
    const m = new CountedMessage('257');
    ch.write(m);
    expect(rec.log).toBe('false ');
    buf.setUserDefinedWritability(1, false);
    ch.runPendingTasks();
    expect(rec.log).toBe('false ');
    ch.flush();
    expect(buf.totalPendingWriteBytes()).toBe(0);
    expect(rec.log).toBe('false ');
    buf.setUserDefinedWritability(1, true);
    ch.runPendingTasks();
    expect(rec.log).toBe('false true ');
    ch.readOutbound<CountedMessage>()!.release();
    ch.finish();
  });

  it('reports bytesBeforeUnwritable and bytesBeforeWritable', () => {
    const { ch, buf } = newChannel(100, 200);
    expect(ch.bytesBeforeUnwritable()).toBe(200);
    buf.addMessage(new CountedMessage('50'), 50, ch.unsafe().voidPromise());
    expect(ch.bytesBeforeUnwritable()).toBe(200 - 146);
    buf.addMessage(new CountedMessage('60'), 60, ch.unsafe().voidPromise());
    expect(ch.isWritable()).toBe(false);
    expect(ch.bytesBeforeUnwritable()).toBe(0);
    expect(ch.bytesBeforeWritable()).toBe(146 + 156 - 100);
    ch.finish();
  });

  it('hands flushed messages to async transports in order with nextUnsent and keeps them pending until removed', () => {
    const { ch, buf } = newChannel(1000, 2000);
    const [a, b, c] = [new CountedMessage('1'), new CountedMessage('1'), new CountedMessage('1')];
    buf.addMessage(a, 1, ch.unsafe().voidPromise());
    buf.addMessage(b, 1, ch.unsafe().voidPromise());
    buf.addFlush();
    buf.addMessage(c, 1, ch.unsafe().voidPromise());
    expect(buf.nextUnsent()).toBe(a);
    expect(buf.nextUnsent()).toBe(b);
    expect(buf.nextUnsent()).toBeNull(); // c is not flushed
    expect(buf.size()).toBe(2);
    buf.addFlush();
    expect(buf.nextUnsent()).toBe(c);
    buf.remove();
    buf.remove();
    buf.remove();
    expect(buf.isEmpty()).toBe(true);
    expect([a, b, c].every((m) => m.refCnt() === 0)).toBe(true);
    ch.finish();
  });

  it('fails writes to a closed channel fast with ClosedChannelException and releases the message', () => {
    const ch = new EmbeddedChannel();
    ch.close();
    const m = new CountedMessage();
    const f = ch.write(m);
    expect(f.cause()?.name).toBe('ClosedChannelException');
    expect(m.refCnt()).toBe(0);
  });

  it('counts writes queued from outside the loop towards writability (Netty #1697)', async () => {
    const group = new DefaultEventLoopGroup();
    const loop = group.next();
    // A handler on another executor forces the write to be queued as a task.
    const { ch, buf } = newChannel(10, 100);
    class OnOtherLoop extends ChannelOutboundHandlerAdapter {
      override write(ctx: ChannelHandlerContext, m: unknown, p: ChannelPromise): void {
        ctx.write(m, p);
      }
    }
    ch.pipeline().addFirst(group, 'other', new OnOtherLoop());
    await loop.submit(() => undefined); // handlerAdded ran on the other loop
    const m = new CountedMessage('200');
    ch.write(m); // from the tail: the next outbound handler runs on the other loop
    expect(buf.totalPendingWriteBytes()).toBeGreaterThan(0);
    await loop.submit(() => undefined);
    ch.runPendingTasks();
    expect(buf.totalPendingWriteBytes()).toBe(200 + 96);
    ch.flush(); // queued too: the handler on the other loop is next in line
    await loop.submit(() => undefined);
    ch.readOutbound<CountedMessage>()!.release();
    ch.finish();
    await group.shutdownGracefully(0, 10);
  });
});
