import { describe, expect, it } from '@jest/globals';
import {
  CALCULATE_THRESHOLD,
  calculateNewCapacity,
  DEFAULT_INITIAL_CAPACITY,
  DEFAULT_MAX_CAPACITY,
  DEFAULT_MAX_COMPONENTS,
  UnpooledByteBufAllocator,
} from '../../src/buffer';
import { IllegalArgumentException } from '../../src/util/SluiceError';
import { installLeakChecks } from './helpers';

installLeakChecks();

const MiB = 1024 * 1024;

describe('ByteBufAllocator', () => {
  it('uses Netty\'s defaults', () => {
    expect([DEFAULT_INITIAL_CAPACITY, DEFAULT_MAX_CAPACITY, DEFAULT_MAX_COMPONENTS, CALCULATE_THRESHOLD]).toEqual([
      256,
      2147483647,
      16,
      4 * MiB,
    ]);
  });

  it('doubles from 64 below the 4 MiB threshold and adds 4 MiB steps above it', () => {
    expect(calculateNewCapacity(0, 1000)).toBe(64);
    expect(calculateNewCapacity(65, 1000)).toBe(128);
    expect(calculateNewCapacity(600, 1000)).toBe(1000);
    expect(calculateNewCapacity(4 * MiB, DEFAULT_MAX_CAPACITY)).toBe(4 * MiB);
    expect(calculateNewCapacity(4 * MiB + 1, DEFAULT_MAX_CAPACITY)).toBe(8 * MiB);
    expect(calculateNewCapacity(9 * MiB, DEFAULT_MAX_CAPACITY)).toBe(12 * MiB);
    expect(calculateNewCapacity(9 * MiB, 10 * MiB)).toBe(10 * MiB);
    expect(calculateNewCapacity(3 * MiB, DEFAULT_MAX_CAPACITY)).toBe(4 * MiB);
  });

  it('rejects a negative minimum or one above the maximum', () => {
    expect(() => calculateNewCapacity(-1, 10)).toThrow(new IllegalArgumentException('minNewCapacity : -1 (expected: >= 0)'));
    expect(() => calculateNewCapacity(11, 10)).toThrow('minNewCapacity: 11 (expected: not greater than maxCapacity(10))');
  });

  it('serves every buffer kind from the unpooled allocator as heap buffers', () => {
    const alloc = UnpooledByteBufAllocator.DEFAULT;
    const buffers = [alloc.buffer(), alloc.heapBuffer(8), alloc.directBuffer(8, 16), alloc.ioBuffer()];
    expect(buffers.map((b) => b.capacity())).toEqual([256, 8, 8, 256]);
    expect(buffers.every((b) => !b.isDirect() && b.hasArray())).toBe(true);
    expect(alloc.isDirectBufferPooled()).toBe(false);
    for (const b of buffers) b.release();
    for (const c of [alloc.compositeHeapBuffer(), alloc.compositeDirectBuffer(4)]) c.release();
  });
});
