import { describe, expect, it } from '@jest/globals';
import {
  type ByteBuf,
  IllegalReferenceCountException,
  ReferenceCountUtil,
  Unpooled,
} from '../../src/buffer';
import { IllegalArgumentException } from '../../src/util/SluiceError';
import { BUFFER_KINDS, installLeakChecks, pooled } from './helpers';

installLeakChecks();

/** One call per accessor family; each must throw `refCnt: 0` on a released buffer. */
const ACCESSES: ReadonlyArray<readonly [string, (b: ByteBuf) => unknown]> = [
  ['getBoolean', (b) => b.getBoolean(0)],
  ['getByte', (b) => b.getByte(0)],
  ['getUnsignedByte', (b) => b.getUnsignedByte(0)],
  ['getShort', (b) => b.getShort(0)],
  ['getShortLE', (b) => b.getShortLE(0)],
  ['getUnsignedShort', (b) => b.getUnsignedShort(0)],
  ['getMedium', (b) => b.getMedium(0)],
  ['getUnsignedMediumLE', (b) => b.getUnsignedMediumLE(0)],
  ['getInt', (b) => b.getInt(0)],
  ['getUnsignedIntLE', (b) => b.getUnsignedIntLE(0)],
  ['getLong', (b) => b.getLong(0)],
  ['getLongNumberLE', (b) => b.getLongNumberLE(0)],
  ['getFloat', (b) => b.getFloat(0)],
  ['getDoubleLE', (b) => b.getDoubleLE(0)],
  ['setBoolean', (b) => b.setBoolean(0, true)],
  ['setByte', (b) => b.setByte(0, 1)],
  ['setShortLE', (b) => b.setShortLE(0, 1)],
  ['setMedium', (b) => b.setMedium(0, 1)],
  ['setInt', (b) => b.setInt(0, 1)],
  ['setLongLE', (b) => b.setLongLE(0, 1n)],
  ['setLongNumber', (b) => b.setLongNumber(0, 1)],
  ['setFloatLE', (b) => b.setFloatLE(0, 1)],
  ['setDouble', (b) => b.setDouble(0, 1)],
  ['readBoolean', (b) => b.readBoolean()],
  ['readByte', (b) => b.readByte()],
  ['readUnsignedShortLE', (b) => b.readUnsignedShortLE()],
  ['readMediumLE', (b) => b.readMediumLE()],
  ['readInt', (b) => b.readInt()],
  ['readUnsignedInt', (b) => b.readUnsignedInt()],
  ['readLong', (b) => b.readLong()],
  ['readLongNumber', (b) => b.readLongNumber()],
  ['readFloat', (b) => b.readFloat()],
  ['readDouble', (b) => b.readDouble()],
  ['writeBoolean', (b) => b.writeBoolean(true)],
  ['writeByte', (b) => b.writeByte(1)],
  ['writeShort', (b) => b.writeShort(1)],
  ['writeMediumLE', (b) => b.writeMediumLE(1)],
  ['writeInt', (b) => b.writeInt(1)],
  ['writeIntLE', (b) => b.writeIntLE(1)],
  ['writeLong', (b) => b.writeLong(1n)],
  ['writeLongNumberLE', (b) => b.writeLongNumberLE(1)],
  ['writeFloat', (b) => b.writeFloat(1)],
  ['writeDoubleLE', (b) => b.writeDoubleLE(1)],
  ['getBytes', (b) => b.getBytes(0, new Uint8Array(1))],
  ['setBytes', (b) => b.setBytes(0, new Uint8Array(1))],
  ['readBytes(length)', (b) => b.readBytes(1)],
  ['readBytes(array)', (b) => b.readBytes(new Uint8Array(1))],
  ['writeBytes', (b) => b.writeBytes(new Uint8Array(1))],
  ['skipBytes', (b) => b.skipBytes(1)],
  ['setZero', (b) => b.setZero(0, 1)],
  ['writeZero', (b) => b.writeZero(1)],
  ['writeCharSequence', (b) => b.writeCharSequence('a')],
  ['setCharSequence', (b) => b.setCharSequence(0, 'a')],
  ['getCharSequence', (b) => b.getCharSequence(0, 1)],
  ['readCharSequence', (b) => b.readCharSequence(1)],
  ['toString(encoding)', (b) => b.toString('utf8')],
  ['indexOf', (b) => b.indexOf(0, 1, 0)],
  ['bytesBefore', (b) => b.bytesBefore(0)],
  ['forEachByte', (b) => b.forEachByte(() => true)],
  ['forEachByteDesc', (b) => b.forEachByteDesc(() => true)],
  ['slice', (b) => b.slice()],
  ['retainedSlice', (b) => b.retainedSlice(0, 1)],
  ['duplicate', (b) => b.duplicate()],
  ['retainedDuplicate', (b) => b.retainedDuplicate()],
  ['readSlice', (b) => b.readSlice(1)],
  ['readRetainedSlice', (b) => b.readRetainedSlice(1)],
  ['copy', (b) => b.copy()],
  ['nioBuffer', (b) => b.nioBuffer()],
  ['nioBuffers', (b) => b.nioBuffers(0, 1)],
  ['discardReadBytes', (b) => b.discardReadBytes()],
  ['ensureWritable', (b) => b.ensureWritable(1)],
  ['ensureWritable(force)', (b) => b.ensureWritable(1, true)],
];

describe.each(BUFFER_KINDS)('reference counting of $name', (kind) => {
  it.each(ACCESSES)('throws IllegalReferenceCountException from %s after release', (_name, access) => {
    const buf = kind.create(16).writeInt(1).writeInt(2);
    buf.readerIndex(1);
    expect(buf.release()).toBe(true);
    expect(buf.refCnt()).toBe(0);
    expect(buf.isAccessible()).toBe(false);
    let thrown: unknown;
    try {
      access(buf);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(IllegalReferenceCountException);
    expect((thrown as Error).message).toBe('refCnt: 0');
    expect((thrown as IllegalReferenceCountException).code).toBe('SLUICE_ILLEGAL_REFERENCE_COUNT');
  });

  it('reports a double release as refCnt: 0, decrement: 1', () => {
    const buf = kind.create(8);
    buf.release();
    expect(() => buf.release()).toThrow(new IllegalReferenceCountException(0, -1));
    expect(() => buf.release()).toThrow('refCnt: 0, decrement: 1');
    expect(() => buf.retain()).toThrow('refCnt: 0, increment: 1');
  });

  it('counts retains and releases and frees exactly on the last release', () => {
    const buf = kind.create(8);
    expect(buf.refCnt()).toBe(1);
    expect(buf.retain(2)).toBe(buf);
    expect(buf.refCnt()).toBe(3);
    expect(buf.release()).toBe(false);
    expect(() => buf.release(3)).toThrow('refCnt: 2, decrement: 3');
    expect(buf.refCnt()).toBe(2);
    expect(buf.release(2)).toBe(true);
    expect(buf.refCnt()).toBe(0);
  });

  it('rejects non-positive increments and decrements', () => {
    const buf = kind.create(8);
    try {
      expect(() => buf.retain(0)).toThrow(new IllegalArgumentException('increment : 0 (expected: > 0)'));
      expect(() => buf.release(-1)).toThrow(IllegalArgumentException);
      expect(buf.refCnt()).toBe(1);
    } finally {
      buf.release();
    }
  });

  it('describes a released buffer as freed', () => {
    const buf = kind.create(8);
    buf.release();
    expect(buf.toString()).toMatch(/^\w+\(freed\)$/);
  });

  it('returns itself from touch, with or without a hint', () => {
    const buf = kind.create(8);
    try {
      expect(buf.touch()).toBe(buf);
      expect(buf.touch({ toHintString: () => 'hint' })).toBe(buf);
    } finally {
      buf.release();
    }
  });
});

describe('AbstractReferenceCountedByteBuf', () => {
  it('refuses a retain that would overflow the maximum count', () => {
    const buf = Unpooled.buffer(1);
    try {
      buf.retain(2147483646);
      expect(() => buf.retain()).toThrow('refCnt: 2147483647, increment: 1');
    } finally {
      buf.release(2147483647);
    }
    expect(buf.refCnt()).toBe(0);
  });

  it('is released through ReferenceCountUtil only when reference-counted', () => {
    const buf = pooled.buffer(4);
    expect(ReferenceCountUtil.release('not counted')).toBe(false);
    expect(ReferenceCountUtil.retain(buf)).toBe(buf);
    expect(ReferenceCountUtil.release(buf, 2)).toBe(true);
    const errors: unknown[] = [];
    expect(ReferenceCountUtil.safeRelease(buf, (e) => errors.push(e))).toBe(false);
    expect(errors[0]).toBeInstanceOf(IllegalReferenceCountException);
  });

  it('ignores release of Unpooled.EMPTY_BUFFER', () => {
    const empty = Unpooled.EMPTY_BUFFER;
    expect(empty.release()).toBe(false);
    expect(empty.release(5)).toBe(false);
    expect(empty.refCnt()).toBe(1);
    expect(empty.retain()).toBe(empty);
    expect(empty.capacity()).toBe(0);
    expect(empty.maxCapacity()).toBe(0);
    expect(empty.isReadable()).toBe(false);
    expect(() => empty.writeByte(1)).toThrow(/exceeds maxCapacity\(0\)/);
    expect(empty.slice().release()).toBe(false);
    const none = empty.readBytes(0);
    expect(none.readableBytes()).toBe(0);
    none.release();
  });
});
