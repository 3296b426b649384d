import { describe, expect, it } from '@jest/globals';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { EncoderException } from '../../../src/handler/codec/errors';
import { MessageToMessageCodec } from '../../../src/handler/codec/MessageToMessageCodec';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';

class NumberCodec extends MessageToMessageCodec<string, number> {
  constructor() {
    super(
      (m): m is string => typeof m === 'string',
      (m): m is number => typeof m === 'number',
    );
  }
  protected decode(_ctx: ChannelHandlerContext, msg: string, out: unknown[]): void {
    for (const part of msg.split(',')) if (part !== '') out.push(Number(part));
  }
  protected encode(_ctx: ChannelHandlerContext, msg: number, out: unknown[]): void {
    if (msg < 0) return; // produces nothing: an error
    out.push(String(msg));
  }
}

describe('MessageToMessageCodec', () => {
  it('decodes inbound messages it accepts and forwards the rest', () => {
    const ch = new EmbeddedChannel(new NumberCodec());
    expect(ch.writeInbound('1,2', true)).toBe(true);
    expect([ch.readInbound(), ch.readInbound(), ch.readInbound()]).toEqual([1, 2, true]);
    expect(ch.finish()).toBe(false);
  });

  it('encodes outbound messages it accepts and passes the rest through', () => {
    const ch = new EmbeddedChannel(new NumberCodec());
    expect(ch.writeOutbound(3, 'x')).toBe(true);
    expect([ch.readOutbound(), ch.readOutbound()]).toEqual(['3', 'x']);
    expect(ch.finish()).toBe(false);
  });

  it('applies the encoder rule that something must be produced', () => {
    const ch = new EmbeddedChannel(new NumberCodec());
    const future = ch.writeAndFlush(-1);
    expect(future.cause()).toBeInstanceOf(EncoderException);
    expect(ch.finish()).toBe(false);
  });

  it('lets a subclass override what it accepts', () => {
    class EvenOnly extends NumberCodec {
      override acceptOutboundMessage(msg: unknown): msg is number {
        return typeof msg === 'number' && msg % 2 === 0;
      }
    }
    const ch = new EmbeddedChannel(new EvenOnly());
    ch.writeOutbound(2, 3);
    expect([ch.readOutbound(), ch.readOutbound()]).toEqual(['2', 3]);
    expect(ch.finish()).toBe(false);
  });
});
