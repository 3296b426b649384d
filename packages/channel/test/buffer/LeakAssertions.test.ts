import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { LeakDetectedException, PooledByteBufAllocator, ResourceLeakDetector } from '../../src/buffer';
import { LeakAssertions, assertNoLeaks, markLeakCheckpoint } from '../../src/testing/LeakAssertions';
import { installLeakChecks } from './helpers';

installLeakChecks();

const alloc = new PooledByteBufAllocator({ pageSize: 4096, maxOrder: 2 });
const gc = (globalThis as { gc?: () => void }).gc;
const itWithGc = gc === undefined ? it.skip : it;

function dropUnreleasedBuffer(): void {
  alloc.buffer(8).writeByte(1);
}

describe('LeakAssertions', () => {
  beforeEach(() => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    LeakAssertions.clearReports();
  });

  it('passes when every buffer allocated since the checkpoint was released', async () => {
    markLeakCheckpoint();
    alloc.buffer(8).release();
    await expect(assertNoLeaks()).resolves.toBeUndefined();
  });

  it('finds a buffer still open at the end of a test, with where it was allocated', async () => {
    markLeakCheckpoint();
    const forgotten = alloc.buffer(8);
    let error: unknown;
    try {
      await assertNoLeaks();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LeakDetectedException);
    const leak = error as LeakDetectedException;
    expect(leak.code).toBe('SLUICE_LEAK_DETECTED');
    expect(leak.leaks).toHaveLength(1);
    expect(leak.leaks[0].kind).toBe('open');
    expect(leak.leaks[0].createdAt).toContain('LeakAssertions.test.ts');
    expect(leak.message).toContain('1 still unreleased');
    expect(leak.message).toContain('PooledByteBuf(ridx: 0, widx: 0, cap: 8)');
    // Reported once: a second check does not repeat it.
    await expect(assertNoLeaks()).resolves.toBeUndefined();
    forgotten.release();
  });

  it('ignores buffers allocated before the checkpoint', async () => {
    const older = alloc.buffer(8);
    markLeakCheckpoint();
    await expect(assertNoLeaks()).resolves.toBeUndefined();
    older.release();
  });

  itWithGc('reports a garbage-collected leak once, whether first seen open or collected', async () => {
    const collectedIds: number[] = [];
    const off = ResourceLeakDetector.addLeakListener((r) => collectedIds.push(r.id));
    try {
      markLeakCheckpoint();
      dropUnreleasedBuffer();
      const id = ResourceLeakDetector.lastTrackedId();
      await expect(assertNoLeaks()).rejects.toThrow(LeakDetectedException);
      for (let i = 0; i < 10 && !collectedIds.includes(id); i++) await assertNoLeaks({ gc: true });
      expect(collectedIds).toContain(id);
      await expect(assertNoLeaks({ gc: true })).resolves.toBeUndefined();
      expect(LeakAssertions.collectReports()).toEqual([]);
    } finally {
      off();
    }
  });

  itWithGc('collects garbage below PARANOID and reports what the collector found', async () => {
    ResourceLeakDetector.setLevel('ADVANCED');
    const detector = new ResourceLeakDetector<object>('Widget', { samplingInterval: 1 });
    (() => void detector.track({}))();
    let error: unknown;
    for (let attempt = 0; attempt < 5 && error === undefined; attempt++) {
      try {
        await assertNoLeaks();
      } catch (err) {
        error = err;
      }
    }
    expect(error).toBeInstanceOf(LeakDetectedException);
    const leak = error as LeakDetectedException;
    expect(leak.leaks[0].kind).toBe('collected');
    expect(leak.leaks[0].resourceType).toBe('Widget');
    expect(leak.message).toContain('- at ');
  });

  it('exposes and clears the pending garbage-collection reports', () => {
    const detector = new ResourceLeakDetector<object>('Widget');
    detector.reportLeak({ id: -7, resourceType: 'Widget', kind: 'collected', message: 'LEAK: manual', createdAt: undefined, records: [] });
    expect(LeakAssertions.collectReports().map((r) => r.id)).toContain(-7);
    LeakAssertions.clearReports();
    expect(LeakAssertions.collectReports()).toEqual([]);
  });
});
