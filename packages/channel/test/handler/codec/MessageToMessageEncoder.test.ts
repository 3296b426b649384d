import { describe, expect, it } from '@jest/globals';
import type { ByteBuf } from '../../../src/buffer/ByteBuf';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelOutboundHandlerAdapter } from '../../../src/channel/ChannelOutboundHandlerAdapter';
import type { ChannelPromise } from '../../../src/channel/ChannelFuture';
import { EncoderException } from '../../../src/handler/codec/errors';
import { MessageToMessageEncoder } from '../../../src/handler/codec/MessageToMessageEncoder';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { buf, text } from './helpers';

const isString = (m: unknown): m is string => typeof m === 'string';

/** Splits a string into one ByteBuf per character (or produces nothing for ''). */
class CharsEncoder extends MessageToMessageEncoder<string> {
  constructor() {
    super(isString);
  }
  protected encode(ctx: ChannelHandlerContext, msg: string, out: unknown[]): void {
    for (const c of msg) {
      if (c === '!') throw new Error('bang');
      const b = ctx.alloc().buffer(1);
      b.writeCharSequence(c, 'latin1');
      out.push(b);
    }
  }
}

/** Fails every write whose text is 'fail', succeeds the rest. */
class FailingSink extends ChannelOutboundHandlerAdapter {
  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    if (text(msg as ByteBuf) === 'b') {
      (msg as ByteBuf).release();
      promise.setFailure(new Error('sink failed'));
      return;
    }
    ctx.write(msg, promise);
  }
}

describe('MessageToMessageEncoder', () => {
  it('writes a single output with the original promise', async () => {
    const ch = new EmbeddedChannel(new CharsEncoder());
    const future = ch.writeAndFlush('a');
    await future;
    const out = ch.readOutbound<ByteBuf>()!;
    expect(text(out)).toBe('a');
    out.release();
    expect(ch.finish()).toBe(false);
  });

  it('completes the original promise once every one of several outputs is written', async () => {
    const ch = new EmbeddedChannel(new CharsEncoder());
    const future = ch.writeAndFlush('abc');
    await future;
    expect(future.isSuccess()).toBe(true);
    const parts = [1, 2, 3].map(() => ch.readOutbound<ByteBuf>()!);
    expect(parts.map(text)).toEqual(['a', 'b', 'c']);
    parts.forEach((p) => p.release());
    expect(ch.finish()).toBe(false);
  });

  it('fails the original promise when one of several outputs fails', () => {
    const ch = new EmbeddedChannel(new FailingSink(), new CharsEncoder());
    const future = ch.writeAndFlush('abc');
    expect(future.isDone()).toBe(true);
    expect(future.cause()!.message).toBe('sink failed');
    ch.releaseOutbound();
    expect(ch.finish()).toBe(false);
  });

  it('writes several outputs with the void promise when the write used it', () => {
    const ch = new EmbeddedChannel(new CharsEncoder());
    ch.writeAndFlush('xy', ch.voidPromise());
    const parts = [ch.readOutbound<ByteBuf>()!, ch.readOutbound<ByteBuf>()!];
    expect(parts.map(text)).toEqual(['x', 'y']);
    parts.forEach((p) => p.release());
    expect(ch.finish()).toBe(false);
  });

  it('fails the write when encode() produces nothing', () => {
    const ch = new EmbeddedChannel(new CharsEncoder());
    const future = ch.writeAndFlush('');
    const cause = future.cause()!;
    expect(cause).toBeInstanceOf(EncoderException);
    expect(cause.message).toContain('CharsEncoder must produce at least one message.');
    expect(ch.finish()).toBe(false);
  });

  it('releases the input and the partial output when encode() throws', () => {
    const input = buf('ignored');
    class Wrapping extends MessageToMessageEncoder<ByteBuf> {
      constructor() {
        super((m): m is ByteBuf => m === input);
      }
      protected encode(ctx: ChannelHandlerContext, _msg: ByteBuf, out: unknown[]): void {
        out.push(ctx.alloc().buffer(4).writeInt(1));
        throw new Error('halfway');
      }
    }
    const ch = new EmbeddedChannel(new Wrapping());
    const future = ch.writeAndFlush(input);
    expect(future.cause()).toBeInstanceOf(EncoderException);
    expect((future.cause()!.cause as Error).message).toBe('halfway');
    expect(input.refCnt()).toBe(0);
    expect(ch.readOutbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('passes messages it does not accept through', () => {
    const ch = new EmbeddedChannel(new CharsEncoder());
    expect(ch.writeOutbound(42)).toBe(true);
    expect(ch.readOutbound()).toBe(42);
    expect(ch.finish()).toBe(false);
  });

  it('passes the input on when encode() pushes msg.retain()', () => {
    class PassThrough extends MessageToMessageEncoder<ByteBuf> {
      constructor() {
        super((m): m is ByteBuf => typeof m === 'object' && m !== null && 'readableBytes' in m);
      }
      protected encode(_ctx: ChannelHandlerContext, msg: ByteBuf, out: unknown[]): void {
        out.push(msg.retain());
      }
    }
    const input = buf('abc');
    const ch = new EmbeddedChannel(new PassThrough());
    ch.writeOutbound(input);
    expect(ch.readOutbound()).toBe(input);
    expect(input.refCnt()).toBe(1);
    input.release();
    expect(ch.finish()).toBe(false);
  });
});
