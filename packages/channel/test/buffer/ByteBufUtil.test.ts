import { describe, expect, it } from '@jest/globals';
import { ByteBufUtil, Unpooled, UnpooledByteBufAllocator } from '../../src/buffer';
import { installLeakChecks, pooled } from './helpers';

installLeakChecks();

describe('ByteBufUtil', () => {
  it('hex-dumps the readable bytes in lowercase', () => {
    const buf = Unpooled.copiedBuffer(Uint8Array.of(0x00, 0xab, 0x7f, 0x10));
    buf.readByte();
    expect(ByteBufUtil.hexDump(buf)).toBe('ab7f10');
    expect(ByteBufUtil.hexDump(buf, 0, 2)).toBe('00ab');
    expect(ByteBufUtil.hexDump(Uint8Array.of(1, 2, 3), 1, 2)).toBe('0203');
    buf.release();
  });

  it('renders Netty\'s bordered pretty hex dump with offsets and an ASCII column', () => {
    const buf = Unpooled.copiedBuffer(Buffer.from('Hello, World!\n\u0000\u0001\u0002', 'latin1'));
    expect(ByteBufUtil.prettyHexDump(buf)).toBe(
      [
        '         +-------------------------------------------------+',
        '         |  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f |',
        '+--------+-------------------------------------------------+----------------+',
        '|00000000| 48 65 6c 6c 6f 2c 20 57 6f 72 6c 64 21 0a 00 01 |Hello, World!...|',
        '|00000010| 02                                              |.               |',
        '+--------+-------------------------------------------------+----------------+',
      ].join('\n'),
    );
    buf.release();
  });

  it('dumps exact multiples of 16 bytes without a partial row, and nothing for an empty range', () => {
    const buf = Unpooled.buffer(32);
    for (let i = 0; i < 32; i++) buf.writeByte(0x7e + i);
    const lines = ByteBufUtil.prettyHexDump(buf).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[3]).toBe('|00000000| 7e 7f 80 81 82 83 84 85 86 87 88 89 8a 8b 8c 8d |~...............|');
    expect(lines[4].startsWith('|00000010| 8e 8f')).toBe(true);
    expect(ByteBufUtil.prettyHexDump(buf, 4, 0)).toBe('');
    buf.readerIndex(32);
    expect(ByteBufUtil.prettyHexDump(buf)).toBe('');
    buf.release();
  });

  it('compares and searches buffers of different kinds', () => {
    const a = Unpooled.copiedBuffer('abcdefghijklmnopqrstuvwxyz0123456789');
    const b = pooled.buffer(64);
    b.writeCharSequence('abcdefghijklmnopqrstuvwxyz0123456789');
    const composite = UnpooledByteBufAllocator.DEFAULT.compositeBuffer();
    composite.addComponents(true, Unpooled.copiedBuffer('abcdefghijklmnopqr'), Unpooled.copiedBuffer('stuvwxyz0123456789'));
    expect(ByteBufUtil.equals(a, b)).toBe(true);
    expect(ByteBufUtil.equals(a, composite)).toBe(true);
    expect(ByteBufUtil.compare(a, composite)).toBe(0);
    b.setByte(35, 0x30);
    expect(ByteBufUtil.compare(a, b)).toBeGreaterThan(0);
    expect(ByteBufUtil.equals(a, 1, b, 1, 30)).toBe(true);
    expect(ByteBufUtil.equals(a, 30, b, 30, 10)).toBe(false);
    const needle = Unpooled.copiedBuffer('xyz0');
    expect(ByteBufUtil.indexOf(needle, a)).toBe(23);
    expect(ByteBufUtil.indexOf(needle, composite)).toBe(23);
    expect(ByteBufUtil.hashCode(a)).toBe(ByteBufUtil.hashCode(composite));
    for (const x of [a, b, composite, needle]) x.release();
  });

  it('encodes, decodes and copies strings and bytes', () => {
    const alloc = UnpooledByteBufAllocator.DEFAULT;
    const buf = ByteBufUtil.encodeString(alloc, 'héllo', 'utf8', 4);
    expect(buf.readableBytes()).toBe(6);
    expect(buf.writableBytes()).toBe(4);
    expect(ByteBufUtil.decodeString(buf, 0, 6)).toBe('héllo');
    expect(ByteBufUtil.writeUtf8(buf, '✓')).toBe(3);
    expect(ByteBufUtil.utf8Bytes('✓')).toBe(3);
    expect(ByteBufUtil.utf8MaxBytes('ab')).toBe(6);
    expect(ByteBufUtil.writeAscii(buf, 'ok')).toBe(2);
    expect([...ByteBufUtil.getBytes(buf, 0, 2)]).toEqual([0x68, 0xc3]);
    const part = ByteBufUtil.readBytes(alloc, buf, 3);
    expect(part.toString('utf8')).toBe('hé');
    part.release();
    buf.release();
  });

  it('swaps byte order of 16, 24, 32 and 64-bit values', () => {
    expect(ByteBufUtil.swapShort(0x1234)).toBe(0x3412);
    expect(ByteBufUtil.swapShort(0x00ff)).toBe(-256);
    expect(ByteBufUtil.swapMedium(0x123456)).toBe(0x563412);
    expect(ByteBufUtil.swapInt(0x12345678)).toBe(0x78563412);
    expect(ByteBufUtil.swapLong(0x0102030405060708n)).toBe(0x0807060504030201n);
  });
});
