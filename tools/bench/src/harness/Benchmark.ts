/**
 * What the runner needs from a benchmark: its metrics, its variant names, and a way to measure one
 * variant once. Rounds, alternation, medians and ratios are the runner's job (see `Runner.ts`).
 */
import type { ProgressSink } from './Progress';

/** One figure a benchmark reports. */
export interface MetricSpec {
  /** Name as printed and as keyed in the child's result, with its unit: `MB/s`, `p99 µs`. */
  readonly name: string;
  /** Whether a larger value is better (throughput) or worse (latency). */
  readonly better: 'higher' | 'lower';
  /**
   * Whether a ratio to the baseline is meaningful. False for figures that may be ~0 for the
   * baseline (heap growth), whose ratio would be noise; the JSON then carries `"ratio": null`.
   */
  readonly ratio: boolean;
  /** Decimal places in the table (default: 0). */
  readonly digits?: number;
  /**
   * Whether a measurement may leave this figure out (it cannot be measured everywhere: the per-side
   * CPU figures need Linux's /proc). Required figures must be reported by every round.
   */
  readonly optional?: boolean;
}

/** CPU placement of a socket benchmark's processes (`--pin`). */
export type PinMode = 'none' | 'split' | 'same';

/** Options of one harness run, after `--quick` and the explicit flags are applied. */
export interface RunOptions {
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly rounds: number;
  readonly quick: boolean;
  /** Cycles of the allocator benchmark. */
  readonly cycles: number;
  /**
   * CPU placement of the two processes of a socket benchmark: `none` lets the scheduler decide,
   * `split` pins the receiver to CPU 0 and the sender to CPU 1, `same` pins both to CPU 0.
   */
  readonly pin: PinMode;
  /** Whether to run the baseline a second time as the A/A control variant `raw-aa` (`--aa`). */
  readonly aa: boolean;
  /** Directory for `--cpu-prof` profiles of the children, or undefined for no profiling. */
  readonly cpuProfDir: string | undefined;
}

/** What one measurement of one variant needs. */
export interface RunContext {
  readonly options: RunOptions;
  /** 1-based round number. */
  readonly round: number;
  /** Name shown in progress and profile names: the variant's, or `raw-aa` for the A/A control. */
  readonly label: string;
  readonly progress: ProgressSink;
}

/** Figures of one variant in one round, keyed by {@link MetricSpec.name}. */
export type MetricValues = Readonly<Record<string, number>>;

export interface Benchmark {
  /** Short name used on the command line and in the JSON (`bulk`). */
  readonly name: string;
  /** Class-style name after what it measures (`BulkThroughputBenchmark`). */
  readonly title: string;
  /** One line: what is measured and where. */
  readonly description: string;
  readonly metrics: readonly MetricSpec[];
  /** Parameters shared by every variant (frame size, batch), recorded with the results. */
  params(options: RunOptions): Readonly<Record<string, number>>;
  /** Variant names, baseline first. */
  variantNames(): readonly string[];
  /** Parameters of `variant` that differ from {@link params} (recorded with its results), if any. */
  variantParams?(variant: string): Readonly<Record<string, number>>;
  /** Measures `variant` once and returns one value per metric. */
  runVariant(variant: string, context: RunContext): Promise<MetricValues>;
}
