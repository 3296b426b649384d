import { describe, expect, it } from '@jest/globals';
import type { ByteBuf } from '../../../src/buffer/ByteBuf';
import { Unpooled } from '../../../src/buffer/Unpooled';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { EncoderException } from '../../../src/handler/codec/errors';
import { MessageToByteEncoder } from '../../../src/handler/codec/MessageToByteEncoder';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { buf, bytesOf } from './helpers';

class Box {
  released = 0;
  constructor(readonly value: number) {}
  refCnt(): number {
    return 1 - this.released;
  }
  retain(): this {
    return this;
  }
  touch(): this {
    return this;
  }
  release(): boolean {
    this.released++;
    return true;
  }
}

class BoxEncoder extends MessageToByteEncoder<Box> {
  allocations: boolean[] = [];
  constructor(
    private readonly behaviour: 'int' | 'nothing' | 'throw' | 'throwEncoder' = 'int',
    preferDirect?: boolean,
  ) {
    super(Box, preferDirect);
  }
  protected override allocateBuffer(ctx: ChannelHandlerContext, msg: Box, preferDirect: boolean): ByteBuf {
    this.allocations.push(preferDirect);
    return super.allocateBuffer(ctx, msg, preferDirect);
  }
  protected encode(_ctx: ChannelHandlerContext, msg: Box, out: ByteBuf): void {
    if (this.behaviour === 'throw') throw new TypeError('cannot encode');
    if (this.behaviour === 'throwEncoder') throw new EncoderException('already wrapped');
    if (this.behaviour === 'int') out.writeInt(msg.value);
  }
}

describe('MessageToByteEncoder', () => {
  it('encodes accepted messages into a new buffer and releases the input', () => {
    const box = new Box(0x01020304);
    const ch = new EmbeddedChannel(new BoxEncoder());
    expect(ch.writeOutbound(box)).toBe(true);
    const out = ch.readOutbound<ByteBuf>()!;
    expect(bytesOf(out)).toEqual([1, 2, 3, 4]);
    out.release();
    expect(box.released).toBe(1);
    expect(ch.finish()).toBe(false);
  });

  it('writes EMPTY_BUFFER when nothing was encoded, so the promise still completes', async () => {
    const box = new Box(1);
    const ch = new EmbeddedChannel(new BoxEncoder('nothing'));
    const future = ch.writeAndFlush(box);
    await future;
    expect(future.isSuccess()).toBe(true);
    expect(ch.readOutbound()).toBe(Unpooled.EMPTY_BUFFER);
    expect(box.released).toBe(1);
    expect(ch.finish()).toBe(false);
  });

  it('passes other messages on unchanged', () => {
    const other = buf(9);
    const ch = new EmbeddedChannel(new BoxEncoder());
    expect(ch.writeOutbound(other)).toBe(true);
    expect(ch.readOutbound()).toBe(other);
    other.release();
    expect(ch.finish()).toBe(false);
  });

  it('fails the promise with EncoderException, releasing input and output, when encode() throws', () => {
    const box = new Box(1);
    const ch = new EmbeddedChannel(new BoxEncoder('throw'));
    const future = ch.writeAndFlush(box);
    const cause = future.cause()!;
    expect(cause).toBeInstanceOf(EncoderException);
    expect(cause.message).toBe(`TypeError: cannot encode (channel: ${String(ch)})`);
    expect((cause as EncoderException).code).toBe('SLUICE_ENCODER');
    expect(box.released).toBe(1);
    expect(ch.readOutbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('rethrows an EncoderException as it is', () => {
    const ch = new EmbeddedChannel(new BoxEncoder('throwEncoder'));
    const future = ch.writeAndFlush(new Box(1));
    expect(future.cause()!.message).toBe('already wrapped');
    expect(ch.finish()).toBe(false);
  });

  it('allocates with ioBuffer() unless told not to prefer direct buffers', () => {
    const direct = new BoxEncoder();
    const heap = new BoxEncoder('int', false);
    expect(direct.isPreferDirect()).toBe(true);
    expect(heap.isPreferDirect()).toBe(false);
    for (const encoder of [direct, heap]) {
      const ch = new EmbeddedChannel(encoder);
      ch.writeOutbound(new Box(7));
      ch.releaseOutbound();
      expect(ch.finish()).toBe(false);
    }
    expect(direct.allocations).toEqual([true]);
    expect(heap.allocations).toEqual([false]);
  });

  it('accepts messages by type guard', () => {
    class NumberEncoder extends MessageToByteEncoder<number> {
      constructor() {
        super((m): m is number => typeof m === 'number');
      }
      protected encode(_ctx: ChannelHandlerContext, msg: number, out: ByteBuf): void {
        out.writeByte(msg);
      }
    }
    const ch = new EmbeddedChannel(new NumberEncoder());
    ch.writeOutbound(5, 'five');
    const five = ch.readOutbound<ByteBuf>()!;
    expect(bytesOf(five)).toEqual([5]);
    five.release();
    expect(ch.readOutbound()).toBe('five');
    expect(ch.finish()).toBe(false);
  });
});
