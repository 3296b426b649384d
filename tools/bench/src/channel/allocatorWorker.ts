/**
 * Child-side body of {@link AllocatorBenchmark}: allocate-and-drop cycles of one buffer size,
 * timed, with the heap and RSS measured after forced garbage collection before and after.
 *
 * The variant is the function passed to {@link runAllocatorWorker}; a variant's script is one call:
 *
 * ```ts
 * // channel/raw/allocator.ts
 * runAllocatorWorker((size) => Buffer.allocUnsafe(size).length);
 * // channel/sluice/allocator.ts (later)
 * runAllocatorWorker((size) => {
 *   const buf = PooledByteBufAllocator.DEFAULT.buffer(size);
 *   const capacity = buf.capacity();
 *   buf.release();
 *   return capacity;
 * });
 * ```
 *
 * One measurement: `warmupCycles` cycles (not measured, lets the JIT and a pool settle) → two
 * forced GCs → memory snapshot → `cycles` timed cycles (sampling peak RSS) → two forced GCs →
 * memory snapshot. Growth figures are "after minus before", so a pool that keeps its chunks shows
 * them as growth, and a leak shows as growth that scales with `cycles`.
 *
 * ## Pitfalls
 * Needs `--expose-gc` (the harness passes it). The loop yields to the event loop about every
 * 100 ms so the harness's stop and the progress reports still get through.
 */
import { startWorker } from '../harness/worker';

/**
 * Allocates a buffer of `size` bytes, drops or releases it, and returns its capacity in bytes
 * (checked to be at least `size`; it also keeps the allocation from being optimised away).
 */
export type AllocateAndRelease = (size: number) => number;

/** Cycles between two looks at the clock. */
const CHUNK = 16_384;
/** How long the loop runs before yielding to the event loop, in milliseconds. */
const YIELD_EVERY_MS = 100;

function forceGc(): void {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('the allocator benchmark needs --expose-gc');
  gc();
  gc();
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs the measurement in this (child) process with `allocateAndRelease` as the variant. */
export function runAllocatorWorker(allocateAndRelease: AllocateAndRelease): void {
  const worker = startWorker();
  const size = worker.param('size');
  const cycles = worker.param('cycles');
  const warmupCycles = worker.param('warmupCycles');
  const total = warmupCycles + cycles;

  let capacitySum = 0;
  let peakRss = 0;
  let lastProgressAt = 0;

  const runCycles = async (count: number, phase: 'warmup' | 'measure', doneBefore: number): Promise<void> => {
    let done = 0;
    let sliceStart = Date.now();
    while (done < count) {
      const n = Math.min(CHUNK, count - done);
      for (let i = 0; i < n; i++) capacitySum += allocateAndRelease(size);
      done += n;
      if (phase === 'measure') peakRss = Math.max(peakRss, process.memoryUsage.rss());
      const now = Date.now();
      if (now - lastProgressAt >= 250) {
        lastProgressAt = now;
        worker.progress(phase, doneBefore + done, total, `${done.toLocaleString('en-US')} cycles`);
      }
      if (now - sliceStart >= YIELD_EVERY_MS) {
        await yieldToLoop();
        sliceStart = Date.now();
      }
    }
  };

  const main = async (): Promise<void> => {
    await runCycles(warmupCycles, 'warmup', 0);
    forceGc();
    const before = process.memoryUsage();
    peakRss = before.rss;
    capacitySum = 0;
    const startedAt = process.hrtime.bigint();
    await runCycles(cycles, 'measure', warmupCycles);
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    if (capacitySum < cycles * size) {
      throw new Error(`the allocator returned ${capacitySum} bytes of capacity over ${cycles} cycles, less than ${cycles} x ${size}`);
    }
    forceGc();
    const after = process.memoryUsage();
    const kib = (bytes: number): number => bytes / 1024;
    worker.result({
      'ops/s': cycles / seconds,
      'heapUsed growth KiB': kib(after.heapUsed - before.heapUsed),
      'rss growth KiB': kib(after.rss - before.rss),
      'arrayBuffers growth KiB': kib(after.arrayBuffers - before.arrayBuffers),
      'peak rss growth KiB': kib(peakRss - before.rss),
      seconds,
      cycles,
    });
  };
  worker.onStop(() => undefined);
  main().catch((error: unknown) => worker.fail(error));
}
