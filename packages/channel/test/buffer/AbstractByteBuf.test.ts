import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type ByteBuf,
  ByteBufUtil,
  IllegalReferenceCountException,
  Unpooled,
  UnsafeIntegerException,
} from '../../src/buffer';
import { IllegalArgumentException, IndexOutOfBoundsException } from '../../src/util/SluiceError';
import { BUFFER_KINDS, installLeakChecks, releaseAll } from './helpers';

installLeakChecks();

const CAPACITY = 128;

describe.each(BUFFER_KINDS)('AbstractByteBuf behaviour on $name', (kind) => {
  let buf: ByteBuf;
  beforeEach(() => {
    buf = kind.create(CAPACITY);
  });
  afterEach(() => {
    releaseAll(buf);
  });

  describe('indices', () => {
    it('starts with both indices at 0 and the requested capacity', () => {
      expect(buf.readerIndex()).toBe(0);
      expect(buf.writerIndex()).toBe(0);
      expect(buf.capacity()).toBe(CAPACITY);
      expect(buf.readableBytes()).toBe(0);
      expect(buf.writableBytes()).toBe(CAPACITY);
      expect(buf.isReadable()).toBe(false);
      expect(buf.isWritable(CAPACITY)).toBe(true);
      expect(buf.isWritable(CAPACITY + 1)).toBe(false);
    });

    it('rejects a reader index beyond the writer index with Netty\'s message', () => {
      buf.writerIndex(10);
      expect(() => buf.readerIndex(11)).toThrow(
        new IndexOutOfBoundsException(`readerIndex: 11, writerIndex: 10 (expected: 0 <= readerIndex <= writerIndex <= capacity(${CAPACITY}))`),
      );
      expect(() => buf.readerIndex(-1)).toThrow(IndexOutOfBoundsException);
    });

    it('rejects a writer index beyond the capacity or below the reader index', () => {
      expect(() => buf.writerIndex(CAPACITY + 1)).toThrow(
        `readerIndex: 0, writerIndex: ${CAPACITY + 1} (expected: 0 <= readerIndex <= writerIndex <= capacity(${CAPACITY}))`,
      );
      buf.setIndex(5, 10);
      expect(() => buf.writerIndex(4)).toThrow(IndexOutOfBoundsException);
      expect(() => buf.writerIndex(2.5)).toThrow(IndexOutOfBoundsException);
    });

    it('sets both indices at once with setIndex and validates the pair', () => {
      buf.setIndex(CAPACITY, CAPACITY);
      expect(buf.readerIndex()).toBe(CAPACITY);
      expect(() => buf.setIndex(3, 2)).toThrow(
        `readerIndex: 3, writerIndex: 2 (expected: 0 <= readerIndex <= writerIndex <= capacity(${CAPACITY}))`,
      );
      expect(buf.readerIndex()).toBe(CAPACITY);
    });

    it('restores marked indices and re-validates them on reset', () => {
      buf.writerIndex(20).readerIndex(5).markReaderIndex().markWriterIndex();
      buf.readerIndex(15).writerIndex(30);
      buf.resetReaderIndex();
      expect(buf.readerIndex()).toBe(5);
      buf.resetWriterIndex();
      expect(buf.writerIndex()).toBe(20);
      buf.setIndex(0, 0).markWriterIndex().setIndex(10, 20);
      expect(() => buf.resetWriterIndex()).toThrow(IndexOutOfBoundsException);
    });

    it('clears both indices without touching the content', () => {
      buf.writeInt(0x01020304).readByte();
      buf.clear();
      expect([buf.readerIndex(), buf.writerIndex()]).toEqual([0, 0]);
      expect(buf.getInt(0)).toBe(0x01020304);
    });

    it('fails a read past the writer index with Netty\'s message', () => {
      buf.writeShort(1);
      expect(() => buf.readInt()).toThrow(/^readerIndex\(0\) \+ length\(4\) exceeds writerIndex\(2\): /);
      expect(buf.readerIndex()).toBe(0);
    });

    it('fails an absolute access outside the capacity with Netty\'s message', () => {
      expect(() => buf.getInt(CAPACITY - 3)).toThrow(
        new IndexOutOfBoundsException(`index: ${CAPACITY - 3}, length: 4 (expected: range(0, ${CAPACITY}))`),
      );
      expect(() => buf.setByte(-1, 0)).toThrow(IndexOutOfBoundsException);
      expect(() => buf.getByte(1.5)).toThrow(IndexOutOfBoundsException);
    });

    it('keeps 0 <= readerIndex <= writerIndex <= capacity under any sequence of operations', () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('write' as const), n: fc.integer({ min: 0, max: 12 }) }),
        fc.record({ kind: fc.constant('read' as const), n: fc.integer({ min: 0, max: 12 }) }),
        fc.record({ kind: fc.constant('reader' as const), n: fc.integer({ min: -2, max: CAPACITY + 2 }) }),
        fc.record({ kind: fc.constant('writer' as const), n: fc.integer({ min: -2, max: CAPACITY + 2 }) }),
        fc.record({ kind: fc.constant('discard' as const), n: fc.constant(0) }),
        fc.record({ kind: fc.constant('discardSome' as const), n: fc.constant(0) }),
        fc.record({ kind: fc.constant('mark' as const), n: fc.constant(0) }),
        fc.record({ kind: fc.constant('reset' as const), n: fc.constant(0) }),
        fc.record({ kind: fc.constant('skip' as const), n: fc.integer({ min: 0, max: 8 }) }),
      );
      fc.assert(
        fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
          const b = kind.create(32);
          try {
            for (const o of ops) {
              try {
                switch (o.kind) {
                  case 'write': b.writeZero(o.n); break;
                  case 'read': b.skipBytes(Math.min(o.n, b.readableBytes())); break;
                  case 'reader': b.readerIndex(o.n); break;
                  case 'writer': b.writerIndex(o.n); break;
                  case 'discard': b.discardReadBytes(); break;
                  case 'discardSome': b.discardSomeReadBytes(); break;
                  case 'mark': b.markReaderIndex().markWriterIndex(); break;
                  case 'reset': b.resetWriterIndex().resetReaderIndex(); break;
                  case 'skip': b.skipBytes(o.n); break;
                }
              } catch (err) {
                if (!(err instanceof IndexOutOfBoundsException)) throw err;
              }
              const r = b.readerIndex();
              const w = b.writerIndex();
              expect(0 <= r && r <= w && w <= b.capacity() && b.capacity() <= b.maxCapacity()).toBe(true);
              expect(b.readableBytes()).toBe(w - r);
            }
          } finally {
            b.release();
          }
        }),
        { numRuns: 60 },
      );
    });
  });

  describe('typed accessors', () => {
    it('round-trips every signed and unsigned width in both byte orders', () => {
      buf.writeByte(-2).writeByte(0x1ff);
      expect([buf.getByte(0), buf.getUnsignedByte(0), buf.getByte(1)]).toEqual([-2, 254, -1]);
      buf.clear().writeShort(-2).writeShortLE(-2).writeShort(0x18001);
      expect([buf.getShort(0), buf.getUnsignedShort(0), buf.getShortLE(2), buf.getUnsignedShortLE(2)]).toEqual([-2, 0xfffe, -2, 0xfffe]);
      expect(buf.getShort(4)).toBe(-32767);
      expect(ByteBufUtil.hexDump(buf, 0, 6)).toBe('fffefeff8001');
      buf.clear().writeMedium(-2).writeMediumLE(0x800001).writeMedium(0x1234567);
      expect([buf.getMedium(0), buf.getUnsignedMedium(0)]).toEqual([-2, 0xfffffe]);
      expect([buf.getMediumLE(3), buf.getUnsignedMediumLE(3)]).toEqual([-0x7fffff, 0x800001]);
      expect(buf.getUnsignedMedium(6)).toBe(0x234567);
      expect(ByteBufUtil.hexDump(buf, 0, 9)).toBe('fffffe010080234567');
      buf.clear().writeInt(-2).writeIntLE(0x12345678).writeInt(0x1ffffffff);
      expect([buf.getInt(0), buf.getUnsignedInt(0), buf.getIntLE(4), buf.getUnsignedIntLE(0)]).toEqual([-2, 0xfffffffe, 0x12345678, 0xfeffffff]);
      expect(buf.getInt(8)).toBe(-1);
      expect(ByteBufUtil.hexDump(buf, 4, 4)).toBe('78563412');
      buf.clear().writeBoolean(true).writeBoolean(false);
      expect([buf.readBoolean(), buf.readBoolean()]).toEqual([true, false]);
    });

    it('reads back what it wrote for random values of every accessor (BE and LE)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: -128, max: 127 }),
          fc.integer({ min: -32768, max: 32767 }),
          fc.integer({ min: -0x800000, max: 0x7fffff }),
          fc.integer({ min: -0x80000000, max: 0x7fffffff }),
          fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          fc.maxSafeInteger(),
          fc.double(),
          fc.float({ noNaN: true }),
          (b, s, m, i, l, n, d, f) => {
            buf.clear();
            buf.writeByte(b).writeShort(s).writeShortLE(s).writeMedium(m).writeMediumLE(m);
            buf.writeInt(i).writeIntLE(i).writeLong(l).writeLongLE(l).writeLongNumber(n).writeLongNumberLE(n);
            buf.writeDouble(d).writeDoubleLE(d).writeFloat(f).writeFloatLE(f);
            expect(buf.readableBytes()).toBe(1 + 2 + 2 + 3 + 3 + 4 + 4 + 8 + 8 + 8 + 8 + 8 + 8 + 4 + 4);
            expect(buf.readByte()).toBe(b);
            expect(buf.readShort()).toBe(s);
            expect(buf.readShortLE()).toBe(s);
            expect(buf.readMedium()).toBe(m);
            expect(buf.readMediumLE()).toBe(m);
            expect(buf.readInt()).toBe(i);
            expect(buf.readIntLE()).toBe(i);
            expect(buf.readLong()).toBe(l);
            expect(buf.readLongLE()).toBe(l);
            expect(buf.readLongNumber()).toBe(n);
            expect(buf.readLongNumberLE()).toBe(n);
            expect(Object.is(buf.readDouble(), d)).toBe(true);
            expect(Object.is(buf.readDoubleLE(), d)).toBe(true);
            expect(buf.readFloat()).toBe(f);
            expect(buf.readFloatLE()).toBe(f);
            expect(buf.isReadable()).toBe(false);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('agrees with Node Buffer on the byte layout of 64-bit and floating-point values', () => {
      buf.setLong(0, -0x123456789abcdn).setLongLE(8, -0x123456789abcdn).setDouble(16, Math.PI).setFloatLE(24, 1.5);
      const expected = Buffer.alloc(28);
      expected.writeBigInt64BE(-0x123456789abcdn, 0);
      expected.writeBigInt64LE(-0x123456789abcdn, 8);
      expected.writeDoubleBE(Math.PI, 16);
      expected.writeFloatLE(1.5, 24);
      expect(ByteBufUtil.hexDump(buf, 0, 28)).toBe(expected.toString('hex'));
      expect(buf.getLongNumber(0)).toBe(-0x123456789abcd);
      expect(buf.getLongNumberLE(8)).toBe(-0x123456789abcd);
      expect(buf.getUnsignedIntLE(8)).toBe(expected.readUInt32LE(8));
    });

    it('truncates wide numbers like a Java narrowing cast and wraps 64-bit bigints', () => {
      buf.setByte(0, 0x1234).setShort(1, 0x123456).setInt(3, 2 ** 32 + 5).setLong(7, 2n ** 64n + 1n);
      expect(buf.getUnsignedByte(0)).toBe(0x34);
      expect(buf.getUnsignedShort(1)).toBe(0x3456);
      expect(buf.getInt(3)).toBe(5);
      expect(buf.getLong(7)).toBe(1n);
    });

    it('throws UnsafeIntegerException when a 64-bit value does not fit a JS number, without moving the reader', () => {
      buf.writeLong(2n ** 53n).writeLongLE(-(2n ** 53n)).writeLong(-(2n ** 53n) + 1n).writeLong(2n ** 53n - 1n);
      expect(() => buf.readLongNumber()).toThrow(UnsafeIntegerException);
      expect(buf.readerIndex()).toBe(0);
      try {
        buf.getLongNumber(0);
      } catch (err) {
        expect(err).toBeInstanceOf(UnsafeIntegerException);
        expect((err as UnsafeIntegerException).value).toBe(2n ** 53n);
        expect((err as UnsafeIntegerException).code).toBe('SLUICE_UNSAFE_INTEGER');
      }
      expect(() => buf.getLongNumberLE(8)).toThrow(/outside the safe integer range/);
      expect(buf.getLongNumber(16)).toBe(Number.MIN_SAFE_INTEGER);
      expect(buf.getLongNumber(24)).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('rejects writing a number that is not a safe integer as a 64-bit value', () => {
      expect(() => buf.writeLongNumber(2 ** 53)).toThrow(IllegalArgumentException);
      expect(() => buf.setLongNumberLE(0, 1.5)).toThrow(IllegalArgumentException);
      expect(() => buf.writeLongNumber(Number.NaN)).toThrow(/expected: a safe integer/);
      expect(buf.writerIndex()).toBe(0);
    });

    it('never grows on set but grows on write', () => {
      expect(() => buf.setInt(CAPACITY - 2, 1)).toThrow(IndexOutOfBoundsException);
      buf.writerIndex(CAPACITY - 2);
      if (kind.canGrow) {
        buf.writeInt(0x0a0b0c0d);
        expect(buf.capacity()).toBeGreaterThanOrEqual(CAPACITY + 2);
        expect(buf.getInt(CAPACITY - 2)).toBe(0x0a0b0c0d);
      } else {
        expect(() => buf.writeInt(1)).toThrow(IndexOutOfBoundsException);
      }
    });
  });

  describe('capacity', () => {
    it('grows with ensureWritable per the allocator policy and reports the outcome codes', () => {
      buf.writeZero(CAPACITY);
      if (!kind.canGrow) {
        expect(buf.ensureWritable(1, true)).toBe(1);
        expect(() => buf.ensureWritable(1)).toThrow(
          `writerIndex(${CAPACITY}) + minWritableBytes(1) exceeds maxCapacity(${CAPACITY}): ${buf.toString()}`,
        );
        return;
      }
      expect(buf.ensureWritable(0, false)).toBe(0);
      expect(buf.ensureWritable(10, false)).toBe(2);
      expect(buf.writableBytes()).toBeGreaterThanOrEqual(10);
      expect(buf.ensureWritable(buf.maxWritableBytes() + 1, false)).toBe(1);
      expect(() => buf.ensureWritable(-1)).toThrow(new IllegalArgumentException('minWritableBytes : -1 (expected: >= 0)'));
    });

    it('keeps the content and trims the indices when the capacity shrinks', () => {
      if (!kind.canGrow) {
        expect(() => buf.capacity(CAPACITY * 2)).toThrow(/sliced buffer/);
        return;
      }
      buf.writeInt(0x11223344).writeZero(20);
      buf.readerIndex(22);
      buf.capacity(10);
      expect(buf.capacity()).toBe(10);
      expect([buf.readerIndex(), buf.writerIndex()]).toEqual([10, 10]);
      expect(buf.getInt(0)).toBe(0x11223344);
      buf.capacity(200);
      expect(buf.getInt(0)).toBe(0x11223344);
      expect(() => buf.capacity(-1)).toThrow(IllegalArgumentException);
    });
  });

  describe('discarding', () => {
    it('moves the readable bytes to the front and lowers the marks', () => {
      for (let i = 0; i < 20; i++) buf.writeByte(i);
      buf.readerIndex(4).markReaderIndex().readerIndex(8).markWriterIndex();
      // marks: reader 4, writer 20
      buf.readerIndex(6);
      buf.discardReadBytes();
      expect([buf.readerIndex(), buf.writerIndex()]).toEqual([0, 14]);
      expect(buf.getUnsignedByte(0)).toBe(6);
      expect(buf.getUnsignedByte(13)).toBe(19);
      buf.resetWriterIndex();
      expect(buf.writerIndex()).toBe(14);
      buf.resetReaderIndex();
      expect(buf.readerIndex()).toBe(0);
    });

    it('resets both indices when everything was read', () => {
      buf.writeInt(1).readInt();
      buf.discardReadBytes();
      expect([buf.readerIndex(), buf.writerIndex()]).toEqual([0, 0]);
    });

    it('compacts in discardSomeReadBytes only once at least half of the capacity was read', () => {
      if (kind.name === 'CompositeByteBuf') return; // a composite drops whole read components instead (own tests)
      buf.writeZero(CAPACITY).readerIndex(CAPACITY / 2 - 1);
      buf.discardSomeReadBytes();
      expect(buf.readerIndex()).toBe(CAPACITY / 2 - 1);
      buf.readerIndex(CAPACITY / 2);
      buf.discardSomeReadBytes();
      expect([buf.readerIndex(), buf.writerIndex()]).toEqual([0, CAPACITY / 2]);
    });
  });

  describe('bulk transfer', () => {
    it('copies between arrays and buffers with and without moving indices', () => {
      buf.writeBytes(Uint8Array.of(1, 2, 3, 4, 5, 6));
      const array = new Uint8Array(4);
      buf.getBytes(1, array, 1, 3);
      expect([...array]).toEqual([0, 2, 3, 4]);
      buf.readBytes(array);
      expect([...array]).toEqual([1, 2, 3, 4]);
      expect(buf.readerIndex()).toBe(4);
      const other = Unpooled.buffer(8);
      try {
        buf.readBytes(other, 2); // Netty's (dst, length) form: moves dst's writer index
        expect([other.writerIndex(), buf.readerIndex()]).toEqual([2, 6]);
        buf.setBytes(0, other); // (index, src): moves src's reader index
        expect(other.readerIndex()).toBe(2);
        expect([buf.getByte(0), buf.getByte(1)]).toEqual([5, 6]);
        buf.getBytes(0, other, 4, 2); // absolute: dst indices untouched
        expect([other.getByte(4), other.writerIndex()]).toEqual([5, 2]);
      } finally {
        other.release();
      }
    });

    it('advances the source reader index when writing a ByteBuf without indices', () => {
      const src = Unpooled.copiedBuffer('hello', 'latin1');
      try {
        buf.writeBytes(src);
        expect(src.readerIndex()).toBe(5);
        buf.writeBytes(src, 0, 5);
        expect(src.readerIndex()).toBe(5);
        expect(buf.toString('latin1')).toBe('hellohello');
        expect(() => buf.writeBytes(src, 1)).toThrow(/^length\(1\) exceeds src.readableBytes\(0\) where src is: /);
      } finally {
        src.release();
      }
    });

    it('checks source and destination ranges with Netty\'s messages', () => {
      expect(() => buf.getBytes(0, new Uint8Array(2), 1, 2)).toThrow('dstIndex: 1, length: 2 (expected: range(0, 2))');
      expect(() => buf.setBytes(0, new Uint8Array(2), 1, 2)).toThrow('srcIndex: 1, length: 2 (expected: range(0, 2))');
      expect(() => buf.skipBytes(1)).toThrow(IndexOutOfBoundsException);
    });

    it('reads bytes into a new buffer from its allocator that the caller releases', () => {
      buf.writeInt(0x01020304);
      const out = buf.readBytes(3);
      try {
        expect(ByteBufUtil.hexDump(out)).toBe('010203');
        expect(out.refCnt()).toBe(1);
        expect(buf.readerIndex()).toBe(3);
      } finally {
        out.release();
      }
    });

    it('zeroes ranges with setZero and writeZero', () => {
      buf.writeInt(-1).writeInt(-1);
      buf.setZero(1, 2).writeZero(3);
      expect(ByteBufUtil.hexDump(buf)).toBe('ff0000ffffffffff000000');
    });
  });

  describe('strings', () => {
    it.each(['utf8', 'utf16le', 'latin1', 'ascii', 'base64', 'hex'] as const)('writes and decodes %s', (encoding) => {
      const text = encoding === 'hex' ? 'c3a9' : encoding === 'base64' ? 'aGk=' : encoding === 'ascii' || encoding === 'latin1' ? 'plain text' : 'ünïcødé ✓';
      const written = buf.writeCharSequence(text, encoding);
      expect(written).toBe(Buffer.byteLength(text, encoding));
      expect(buf.toString(encoding)).toBe(text);
      expect(buf.getCharSequence(0, written, encoding)).toBe(text);
      expect(buf.readCharSequence(written, encoding)).toBe(text);
      expect(buf.isReadable()).toBe(false);
    });

    it('sets a sequence at an index without growing and returns the byte count', () => {
      expect(buf.setCharSequence(2, 'é', 'utf8')).toBe(2);
      expect(buf.getCharSequence(2, 2, 'utf8')).toBe('é');
      expect(buf.writerIndex()).toBe(0);
      expect(() => buf.setCharSequence(CAPACITY - 1, 'ab')).toThrow(IndexOutOfBoundsException);
      expect(() => buf.getCharSequence(0, -1)).toThrow(IndexOutOfBoundsException);
    });

    it('describes itself with toString() and decodes with toString(encoding)', () => {
      buf.writeCharSequence('abc', 'latin1');
      expect(buf.toString()).toMatch(/^\w+\(ridx: 0, widx: 3, cap: \d+/);
      expect(buf.toString('utf8')).toBe('abc');
      expect(buf.toString(1, 2, 'utf8')).toBe('bc');
      expect(String(buf)).toBe(buf.toString());
    });
  });

  describe('search and compare', () => {
    beforeEach(() => {
      for (const b of [1, 2, 3, 2, 1]) buf.writeByte(b);
    });

    it('finds bytes forwards and backwards with indexOf', () => {
      expect(buf.indexOf(1, 4, 1)).toBe(-1);
      expect(buf.indexOf(4, 1, 1)).toBe(-1);
      expect(buf.indexOf(1, 4, 2)).toBe(1);
      expect(buf.indexOf(4, 1, 2)).toBe(3);
      expect(buf.indexOf(0, 5, 0x101)).toBe(0);
      expect(() => buf.indexOf(0, buf.capacity() + 1, 0)).toThrow(IndexOutOfBoundsException);
      expect(() => buf.indexOf(buf.capacity(), -1, 0)).toThrow(IndexOutOfBoundsException);
      buf.setZero(5, buf.capacity() - 5);
      expect(buf.indexOf(buf.capacity() + 1, 0, 1)).toBe(4);
      expect(buf.indexOf(-1, buf.capacity(), 1)).toBe(0);
    });

    it('counts bytes before a value in the readable region', () => {
      buf.readerIndex(1);
      expect(buf.bytesBefore(1)).toBe(3);
      expect(buf.bytesBefore(2, 3)).toBe(1);
      expect(buf.bytesBefore(2, 1)).toBe(-1);
      expect(buf.bytesBefore(0, 5, 3)).toBe(2);
      expect(() => buf.bytesBefore(10, 1)).toThrow(IndexOutOfBoundsException);
    });

    it('visits bytes in both directions and reports where the processor stopped', () => {
      const seen: number[] = [];
      expect(buf.forEachByte((v) => (seen.push(v), true))).toBe(-1);
      expect(seen).toEqual([1, 2, 3, 2, 1]);
      expect(buf.forEachByte((v) => v !== 3)).toBe(2);
      expect(buf.forEachByteDesc((v) => v !== 2)).toBe(3);
      expect(buf.forEachByte(3, 2, (v) => v !== 1)).toBe(4);
      expect(buf.forEachByteDesc(0, 2, (v) => v !== 1)).toBe(0);
      buf.setByte(0, 0xff);
      expect(buf.forEachByte((v) => v !== 255)).toBe(0);
    });

    it('compares readable regions as unsigned bytes', () => {
      const same = Unpooled.wrappedBuffer(Uint8Array.of(1, 2, 3, 2, 1));
      const bigger = Unpooled.wrappedBuffer(Uint8Array.of(1, 2, 0x80));
      const prefix = Unpooled.wrappedBuffer(Uint8Array.of(1, 2, 3));
      try {
        expect(buf.equals(same)).toBe(true);
        expect(buf.compareTo(same)).toBe(0);
        expect(buf.compareTo(bigger)).toBeLessThan(0);
        expect(bigger.compareTo(buf)).toBeGreaterThan(0);
        expect(buf.compareTo(prefix)).toBeGreaterThan(0);
        expect(buf.equals(prefix)).toBe(false);
        buf.readerIndex(2);
        expect(buf.equals(prefix.skipBytes(2))).toBe(false);
      } finally {
        releaseAll(same, bigger, prefix);
      }
    });
  });

  describe('exits', () => {
    it('exposes the readable region as Buffer views without copying', () => {
      buf.writeInt(0x61626364);
      const views = buf.nioBuffers();
      expect(Buffer.concat(views).toString('latin1')).toBe('abcd');
      expect(views.length).toBeLessThanOrEqual(buf.nioBufferCount());
      if (buf.nioBufferCount() === 1) {
        const view = buf.nioBuffer();
        view[0] = 0x7a;
        expect(buf.getByte(0)).toBe(0x7a);
      }
      expect(buf.nioBuffer(1, 2).toString('latin1')).toMatch(/^.c$/);
    });

    it('maps buffer indices onto array() with arrayOffset() when it has an array', () => {
      buf.writeInt(0x0badcafe);
      if (buf.hasArray()) {
        const array = buf.array();
        expect(array[buf.arrayOffset() + 1]).toBe(0xad);
      }
    });

    it('makes independent copies', () => {
      buf.writeInt(7);
      const copy = buf.copy();
      try {
        copy.setInt(0, 9);
        expect(buf.getInt(0)).toBe(7);
        expect(copy.readableBytes()).toBe(4);
        expect(copy.refCnt()).toBe(1);
      } finally {
        copy.release();
      }
    });
  });
});

describe('AbstractByteBuf scenarios from Netty', () => {
  it('grows a 0-capacity buffer on writeIntLE and hex-dumps 78563412', () => {
    const buf = Unpooled.buffer(0);
    try {
      buf.writeIntLE(0x12345678);
      expect(buf.capacity()).toBe(64);
      expect(ByteBufUtil.hexDump(buf)).toBe('78563412');
    } finally {
      buf.release();
    }
  });

  it('throws IndexOutOfBoundsException past maxCapacity with Netty\'s message', () => {
    const buf = Unpooled.buffer(4, 6);
    try {
      buf.writeInt(1);
      expect(() => buf.writeInt(2)).toThrow(
        'writerIndex(4) + minWritableBytes(4) exceeds maxCapacity(6): UnpooledHeapByteBuf(ridx: 0, widx: 4, cap: 4/6)',
      );
      expect(buf.ensureWritable(4, true)).toBe(3);
      expect(buf.capacity()).toBe(6);
    } finally {
      buf.release();
    }
  });

  it('rejects access after release with refCnt: 0 before any index check', () => {
    const buf = Unpooled.buffer(4);
    buf.release();
    expect(() => buf.getInt(1000)).toThrow(new IllegalReferenceCountException(0));
    expect(() => buf.readByte()).toThrow('refCnt: 0');
  });
});
