/**
 * Base of the single-process benchmarks (no sockets): one child per measurement, which runs the
 * whole thing and reports one result. A child of its own keeps each variant's heap and RSS apart
 * from the harness's and from the other variants'.
 */
import type { Benchmark, MetricSpec, MetricValues, RunContext, RunOptions } from './Benchmark';
import { BenchChild } from './BenchChild';
import type { InProcessVariant } from './BenchVariant';
import { cpuProfArgs } from './SocketBenchmark';

/** Longest an in-process measurement may run, in milliseconds. */
const HARD_TIMEOUT_MS = 10 * 60_000;
const STOP_TIMEOUT_MS = 5_000;
/** Longest a child may send nothing, progress included, in milliseconds. */
const IDLE_TIMEOUT_MS = 30_000;

export abstract class InProcessBenchmark implements Benchmark {
  abstract readonly name: string;
  abstract readonly title: string;
  abstract readonly description: string;
  abstract readonly metrics: readonly MetricSpec[];
  /** Node options every variant's child needs (e.g. `--expose-gc`). */
  protected abstract readonly execArgv: readonly string[];

  protected constructor(private readonly variants: readonly InProcessVariant[]) {}

  abstract params(options: RunOptions): Readonly<Record<string, number>>;

  /** Checks and maps the child's figures to the benchmark's metrics. */
  protected abstract collect(measured: Readonly<Record<string, number>>): MetricValues;

  protected abstract summarize(values: MetricValues): string;

  /** Units of the progress the child reports (its `total`), for the bar. */
  protected abstract progressTotal(options: RunOptions): number;

  variantNames(): readonly string[] {
    return this.variants.map((v) => v.name);
  }

  async runVariant(variantName: string, context: RunContext): Promise<MetricValues> {
    const variant = this.variants.find((v) => v.name === variantName);
    if (variant === undefined) throw new Error(`${this.title}: no variant '${variantName}'`);
    const { options, round, progress } = context;
    const name = context.label;
    const label = `${this.name}/${name} round ${round}/${options.rounds}`;
    progress.begin(label, this.progressTotal(options));
    const child = BenchChild.fork(
      label,
      variant.script,
      { role: 'worker', host: '127.0.0.1', port: 0, warmupMs: options.warmupMs, durationMs: options.durationMs, params: this.params(options) },
      [...this.execArgv, ...(variant.execArgv ?? []), ...cpuProfArgs(options.cpuProfDir, `${this.name}-${name}-r${round}`)],
    );
    try {
      child.onProgress((m) => progress.update(m.phase, m.done, m.total, m.label));
      const { metrics } = await child.waitFor('result', HARD_TIMEOUT_MS, IDLE_TIMEOUT_MS);
      child.stop();
      await child.waitExit(STOP_TIMEOUT_MS);
      if (child.failure !== undefined) throw child.failure;
      const values = this.collect(metrics);
      progress.end(this.summarize(values));
      return values;
    } catch (error: unknown) {
      progress.end('failed');
      throw error;
    } finally {
      child.kill();
    }
  }
}
