/**
 * Allocator cost, in process (no sockets): allocate a 32 KiB buffer and drop or release it,
 * `cycles` times (default 10,000,000). Metrics: cycles per second, and the growth of `heapUsed`,
 * `rss` and `arrayBuffers` between two forced-GC snapshots taken before and after the timed cycles
 * (plus the peak RSS growth during them). Each variant runs in a child of its own with
 * `--expose-gc`, so no variant's heap is counted against another's.
 *
 * The variant is a function (see `allocatorWorker.ts`): `Buffer.allocUnsafe(32768)` for raw,
 * `PooledByteBufAllocator.DEFAULT.buffer(32768)` + `release()` for Sluice.
 *
 * Parameters: `size` (bytes, default 32768), `cycles`, `warmupCycles` (default cycles / 10, at
 * most 1,000,000).
 */
import type { MetricSpec, MetricValues, RunOptions } from '../harness/Benchmark';
import type { InProcessVariant } from '../harness/BenchVariant';
import { InProcessBenchmark } from '../harness/InProcessBenchmark';
import { ALLOCATOR_VARIANTS } from './variants';

export class AllocatorBenchmark extends InProcessBenchmark {
  readonly name = 'allocator';
  readonly title = 'AllocatorBenchmark';
  readonly description = '32 KiB allocate+drop/release cycles in one process; ops/s and heap/RSS growth after forced GC';
  readonly metrics: readonly MetricSpec[] = [
    { name: 'ops/s', better: 'higher', ratio: true },
    { name: 'heapUsed growth KiB', better: 'lower', ratio: false },
    { name: 'rss growth KiB', better: 'lower', ratio: false },
    { name: 'arrayBuffers growth KiB', better: 'lower', ratio: false },
    { name: 'peak rss growth KiB', better: 'lower', ratio: false },
  ];
  protected readonly execArgv = ['--expose-gc'];

  constructor(variants: readonly InProcessVariant[] = ALLOCATOR_VARIANTS) {
    super(variants);
  }

  params(options: RunOptions): Readonly<Record<string, number>> {
    return { size: 32_768, cycles: options.cycles, warmupCycles: Math.min(1_000_000, Math.floor(options.cycles / 10)) };
  }

  protected progressTotal(options: RunOptions): number {
    const params = this.params(options);
    return (params['cycles'] ?? 0) + (params['warmupCycles'] ?? 0);
  }

  protected collect(measured: Readonly<Record<string, number>>): MetricValues {
    const values: Record<string, number> = {};
    for (const metric of this.metrics) {
      const value = measured[metric.name];
      if (value === undefined || !Number.isFinite(value)) throw new Error(`${this.title}: '${metric.name}' is ${String(value)}`);
      values[metric.name] = value;
    }
    if (!((values['ops/s'] ?? 0) > 0)) throw new Error(`${this.title}: no cycles ran (${JSON.stringify(measured)})`);
    return values;
  }

  protected summarize(values: MetricValues): string {
    const kib = (name: string): string => (values[name] ?? 0).toFixed(0);
    return (
      `${((values['ops/s'] ?? 0) / 1e6).toFixed(2)} M ops/s, heapUsed ${kib('heapUsed growth KiB')} KiB, ` +
      `rss ${kib('rss growth KiB')} KiB, arrayBuffers ${kib('arrayBuffers growth KiB')} KiB, peak rss ${kib('peak rss growth KiB')} KiB`
    );
  }
}
