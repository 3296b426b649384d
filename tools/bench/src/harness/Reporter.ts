/**
 * Output of a run: a table per suite and one JSON line per result on stdout, and the same JSON
 * lines appended to `.bench-results/<suite>-<timestamp>.jsonl` at the repository root.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunOptions } from './Benchmark';
import type { MachineInfo } from './Machine';
import type { BenchResult } from './Runner';
import { range } from './stats';

/** The repository root, from `tools/bench/dist/harness`. */
export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

/** Where result files go (gitignored). */
export const RESULTS_DIR = join(REPO_ROOT, '.bench-results');

/** The JSON object written for one result. */
export interface ResultRecord {
  readonly suite: string;
  readonly bench: string;
  readonly variant: string;
  readonly metric: string;
  readonly value: number;
  readonly ratio: number | null;
  readonly better: 'higher' | 'lower';
  readonly rounds: readonly number[];
  readonly params: Readonly<Record<string, number>>;
  readonly warmupS: number;
  readonly durationS: number;
  readonly quick: boolean;
  readonly pin: string;
  readonly timestamp: string;
  readonly machine: MachineInfo;
}

function round(value: number): number {
  // Three significant decimals are more than the noise of any figure here.
  return Math.abs(value) >= 1000 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

export function toRecord(result: BenchResult, options: RunOptions, machine: MachineInfo, timestamp: string): ResultRecord {
  return {
    suite: result.suite,
    bench: result.bench,
    variant: result.variant,
    metric: result.metric,
    value: round(result.value),
    ratio: result.ratio === null ? null : Math.round(result.ratio * 1000) / 1000,
    better: result.better,
    rounds: result.rounds.map(round),
    params: result.params,
    warmupS: options.warmupMs / 1000,
    durationS: options.durationMs / 1000,
    quick: options.quick,
    pin: options.pin,
    timestamp,
    machine,
  };
}

/** Appends JSON lines to one results file per suite and run. */
export class ResultsFile {
  readonly path: string;

  constructor(suite: string, startedAt: Date) {
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
    this.path = join(RESULTS_DIR, `${suite}-${stamp}.jsonl`);
  }

  append(records: readonly ResultRecord[]): void {
    if (records.length === 0) return;
    mkdirSync(RESULTS_DIR, { recursive: true });
    appendFileSync(this.path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}

function format(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Renders the table of one suite: benchmark, variant, metric, median, ratio to raw, spread. */
export function renderTable(suite: string, results: readonly BenchResult[]): string {
  const header = ['benchmark', 'variant', 'metric', 'value', 'ratio', 'better', 'rounds min..max'];
  const rows = results.map((r) => {
    const [min, max] = range(r.rounds);
    return [
      r.bench,
      r.variant,
      r.metric,
      format(r.value, r.digits),
      r.ratio === null ? '-' : `${r.ratio.toFixed(3)}x`,
      r.better,
      r.rounds.length > 1 ? `${format(min, r.digits)}..${format(max, r.digits)}` : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const numeric = new Set([3, 4, 6]);
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [`suite ${suite}`, line(header), rule, ...rows.map(line)].join('\n');
}
