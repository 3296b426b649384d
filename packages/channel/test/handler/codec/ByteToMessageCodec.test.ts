import { describe, expect, it } from '@jest/globals';
import type { ByteBuf } from '../../../src/buffer/ByteBuf';
import { Sharable } from '../../../src/channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ByteToMessageCodec } from '../../../src/handler/codec/ByteToMessageCodec';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { IllegalStateException } from '../../../src/util/SluiceError';
import { buf, bytesOf, takeInbound } from './helpers';

class IntCodec extends ByteToMessageCodec<number> {
  constructor() {
    super((m): m is number => typeof m === 'number');
  }
  protected encode(_ctx: ChannelHandlerContext, msg: number, out: ByteBuf): void {
    out.writeInt(msg);
  }
  protected decode(_ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    if (input.readableBytes() >= 4) out.push(input.readInt());
  }
}

describe('ByteToMessageCodec', () => {
  it('cumulates and decodes inbound bytes', () => {
    const ch = new EmbeddedChannel(new IntCodec());
    expect(ch.writeInbound(buf(0, 0), buf(0, 7, 0, 0, 0))).toBe(true);
    expect(ch.readInbound()).toBe(7);
    expect(ch.writeInbound(buf(8))).toBe(true);
    expect(ch.readInbound()).toBe(8);
    expect(ch.finish()).toBe(false);
  });

  it('encodes accepted outbound messages into bytes and passes others through', () => {
    const ch = new EmbeddedChannel(new IntCodec());
    ch.writeOutbound(0x01020304, 'other');
    const out = ch.readOutbound<ByteBuf>()!;
    expect(bytesOf(out)).toEqual([1, 2, 3, 4]);
    out.release();
    expect(ch.readOutbound()).toBe('other');
    expect(ch.finish()).toBe(false);
  });

  it('forwards undecoded bytes when removed', () => {
    const codec = new IntCodec();
    const ch = new EmbeddedChannel(codec);
    expect(ch.writeInbound(buf(1, 2))).toBe(false);
    ch.pipeline().remove(codec);
    expect(takeInbound(ch)).toEqual([1, 2]);
    expect(ch.finish()).toBe(false);
  });

  it('decodes what is left when the channel closes', () => {
    class LastInt extends IntCodec {
      protected override decodeLast(_ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
        if (input.isReadable()) out.push(`rest:${input.readableBytes()}`);
        input.skipBytes(input.readableBytes());
      }
    }
    const ch = new EmbeddedChannel(new LastInt());
    ch.writeInbound(buf(1, 2, 3));
    expect(ch.finish()).toBe(true);
    expect(ch.readInbound()).toBe('rest:3');
  });

  it('refuses to be @Sharable', () => {
    @Sharable
    class Shared extends IntCodec {}
    expect(() => new Shared()).toThrow(IllegalStateException);
  });

  it('supports single-decode mode', () => {
    const codec = new IntCodec();
    codec.setSingleDecode(true);
    expect(codec.isSingleDecode()).toBe(true);
    const ch = new EmbeddedChannel(codec);
    ch.writeInbound(buf(0, 0, 0, 1, 0, 0, 0, 2));
    expect([ch.readInbound(), ch.readInbound()]).toEqual([1, null]);
    expect(ch.finish()).toBe(true);
    expect(ch.readInbound()).toBe(2);
  });
});
