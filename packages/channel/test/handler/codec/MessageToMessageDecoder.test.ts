import { describe, expect, it } from '@jest/globals';
import { ByteBuf } from '../../../src/buffer/ByteBuf';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelOutboundHandlerAdapter } from '../../../src/channel/ChannelOutboundHandlerAdapter';
import { DecoderException } from '../../../src/handler/codec/errors';
import { MessageToMessageDecoder } from '../../../src/handler/codec/MessageToMessageDecoder';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { buf } from './helpers';

/** Decodes a ByteBuf into its characters; '' produces nothing, '!' throws after the first character. */
class CharsDecoder extends MessageToMessageDecoder<ByteBuf> {
  constructor() {
    super(ByteBuf);
  }
  protected decode(_ctx: ChannelHandlerContext, msg: ByteBuf, out: unknown[]): void {
    for (const c of msg.toString('latin1')) {
      if (c === '!') throw new Error('bang');
      out.push(c);
    }
  }
}

describe('MessageToMessageDecoder', () => {
  it('fires every decoded message in order and releases the input', () => {
    const input = buf('abc');
    const ch = new EmbeddedChannel(new CharsDecoder());
    expect(ch.writeInbound(input)).toBe(true);
    expect([ch.readInbound(), ch.readInbound(), ch.readInbound(), ch.readInbound()]).toEqual(['a', 'b', 'c', null]);
    expect(input.refCnt()).toBe(0);
    expect(ch.finish()).toBe(false);
  });

  it('may produce nothing, consuming the input', () => {
    const input = buf();
    const ch = new EmbeddedChannel(new CharsDecoder());
    expect(ch.writeInbound(input)).toBe(false);
    expect(input.refCnt()).toBe(0);
    expect(ch.finish()).toBe(false);
  });

  it('forwards messages it does not accept', () => {
    const ch = new EmbeddedChannel(new CharsDecoder());
    expect(ch.writeInbound(7)).toBe(true);
    expect(ch.readInbound()).toBe(7);
    expect(ch.finish()).toBe(false);
  });

  it('wraps errors in DecoderException after firing what was decoded', () => {
    const input = buf('a!');
    const ch = new EmbeddedChannel(new CharsDecoder());
    const e = (() => {
      try {
        ch.writeInbound(input);
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected a failure');
    })();
    expect(e).toBeInstanceOf(DecoderException);
    expect(e.message).toBe(`Error: bang (channel: ${String(ch)})`);
    expect(ch.readInbound()).toBe('a');
    expect(input.refCnt()).toBe(0);
    expect(ch.finish()).toBe(false);
  });

  it('asks for more data when a read batch produced nothing and autoRead is off', () => {
    let reads = 0;
    const ch = new EmbeddedChannel();
    ch.config().setAutoRead(false);
    ch.pipeline().addLastHandlers(
      new (class extends ChannelOutboundHandlerAdapter {
        override read(ctx: ChannelHandlerContext): void {
          reads++;
          ctx.read();
        }
      })(),
      new CharsDecoder(),
    );
    ch.writeInbound(buf());
    expect(reads).toBe(1);
    ch.writeInbound(buf('x'));
    expect(reads).toBe(1);
    expect(ch.readInbound()).toBe('x');
    expect(ch.finish()).toBe(false);
  });
});
