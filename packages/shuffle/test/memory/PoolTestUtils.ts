// Test helpers: global pools created through newGlobalPool() are checked after every test — every segment
// must be back (all local pools destroyed, every buffer recycled) — and then destroyed.
import { afterEach, expect } from '@jest/globals';
import { NetworkBufferPool, type NetworkBufferPoolOptions } from '../../src/memory';

const created: NetworkBufferPool[] = [];

/** Resolves after pending microtasks and immediates: one turn of the event loop. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Registers the after-each check of the global pools made by {@link newGlobalPool} in this file. */
export function installPoolChecks(): void {
  afterEach(() => {
    const pools = created.splice(0);
    for (const pool of pools) {
      const total = pool.getTotalNumberOfMemorySegments();
      expect({ pool: pool.toString(), available: pool.getNumberOfAvailableMemorySegments() }).toEqual({ pool: pool.toString(), available: total });
      pool.destroy();
    }
  });
}

/** A global pool checked (full again) and destroyed after the current test. */
export function newGlobalPool(segments: number, segmentSize = 128, options?: NetworkBufferPoolOptions): NetworkBufferPool {
  const pool = new NetworkBufferPool(segments, segmentSize, options);
  created.push(pool);
  return pool;
}

/** Segments the global pool has handed out (Flink's getNumRequestedFromMemorySegmentPool). */
export function numRequestedFromGlobal(pool: NetworkBufferPool): number {
  return pool.getTotalNumberOfMemorySegments() - pool.getNumberOfAvailableMemorySegments();
}
