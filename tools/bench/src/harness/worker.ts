/**
 * Child-side half of the harness protocol: every endpoint script (raw or Sluice) starts with
 * {@link startWorker} and reports through the returned {@link Worker}.
 *
 * ## Threading
 * Everything runs on the child's main loop; none of it is on a per-message path.
 *
 * ## Pitfalls
 * A child exits when its IPC channel closes, so a harness that dies never leaves a sender
 * spinning. It also exits on any uncaught error, after reporting it to the parent.
 *
 * @example
 * ```ts
 * const worker = startWorker();
 * const window = new MeasurementWindow(worker, () => bytes, (r) => `${(r / 1e6).toFixed(0)} MB/s`,
 *   (count, seconds) => worker.result({ 'MB/s': count / seconds / 1e6 }));
 * // ... on the first connection: window.start();
 * ```
 */
import type { ChildMessage, WorkerConfig } from './protocol';
import { isParentMessage, parseWorkerConfig } from './protocol';

/** Interval of progress reports from the measuring side, in milliseconds. */
export const PROGRESS_INTERVAL_MS = 250;

/** The child's connection to the harness. */
export interface Worker {
  readonly config: WorkerConfig;
  /** Reads a required numeric parameter, failing with the parameter's name if it is missing. */
  param(name: string): number;
  /** Reports the listening port (receivers only). */
  ready(port: number): void;
  /** Reports progress of the measuring side (ignored by the parent for the other side). */
  progress(phase: 'warmup' | 'measure', done: number, total: number, label: string): void;
  /** Reports the final figures. A second call is ignored. */
  result(metrics: Record<string, number>): void;
  /**
   * Registers what to do on the parent's `stop`: stop traffic, optionally return figures (sent as
   * the result if none was sent yet). The process exits right after.
   */
  onStop(handler: () => Record<string, number> | void): void;
  /** Reports an error and exits with status 1. */
  fail(error: unknown): void;
}

function send(message: ChildMessage, then?: () => void): void {
  if (process.send === undefined || !process.connected) {
    then?.();
    return;
  }
  process.send(message, undefined, {}, () => then?.());
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Parses the configuration, installs the exit guards and returns the child's {@link Worker}. */
export function startWorker(): Worker {
  if (process.send === undefined) {
    throw new Error('bench worker: no IPC channel; start this script through the bench harness (node tools/bench/dist/main.js)');
  }
  const config = parseWorkerConfig(process.argv[2]);
  let resultSent = false;
  let exiting = false;
  let stopHandler: (() => Record<string, number> | void) | undefined;

  const exit = (code: number): void => {
    if (exiting) return;
    exiting = true;
    // Give the IPC message a moment to flush even if the callback never comes.
    setTimeout(() => process.exit(code), 2000).unref();
  };

  const worker: Worker = {
    config,
    param(name: string): number {
      const value = config.params[name];
      if (value === undefined || !Number.isFinite(value)) {
        throw new Error(`bench worker (${config.role}): parameter '${name}' is missing; got ${JSON.stringify(config.params)}`);
      }
      return value;
    },
    ready(port: number): void {
      send({ type: 'ready', port });
    },
    progress(phase, done, total, label): void {
      send({ type: 'progress', phase, done, total, label });
    },
    result(metrics: Record<string, number>): void {
      if (resultSent) return;
      resultSent = true;
      send({ type: 'result', metrics });
    },
    onStop(handler): void {
      stopHandler = handler;
    },
    fail(error: unknown): void {
      if (exiting) return;
      send({ type: 'error', message: `${config.role}: ${describe(error)}` }, () => process.exit(1));
      exit(1);
    },
  };

  process.on('message', (message: unknown) => {
    if (!isParentMessage(message)) {
      worker.fail(new Error(`unexpected message from the harness: ${JSON.stringify(message)}`));
      return;
    }
    let metrics: Record<string, number> | void = undefined;
    try {
      metrics = stopHandler?.();
    } catch (error: unknown) {
      worker.fail(error);
      return;
    }
    const done = (): void => process.exit(0);
    if (metrics !== undefined && !resultSent) {
      resultSent = true;
      send({ type: 'result', metrics }, done);
    } else {
      done();
    }
    exit(0);
  });
  // The harness is gone: nobody will read our figures, and nobody would stop us.
  process.on('disconnect', () => process.exit(exiting ? 0 : 2));
  process.on('uncaughtException', (error) => worker.fail(error));
  process.on('unhandledRejection', (error) => worker.fail(error));
  return worker;
}

/**
 * A warm-up period followed by a measurement window, both timed with `process.hrtime.bigint()`.
 *
 * `sample()` returns a monotonically growing counter (bytes, frames, round trips); the window
 * reports `count = sample(end) - sample(start)` and the exact elapsed seconds between the two
 * samples, so timer jitter does not bias the rate.
 */
export class MeasurementWindow {
  #measuring = false;
  #finished = false;
  #started = false;

  constructor(
    private readonly worker: Worker,
    private readonly sample: () => number,
    private readonly formatRate: (perSecond: number) => string,
    private readonly onComplete: (count: number, seconds: number) => void,
  ) {}

  /** True between the end of the warm-up and the end of the window. */
  get measuring(): boolean {
    return this.#measuring;
  }

  /** True once the window has closed. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Starts the warm-up; call it when traffic starts. Later calls are ignored. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { warmupMs, durationMs } = this.worker.config;
    const total = warmupMs + durationMs;
    const startedAt = process.hrtime.bigint();
    let lastCount = this.sample();
    let lastAt = startedAt;
    let measureStartCount = 0;
    let measureStartAt = startedAt;

    const ticker = setInterval(() => {
      const now = process.hrtime.bigint();
      const count = this.sample();
      const seconds = Number(now - lastAt) / 1e9;
      const rate = seconds > 0 ? (count - lastCount) / seconds : 0;
      lastCount = count;
      lastAt = now;
      const elapsed = Math.min(total, Number(now - startedAt) / 1e6);
      this.worker.progress(this.#measuring ? 'measure' : 'warmup', elapsed, total, this.formatRate(rate));
    }, PROGRESS_INTERVAL_MS);

    const beginMeasuring = (): void => {
      measureStartCount = this.sample();
      measureStartAt = process.hrtime.bigint();
      this.#measuring = true;
      setTimeout(endMeasuring, durationMs);
    };
    const endMeasuring = (): void => {
      const count = this.sample() - measureStartCount;
      const seconds = Number(process.hrtime.bigint() - measureStartAt) / 1e9;
      this.#measuring = false;
      this.#finished = true;
      clearInterval(ticker);
      this.onComplete(count, seconds);
    };
    if (warmupMs > 0) setTimeout(beginMeasuring, warmupMs);
    else beginMeasuring();
  }
}
