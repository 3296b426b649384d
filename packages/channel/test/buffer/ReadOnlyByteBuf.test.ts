import { describe, expect, it } from '@jest/globals';
import { ReadOnlyBufferException, ReadOnlyByteBuf, Unpooled } from '../../src/buffer';
import { UnsupportedOperationException } from '../../src/util/SluiceError';
import { installLeakChecks, pooled } from './helpers';

installLeakChecks();

describe('ReadOnlyByteBuf', () => {
  it('reads the source bytes through its own indices and rejects every write', () => {
    const buf = pooled.buffer(16).writeInt(0x01020304);
    const ro = buf.asReadOnly();
    expect(ro).toBeInstanceOf(ReadOnlyByteBuf);
    expect(ro.isReadOnly()).toBe(true);
    expect(ro.readInt()).toBe(0x01020304);
    expect(buf.readerIndex()).toBe(0);
    for (const write of [
      () => ro.setInt(0, 1),
      () => ro.writeByte(1),
      () => ro.setBytes(0, new Uint8Array(1)),
      () => ro.setZero(0, 1),
      () => ro.capacity(4),
      () => ro.ensureWritable(1),
      () => ro.discardReadBytes(),
      () => ro.array(),
    ]) {
      expect(write).toThrow(ReadOnlyBufferException);
    }
    expect(new ReadOnlyBufferException()).toBeInstanceOf(UnsupportedOperationException);
    expect(ro.ensureWritable(1, true)).toBe(1);
    expect(ro.hasArray()).toBe(false);
    buf.release();
  });

  it('stays read-only through slices and duplicates, and returns itself from asReadOnly', () => {
    const buf = Unpooled.copiedBuffer('abcdef');
    const ro = Unpooled.unmodifiableBuffer(buf);
    expect(ro.asReadOnly()).toBe(ro);
    const slice = ro.slice(1, 2);
    expect(slice.isReadOnly()).toBe(true);
    expect(slice.toString('utf8')).toBe('bc');
    expect(() => slice.setByte(0, 0)).toThrow(ReadOnlyBufferException);
    expect(ro.duplicate().isReadOnly()).toBe(true);
    const copy = ro.copy();
    expect(copy.isReadOnly()).toBe(false);
    copy.release();
    ro.release();
    expect(buf.refCnt()).toBe(0);
  });
});
