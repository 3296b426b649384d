import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { setImmediate as nextTick } from 'node:timers';
import { type LeakReport, PooledByteBufAllocator, ResourceLeakDetector } from '../../src/buffer';
import { LeakAssertions } from '../../src/testing/LeakAssertions';
import { IllegalArgumentException } from '../../src/util/SluiceError';
import { installLeakChecks } from './helpers';

installLeakChecks();

const gc = (globalThis as { gc?: () => void }).gc;
const itWithGc = gc === undefined ? it.skip : it;

/** Collects garbage until `done()` or 10 rounds have passed. */
async function collectUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 10 && !done(); i++) {
    gc?.();
    await new Promise((resolve) => nextTick(resolve));
    await new Promise((resolve) => nextTick(resolve));
  }
}

/** Its own allocator, so the regions it leaks on purpose do not show up in other tests' metrics. */
const leakyAlloc = new PooledByteBufAllocator({ pageSize: 4096, maxOrder: 2 });

function leakOneBufferOnPurpose(): number {
  const buf = leakyAlloc.buffer(16).writeInt(42);
  buf.touch('last seen in leakOneBufferOnPurpose');
  return ResourceLeakDetector.lastTrackedId();
}

function releaseOneBufferProperly(): number {
  const buf = leakyAlloc.buffer(16);
  const id = ResourceLeakDetector.lastTrackedId();
  buf.release();
  return id;
}

describe('ResourceLeakDetector', () => {
  let reports: LeakReport[];
  let unsubscribe: () => void;
  beforeEach(() => {
    reports = [];
    unsubscribe = ResourceLeakDetector.addLeakListener((r) => reports.push(r));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    unsubscribe();
    jest.restoreAllMocks();
    LeakAssertions.clearReports();
  });

  itWithGc('reports a garbage-collected unreleased buffer at PARANOID with its allocation stack and access records', async () => {
    const id = leakOneBufferOnPurpose();
    await collectUntil(() => reports.some((r) => r.id === id));
    const report = reports.find((r) => r.id === id);
    expect(report).toBeDefined();
    expect(report?.kind).toBe('collected');
    expect(report?.resourceType).toBe('ByteBuf');
    expect(report?.message.startsWith("LEAK: ByteBuf.release() was not called before it's garbage-collected.")).toBe(true);
    expect(report?.createdAt).toContain('leakOneBufferOnPurpose');
    expect(report?.createdAt).toContain('ResourceLeakDetector.test.ts');
    expect(report?.records[0]).toContain('Hint: last seen in leakOneBufferOnPurpose');
    expect(report?.message).toContain('Created at:');
    expect(report?.message).toContain('Recent access records:');
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining("LEAK: ByteBuf.release() was not called"));
    expect(ResourceLeakDetector.openLeaks(id - 1).some((r) => r.id === id)).toBe(false);
  });

  itWithGc('does not report buffers that were released', async () => {
    const id = releaseOneBufferProperly();
    const leaked = leakOneBufferOnPurpose();
    await collectUntil(() => reports.some((r) => r.id === leaked));
    expect(reports.map((r) => r.id)).not.toContain(id);
  });

  it('tracks nothing at DISABLED', () => {
    ResourceLeakDetector.setLevel('DISABLED');
    expect(ResourceLeakDetector.isEnabled()).toBe(false);
    const before = ResourceLeakDetector.lastTrackedId();
    const buf = leakyAlloc.buffer(8);
    expect(ResourceLeakDetector.lastTrackedId()).toBe(before);
    expect(ResourceLeakDetector.openLeaks(before)).toEqual([]);
    buf.release();
  });

  itWithGc('reports a sampled leak without records at SIMPLE and tells how to get them', async () => {
    ResourceLeakDetector.setLevel('SIMPLE');
    const detector = new ResourceLeakDetector<object>('Widget', { samplingInterval: 1 });
    const rare = new ResourceLeakDetector<object>('Rare', { samplingInterval: 2 ** 40 });
    (() => {
      expect(detector.track({ name: 'widget' })).not.toBeNull();
      expect(rare.track({})).toBeNull();
    })();
    await collectUntil(() => reports.some((r) => r.resourceType === 'Widget'));
    const report = reports.find((r) => r.resourceType === 'Widget');
    expect(report?.message).toMatch(/^LEAK: Widget\.release\(\) was not called/);
    expect(report?.message).toContain('SLUICE_LEAK_DETECTION_LEVEL=advanced');
    expect(report?.createdAt).toBeUndefined();
    expect(report?.records).toEqual([]);
  });

  it('samples about one object in samplingInterval at SIMPLE, at irregular intervals', () => {
    ResourceLeakDetector.setLevel('SIMPLE');
    const detector = new ResourceLeakDetector<object>('Sampled', { samplingInterval: 8 });
    const hits: number[] = [];
    for (let i = 0; i < 8000; i++) {
      const obj = {};
      const tracker = detector.track(obj);
      if (tracker !== null) {
        hits.push(i);
        tracker.close(obj);
      }
    }
    expect(hits.length).toBeGreaterThan(700);
    expect(hits.length).toBeLessThan(1300);
    // Not a fixed period, which a leak recurring with the same period could always fall between.
    expect(new Set(hits.slice(1).map((h, k) => h - hits[k]!)).size).toBeGreaterThan(3);
  });

  it('tracks root buffers only; derived buffers record touch, retain and release on their root', () => {
    const before = ResourceLeakDetector.lastTrackedId();
    const root = leakyAlloc.buffer(16).writeLong(1n);
    const slice = root.retainedSlice(0, 4);
    slice.touch('through the slice');
    expect(ResourceLeakDetector.lastTrackedId()).toBe(before + 1);
    const [open] = ResourceLeakDetector.openLeaks(before);
    expect(open.records[0]).toContain('Hint: through the slice');
    expect(open.records).toHaveLength(2); // retain + touch
    slice.release();
    root.release();
    expect(ResourceLeakDetector.openLeaks(before)).toEqual([]);
  });

  it('keeps the newest targetRecords access records and counts the dropped ones', () => {
    const detector = new ResourceLeakDetector<object>('Widget', { targetRecords: 2 });
    const widget = {};
    const before = ResourceLeakDetector.lastTrackedId();
    const tracker = detector.track(widget);
    expect(tracker).not.toBeNull();
    for (let i = 1; i <= 5; i++) tracker?.record(`step ${i}`);
    const [open] = ResourceLeakDetector.openLeaks(before);
    expect(open.kind).toBe('open');
    expect(open.records.map((r) => r.split('\n')[0])).toEqual(['Hint: step 5', 'Hint: step 4']);
    expect(open.message).toContain('3 leak records were discarded');
    expect(tracker?.close(widget)).toBe(true);
    expect(tracker?.close(widget)).toBe(false);
    expect(ResourceLeakDetector.openLeaks(before)).toEqual([]);
  });

  it('parses levels case-insensitively or by ordinal and rejects anything else', () => {
    ResourceLeakDetector.setLevel('advanced');
    expect(ResourceLeakDetector.getLevel()).toBe(ResourceLeakDetector.Level.ADVANCED);
    ResourceLeakDetector.setLevel(0);
    expect(ResourceLeakDetector.getLevel()).toBe('DISABLED');
    ResourceLeakDetector.setLevel('3');
    expect(ResourceLeakDetector.getLevel()).toBe('PARANOID');
    expect(() => ResourceLeakDetector.setLevel('loud')).toThrow(IllegalArgumentException);
    expect(() => new ResourceLeakDetector('X', { samplingInterval: 0 })).toThrow(/samplingInterval: 0/);
  });

  it('reads the level from SLUICE_LEAK_DETECTION_LEVEL when loaded, defaulting to SIMPLE', () => {
    const load = (value: string | undefined): string => {
      const saved = process.env.SLUICE_LEAK_DETECTION_LEVEL;
      if (value === undefined) delete process.env.SLUICE_LEAK_DETECTION_LEVEL;
      else process.env.SLUICE_LEAK_DETECTION_LEVEL = value;
      try {
        let level = '';
        jest.isolateModules(() => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const mod = require('../../src/buffer/ResourceLeakDetector') as typeof import('../../src/buffer/ResourceLeakDetector');
          level = mod.ResourceLeakDetector.getLevel();
        });
        return level;
      } finally {
        if (saved === undefined) delete process.env.SLUICE_LEAK_DETECTION_LEVEL;
        else process.env.SLUICE_LEAK_DETECTION_LEVEL = saved;
      }
    };
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(load('Paranoid')).toBe('PARANOID');
    expect(load('2')).toBe('ADVANCED');
    expect(load(undefined)).toBe('SIMPLE');
    expect(load('nonsense')).toBe('SIMPLE');
  });

  it('stops delivering to a listener after it unsubscribes', () => {
    const seen: LeakReport[] = [];
    const off = ResourceLeakDetector.addLeakListener((r) => seen.push(r));
    off();
    const detector = new ResourceLeakDetector<object>('Widget');
    detector.reportLeak({ id: -1, resourceType: 'Widget', kind: 'collected', message: 'LEAK: test', createdAt: undefined, records: [] });
    expect(seen).toEqual([]);
    expect(reports.map((r) => r.id)).toContain(-1);
  });
});
