import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SizeClasses } from '../../src/buffer/SizeClasses';

const sc = new SizeClasses(8192, 8192 << 9);

describe('SizeClasses', () => {
  it('starts with the jemalloc-style classes: multiples of 16, then four per doubling', () => {
    const first = Array.from({ length: 14 }, (_, i) => sc.sizeIdx2size(i));
    expect(first).toEqual([16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]);
    expect(sc.sizeIdx2size(sc.nSizes - 1)).toBe(4 * 1024 * 1024);
    expect(sc.nSizes).toBe(68);
  });

  it('treats classes below four pages as small and gives their runs whole pages', () => {
    expect(sc.sizeIdx2size(sc.nSubpages - 1)).toBe(28672);
    expect(sc.sizeIdx2size(sc.nSubpages)).toBe(32768);
    for (let i = 0; i < sc.nSubpages; i++) {
      const run = sc.runSize(i);
      expect(run % 8192).toBe(0);
      expect(Math.floor(run / sc.sizeIdx2size(i))).toBeGreaterThanOrEqual(1);
    }
    expect(sc.runSize(2)).toBe(3 * 8192); // 48-byte elements: lcm(8192, 48)
  });

  it('maps every size to the smallest class that holds it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 * 1024 * 1024 }), (size) => {
        const idx = sc.size2SizeIdx(size);
        expect(sc.sizeIdx2size(idx)).toBeGreaterThanOrEqual(size);
        if (idx > 0) expect(sc.sizeIdx2size(idx - 1)).toBeLessThan(size);
        expect(sc.normalizeSize(size)).toBe(sc.sizeIdx2size(idx));
      }),
    );
    expect(sc.size2SizeIdx(4 * 1024 * 1024 + 1)).toBe(sc.nSizes);
  });
});
