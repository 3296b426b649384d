import { describe, expect, it } from '@jest/globals';
import {
  type ByteBuf,
  DuplicatedByteBuf,
  IllegalReferenceCountException,
  ReadOnlyBufferException,
  SlicedByteBuf,
  Unpooled,
} from '../../src/buffer';
import { IndexOutOfBoundsException, UnsupportedOperationException } from '../../src/util/SluiceError';
import { installLeakChecks, pooled } from './helpers';

installLeakChecks();

function root(text = 'abcdefghij'): ByteBuf {
  return pooled.buffer(32).writeBytes(Buffer.from(text, 'latin1'));
}

describe('SlicedByteBuf', () => {
  it('views the readable region with its own indices', () => {
    const buf = root();
    buf.readerIndex(2);
    const slice = buf.slice();
    expect(slice).toBeInstanceOf(SlicedByteBuf);
    expect([slice.readerIndex(), slice.writerIndex(), slice.capacity(), slice.maxCapacity()]).toEqual([0, 8, 8, 8]);
    expect(slice.toString('latin1')).toBe('cdefghij');
    slice.setByte(0, 0x43);
    expect(buf.getByte(2)).toBe(0x43);
    expect(slice.unwrap()).toBe(buf);
    buf.release();
  });

  it('releases the root when the slice is released (testSliceRelease)', () => {
    const buf = root();
    expect(buf.slice().release()).toBe(true);
    expect(buf.refCnt()).toBe(0);
  });

  it('shares the root count: plain slices add no reference, retained slices add one', () => {
    const buf = root();
    const plain = buf.slice(1, 3);
    expect(plain.refCnt()).toBe(1);
    const retained = buf.retainedSlice(1, 3);
    expect(buf.refCnt()).toBe(2);
    expect(retained.refCnt()).toBe(2);
    const read = buf.readRetainedSlice(4);
    expect(buf.readerIndex()).toBe(4);
    expect(read.toString('latin1')).toBe('abcd');
    expect(buf.refCnt()).toBe(3);
    read.release();
    retained.release();
    expect(buf.refCnt()).toBe(1);
    expect(buf.release()).toBe(true);
    expect(() => plain.getByte(0)).toThrow(IllegalReferenceCountException);
  });

  it('has a fixed capacity (testSliceCapacityChange)', () => {
    const buf = root();
    const slice = buf.slice(0, 4);
    expect(() => slice.capacity(10)).toThrow(UnsupportedOperationException);
    expect(() => slice.capacity(2)).toThrow(/sliced buffer/);
    slice.clear();
    slice.writeInt(1);
    expect(() => slice.writeByte(1)).toThrow('writerIndex(4) + minWritableBytes(1) exceeds maxCapacity(4): ' + slice.toString());
    buf.release();
  });

  it('rejects slices beyond the buffer with an IndexOutOfBoundsException naming the range', () => {
    const buf = root();
    expect(() => buf.slice(30, 3)).toThrow(new IndexOutOfBoundsException(`${buf.toString()}.slice(30, 3)`));
    expect(() => buf.readSlice(11)).toThrow(IndexOutOfBoundsException);
    expect(() => buf.readRetainedSlice(11)).toThrow(IndexOutOfBoundsException);
    expect(() => buf.slice(-1, 1)).toThrow(IndexOutOfBoundsException);
    expect(buf.refCnt()).toBe(1);
    buf.release();
  });

  it('cannot be derived from a released buffer (testSliceAfterRelease)', () => {
    const buf = root();
    buf.release();
    expect(() => buf.slice()).toThrow('refCnt: 0');
    expect(() => buf.retainedSlice(0, 1)).toThrow(IllegalReferenceCountException);
    expect(() => buf.readSlice(1)).toThrow(IllegalReferenceCountException);
  });

  it('points slices of slices straight at the root with the adjustments added', () => {
    const buf = root();
    const inner = buf.slice(2, 6).slice(1, 3);
    expect(inner.unwrap()).toBe(buf);
    expect(inner.toString('latin1')).toBe('def');
    expect(inner.arrayOffset()).toBe(buf.arrayOffset() + 3);
    expect(inner.nioBuffer().toString('latin1')).toBe('def');
    expect(inner.indexOf(0, 3, 0x66)).toBe(2);
    expect(inner.forEachByteDesc((v) => v !== 0x64)).toBe(0);
    buf.release();
  });

  it('keeps a duplicate of a slice within the slice', () => {
    const buf = root();
    const slice = buf.slice(2, 4);
    slice.readerIndex(1);
    const dup = slice.duplicate();
    expect([dup.readerIndex(), dup.writerIndex(), dup.capacity()]).toEqual([1, 4, 4]);
    expect(dup.toString('latin1')).toBe('def');
    buf.release();
  });

  it('makes read-only views and copies of its region', () => {
    const buf = root();
    const slice = buf.slice(1, 3);
    const ro = slice.asReadOnly();
    expect(ro.isReadOnly()).toBe(true);
    expect(() => ro.setByte(0, 1)).toThrow(ReadOnlyBufferException);
    const copy = slice.copy();
    expect(copy.toString('latin1')).toBe('bcd');
    copy.release();
    buf.release();
  });
});

describe('DuplicatedByteBuf', () => {
  it('copies indices and marks and shares content and count', () => {
    const buf = root();
    buf.readerIndex(3);
    const dup = buf.duplicate();
    expect(dup).toBeInstanceOf(DuplicatedByteBuf);
    expect([dup.readerIndex(), dup.writerIndex(), dup.capacity()]).toEqual([3, 10, 32]);
    dup.readByte();
    dup.resetReaderIndex();
    expect(dup.readerIndex()).toBe(3);
    dup.setByte(0, 0x41);
    expect(buf.getByte(0)).toBe(0x41);
    expect(dup.refCnt()).toBe(1);
    dup.release();
    expect(buf.refCnt()).toBe(0);
  });

  it('can change the capacity of the root (testDuplicateCapacityChange)', () => {
    const buf = Unpooled.buffer(8, 64);
    const dup = buf.duplicate();
    dup.capacity(40);
    expect(buf.capacity()).toBe(40);
    dup.writeZero(40).writeInt(1);
    expect(buf.capacity()).toBeGreaterThanOrEqual(44);
    buf.release();
  });

  it('retains the root once for retainedDuplicate and unwraps nested duplicates', () => {
    const buf = root();
    const dup = buf.retainedDuplicate();
    expect(buf.refCnt()).toBe(2);
    expect(dup.duplicate().unwrap()).toBe(buf);
    dup.release();
    expect(buf.refCnt()).toBe(1);
    buf.release();
    expect(() => buf.duplicate()).toThrow('refCnt: 0');
    expect(() => buf.retainedDuplicate()).toThrow(IllegalReferenceCountException);
  });
});
