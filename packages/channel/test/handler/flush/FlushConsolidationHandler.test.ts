import { describe, expect, it } from '@jest/globals';
import type { ChannelInboundHandler, ChannelOutboundHandler } from '../../../src/channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { FlushConsolidationHandler } from '../../../src/handler/flush/FlushConsolidationHandler';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { IllegalArgumentException, IllegalStateException } from '../../../src/util/SluiceError';

const EXPLICIT_FLUSH_AFTER_FLUSHES = 3;

interface Counted {
  ch: EmbeddedChannel;
  flushes: () => number;
  handler: FlushConsolidationHandler;
}

/**
 * [flush counter (next to the head)] → [FlushConsolidationHandler] → [echo: writeAndFlush every read].
 * The counter sees exactly the flushes that get past the consolidation handler.
 */
function newChannel(consolidateWhenNoReadInProgress: boolean): Counted {
  let count = 0;
  const counter: ChannelOutboundHandler = {
    flush(ctx: ChannelHandlerContext): void {
      count++;
      ctx.flush();
    },
  };
  const echo: ChannelInboundHandler = {
    channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
      ctx.writeAndFlush(msg);
    },
  };
  const handler = new FlushConsolidationHandler(EXPLICIT_FLUSH_AFTER_FLUSHES, consolidateWhenNoReadInProgress);
  return { ch: new EmbeddedChannel(counter, handler, echo), flushes: () => count, handler };
}

describe('FlushConsolidationHandler', () => {
  it('batches flushes outside a read into one queued flush task', () => {
    const { ch, flushes } = newChannel(true);
    ch.eventLoop().execute(() => {
      ch.flush();
      expect(flushes()).toBe(0);
      ch.flush();
      expect(flushes()).toBe(0);
    });
    ch.runPendingTasks();
    expect(flushes()).toBe(1);
    expect(ch.finish()).toBe(false);
  });

  it('passes a flush on at once when the threshold is reached outside a read', () => {
    const { ch, flushes } = newChannel(true);
    ch.eventLoop().execute(() => {
      for (let i = 0; i < EXPLICIT_FLUSH_AFTER_FLUSHES; i++) ch.flush();
      expect(flushes()).toBe(1);
    });
    ch.runPendingTasks();
    expect(flushes()).toBe(1); // the queued task found nothing left to flush
    expect(ch.finish()).toBe(false);
  });

  it('passes every flush on at once outside a read by default', () => {
    const { ch, flushes } = newChannel(false);
    ch.flush();
    expect(flushes()).toBe(1);
    ch.flush();
    expect(flushes()).toBe(2);
    expect(ch.finish()).toBe(false);
  });

  it('holds flushes back during a read and flushes once at channelReadComplete', () => {
    const { ch, flushes } = newChannel(false);
    ch.flush();
    ch.runPendingTasks();
    expect(flushes()).toBe(1);

    ch.pipeline().fireChannelRead(1);
    expect(flushes()).toBe(1);
    ch.pipeline().fireChannelRead(2);
    expect(flushes()).toBe(1);
    expect(ch.readOutbound()).toBeNull();
    ch.pipeline().fireChannelReadComplete();
    expect(flushes()).toBe(2);

    ch.flush();
    ch.runPendingTasks();
    expect(flushes()).toBe(3);
    expect(ch.readOutbound()).toBe(1);
    expect(ch.readOutbound()).toBe(2);
    expect(ch.readOutbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('passes a flush on during a read once explicitFlushAfterFlushes flushes were held back', () => {
    const { ch, flushes } = newChannel(false);
    for (let i = 1; i <= 7; i++) ch.pipeline().fireChannelRead(i);
    expect(flushes()).toBe(2); // after the 3rd and the 6th
    expect(ch.outboundMessages()).toEqual([1, 2, 3, 4, 5, 6]);
    ch.pipeline().fireChannelReadComplete();
    expect(flushes()).toBe(3);
    expect(ch.outboundMessages()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    ch.releaseOutbound();
    expect(ch.finish()).toBe(false);
  });

  it('flushes held-back data before close', () => {
    const { ch, flushes } = newChannel(false);
    ch.pipeline().fireChannelRead(1);
    expect(flushes()).toBe(0);
    expect(ch.readOutbound()).toBeNull();
    ch.close();
    expect(flushes()).toBe(1);
    expect(ch.readOutbound()).toBe(1);
    expect(ch.readOutbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('flushes held-back data before disconnect', () => {
    const { ch, flushes } = newChannel(false);
    ch.pipeline().fireChannelRead(1);
    expect(flushes()).toBe(0);
    ch.disconnect();
    expect(flushes()).toBe(1);
    expect(ch.readOutbound()).toBe(1);
    expect(ch.readOutbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('flushes held-back data when an exception is caught', () => {
    const { ch, flushes } = newChannel(false);
    ch.pipeline().fireChannelRead(1);
    expect(flushes()).toBe(0);
    ch.pipeline().fireExceptionCaught(new IllegalStateException('test'));
    expect(flushes()).toBe(1);
    expect(ch.readOutbound()).toBe(1);
    expect(ch.readOutbound()).toBeNull();
    expect(() => ch.finish()).toThrow(IllegalStateException);
  });

  it('flushes held-back data when removed', () => {
    const { ch, flushes, handler } = newChannel(false);
    ch.pipeline().fireChannelRead(1);
    expect(flushes()).toBe(0);
    ch.pipeline().remove(handler);
    expect(flushes()).toBe(1);
    expect(ch.readOutbound()).toBe(1);
    expect(ch.readOutbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('flushes held-back data when the channel turns unwritable', () => {
    const { ch, flushes } = newChannel(false);
    ch.pipeline().fireChannelRead(1);
    expect(flushes()).toBe(0);
    const outbound = ch.unsafe().outboundBuffer()!;
    outbound.setUserDefinedWritability(1, false); // fires channelWritabilityChanged as a task
    ch.runPendingTasks();
    expect(ch.isWritable()).toBe(false);
    expect(flushes()).toBe(1);
    expect(ch.readOutbound()).toBe(1);
    outbound.setUserDefinedWritability(1, true);
    ch.runPendingTasks();
    ch.pipeline().fireChannelReadComplete();
    expect(flushes()).toBe(1); // nothing was left to flush
    expect(ch.finish()).toBe(false);
  });

  // Netty #9923: a write issued from the listener of a consolidated flush is not lost.
  it('sends a write issued from the completion listener of an earlier write', () => {
    const { ch } = newChannel(true);
    ch.writeAndFlush(1).addListener(() => void ch.writeAndFlush(1));
    ch.flushOutbound();
    expect(ch.readOutbound()).toBe(1);
    expect(ch.readOutbound()).toBe(1);
    expect(ch.readOutbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('takes an options object and validates explicitFlushAfterFlushes', () => {
    expect(() => new FlushConsolidationHandler({ explicitFlushAfterFlushes: 0 })).toThrow(IllegalArgumentException);
    expect(() => new FlushConsolidationHandler(1.5)).toThrow(/explicitFlushAfterFlushes: 1.5/);
    expect(() => new FlushConsolidationHandler({ consolidateWhenNoReadInProgress: true })).not.toThrow();
    expect(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES).toBe(256);
  });
});
