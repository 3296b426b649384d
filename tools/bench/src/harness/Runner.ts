/**
 * Runs one benchmark: every variant, alternately, for N rounds, and reduces the rounds to one
 * figure per variant and metric.
 *
 * Order within a run is `raw, sluice, raw, sluice, …` (round 1: every variant in registry order,
 * round 2: the same, …), so slow drift of a shared machine hits every variant alike. The reported
 * value is the median over rounds; the reported ratio is the median over rounds of
 * `variant / raw` taken within the same round (a paired ratio), which cancels drift between rounds
 * better than a ratio of medians would.
 */
import type { Benchmark, MetricValues, RunOptions } from './Benchmark';
import { BASELINE_VARIANT } from './BenchVariant';
import type { ProgressSink } from './Progress';
import { median } from './stats';

/** One reported figure: one benchmark, variant and metric, reduced over the rounds. */
export interface BenchResult {
  readonly suite: string;
  readonly bench: string;
  readonly variant: string;
  readonly metric: string;
  /** Median over rounds. */
  readonly value: number;
  /** Median over rounds of the paired ratio to the baseline; null where not meaningful. */
  readonly ratio: number | null;
  readonly better: 'higher' | 'lower';
  /** The value of every round, in order. */
  readonly rounds: readonly number[];
  readonly digits: number;
  readonly params: Readonly<Record<string, number>>;
}

/** Selects the variants to run: the baseline always, the others if `only` is empty or names them. */
export function selectVariants(bench: Benchmark, only: readonly string[]): string[] {
  const names = bench.variantNames();
  if (names[0] !== BASELINE_VARIANT) {
    throw new Error(`${bench.title}: the first variant must be '${BASELINE_VARIANT}', got [${names.join(', ')}]`);
  }
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    throw new Error(`${bench.title}: unknown variant(s) ${unknown.join(', ')}; registered: ${names.join(', ')}`);
  }
  return names.filter((n) => n === BASELINE_VARIANT || only.length === 0 || only.includes(n));
}

/**
 * Name of the A/A control: the baseline run a second time as if it were a variant (`--aa`). Its
 * ratio to `raw` should be 1; how far it strays is the noise floor of the run.
 */
export const AA_VARIANT = 'raw-aa';

export async function runBenchmark(
  suite: string,
  bench: Benchmark,
  options: RunOptions,
  progress: ProgressSink,
  onlyVariants: readonly string[] = [],
): Promise<BenchResult[]> {
  const variants = selectVariants(bench, onlyVariants);
  if (options.aa) variants.splice(1, 0, AA_VARIANT);
  const perRound = new Map<string, MetricValues[]>(variants.map((v) => [v, []]));
  for (let round = 1; round <= options.rounds; round++) {
    for (const variant of variants) {
      const values = await bench.runVariant(variant === AA_VARIANT ? BASELINE_VARIANT : variant, {
        options,
        round,
        progress,
        label: variant,
      });
      for (const metric of bench.metrics) {
        const value = values[metric.name];
        if (metric.optional === true && value === undefined) continue;
        if (value === undefined || !Number.isFinite(value)) {
          throw new Error(`${bench.title}/${variant}: round ${round} reported no finite '${metric.name}' (got ${String(value)})`);
        }
      }
      perRound.get(variant)?.push(values);
    }
  }

  const baseline = perRound.get(BASELINE_VARIANT) ?? [];
  const params = bench.params(options);
  const results: BenchResult[] = [];
  for (const variant of variants) {
    const rounds = perRound.get(variant) ?? [];
    for (const metric of bench.metrics) {
      // An optional figure is reported only if every round has it.
      if (rounds.some((r) => r[metric.name] === undefined)) continue;
      const values = rounds.map((r) => r[metric.name] as number);
      let ratio: number | null = null;
      if (metric.ratio) {
        const ratios: number[] = [];
        values.forEach((value, i) => {
          const base = baseline[i]?.[metric.name];
          if (base !== undefined && base !== 0) ratios.push(value / base);
        });
        ratio = ratios.length > 0 ? median(ratios) : null;
      }
      results.push({
        suite,
        bench: bench.name,
        variant,
        metric: metric.name,
        value: median(values),
        ratio,
        better: metric.better,
        rounds: values,
        digits: metric.digits ?? 0,
        params: { ...params, ...bench.variantParams?.(variant) },
      });
    }
  }
  return results;
}
