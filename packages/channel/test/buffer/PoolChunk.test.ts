import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PoolChunk } from '../../src/buffer/PoolChunk';
import { IllegalStateException } from '../../src/util/SluiceError';

const PAGES = 64;

function newChunk(): PoolChunk {
  return new PoolChunk(Buffer.alloc(PAGES * 4096), 12, PAGES);
}

describe('PoolChunk', () => {
  it('allocates runs best-fit and coalesces freed neighbours back into one run', () => {
    const chunk = newChunk();
    const a = chunk.allocateRun(10);
    const b = chunk.allocateRun(20);
    const c = chunk.allocateRun(34);
    expect([a, b, c]).toEqual([0, 10, 30]);
    expect(chunk.allocateRun(1)).toBe(-1);
    chunk.freeRun(b);
    expect(chunk.allocateRun(21)).toBe(-1);
    expect(chunk.allocateRun(5)).toBe(10);
    chunk.freeRun(10);
    chunk.freeRun(a);
    chunk.freeRun(c);
    expect(chunk.freeBytes).toBe(chunk.chunkSize);
    expect(chunk.allocateRun(PAGES)).toBe(0);
  });

  it('rejects freeing a page that does not start a used run', () => {
    const chunk = newChunk();
    const run = chunk.allocateRun(4);
    chunk.freeRun(run);
    expect(() => chunk.freeRun(run)).toThrow(IllegalStateException);
    expect(() => chunk.freeRun(3)).toThrow(/double free/);
  });

  it('never overlaps live runs and always ends fully coalesced', () => {
    const step = fc.oneof(fc.record({ pages: fc.integer({ min: 1, max: 20 }) }), fc.record({ free: fc.nat() }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const chunk = newChunk();
        const used = new Uint8Array(PAGES);
        const live: Array<[number, number]> = [];
        for (const s of steps) {
          if ('pages' in s) {
            const start = chunk.allocateRun(s.pages);
            if (start < 0) {
              // Must really be no room for a contiguous run of that size.
              let longest = 0;
              let run = 0;
              for (let p = 0; p < PAGES; p++) longest = Math.max(longest, (run = used[p] ? 0 : run + 1));
              expect(longest).toBeLessThan(s.pages);
              continue;
            }
            for (let p = start; p < start + s.pages; p++) {
              expect(used[p]).toBe(0);
              used[p] = 1;
            }
            live.push([start, s.pages]);
          } else if (live.length > 0) {
            const [[start, pages]] = live.splice(s.free % live.length, 1);
            chunk.freeRun(start);
            used.fill(0, start, start + pages);
          }
          expect(chunk.freeBytes).toBe((PAGES - used.reduce((x, y) => x + y, 0)) * 4096);
        }
        for (const [start] of live) chunk.freeRun(start);
        expect(chunk.allocateRun(PAGES)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
