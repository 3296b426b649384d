import { setImmediate as realSetImmediate } from 'node:timers';
import { LeakDetectedException, type LeakReport } from '../buffer/errors';
import { ResourceLeakDetector } from '../buffer/ResourceLeakDetector';

/** Options of {@link assertNoLeaks}. */
export interface AssertNoLeaksOptions {
  /**
   * Run a full garbage collection first (needs `node --expose-gc`). `'auto'` (default) collects only
   * below PARANOID: at PARANOID every buffer allocated since the checkpoint is in the open-record set, so
   * a collection (~30 ms on a test heap) would find nothing new.
   */
  gc?: boolean | 'auto';
  /** Event-loop turns to wait for FinalizationRegistry callbacks (default: 2). */
  turns?: number;
}

const collected: LeakReport[] = [];
/** Ids already reported as open, so their later garbage collection is not reported a second time. */
const reportedOpen = new Set<number>();
let checkpoint = 0;

ResourceLeakDetector.addLeakListener((report) => {
  if (reportedOpen.delete(report.id)) return;
  collected.push(report);
});

function nextTurn(): Promise<void> {
  // node:timers, not the global: jest's fake timers must not be able to stall the leak check.
  return new Promise((resolve) => realSetImmediate(resolve));
}

/**
 * Remembers which tracked buffers exist now: {@link assertNoLeaks} reports only unreleased buffers
 * allocated after this call. Call it in `beforeEach`.
 */
export function markLeakCheckpoint(): void {
  checkpoint = ResourceLeakDetector.lastTrackedId();
}

/**
 * Fails with a {@link LeakDetectedException} if buffers leaked: every leak reported by garbage collection
 * since the last check, plus (at PARANOID) every tracked buffer allocated after the checkpoint that is
 * still unreleased, each with its allocation stack. Call it in `afterEach`. Each leak is reported once.
 *
 * ## Pitfalls
 * Open-record reporting needs PARANOID (`ResourceLeakDetector.setLevel('PARANOID')` or
 * `SLUICE_LEAK_DETECTION_LEVEL=paranoid`); below it only garbage-collected leaks of sampled buffers are seen.
 */
export async function assertNoLeaks(options: AssertNoLeaksOptions = {}): Promise<void> {
  const gcOption = options.gc ?? 'auto';
  const runGc = gcOption === true || (gcOption === 'auto' && ResourceLeakDetector.getLevel() !== 'PARANOID');
  const gc = (globalThis as { gc?: () => void }).gc;
  if (runGc && gc !== undefined) {
    // A new turn first: objects whose WeakRef was dereferenced in the current job survive a gc() in it.
    await nextTurn();
    gc();
  }
  const turns = options.turns ?? 2;
  for (let i = 0; i < turns; i++) await nextTurn();
  const leaks = collected.splice(0);
  for (const open of ResourceLeakDetector.openLeaks(checkpoint, (id) => reportedOpen.has(id))) {
    reportedOpen.add(open.id);
    leaks.push(open);
  }
  if (leaks.length > 0) throw new LeakDetectedException(leaks);
}

/** Leak reports delivered by garbage collection and not yet consumed by {@link assertNoLeaks}. */
export function collectReports(): LeakReport[] {
  return [...collected];
}

/** Forgets the pending garbage-collection reports (for tests that leak on purpose). */
export function clearReports(): void {
  collected.length = 0;
}

/**
 * Leak checks for tests, to run around every test at PARANOID level:
 * ```ts
 * beforeEach(() => LeakAssertions.markLeakCheckpoint());
 * afterEach(() => LeakAssertions.assertNoLeaks());
 * ```
 */
export const LeakAssertions = {
  markLeakCheckpoint,
  assertNoLeaks,
  collectReports,
  clearReports,
  /** Alias of {@link clearReports}. */
  clear: clearReports,
};
