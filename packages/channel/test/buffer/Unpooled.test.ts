import { describe, expect, it } from '@jest/globals';
import { ByteBufUtil, CompositeByteBuf, Unpooled } from '../../src/buffer';
import { IllegalArgumentException } from '../../src/util/SluiceError';
import { installLeakChecks } from './helpers';

installLeakChecks();

describe('Unpooled', () => {
  it('wraps arrays zero-copy with a capacity fixed to their length', () => {
    const bytes = Buffer.from('hello');
    const buf = Unpooled.wrappedBuffer(bytes);
    expect([buf.readableBytes(), buf.maxCapacity()]).toEqual([5, 5]);
    bytes[0] = 0x48;
    expect(buf.toString('utf8')).toBe('Hello');
    expect(() => buf.writeByte(1)).toThrow(/exceeds maxCapacity\(5\)/);
    buf.release();
    const part = Unpooled.wrappedBuffer(bytes, 1, 3);
    expect(part.toString('utf8')).toBe('ell');
    part.setByte(0, 0x45);
    expect(bytes.toString()).toBe('HEllo');
    part.release();
    expect(() => Unpooled.wrappedBuffer(bytes, 4, 2)).toThrow(IllegalArgumentException);
    expect(Unpooled.wrappedBuffer(new Uint8Array(0))).toBe(Unpooled.EMPTY_BUFFER);
  });

  it('wraps a readable ByteBuf as a slice and releases an unreadable one', () => {
    const buf = Unpooled.copiedBuffer('abc');
    buf.readByte();
    const wrapped = Unpooled.wrappedBuffer(buf);
    expect(wrapped.toString('utf8')).toBe('bc');
    expect(wrapped.unwrap()).toBe(buf);
    wrapped.release();
    expect(buf.refCnt()).toBe(0);
    const empty = Unpooled.buffer(4);
    expect(Unpooled.wrappedBuffer(empty)).toBe(Unpooled.EMPTY_BUFFER);
    expect(empty.refCnt()).toBe(0);
  });

  it('wraps several parts into a composite that owns them', () => {
    const a = Unpooled.copiedBuffer('ab');
    const empty = Unpooled.buffer(2);
    const composite = Unpooled.wrappedBuffer(a, empty, Buffer.from('cd'));
    expect(composite).toBeInstanceOf(CompositeByteBuf);
    expect(composite.toString('utf8')).toBe('abcd');
    expect(empty.refCnt()).toBe(0);
    composite.release();
    expect(a.refCnt()).toBe(0);
  });

  it('copies bytes, buffers and strings into new buffers', () => {
    const src = Unpooled.copiedBuffer('xyz', 'latin1');
    src.readByte();
    const copy = Unpooled.copiedBuffer(src, Uint8Array.of(0x21));
    expect(copy.toString('latin1')).toBe('yz!');
    expect(src.readerIndex()).toBe(1);
    const text = Unpooled.copiedBuffer('é', 'utf16le');
    expect(ByteBufUtil.hexDump(text)).toBe('e900');
    expect(Unpooled.copiedBuffer('')).toBe(Unpooled.EMPTY_BUFFER);
    for (const b of [src, copy, text]) b.release();
  });

  it('copies numbers big-endian', () => {
    const cases = [
      [Unpooled.copyInt(1, -1), '00000001ffffffff'],
      [Unpooled.copyShort(0x1234), '1234'],
      [Unpooled.copyMedium(0x123456), '123456'],
      [Unpooled.copyLong(-2n), 'fffffffffffffffe'],
      [Unpooled.copyBoolean(true, false), '0100'],
      [Unpooled.copyFloat(1), '3f800000'],
      [Unpooled.copyDouble(1), '3ff0000000000000'],
    ] as const;
    for (const [buf, hex] of cases) {
      expect(ByteBufUtil.hexDump(buf)).toBe(hex);
      buf.release();
    }
    expect(Unpooled.copyInt()).toBe(Unpooled.EMPTY_BUFFER);
  });

  it('makes composites with the default component limit', () => {
    const composite = Unpooled.compositeBuffer();
    expect(composite.maxNumComponents()).toBe(16);
    composite.release();
  });
});
