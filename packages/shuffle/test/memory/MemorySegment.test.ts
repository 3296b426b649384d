import { describe, expect, it } from '@jest/globals';
import { IllegalArgumentException, IndexOutOfBoundsException } from '@sluice/channel';
import { MemorySegment, MemorySegmentFactory, MemorySegmentFreedException } from '../../src/memory';

describe('MemorySegment', () => {
  it('allocates a zeroed heap segment of the requested size outside shared memory', () => {
    const segment = MemorySegmentFactory.allocateUnpooledSegment(64);
    expect(segment.size()).toBe(64);
    expect(segment.isShared()).toBe(false);
    expect(segment.getArray().every((b) => b === 0)).toBe(true);
    expect(segment.getArray().buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('carves shared segments out of ONE SharedArrayBuffer without overlap, followed by one position cell each', () => {
    const segments = MemorySegmentFactory.allocateSharedSegments(3, 100);
    const sab = segments[0]!.getArray().buffer;
    expect(sab).toBeInstanceOf(SharedArrayBuffer);
    segments.forEach((segment, i) => {
      expect(segment.isShared()).toBe(true);
      expect(segment.getArray().buffer).toBe(sab);
      expect(segment.getArray().byteOffset).toBe(i * 100);
      expect(segment.size()).toBe(100);
      // cells live after the data (300 bytes, padded to 304), one int32 per segment
      expect(segment.positionCells().buffer).toBe(sab);
      expect(segment.positionCells().byteOffset).toBe(304);
      expect(segment.positionSlot()).toBe(i);
    });
    expect(sab.byteLength).toBe(304 + 3 * 4);
    segments[1]!.getArray().fill(7);
    expect(segments[0]!.get(99)).toBe(0);
    expect(segments[1]!.get(0)).toBe(7);
    expect(segments[2]!.get(0)).toBe(0);
  });

  it('reads and writes big- and little-endian values at absolute offsets', () => {
    const segment = MemorySegmentFactory.allocateSharedSegment(16);
    segment.putIntBigEndian(0, 0x01020304);
    expect([...segment.getArray().subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    expect(segment.getIntLittleEndian(0)).toBe(0x04030201);
    segment.putLongBigEndian(8, -2n);
    expect(segment.getLongBigEndian(8)).toBe(-2n);
    segment.putShortBigEndian(4, -1);
    expect(segment.getShortBigEndian(4)).toBe(-1);
    segment.put(6, 0x1ff);
    expect(segment.get(6)).toBe(0xff);
  });

  it('copies bytes in and out, between segments and within one', () => {
    const a = MemorySegmentFactory.allocateUnpooledSegment(8);
    const b = MemorySegmentFactory.allocateUnpooledSegment(8);
    a.putBytes(0, Uint8Array.of(1, 2, 3, 4, 5));
    a.copyTo(0, b, 3, 5);
    expect([...b.getArray()]).toEqual([0, 0, 0, 1, 2, 3, 4, 5]);
    a.copyTo(0, a, 1, 4);
    expect([...a.getArray().subarray(0, 5)]).toEqual([1, 1, 2, 3, 4]);
    const out = new Uint8Array(3);
    b.getBytes(5, out);
    expect([...out]).toEqual([3, 4, 5]);
    expect(b.equalTo(a, 3, 1, 2)).toBe(true);
    expect(b.equalTo(a, 3, 0, 2)).toBe(false);
  });

  it('wraps existing memory without a copy', () => {
    const memory = new Uint8Array(new SharedArrayBuffer(32), 8, 16);
    const segment = MemorySegmentFactory.wrap(memory);
    segment.put(0, 42);
    expect(memory[0]).toBe(42);
    expect(segment.wrap(0, 4).buffer).toBe(memory.buffer);
    expect(segment.isShared()).toBe(true);
  });

  it('gives a segment without a cell a private position cell on first use, shared only if the segment is', () => {
    const segment = new MemorySegment(new Uint8Array(8));
    const cells = segment.positionCells();
    // (a typed array's own buffer comes from Node's realm, not jest's: compare the tag)
    expect(Object.prototype.toString.call(cells.buffer)).toBe('[object ArrayBuffer]');
    expect(cells.length).toBe(1);
    expect(segment.positionCells()).toBe(cells);
    expect(segment.positionSlot()).toBe(0);
    const shared = new MemorySegment(new Uint8Array(new SharedArrayBuffer(8)));
    expect(shared.positionCells().buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('carves plain segments out of ONE ArrayBuffer with the same layout as shared ones', () => {
    const segments = MemorySegmentFactory.allocateSegments(2, 12);
    const memory = segments[0]!.getArray().buffer;
    expect(memory).toBeInstanceOf(ArrayBuffer);
    expect(memory.byteLength).toBe(24 + 2 * 4);
    segments.forEach((segment, i) => {
      expect(segment.isShared()).toBe(false);
      expect(segment.getArray().buffer).toBe(memory);
      expect(segment.getArray().byteOffset).toBe(i * 12);
      expect(segment.positionCells().buffer).toBe(memory);
      expect(segment.positionCells().byteOffset).toBe(24);
      expect(segment.positionSlot()).toBe(i);
    });
  });

  it('rejects out-of-range accesses with the index, length and size', () => {
    const segment = MemorySegmentFactory.allocateUnpooledSegment(8);
    expect(() => segment.getIntBigEndian(6)).toThrow(new IndexOutOfBoundsException('index: 6, length: 4 (expected: range(0, 8))'));
    expect(() => segment.get(-1)).toThrow(IndexOutOfBoundsException);
    expect(() => segment.wrap(4, 5)).toThrow(IndexOutOfBoundsException);
  });

  it('throws on every access after free()', () => {
    const segment = MemorySegmentFactory.allocateUnpooledSegment(8);
    segment.free();
    segment.free();
    expect(segment.isFreed()).toBe(true);
    expect(() => segment.get(0)).toThrow(MemorySegmentFreedException);
    expect(() => segment.getArray()).toThrow('MemorySegment has been freed');
    expect(() => segment.getDataView()).toThrow(MemorySegmentFreedException);
    expect(segment.toString()).toContain('freed');
  });

  it('rejects invalid sizes and counts', () => {
    expect(() => MemorySegmentFactory.allocateUnpooledSegment(0)).toThrow(IllegalArgumentException);
    expect(() => MemorySegmentFactory.allocateSharedSegments(0, 8)).toThrow(IllegalArgumentException);
    expect(() => MemorySegmentFactory.allocateSharedSegments(2, 1.5)).toThrow(IllegalArgumentException);
    expect(() => MemorySegmentFactory.allocateSharedSegments(2, 2 ** 30)).toThrow(/more than one memory chunk/);
  });
});
