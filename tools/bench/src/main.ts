/**
 * `bench [suite] [names...]` — runs a suite's benchmarks, each variant against its raw baseline in
 * the same run, and prints a table and one JSON line per result to stdout (progress goes to
 * stderr). Results are also appended to `.bench-results/<suite>-<timestamp>.jsonl`.
 *
 * Run it from the repository root: `npm run bench -- channel [bulk small latency allocator]`.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { PinMode, RunOptions } from './harness/Benchmark';
import { killAllChildren } from './harness/BenchChild';
import { describeMachine, machineHeader } from './harness/Machine';
import { SilentProgress, StderrProgress } from './harness/Progress';
import { renderTable, ResultsFile, RESULTS_DIR, toRecord } from './harness/Reporter';
import type { ResultRecord } from './harness/Reporter';
import { runBenchmark, selectVariants } from './harness/Runner';
import type { BenchResult } from './harness/Runner';
import { PLANNED_SUITES, SUITES } from './suites';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

interface CliOptions {
  duration?: number;
  warmup?: number;
  rounds?: number;
  cycles?: number;
  variant?: string[];
  jsonOnly?: boolean;
  quick?: boolean;
  cpuProf?: boolean;
  aa?: boolean;
  pin?: PinMode;
  list?: boolean;
}

const DEFAULTS = { warmupS: 1, durationS: 5, rounds: 3, cycles: 10_000_000 };
const QUICK = { warmupS: 0.2, durationS: 0.5, rounds: 1, cycles: 200_000 };

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, got '${value}'`);
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** True if `taskset` can start node pinned to CPU 0 here. */
function tasksetWorks(): boolean {
  const probe = spawnSync('taskset', ['-c', '0', process.execPath, '-e', '0'], { stdio: 'ignore', timeout: 10_000 });
  return probe.status === 0;
}

function pinMode(value: string): PinMode {
  if (value !== 'none' && value !== 'split' && value !== 'same') {
    throw new InvalidArgumentError(`expected none, split or same, got '${value}'`);
  }
  return value;
}

function runOptions(cli: CliOptions): RunOptions {
  const base = cli.quick === true ? QUICK : DEFAULTS;
  return {
    warmupMs: Math.round((cli.warmup ?? base.warmupS) * 1000),
    durationMs: Math.round((cli.duration ?? base.durationS) * 1000),
    rounds: cli.rounds ?? base.rounds,
    quick: cli.quick === true,
    cycles: cli.cycles ?? base.cycles,
    aa: cli.aa === true,
    pin: cli.pin ?? 'none',
    cpuProfDir: cli.cpuProf === true ? join(RESULTS_DIR, 'profiles') : undefined,
  };
}

function listSuites(): void {
  for (const [name, make] of SUITES) {
    const suite = make();
    process.stdout.write(`${name}: ${suite.description}\n`);
    for (const bench of suite.benchmarks) {
      process.stdout.write(`  ${bench.name.padEnd(10)} ${bench.title}: ${bench.description} [variants: ${bench.variantNames().join(', ')}]\n`);
    }
  }
  for (const name of PLANNED_SUITES) process.stdout.write(`${name}: planned, no benchmarks yet\n`);
}

async function run(suiteName: string, names: readonly string[], cli: CliOptions): Promise<number> {
  if (cli.list === true) {
    listSuites();
    return 0;
  }
  const make = SUITES.get(suiteName);
  if (make === undefined) {
    const known = [...SUITES.keys()].join(', ');
    const why = PLANNED_SUITES.includes(suiteName) ? `suite '${suiteName}' is planned but has no benchmarks yet` : `unknown suite '${suiteName}'`;
    process.stderr.write(`bench: ${why}; available: ${known}\n`);
    return 2;
  }
  const suite = make();
  const unknown = names.filter((n) => !suite.benchmarks.some((b) => b.name === n));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: no benchmark ${unknown.map((n) => `'${n}'`).join(', ')} in suite '${suite.name}'; available: ${suite.benchmarks.map((b) => b.name).join(', ')}\n`,
    );
    return 2;
  }
  const selected = names.length === 0 ? suite.benchmarks : suite.benchmarks.filter((b) => names.includes(b.name));
  try {
    for (const bench of selected) selectVariants(bench, cli.variant ?? []);
  } catch (error: unknown) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const canPin = tasksetWorks();
  const cores = describeMachine().cores;
  if (cli.pin !== undefined && cli.pin !== 'none' && !canPin) {
    process.stderr.write(`bench: --pin ${cli.pin} needs a working 'taskset' (util-linux); it failed here\n`);
    return 2;
  }
  if (cli.pin === 'split' && cores < 2) {
    process.stderr.write('bench: --pin split needs at least 2 CPUs\n');
    return 2;
  }
  // Default: sender and receiver on CPUs of their own when possible. Left to the scheduler, they
  // land on one CPU in some rounds and on two in others, and latency jumps from ~23 to ~64 µs
  // between rounds of the same code.
  const options = runOptions({ ...cli, pin: cli.pin ?? (canPin && cores >= 2 ? 'split' : 'none') });
  const jsonOnly = cli.jsonOnly === true;
  const machine = describeMachine();
  const startedAt = new Date();
  const timestamp = startedAt.toISOString();
  const file = new ResultsFile(suite.name, startedAt);
  const progress = jsonOnly && process.stderr.isTTY !== true ? new SilentProgress() : new StderrProgress();

  if (!jsonOnly) {
    process.stdout.write(`${machineHeader(machine)}\n`);
    process.stdout.write(
      `# suite ${suite.name}: warm-up ${options.warmupMs / 1000} s, window ${options.durationMs / 1000} s ` +
        `(allocator: ${options.cycles.toLocaleString('en-US')} cycles), ` +
        `${options.rounds} round(s) alternating variants, median reported; ratio = variant / raw per round, median; ` +
        `pin ${options.pin}\n`,
    );
  }

  const results: BenchResult[] = [];
  const records: ResultRecord[] = [];
  let failures = 0;
  for (const bench of selected) {
    try {
      const benchResults = await runBenchmark(suite.name, bench, options, progress, cli.variant ?? []);
      const benchRecords = benchResults.map((r) => toRecord(r, options, machine, timestamp));
      file.append(benchRecords);
      results.push(...benchResults);
      records.push(...benchRecords);
    } catch (error: unknown) {
      failures++;
      process.stderr.write(`bench: ${bench.title} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }

  if (!jsonOnly && results.length > 0) process.stdout.write(`\n${renderTable(suite.name, results)}\n\n`);
  for (const record of records) process.stdout.write(`${JSON.stringify(record)}\n`);
  if (records.length > 0) process.stderr.write(`bench: results appended to ${file.path}\n`);
  if (options.cpuProfDir !== undefined) process.stderr.write(`bench: CPU profiles in ${options.cpuProfDir}\n`);
  return failures === 0 ? 0 : 1;
}

function onSignal(signal: NodeJS.Signals, code: number): void {
  process.on(signal, () => {
    // cli-progress hides the cursor while a bar runs; give it back.
    if (process.stderr.isTTY === true) process.stderr.write('\u001b[?25h');
    process.stderr.write(`\nbench: ${signal}, stopping the benchmark processes\n`);
    killAllChildren();
    process.exit(code);
  });
}

async function main(argv: readonly string[]): Promise<void> {
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  const program = new Command()
    .name('bench')
    .description('Sluice benchmarks: every variant against its raw node:net baseline, in the same run')
    .argument('[suite]', `suite to run (${[...SUITES.keys(), ...PLANNED_SUITES].join(', ')})`, 'channel')
    .argument('[names...]', 'benchmarks of the suite to run (default: all; see --list)')
    .option('--duration <seconds>', `measurement window per variant and round (default: ${DEFAULTS.durationS}, quick: ${QUICK.durationS})`, positiveNumber)
    .option('--warmup <seconds>', `unmeasured warm-up before each window (default: ${DEFAULTS.warmupS}, quick: ${QUICK.warmupS})`, nonNegativeNumber)
    .option('--rounds <n>', `rounds of alternating variants; the median is reported (default: ${DEFAULTS.rounds}, quick: ${QUICK.rounds})`, positiveInteger)
    .option('--cycles <n>', `allocate/release cycles of the allocator benchmark (default: ${DEFAULTS.cycles}, quick: ${QUICK.cycles})`, positiveInteger)
    .option('--variant <names...>', 'variants to run besides the raw baseline (default: all registered)')
    .option('--json-only', 'print only the JSON lines on stdout (no header, no table)')
    .option('--quick', 'short smoke run of every benchmark (a few seconds in total), for CI')
    .option('--aa', "also run the raw baseline a second time as variant 'raw-aa'; its ratio (ideally 1) shows this run's noise floor")
    .option(
      '--pin <mode>',
      'CPU placement of receiver and sender: split (CPU 0 and CPU 1), same (both on CPU 0), none (scheduler decides); ' +
        'default: split if taskset works and there are 2+ CPUs, else none',
      pinMode,
    )
    .option('--cpu-prof', 'write a CPU profile of every benchmark process to .bench-results/profiles')
    .option('--list', 'list suites, benchmarks and variants, then exit')
    .showHelpAfterError()
    .action(async (suite: string, names: string[], cli: CliOptions) => {
      process.exitCode = await run(suite, names, cli);
    });
  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  killAllChildren();
  process.exitCode = 1;
});
