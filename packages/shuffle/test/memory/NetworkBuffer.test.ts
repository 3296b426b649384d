import { describe, expect, it } from '@jest/globals';
import {
  IllegalArgumentException,
  IllegalReferenceCountException,
  IndexOutOfBoundsException,
  ReadOnlyBufferException,
} from '@sluice/channel';
import { LeakAssertions, ResourceLeakDetector } from '@sluice/channel/testing';
import {
  DataType,
  FreeingBufferRecycler,
  MemorySegmentFactory,
  NetworkBuffer,
  ReadOnlySlicedNetworkBuffer,
  type BufferRecycler,
  type MemorySegment,
} from '../../src/memory';

class CountingRecycler implements BufferRecycler {
  readonly recycled: MemorySegment[] = [];
  recycle(segment: MemorySegment): void {
    this.recycled.push(segment);
  }
}

function newBuffer(size = 64): { buffer: NetworkBuffer; segment: MemorySegment; recycler: CountingRecycler } {
  const segment = MemorySegmentFactory.allocateSharedSegment(size);
  const recycler = new CountingRecycler();
  return { buffer: new NetworkBuffer(segment, recycler), segment, recycler };
}

describe('NetworkBuffer', () => {
  it('starts with one reference, size 0, the segment as capacity and DATA_BUFFER', () => {
    const { buffer, segment } = newBuffer(64);
    expect(buffer.refCnt()).toBe(1);
    expect([buffer.getReaderIndex(), buffer.getSize(), buffer.capacity(), buffer.getMaxCapacity()]).toEqual([0, 0, 64, 64]);
    expect(buffer.getDataType()).toBe(DataType.DATA_BUFFER);
    expect(buffer.isBuffer()).toBe(true);
    expect(buffer.isCompressed()).toBe(false);
    expect(buffer.getMemorySegment()).toBe(segment);
    expect(buffer.getMemorySegmentOffset()).toBe(0);
    expect(buffer.asByteBuf()).toBe(buffer);
    buffer.recycleBuffer();
  });

  it('takes data type, size and compression flag from the constructor', () => {
    const segment = MemorySegmentFactory.allocateUnpooledSegment(16);
    const buffer = new NetworkBuffer(segment, FreeingBufferRecycler.INSTANCE, DataType.EVENT_BUFFER, 12, true);
    expect([buffer.getSize(), buffer.readableBytes(), buffer.isBuffer(), buffer.isCompressed()]).toEqual([12, 12, false, true]);
    buffer.setDataType(DataType.DATA_BUFFER);
    buffer.setCompressed(false);
    expect([buffer.isBuffer(), buffer.isCompressed()]).toEqual([true, false]);
    buffer.recycleBuffer();
  });

  it('gives the segment to its recycler exactly once, on the last release', () => {
    const { buffer, segment, recycler } = newBuffer();
    buffer.retainBuffer();
    expect(buffer.refCnt()).toBe(2);
    buffer.recycleBuffer();
    expect(recycler.recycled).toEqual([]);
    expect(buffer.isRecycled()).toBe(false);
    buffer.recycleBuffer();
    expect(recycler.recycled).toEqual([segment]);
    expect(buffer.isRecycled()).toBe(true);
    expect(() => buffer.recycleBuffer()).toThrow(new IllegalReferenceCountException(0, -1));
    expect(() => buffer.getMemorySegment()).toThrow(IllegalReferenceCountException);
    expect(() => buffer.retainBuffer()).toThrow(IllegalReferenceCountException);
    expect(recycler.recycled).toHaveLength(1);
  });

  it('frees one-off heap segments through the FreeingBufferRecycler', () => {
    const segment = MemorySegmentFactory.allocateUnpooledSegment(8);
    new NetworkBuffer(segment, FreeingBufferRecycler.INSTANCE).recycleBuffer();
    expect(segment.isFreed()).toBe(true);
  });

  it('is a ByteBuf whose nioBuffer() is a view of the shared segment, not a copy', () => {
    const { buffer, segment } = newBuffer(32);
    buffer.writeInt(0x01020304).writeLong(5n);
    const view = buffer.getNioBufferReadable();
    expect(view.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(view.buffer).toBe(segment.getArray().buffer);
    expect(view.byteOffset).toBe(segment.getArray().byteOffset);
    expect(view.length).toBe(12);
    buffer.setByte(0, 0x7f);
    expect(view[0]).toBe(0x7f);
    expect(segment.getIntBigEndian(0)).toBe(0x7f020304);
    expect(buffer.getNioBuffer(4, 8).readBigInt64BE(0)).toBe(5n);
    buffer.recycleBuffer();
  });

  it('moves the usable capacity inside the segment but never past it', () => {
    const { buffer } = newBuffer(16);
    buffer.capacity(8);
    expect(buffer.capacity()).toBe(8);
    buffer.writeLong(1n);
    buffer.writeInt(2); // grows back within the segment
    expect(buffer.capacity()).toBeGreaterThanOrEqual(12);
    expect(() => buffer.capacity(17)).toThrow(IllegalArgumentException);
    expect(() => buffer.writeBytes(new Uint8Array(8))).toThrow(IndexOutOfBoundsException);
    buffer.recycleBuffer();
  });

  it('sets size and reader index as writer and reader index', () => {
    const { buffer } = newBuffer(16);
    buffer.setSize(10);
    buffer.setReaderIndex(4);
    expect([buffer.writerIndex(), buffer.readerIndex(), buffer.readableBytes()]).toEqual([10, 4, 6]);
    expect(() => buffer.setSize(17)).toThrow(IndexOutOfBoundsException);
    expect(() => buffer.setReaderIndex(11)).toThrow(IndexOutOfBoundsException);
    buffer.recycleBuffer();
  });

  it('describes itself with indices, data type and reference count', () => {
    const { buffer } = newBuffer(16);
    buffer.setSize(3);
    expect(buffer.toString()).toBe('NetworkBuffer(ridx: 0, widx: 3, cap: 16/16, dataType: DATA_BUFFER, refCnt: 1)');
    buffer.recycleBuffer();
    expect(buffer.toString()).toBe('NetworkBuffer(freed)');
  });

  // Only PARANOID tracks every buffer (the project's default for tests; SIMPLE samples 1 in 128).
  (ResourceLeakDetector.getLevel() === 'PARANOID' ? it : it.skip)('is reported by the leak check when never recycled', async () => {
    LeakAssertions.markLeakCheckpoint();
    const { buffer } = newBuffer();
    await expect(LeakAssertions.assertNoLeaks()).rejects.toThrow(/NetworkBuffer/);
    buffer.recycleBuffer();
  });
});

describe('ReadOnlySlicedNetworkBuffer', () => {
  it('shares the reference count without retaining, and has its own indices', () => {
    const { buffer, recycler } = newBuffer(32);
    buffer.writeBytes(Buffer.from('0123456789'));
    buffer.setReaderIndex(2);
    const slice = buffer.readOnlySlice();
    expect(slice).toBeInstanceOf(ReadOnlySlicedNetworkBuffer);
    expect(buffer.refCnt()).toBe(1);
    expect([slice.getReaderIndex(), slice.getSize(), slice.getMaxCapacity()]).toEqual([0, 8, 8]);
    expect(slice.toString('latin1')).toBe('23456789');
    expect(slice.getMemorySegmentOffset()).toBe(2);
    slice.asByteBuf().readByte();
    expect(buffer.getReaderIndex()).toBe(2);
    slice.retainBuffer();
    expect(buffer.refCnt()).toBe(2);
    slice.recycleBuffer();
    expect(slice.isRecycled()).toBe(false);
    slice.recycleBuffer();
    expect(buffer.isRecycled()).toBe(true);
    expect(recycler.recycled).toHaveLength(1);
  });

  it('slices a window and slices of slices point into the root', () => {
    const { buffer } = newBuffer(32);
    buffer.writeBytes(Buffer.from('abcdefghij'));
    const slice = buffer.readOnlySlice(3, 5);
    const inner = slice.readOnlySlice(1, 3);
    expect(inner.toString('latin1')).toBe('efg');
    expect(inner.getMemorySegmentOffset()).toBe(4);
    expect(inner.unwrap()).toBe(buffer);
    expect(slice.readOnlySlice().toString('latin1')).toBe('defgh');
    expect(() => slice.readOnlySlice(3, 3)).toThrow(IndexOutOfBoundsException);
    expect(() => buffer.readOnlySlice(30, 3)).toThrow(IndexOutOfBoundsException);
    buffer.recycleBuffer();
  });

  it('rejects every write, including the data type, but shares the root data type', () => {
    const { buffer } = newBuffer(16);
    buffer.writeInt(1);
    const slice = buffer.readOnlySlice(0, 4);
    expect(slice.isReadOnly()).toBe(true);
    expect(() => slice.setInt(0, 2)).toThrow(ReadOnlyBufferException);
    expect(() => slice.writeByte(1)).toThrow(ReadOnlyBufferException);
    expect(() => slice.setBytes(0, new Uint8Array(2))).toThrow(ReadOnlyBufferException);
    expect(() => slice.setDataType(DataType.EVENT_BUFFER)).toThrow(ReadOnlyBufferException);
    expect(() => slice.array()).toThrow(ReadOnlyBufferException);
    expect(slice.isWritable()).toBe(false);
    buffer.setDataType(DataType.EVENT_BUFFER);
    expect(slice.getDataType()).toBe(DataType.EVENT_BUFFER);
    expect(slice.isBuffer()).toBe(false);
    buffer.recycleBuffer();
  });

  it('copies the compression flag at creation and keeps its own afterwards', () => {
    const { buffer } = newBuffer(16);
    buffer.setCompressed(true);
    const slice = buffer.readOnlySlice(0, 0);
    buffer.setCompressed(false);
    expect(slice.isCompressed()).toBe(true);
    slice.setCompressed(false);
    expect(slice.isCompressed()).toBe(false);
    buffer.recycleBuffer();
  });

  it('exposes its window as a view of the shared segment (zero copy to a socket)', () => {
    const { buffer, segment } = newBuffer(16);
    buffer.writeBytes(Uint8Array.of(1, 2, 3, 4, 5, 6));
    const view = buffer.readOnlySlice(2, 3).getNioBufferReadable();
    expect([...view]).toEqual([3, 4, 5]);
    expect(view.buffer).toBe(segment.getArray().buffer);
    expect(view.byteOffset).toBe(segment.getArray().byteOffset + 2);
    buffer.recycleBuffer();
  });

  it('fails on access after the root was recycled', () => {
    const { buffer } = newBuffer(16);
    buffer.writeInt(1);
    const slice = buffer.readOnlySlice();
    buffer.recycleBuffer();
    expect(() => slice.getInt(0)).toThrow(IllegalReferenceCountException);
    expect(() => slice.readOnlySlice()).toThrow(IllegalReferenceCountException);
  });
});

describe('DataType', () => {
  it("has Flink's ordinals and flags", () => {
    const table = DataType.values().map((t) => [
      t.ordinal,
      t.name,
      t.isBuffer(),
      t.isEvent(),
      t.isBlockingUpstream(),
      t.hasPriority(),
      t.requiresAnnouncement(),
    ]);
    expect(table).toEqual([
      [0, 'NONE', false, false, false, false, false],
      [1, 'DATA_BUFFER', true, false, false, false, false],
      [2, 'EVENT_BUFFER', false, true, false, false, false],
      [3, 'PRIORITIZED_EVENT_BUFFER', false, true, false, true, false],
      [4, 'ALIGNED_CHECKPOINT_BARRIER', false, true, true, false, false],
      [5, 'TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER', false, true, true, false, true],
      [6, 'RECOVERY_COMPLETION', false, true, true, false, false],
      [7, 'END_OF_SEGMENT', false, true, false, false, false],
    ]);
  });

  it('maps wire ordinals back to the constants and rejects unknown ones', () => {
    expect(DataType.fromOrdinal(5)).toBe(DataType.TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER);
    expect(() => DataType.fromOrdinal(8)).toThrow(new IllegalArgumentException('Buffer.DataType ordinal 8 (expected: 0-7)'));
    expect(Object.isFrozen(DataType.DATA_BUFFER)).toBe(true);
  });
});
