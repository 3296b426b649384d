import { describe, expect, it } from '@jest/globals';
import { ByteBuf } from '../../../src/buffer/ByteBuf';
import type { ByteBufAllocator } from '../../../src/buffer/ByteBufAllocator';
import { CompositeByteBuf } from '../../../src/buffer/CompositeByteBuf';
import { Unpooled } from '../../../src/buffer/Unpooled';
import { UnpooledByteBufAllocator } from '../../../src/buffer/UnpooledByteBufAllocator';
import { UnpooledHeapByteBuf } from '../../../src/buffer/UnpooledHeapByteBuf';
import { ChannelInputShutdownEvent } from '../../../src/channel/ChannelEvents';
import { Sharable } from '../../../src/channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../../src/channel/ChannelInboundHandlerAdapter';
import { ChannelOutboundHandlerAdapter } from '../../../src/channel/ChannelOutboundHandlerAdapter';
import { ByteToMessageDecoder } from '../../../src/handler/codec/ByteToMessageDecoder';
import { DecoderException } from '../../../src/handler/codec/errors';
import { FixedLengthFrameDecoder } from '../../../src/handler/codec/FixedLengthFrameDecoder';
import { LengthFieldBasedFrameDecoder } from '../../../src/handler/codec/LengthFieldBasedFrameDecoder';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { IllegalStateException } from '../../../src/util/SluiceError';
import { buf, bytesOf, drainInbound, takeInbound, takeInboundText, text, thrown } from './helpers';

type DecodeFn = (ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[], self: TestDecoder) => void;

/** A decoder whose decode() is a function, so each test states its behaviour inline. */
class TestDecoder extends ByteToMessageDecoder {
  decodeCalls = 0;
  constructor(private readonly fn: DecodeFn) {
    super();
  }
  protected decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    this.decodeCalls++;
    this.fn(ctx, input, out, this);
  }
  peekCumulation(): ByteBuf {
    return this.internalBuffer();
  }
}

/** A heap buffer whose copies into it fail, like Netty's WriteFailingByteBuf. */
class WriteFailingByteBuf extends UnpooledHeapByteBuf {
  readonly writeError = new Error('write failed');
  constructor(initialCapacity: number, maxCapacity: number) {
    super(UnpooledByteBufAllocator.DEFAULT, initialCapacity, maxCapacity);
  }
  protected override setBytesFromBuf(): void {
    throw this.writeError;
  }
  protected override setBytesFromArray(): void {
    throw this.writeError;
  }
}

describe('ByteToMessageDecoder', () => {
  it('forwards leftover bytes when the decoder removes itself from inside decode()', () => {
    const decoder = new TestDecoder((ctx, input, _out, self) => {
      expect(self.decodeCalls).toBe(1); // never called again after the removal
      input.readByte();
      ctx.pipeline().remove(self);
    });
    const ch = new EmbeddedChannel(decoder);
    expect(ch.writeInbound(buf('abc'))).toBe(true);
    expect(takeInboundText(ch)).toBe('bc');
    expect(ch.finish()).toBe(false);
  });

  it('does not decode bytes appended to the source after the decoder removed itself', () => {
    const source = buf('abc');
    let removed = false;
    const ch = new EmbeddedChannel(
      new TestDecoder((ctx, input, _out, self) => {
        expect(removed).toBe(false);
        input.readByte();
        ctx.pipeline().remove(self);
        source.writeByte(0x64); // 'd'
        removed = true;
      }),
    );
    expect(ch.writeInbound(source.copy())).toBe(true);
    expect(takeInboundText(ch)).toBe('bc');
    expect(ch.finish()).toBe(false);
    source.release();
  });

  it('keeps the input valid during decode() and releases the cumulation after removing itself', () => {
    let cumulationSeen: ByteBuf | null = null;
    class InternalBufferDecoder extends ByteToMessageDecoder {
      protected decode(ctx: ChannelHandlerContext, input: ByteBuf): void {
        expect(this.internalBuffer().refCnt()).toBe(1);
        cumulationSeen = this.internalBuffer();
        input.readByte();
        ctx.pipeline().remove(this);
      }
      protected override handlerRemoved0(): void {
        const b = this.internalBuffer();
        expect(b === Unpooled.EMPTY_BUFFER || b.refCnt() === 0).toBe(true);
      }
    }
    const ch = new EmbeddedChannel(new InternalBufferDecoder());
    expect(ch.writeInbound(buf('a'))).toBe(false);
    expect(ch.finish()).toBe(false);
    expect(cumulationSeen!.refCnt()).toBe(0);
  });

  it('forwards the unread rest of a partly read input when removed, and finish() reports it', () => {
    const ch = new EmbeddedChannel(
      new TestDecoder((ctx, input, _out, self) => {
        input.readByte();
        ctx.pipeline().remove(self);
      }),
    );
    expect(ch.writeInbound(buf('ab'))).toBe(true);
    expect(ch.finish()).toBe(true);
    expect(takeInboundText(ch)).toBe('b');
    expect(ch.readInbound()).toBeNull();
  });

  it('forwards leftover bytes raw when the next handler removes the decoder on the first message', () => {
    const upgrade = { upgrade: true };
    const decoder = new TestDecoder((_ctx, input, out) => {
      expect(input.readByte()).toBe(0x61);
      out.push(upgrade);
    });
    const ch = new EmbeddedChannel(
      decoder,
      new (class extends ChannelInboundHandlerAdapter {
        override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
          if (msg === upgrade) {
            ctx.pipeline().remove(decoder);
            return;
          }
          ctx.fireChannelRead(msg);
        }
      })(),
    );
    expect(ch.writeInbound(buf('abc'))).toBe(true);
    expect(takeInboundText(ch)).toBe('bc');
    expect(ch.finish()).toBe(false);
  });

  it('produces nothing more at close when decode() consumed everything', () => {
    const payload = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 31) & 0xff));
    const ch = new EmbeddedChannel(
      new TestDecoder((_ctx, input, out) => {
        expect(input.readableBytes()).toBeGreaterThan(0);
        out.push(input.readBytes(input.readableBytes()));
      }),
    );
    expect(ch.writeInbound(buf(payload))).toBe(true);
    expect(takeInbound(ch)).toEqual(Array.from(payload));
    expect(ch.readInbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('calls decodeLast once with the bytes decode() left behind', () => {
    let lastCalls = 0;
    class KeepsOneByte extends ByteToMessageDecoder {
      private last = false;
      protected decode(_ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
        const readable = input.readableBytes();
        if (!this.last && readable === 1) return;
        out.push(input.readBytes(this.last ? readable : readable - 1));
      }
      protected override decodeLast(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
        lastCalls++;
        this.last = true;
        super.decodeLast(ctx, input, out);
      }
    }
    const ch = new EmbeddedChannel(new KeepsOneByte());
    expect(ch.writeInbound(buf(new Uint8Array(1024).fill(7)))).toBe(true);
    expect(takeInbound(ch)).toHaveLength(1023);
    expect(ch.readInbound()).toBeNull();
    expect(ch.finish()).toBe(true);
    expect(takeInbound(ch)).toEqual([7]);
    expect(lastCalls).toBe(1);
  });

  it('fires channelRead, channelReadComplete and channelInactive in that order when the input closes', () => {
    const events: string[] = [];
    class SkipAll extends ByteToMessageDecoder {
      protected decode(_ctx: ChannelHandlerContext, input: ByteBuf): void {
        input.skipBytes(input.readableBytes());
      }
      protected override decodeLast(_ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
        expect(input.isReadable()).toBe(false);
        out.push('data');
      }
    }
    const ch = new EmbeddedChannel(
      new SkipAll(),
      new (class extends ChannelInboundHandlerAdapter {
        override channelRead(): void {
          events.push('read');
        }
        override channelReadComplete(ctx: ChannelHandlerContext): void {
          if (!ctx.channel().isActive()) events.push('readComplete');
        }
        override channelInactive(): void {
          events.push('inactive');
        }
      })(),
    );
    expect(ch.writeInbound(buf('ab'))).toBe(false);
    ch.finish();
    expect(events).toEqual(['read', 'readComplete', 'inactive']);
  });

  it('calls decodeLast when the input is shut down and forwards the event', () => {
    const seen: unknown[] = [];
    class LastWord extends ByteToMessageDecoder {
      protected decode(): void {}
      protected override decodeLast(_ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
        if (!input.isReadable()) return;
        out.push(`last:${text(input)}`);
        input.skipBytes(input.readableBytes());
      }
    }
    const ch = new EmbeddedChannel(
      new LastWord(),
      new (class extends ChannelInboundHandlerAdapter {
        override userEventTriggered(_ctx: ChannelHandlerContext, evt: unknown): void {
          seen.push(evt);
        }
      })(),
    );
    expect(ch.writeInbound(buf('xy'))).toBe(false);
    ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    expect(ch.readInbound()).toBe('last:xy');
    expect(seen).toEqual([ChannelInputShutdownEvent.INSTANCE]);
    expect(ch.finish()).toBe(false);
  });

  it('accepts read-only input buffers', () => {
    const ch = new EmbeddedChannel(new TestDecoder(() => {}));
    const ro = Unpooled.buffer(8).writeByte(1).asReadOnly();
    expect(ch.writeInbound(ro)).toBe(false);
    expect(ch.writeInbound(Unpooled.wrappedBuffer(Uint8Array.of(2)))).toBe(false);
    expect(ch.finish()).toBe(false);
  });

  it('cumulates read-only inputs without writing into them', () => {
    const ch = new EmbeddedChannel(new FixedLengthFrameDecoder(4));
    const first = buf(1, 2, 3).asReadOnly();
    expect(ch.writeInbound(first)).toBe(false);
    expect(ch.writeInbound(buf(4, 5, 6, 7, 8).asReadOnly())).toBe(true);
    expect(takeInbound(ch)).toEqual([1, 2, 3, 4]);
    expect(takeInbound(ch)).toEqual([5, 6, 7, 8]);
    expect(ch.finish()).toBe(false);
  });

  it('releases the input but not the old cumulation when the merge cumulator fails to copy', () => {
    const oldCumulation = new WriteFailingByteBuf(1, 64);
    oldCumulation.writerIndex(1);
    const input = buf(new Uint8Array(12));
    const error = thrown(() => ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(UnpooledByteBufAllocator.DEFAULT, oldCumulation, input));
    expect(error).toBe(oldCumulation.writeError);
    expect(input.refCnt()).toBe(0);
    expect(oldCumulation.refCnt()).toBe(1);
    oldCumulation.release();
  });

  it('releases the input but not the old cumulation when the composite cumulator fails to add', () => {
    const error = new Error('add failed');
    class FailingComposite extends CompositeByteBuf {
      override addFlattenedComponents(): this {
        throw error;
      }
    }
    const alloc = new (class extends UnpooledByteBufAllocator {
      override compositeBuffer(maxNumComponents?: number): CompositeByteBuf {
        return new FailingComposite(this, false, maxNumComponents ?? 16);
      }
    })();
    const cumulation = buf(0);
    const input = buf(new Uint8Array(12));
    expect(thrown(() => ByteToMessageDecoder.COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, input))).toBe(error);
    expect(input.refCnt()).toBe(0);
    expect(cumulation.refCnt()).toBe(1);
    cumulation.release();
  });

  it('keeps the order of messages decoded one byte at a time before removing itself after four', () => {
    let count = 0;
    const ch = new EmbeddedChannel(
      new TestDecoder((ctx, input, out, self) => {
        out.push(input.readByte());
        if (++count >= 4) ctx.pipeline().remove(self);
      }),
    );
    expect(ch.writeInbound(Unpooled.wrappedBuffer(Uint8Array.of(1, 2, 3, 4, 5)))).toBe(true);
    expect([ch.readInbound(), ch.readInbound(), ch.readInbound(), ch.readInbound()]).toEqual([1, 2, 3, 4]);
    const rest = ch.readInbound<ByteBuf>()!;
    expect(rest.readByte()).toBe(5);
    expect(rest.isReadable()).toBe(false);
    expect(rest.release()).toBe(true);
    expect(ch.finish()).toBe(false);
  });

  it('throws DecoderException when decode() produces a message without reading anything', () => {
    const ch = new EmbeddedChannel(new TestDecoder((_ctx, _input, out) => out.push('x')));
    const e = thrown(() => ch.writeInbound(buf('a')));
    expect(e).toBeInstanceOf(DecoderException);
    expect(e.message).toContain('TestDecoder.decode() did not read anything but decoded a message.');
    expect((e as DecoderException).code).toBe('SLUICE_DECODER');
    expect((e as DecoderException).channel).toBe(String(ch));
    // As in Netty, what decode() pushed is still fired.
    expect(ch.readInbound()).toBe('x');
    expect(() => ch.finishAndReleaseAll()).toThrow(DecoderException);
  });

  it('wraps other errors of decode() in DecoderException naming the channel, after firing earlier messages', () => {
    const boom = new RangeError('bad byte');
    const ch = new EmbeddedChannel(
      new TestDecoder((_ctx, input, out) => {
        const b = input.readByte();
        if (b === 0x21) throw boom;
        out.push(b);
      }),
    );
    const e = thrown(() => ch.writeInbound(buf('a!b')));
    expect(e).toBeInstanceOf(DecoderException);
    expect(e.cause).toBe(boom);
    expect(e.message).toBe(`RangeError: bad byte (channel: ${String(ch)})`);
    expect(ch.readInbound()).toBe(0x61);
    // Decoding continues with the bytes after the failure.
    expect(ch.writeInbound(buf('c'))).toBe(true);
    expect(drainInbound(ch)).toEqual([0x62, 0x63]);
    expect(ch.finish()).toBe(false);
  });

  it('forwards messages that are not ByteBufs untouched', () => {
    const msg = { hello: 'world' };
    const ch = new EmbeddedChannel(new FixedLengthFrameDecoder(2));
    expect(ch.writeInbound(msg)).toBe(true);
    expect(ch.readInbound()).toBe(msg);
    expect(ch.finish()).toBe(false);
  });

  it('decodes at most one message per read in single-decode mode', () => {
    const decoder = new FixedLengthFrameDecoder(1);
    decoder.setSingleDecode(true);
    expect(decoder.isSingleDecode()).toBe(true);
    const ch = new EmbeddedChannel(decoder);
    expect(ch.writeInbound(buf(1, 2, 3))).toBe(true);
    expect(drainInbound(ch)).toEqual([[1]]);
    expect(ch.writeInbound(buf(4))).toBe(true);
    expect(drainInbound(ch)).toEqual([[2]]);
    expect(ch.finish()).toBe(true);
    expect(drainInbound(ch)).toEqual([[3], [4]]);
  });

  it('asks for more data when a read batch decoded nothing and autoRead is off', () => {
    let readsTriggered = 0;
    const interceptor = new (class extends ChannelOutboundHandlerAdapter {
      override read(ctx: ChannelHandlerContext): void {
        readsTriggered++;
        ctx.read();
      }
    })();
    const ch = new EmbeddedChannel();
    ch.config().setAutoRead(false);
    ch.pipeline().addLastHandlers(interceptor, new FixedLengthFrameDecoder(3));
    const w = (...bytes: number[]): ByteBuf => Unpooled.wrappedBuffer(Uint8Array.from(bytes));
    ch.writeInbound(w(0, 1)); // no frame, a partial one: read more
    expect(readsTriggered).toBe(1);
    ch.writeInbound(w(2), w(3, 4, 5)); // two frames
    expect(readsTriggered).toBe(1);
    ch.writeInbound(w(6, 7, 8), w(9)); // a frame and a partial one
    expect(readsTriggered).toBe(1);
    ch.writeInbound(w(10, 11), w(12));
    expect(readsTriggered).toBe(1);
    ch.writeInbound(w(13)); // partial only
    expect(readsTriggered).toBe(2);
    ch.writeInbound(w(14)); // completes a frame
    expect(readsTriggered).toBe(2);
    expect(drainInbound(ch)).toEqual([0, 1, 2, 3, 4].map((i) => [i * 3, i * 3 + 1, i * 3 + 2]));
    expect(ch.finish()).toBe(false);
  });

  it('refuses to be @Sharable', () => {
    @Sharable
    class SharedDecoder extends ByteToMessageDecoder {
      protected decode(): void {}
    }
    expect(() => new SharedDecoder()).toThrow(IllegalStateException);
  });

  it('refuses subclasses that override handlerRemoved', () => {
    class Overrider extends ByteToMessageDecoder {
      protected decode(): void {}
      override handlerRemoved(): void {}
    }
    expect(() => new Overrider()).toThrow(/override handlerRemoved0\(\) instead/);
  });

  it('validates discardAfterReads', () => {
    const d = new FixedLengthFrameDecoder(1);
    expect(() => d.setDiscardAfterReads(0)).toThrow('discardAfterReads : 0 (expected: > 0)');
    d.setDiscardAfterReads(1);
  });

  describe('cumulation', () => {
    it('decodes a read in place when nothing is cumulated', () => {
      const ch = new EmbeddedChannel(new FixedLengthFrameDecoder(2));
      const input = buf(1, 2, 3, 4);
      const memory = input.array();
      expect(ch.writeInbound(input)).toBe(true);
      const a = ch.readInbound<ByteBuf>()!;
      const b = ch.readInbound<ByteBuf>()!;
      expect(a.array()).toBe(memory);
      expect(b.array()).toBe(memory);
      a.release();
      b.release();
      expect(ch.finish()).toBe(false);
    });

    it('copies only the frame that straddles two reads and decodes the rest of the second read in place', () => {
      const frameLength = 32 * 1024;
      const frame = (tag: number): Uint8Array => {
        const f = new Uint8Array(frameLength).fill(tag);
        new DataView(f.buffer).setUint32(0, frameLength - 4);
        return f;
      };
      const stream = Buffer.concat([frame(1), frame(2), frame(3), frame(4)]);
      let allocated = 0;
      const alloc = new (class extends UnpooledByteBufAllocator {
        override buffer(initialCapacity?: number, maxCapacity?: number): ByteBuf {
          allocated += initialCapacity ?? 256;
          return super.buffer(initialCapacity, maxCapacity);
        }
      })();
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4));
      ch.config().setAllocator(alloc);
      const cut = frameLength + 100; // frame 2 straddles the two reads
      const second = buf(stream.subarray(cut));
      const secondMemory = second.array();
      expect(ch.writeInbound(buf(stream.subarray(0, cut)), second)).toBe(true);
      const frames = [1, 2, 3, 4].map(() => ch.readInbound<ByteBuf>()!);
      expect(frames.map((f) => [f.readableBytes(), f.getByte(0), f.getByte(f.readableBytes() - 1)])).toEqual(
        [1, 2, 3, 4].map((t) => [frameLength - 4, t, t]),
      );
      // Only frame 2 was copied, into a buffer of exactly its size; frames 3 and 4 are views of the read.
      expect(allocated).toBe(frameLength);
      expect(frames[1]!.array()).not.toBe(secondMemory);
      expect(frames[2]!.array()).toBe(secondMemory);
      expect(frames[3]!.array()).toBe(secondMemory);
      frames.forEach((f) => f.release());
      expect(ch.finish()).toBe(false);
    });

    it('keeps the cumulation bounded over many reads without readComplete (discardAfterReads)', () => {
      const run = (discardAfterReads: number): number => {
        // Copies its frames (so nothing retains the cumulation) and decodes one per read: the classic
        // merge path, where whole reads are appended behind bytes already read (Netty #4275).
        const decoder = new TestDecoder((_ctx, input, out) => {
          if (input.readableBytes() >= 10) out.push(input.readBytes(10));
        });
        decoder.setSingleDecode(true);
        decoder.setDiscardAfterReads(discardAfterReads);
        const ch = new EmbeddedChannel(decoder);
        let maxCapacity = 0;
        const probe = decoder;
        ch.writeOneInbound(buf(new Uint8Array(5)));
        for (let i = 0; i < 1000; i++) {
          ch.writeOneInbound(buf(new Uint8Array(10).fill(i & 0xff)));
          maxCapacity = Math.max(maxCapacity, probe.peekCumulation().capacity());
          ch.readInbound<ByteBuf>()!.release();
        }
        ch.finishAndReleaseAll();
        return maxCapacity;
      };
      expect(run(16)).toBeLessThanOrEqual(1024);
      expect(run(1_000_000)).toBeGreaterThan(8000);
    });

    it('keeps the default merge cumulation small however many reads straddle frames', () => {
      const decoder = new FixedLengthFrameDecoder(10);
      const probe = decoder as unknown as { internalBuffer(): ByteBuf };
      const ch = new EmbeddedChannel(decoder);
      let maxCapacity = 0;
      for (let i = 0; i < 1000; i++) {
        ch.writeOneInbound(buf(new Uint8Array(15)));
        maxCapacity = Math.max(maxCapacity, probe.internalBuffer().capacity());
      }
      expect(ch.inboundMessages()).toHaveLength(1500);
      expect(maxCapacity).toBeLessThanOrEqual(1024);
      ch.finishAndReleaseAll();
    });

    it('decodes the same frames with the composite cumulator', () => {
      const decoder = new FixedLengthFrameDecoder(4);
      decoder.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
      const ch = new EmbeddedChannel(decoder);
      expect(ch.writeInbound(buf(1, 2), buf(3), buf(4, 5, 6, 7, 8, 9), buf(10, 11, 12))).toBe(true);
      expect(drainInbound(ch)).toEqual([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
      ]);
      expect(ch.finish()).toBe(false);
    });

    it('keeps the rest of a straddled read when decode() throws, and decodes it later', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(8, 0, 1, 0, 1));
      // "ab" straddles; then a 9-byte length (too long, 10 bytes skipped); then "c".
      expect(ch.writeInbound(buf(2, 0x61))).toBe(false);
      const e = thrown(() => ch.writeInbound(buf(0x62, 9, new Uint8Array(9), 1, 0x63)));
      expect(e.message).toContain('Adjusted frame length exceeds 8: 10 - discarded');
      expect(drainInbound(ch)).toEqual([[0x61, 0x62]]);
      expect(ch.finish()).toBe(true);
      expect(drainInbound(ch)).toEqual([[0x63]]);
    });

    it('forwards both the cumulation and the rest of the read when removed while completing a straddling frame', () => {
      const ch = new EmbeddedChannel(
        new TestDecoder((ctx, input, out, self) => {
          if (input.readableBytes() < 3) return;
          out.push(input.readRetainedSlice(3));
          ctx.pipeline().remove(self);
        }),
      );
      expect(ch.writeInbound(buf('ab'))).toBe(false);
      expect(ch.writeInbound(buf('cdefghijklmnopqrstuvwxyz'.repeat(20)))).toBe(true);
      const all = drainInbound(ch) as number[][];
      expect(Buffer.from(all[0]!).toString('latin1')).toBe('abc');
      expect(Buffer.concat(all.slice(1).map((a) => Buffer.from(a))).toString('latin1')).toBe(
        'cdefghijklmnopqrstuvwxyz'.repeat(20).slice(1),
      );
      expect(ch.finish()).toBe(false);
    });
  });

  it('exposes the undecoded bytes through internalBuffer() and actualReadableBytes()', () => {
    class Peek extends ByteToMessageDecoder {
      protected decode(): void {}
      peek(): [number, number[]] {
        return [this.actualReadableBytes(), bytesOf(this.internalBuffer())];
      }
    }
    const d = new Peek();
    const ch = new EmbeddedChannel(d);
    expect(d.peek()).toEqual([0, []]);
    ch.writeInbound(buf(1, 2));
    ch.writeInbound(buf(3));
    expect(d.peek()).toEqual([3, [1, 2, 3]]);
    expect(ch.finish()).toBe(false);
  });

  it('accepts an allocator given as the cumulator argument type', () => {
    const alloc: ByteBufAllocator = UnpooledByteBufAllocator.DEFAULT;
    const c = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, Unpooled.EMPTY_BUFFER, buf(1));
    expect(bytesOf(c)).toEqual([1]);
    const merged = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, c, buf(2, 3));
    expect(bytesOf(merged)).toEqual([1, 2, 3]);
    merged.release();
    const composite = ByteToMessageDecoder.COMPOSITE_CUMULATOR.cumulate(alloc, buf(4), buf(5));
    expect(composite).toBeInstanceOf(CompositeByteBuf);
    expect(bytesOf(composite)).toEqual([4, 5]);
    expect(composite).toBeInstanceOf(ByteBuf);
    composite.release();
  });
});
