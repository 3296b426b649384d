import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ByteBuf } from '../../../src/buffer/ByteBuf';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../../src/channel/ChannelInboundHandlerAdapter';
import { ByteToMessageDecoder } from '../../../src/handler/codec/ByteToMessageDecoder';
import { CorruptedFrameException, DecoderException, TooLongFrameException } from '../../../src/handler/codec/errors';
import {
  LengthFieldBasedFrameDecoder,
  type ByteOrder,
  type LengthFieldBasedFrameDecoderOptions,
} from '../../../src/handler/codec/LengthFieldBasedFrameDecoder';
import { LengthFieldPrepender } from '../../../src/handler/codec/LengthFieldPrepender';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { IllegalArgumentException } from '../../../src/util/SluiceError';
import { buf, concat, drainInbound, drainOutboundBytes, split, takeInbound, thrown } from './helpers';

const HELLO = 'HELLO, WORLD';

/** Header bytes of a `length`-byte field holding `value` in `order`. */
function field(length: number, value: number | bigint, order: ByteOrder = 'BE'): number[] {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(value));
  const be = Array.from(b.subarray(8 - length));
  return order === 'BE' ? be : be.reverse();
}

/** Counts exceptions reaching the end of the pipeline instead of letting EmbeddedChannel rethrow them. */
class ExceptionCounter extends ChannelInboundHandlerAdapter {
  readonly errors: Error[] = [];
  override exceptionCaught(_ctx: ChannelHandlerContext, cause: Error): void {
    this.errors.push(cause);
  }
}

describe('LengthFieldBasedFrameDecoder', () => {
  describe('the Javadoc examples', () => {
    const cases: [string, [number, number, number, number], number[], number[]][] = [
      ['keeps the length field', [0, 2, 0, 0], [0x00, 0x0c], [0x00, 0x0c]],
      ['strips the length field', [0, 2, 0, 2], [0x00, 0x0c], []],
      ['handles a length that counts the length field', [0, 2, -2, 0], [0x00, 0x0e], [0x00, 0x0e]],
      ['handles a header before the length field', [2, 3, 0, 0], [0xca, 0xfe, 0x00, 0x00, 0x0c], [0xca, 0xfe, 0x00, 0x00, 0x0c]],
      ['handles a header after the length field', [0, 3, 2, 0], [0x00, 0x00, 0x0c, 0xca, 0xfe], [0x00, 0x00, 0x0c, 0xca, 0xfe]],
      ['strips HDR1 and LEN but keeps HDR2', [1, 2, 1, 3], [0xca, 0x00, 0x0c, 0xfe], [0xfe]],
      ['strips HDR1 and LEN when the length counts everything', [1, 2, -3, 3], [0xca, 0x00, 0x10, 0xfe], [0xfe]],
    ];
    for (const [name, [off, len, adj, strip], header, expectedHeader] of cases) {
      it(`${name} ([${off}, ${len}, ${adj}, ${strip}])`, () => {
        const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(1024, off, len, adj, strip));
        expect(ch.writeInbound(buf(header, HELLO))).toBe(true);
        expect(takeInbound(ch)).toEqual(Array.from(concat([expectedHeader, HELLO])));
        expect(ch.readInbound()).toBeNull();
        expect(ch.finish()).toBe(false);
      });
    }
  });

  describe('too long frames', () => {
    it('discards a too long frame held in one buffer and keeps the bytes after it', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(16, 0, 4));
      const e = thrown(() => ch.writeInbound(buf(field(4, 32), new Uint8Array(32), field(4, 1), 'a')));
      expect(e).toBeInstanceOf(TooLongFrameException);
      const tooLong = e as TooLongFrameException;
      expect(tooLong.message).toBe(`Adjusted frame length exceeds 16: 36 - discarded (channel: ${String(ch)})`);
      expect(tooLong.frameLength).toBe(36);
      expect(tooLong.maxFrameLength).toBe(16);
      expect(tooLong.code).toBe('SLUICE_TOO_LONG_FRAME');
      expect(ch.finish()).toBe(true);
      expect(takeInbound(ch)).toEqual([0, 0, 0, 1, 0x61]);
      expect(ch.readInbound()).toBeNull();
    });

    it('throws once when the too long frame is split 14 + 27 bytes', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(16, 0, 4));
      const data = concat([field(4, 32), new Uint8Array(32), field(4, 1), 'a']);
      expect(() => ch.writeInbound(buf(data.subarray(0, 14)))).toThrow(TooLongFrameException);
      expect(ch.writeInbound(buf(data.subarray(14)))).toBe(true);
      expect(takeInbound(ch)).toEqual([0, 0, 0, 1, 0x61]);
      expect(ch.finish()).toBe(false);
    });

    it('fails slow: throws only after the last byte of the too long frame, repeatedly', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(5, 0, 4, 0, 4, false));
      for (let i = 0; i < 2; i++) {
        expect(ch.writeInbound(buf(0, 0, 0, 2))).toBe(false);
        const e = thrown(() => ch.writeInbound(buf(0, 0)));
        expect(e).toBeInstanceOf(TooLongFrameException);
        expect(e.message).toContain('Adjusted frame length exceeds 5: 6 - discarded');
        expect(ch.writeInbound(buf(0, 0, 0, 1, 'A'))).toBe(true);
        expect(takeInbound(ch)).toEqual([0x41]);
      }
      expect(ch.finish()).toBe(false);
    });

    it('fails fast: throws on the length field, then silently skips the rest of the frame', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(5, 0, 4, 0, 4));
      expect(() => ch.writeInbound(buf(0, 0, 0, 2))).toThrow('Adjusted frame length exceeds 5: 6 - discarded');
      expect(ch.writeInbound(buf(0, 0, 0, 0, 0, 1, 'A'))).toBe(true);
      expect(takeInbound(ch)).toEqual([0x41]);
      expect(ch.finish()).toBe(false);
    });

    it('never buffers a too long frame while discarding it', () => {
      class Probe extends LengthFieldBasedFrameDecoder {
        buffered(): number {
          return this.actualReadableBytes();
        }
      }
      const decoder = new Probe(1024, 0, 4, 0, 4);
      const counter = new ExceptionCounter();
      const ch = new EmbeddedChannel(decoder, counter);
      ch.writeInbound(buf(field(4, 1 << 20)));
      for (let sent = 0; sent < 1 << 20; sent += 64 * 1024) {
        ch.writeInbound(buf(new Uint8Array(64 * 1024)));
        expect(decoder.buffered()).toBe(0);
      }
      expect(counter.errors).toHaveLength(1);
      expect(ch.writeInbound(buf(field(4, 2), 'ok'))).toBe(true);
      expect(takeInbound(ch)).toEqual([0x6f, 0x6b]);
      expect(ch.finish()).toBe(false);
    });

    it('reports the exact length of a huge 8-byte length field', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(1024, 0, 8));
      const e = thrown(() => ch.writeInbound(buf(field(8, 0x7fffffffffffffffn), 1, 2)));
      expect(e).toBeInstanceOf(TooLongFrameException);
      expect(e.message).toContain('Adjusted frame length exceeds 1024: 9223372036854775815 - discarded');
      expect((e as TooLongFrameException).frameLength).toBe(9223372036854775815n);
      expect(ch.finishAndReleaseAll()).toBe(false);
    });
  });

  describe('corrupt frames', () => {
    it('skips a frame whose adjusted length is less than initialBytesToStrip and decodes the next', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(16, 0, 4, 0, 6));
      const e = thrown(() => ch.writeInbound(buf(field(4, 0))));
      expect(e).toBeInstanceOf(CorruptedFrameException);
      expect(e.message).toContain('Adjusted frame length (4) is less than initialBytesToStrip: 6');
      expect((e as CorruptedFrameException).frameLength).toBe(4);
      expect(ch.writeInbound(buf(field(4, 4), field(2, 1), field(2, 2)))).toBe(true);
      expect(takeInbound(ch)).toEqual([0, 2]);
      expect(ch.finish()).toBe(false);
    });

    it('skips such a frame when it arrives in two reads', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(16, 0, 4, 0, 10));
      expect(ch.writeInbound(buf(field(4, 4)))).toBe(false);
      expect(() => ch.writeInbound(buf(field(4, 0)))).toThrow('Adjusted frame length (8) is less than initialBytesToStrip: 10');
      expect(ch.writeInbound(buf(field(4, 8), field(4, 1), field(2, 2), field(2, 3)))).toBe(true);
      expect(takeInbound(ch)).toEqual([0, 3]);
      expect(ch.finish()).toBe(false);
    });

    it('skips a negative 8-byte length field and decodes the next frame', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(64, 0, 8, 0, 8));
      const e = thrown(() => ch.writeInbound(buf(field(8, -1))));
      expect(e).toBeInstanceOf(CorruptedFrameException);
      expect(e.message).toContain('negative pre-adjustment length field: -1');
      expect((e as CorruptedFrameException).lengthFieldValue).toBe(-1);
      expect(ch.writeInbound(buf(field(8, 1), 'z'))).toBe(true);
      expect(takeInbound(ch)).toEqual([0x7a]);
      expect(ch.finish()).toBe(false);
    });

    it('reports the exact value of a very negative 8-byte length field', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(64, 0, 8, 0, 0, true));
      const e = thrown(() => ch.writeInbound(buf(field(8, -0x8000000000000000n))));
      expect(e.message).toContain('negative pre-adjustment length field: -9223372036854775808');
      expect((e as CorruptedFrameException).lengthFieldValue).toBe(-9223372036854775808n);
      expect(ch.finish()).toBe(false);
    });

    it('skips the header when the adjusted length is less than the length field end offset', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(16, 0, 4, -5, 0));
      const e = thrown(() => ch.writeInbound(buf(field(4, 0), field(4, 6), 'x')));
      expect(e.message).toContain('Adjusted frame length (-1) is less than lengthFieldEndOffset: 4');
      expect(ch.finish()).toBe(true);
      expect(takeInbound(ch)).toEqual([0, 0, 0, 6, 0x78]);
    });

    it('fails decoding with an unsupported length field size', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(16, 0, 5));
      const e = thrown(() => ch.writeInbound(buf(0, 0, 0, 0, 1, 9)));
      expect(e).toBeInstanceOf(DecoderException);
      expect(e.message).toBe('unsupported lengthFieldLength: 5 (expected: 1, 2, 3, 4, or 8)');
      ch.pipeline().removeFirst(); // forwards the undecodable bytes
      expect(takeInbound(ch)).toEqual([0, 0, 0, 0, 1, 9]);
      expect(ch.finish()).toBe(false);
    });
  });

  describe('length fields', () => {
    for (const order of ['BE', 'LE'] as const) {
      for (const [len, value] of [
        [1, 200],
        [2, 40_000],
        [3, 70_000],
        [4, 100_000],
        [8, 100_001],
      ] as const) {
        it(`reads a ${len}-byte ${order} length field`, () => {
          const payload = new Uint8Array(value).map((_, i) => i & 0xff);
          const ch = new EmbeddedChannel(
            new LengthFieldBasedFrameDecoder({ byteOrder: order, maxFrameLength: 1 << 20, lengthFieldOffset: 0, lengthFieldLength: len, initialBytesToStrip: len }),
          );
          const data = concat([field(len, value, order), payload]);
          const chunks = split(data, [1, 3, 500, 65_536]);
          for (const c of chunks) ch.writeInbound(buf(c));
          const frame = ch.readInbound<ByteBuf>()!;
          expect(frame.readableBytes()).toBe(value);
          expect(frame.getUnsignedByte(value - 1)).toBe((value - 1) & 0xff);
          frame.release();
          expect(ch.finish()).toBe(false);
        });
      }
    }

    it('decodes frames larger than 64 KiB arriving in 64 KiB reads', () => {
      const size = 300 * 1024;
      const payload = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4));
      const data = concat([field(4, size), payload, field(4, size), payload]);
      const chunks = split(data, Array.from({ length: 20 }, (_, i) => (i + 1) * 64 * 1024));
      const frames: ByteBuf[] = [];
      for (const c of chunks) {
        ch.writeInbound(buf(c));
        for (let f = ch.readInbound<ByteBuf>(); f !== null; f = ch.readInbound<ByteBuf>()) frames.push(f);
      }
      expect(frames).toHaveLength(2);
      for (const f of frames) {
        expect(f.readableBytes()).toBe(size);
        expect(Buffer.from(f.nioBuffer()).equals(Buffer.from(payload))).toBe(true);
        f.release();
      }
      expect(ch.finish()).toBe(false);
    });
  });

  describe('construction', () => {
    it('validates its parameters with Netty\'s messages', () => {
      const bad: [() => unknown, string][] = [
        [() => new LengthFieldBasedFrameDecoder(0, 0, 4), 'maxFrameLength must be a positive integer: 0'],
        [() => new LengthFieldBasedFrameDecoder(16, -1, 4), 'lengthFieldOffset must be a non-negative integer: -1'],
        [() => new LengthFieldBasedFrameDecoder(16, 0, 4, 0, -1), 'initialBytesToStrip must be a non-negative integer: -1'],
        [
          () => new LengthFieldBasedFrameDecoder(16, 14, 4),
          'maxFrameLength (16) must be equal to or greater than lengthFieldOffset (14) + lengthFieldLength (4).',
        ],
        [() => new LengthFieldBasedFrameDecoder({ byteOrder: 'XE' as ByteOrder, maxFrameLength: 16, lengthFieldOffset: 0, lengthFieldLength: 4 }), 'byteOrder'],
      ];
      for (const [make, message] of bad) {
        const e = thrown(make);
        expect(e).toBeInstanceOf(IllegalArgumentException);
        expect(e.message).toContain(message);
      }
    });

    it('takes Netty\'s byte-order-first constructor', () => {
      const ch = new EmbeddedChannel(new LengthFieldBasedFrameDecoder('LE', 64, 0, 2, 0, 2, true));
      expect(ch.writeInbound(buf(2, 0, 'hi'))).toBe(true);
      expect(takeInbound(ch)).toEqual([0x68, 0x69]);
      expect(ch.finish()).toBe(false);
    });
  });

  it('lets a subclass copy frames out of the cumulation', () => {
    class Copying extends LengthFieldBasedFrameDecoder {
      protected override extractFrame(_ctx: ChannelHandlerContext, buffer: ByteBuf, index: number, length: number): ByteBuf {
        return buffer.copy(index, length);
      }
    }
    const ch = new EmbeddedChannel(new Copying(64, 0, 1, 0, 1));
    const input = buf(2, 'ab');
    const memory = input.array();
    ch.writeInbound(input);
    const frame = ch.readInbound<ByteBuf>()!;
    expect(frame.array()).not.toBe(memory);
    expect(frame.refCnt()).toBe(1);
    frame.release();
    expect(ch.finish()).toBe(false);
  });

  describe('properties', () => {
    const frameList = (maxFrame: number): fc.Arbitrary<Uint8Array[]> =>
      fc.array(fc.uint8Array({ maxLength: maxFrame }), { maxLength: 12 });
    const cutList = fc.array(fc.nat({ max: 4000 }), { maxLength: 40 });

    function decodeChunks(
      options: LengthFieldBasedFrameDecoderOptions,
      composite: boolean,
      chunks: Uint8Array[],
      perRead: number,
      flushes: number,
    ): unknown[] {
      const decoder = new LengthFieldBasedFrameDecoder(options);
      if (composite) decoder.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
      const counter = new ExceptionCounter();
      const ch = new EmbeddedChannel(decoder, counter);
      for (let i = 0; i < chunks.length; i += perRead) ch.writeInbound(...chunks.slice(i, i + perRead).map((c) => buf(c)));
      // After a decoder exception the rest waits for the next read: give it empty reads to go on.
      for (let i = 0; i < flushes; i++) ch.writeInbound(buf());
      ch.finish();
      const out = drainInbound(ch);
      out.push(`errors:${counter.errors.length}`);
      return out;
    }

    it('decodes exactly the frames LengthFieldPrepender encoded, however the stream is split', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(1, 2, 3, 4, 8),
          fc.constantFrom<ByteOrder>('BE', 'LE'),
          fc.boolean(),
          fc.boolean(),
          frameList(300),
          cutList,
          fc.boolean(),
          fc.integer({ min: 1, max: 3 }),
          (len, order, includesField, composite, frames, cuts, byteByByte, perRead) => {
            const max = len === 1 ? 255 - (includesField ? 1 : 0) : 1 << 16;
            const sized = frames.map((f) => f.subarray(0, max));
            const encoder = new EmbeddedChannel(
              new LengthFieldPrepender({ byteOrder: order, lengthFieldLength: len, lengthIncludesLengthFieldLength: includesField }),
            );
            for (const f of sized) encoder.writeOutbound(buf(f));
            const stream = drainOutboundBytes(encoder);
            encoder.finish();
            const chunks = byteByByte ? split(stream, Array.from(stream.keys())) : split(stream, cuts.map((c) => c % (stream.length + 1)));
            const decoded = decodeChunks(
              { byteOrder: order, maxFrameLength: 1 << 20, lengthFieldOffset: 0, lengthFieldLength: len, lengthAdjustment: includesField ? -len : 0, initialBytesToStrip: len },
              composite,
              chunks,
              perRead,
              0,
            );
            expect(decoded).toEqual([...sized.map((f) => Array.from(f)), 'errors:0']);
          },
        ),
        { numRuns: 150 },
      );
    });

    it('discards the same too long frames and reports each once, however the stream is split', () => {
      fc.assert(
        fc.property(frameList(40), cutList, fc.boolean(), fc.boolean(), (frames, cuts, failFast, composite) => {
          const max = 20; // adjusted length = payload + 2-byte field
          const stream = concat(frames.flatMap((f) => [field(2, f.length), f]));
          const options = { maxFrameLength: max, lengthFieldOffset: 0, lengthFieldLength: 2, initialBytesToStrip: 2, failFast };
          const whole = decodeChunks(options, composite, [stream], 1, frames.length + 1);
          const expected: unknown[] = frames.filter((f) => f.length + 2 <= max).map((f) => Array.from(f));
          expected.push(`errors:${frames.filter((f) => f.length + 2 > max).length}`);
          expect(whole).toEqual(expected);
          const chunks = split(stream, cuts.map((c) => c % (stream.length + 1)));
          expect(decodeChunks(options, composite, chunks, 1, frames.length + 1)).toEqual(expected);
        }),
        { numRuns: 150 },
      );
    });
  });
});
