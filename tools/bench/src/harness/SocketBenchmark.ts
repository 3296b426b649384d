/**
 * Base of the two-process benchmarks: a receiver and a sender, separate processes over 127.0.0.1,
 * one of which measures (the receiver for throughput, the client for latency).
 *
 * One measurement: fork the receiver → it listens on port 0 and reports the port → fork the sender
 * with that port → the measuring side warms up, measures for `durationMs`, reports its figures →
 * stop the other side (it reports its own counters) → stop the measuring side → both exit (or are
 * SIGKILLed after a grace period). Any failure of either child fails the measurement at once.
 */
import type { Benchmark, MetricSpec, MetricValues, RunContext, RunOptions } from './Benchmark';
import { BenchChild } from './BenchChild';
import type { SocketVariant } from './BenchVariant';
import { WindowCpu } from './ProcessTreeCpu';
import type { WorkerConfig, WorkerRole } from './protocol';

/** Cores each process (with its descendants) used over the measuring side's window; see ProcessTreeCpu. */
export interface SideCpu {
  readonly receiver: number;
  readonly sender: number;
}

/** Time a receiver has to start listening, in milliseconds. */
const READY_TIMEOUT_MS = 15_000;
/** Slack on top of warm-up + duration for the measuring side's result, in milliseconds. */
const RESULT_SLACK_MS = 30_000;
/** Time a stopped child has to report and exit before it is killed, in milliseconds. */
const STOP_TIMEOUT_MS = 5_000;
/** Longest the measuring side may send nothing, progress included, in milliseconds. */
const IDLE_TIMEOUT_MS = 15_000;

/** Node options that make a child write a CPU profile into `dir` on exit. */
export function cpuProfArgs(dir: string | undefined, name: string): string[] {
  return dir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`];
}

export abstract class SocketBenchmark implements Benchmark {
  abstract readonly name: string;
  abstract readonly title: string;
  abstract readonly description: string;
  abstract readonly metrics: readonly MetricSpec[];
  /** Which process measures and reports the benchmark's metrics. */
  protected abstract readonly measuredBy: 'receiver' | 'sender';

  protected constructor(private readonly variants: readonly SocketVariant[]) {}

  abstract params(options: RunOptions): Readonly<Record<string, number>>;

  /**
   * Turns the measuring side's figures (and the other side's counters, if it reported; and the cores
   * each process used over the window, where /proc could tell) into the benchmark's metrics, throwing
   * if they are not sane.
   */
  protected abstract collect(
    measured: Readonly<Record<string, number>>,
    other: Readonly<Record<string, number>> | undefined,
    cpu: SideCpu | undefined,
  ): MetricValues;

  /** One line for the progress log after a measurement. */
  protected abstract summarize(values: MetricValues): string;

  variantNames(): readonly string[] {
    return this.variants.map((v) => v.name);
  }

  variantParams(variantName: string): Readonly<Record<string, number>> {
    return this.variants.find((v) => v.name === variantName)?.params ?? {};
  }

  async runVariant(variantName: string, context: RunContext): Promise<MetricValues> {
    const variant = this.variants.find((v) => v.name === variantName);
    if (variant === undefined) throw new Error(`${this.title}: no variant '${variantName}'`);
    const { options, round, progress } = context;
    const name = context.label;
    const label = `${this.name}/${name} round ${round}/${options.rounds}`;
    const config = (role: WorkerRole, port: number): WorkerConfig => ({
      role,
      host: '127.0.0.1',
      port,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      params: { ...this.params(options), ...variant.params },
    });
    const execArgv = (role: WorkerRole): string[] => [
      ...(variant.execArgv ?? []),
      ...cpuProfArgs(options.cpuProfDir, `${this.name}-${name}-${role}-r${round}`),
    ];

    const cpu = (role: WorkerRole): number | undefined =>
      options.pin === 'none' ? undefined : options.pin === 'split' && role === 'sender' ? 1 : 0;

    progress.begin(label, options.warmupMs + options.durationMs);
    const receiver = BenchChild.fork(
      `${label} receiver`,
      variant.receiverScript,
      config('receiver', 0),
      execArgv('receiver'),
      cpu('receiver'),
    );
    let sender: BenchChild | undefined;
    try {
      const { port } = await receiver.waitFor('ready', READY_TIMEOUT_MS);
      sender = BenchChild.fork(`${label} sender`, variant.senderScript, config('sender', port), execArgv('sender'), cpu('sender'));
      const [measuring, other] = this.measuredBy === 'receiver' ? [receiver, sender] : [sender, receiver];
      // The window of the CPU figures: from the measuring side's first progress report in its
      // measurement phase to its result (reports come every ~250 ms, so it starts that much late).
      const windowCpu = receiver.pid !== undefined && sender.pid !== undefined ? new WindowCpu([receiver.pid, sender.pid]) : undefined;
      measuring.onProgress((m) => {
        progress.update(m.phase, m.done, m.total, m.label);
        if (m.phase === 'measure') windowCpu?.tick();
      });

      const measured = await Promise.race([
        measuring.waitFor('result', options.warmupMs + options.durationMs + RESULT_SLACK_MS, IDLE_TIMEOUT_MS),
        other.failed(),
      ]);
      windowCpu?.tick();
      const cores = windowCpu?.cores();
      other.stop();
      // The other side's counters are optional (cross-checks only); its failure is checked below.
      const otherResult = await other.waitFor('result', STOP_TIMEOUT_MS).catch(() => undefined);
      measuring.stop();
      await Promise.all([receiver.waitExit(STOP_TIMEOUT_MS), sender.waitExit(STOP_TIMEOUT_MS)]);
      const failure = receiver.failure ?? sender.failure;
      if (failure !== undefined) throw failure;

      const values = this.collect(
        measured.metrics,
        otherResult?.metrics,
        cores === undefined ? undefined : { receiver: cores[0] ?? 0, sender: cores[1] ?? 0 },
      );
      progress.end(this.summarize(values));
      return values;
    } catch (error: unknown) {
      progress.end('failed');
      throw error;
    } finally {
      receiver.kill();
      sender?.kill();
    }
  }
}
