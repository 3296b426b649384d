/**
 * Child-side pieces shared by the `shuffle-local` benchmarks (raw and Sluice alike; nothing here loads
 * the framework): the cooperative scheduling of writers and readers on Node's one thread, the
 * measurement window over several counters, and a timer probe.
 *
 * ## How writers and readers share the thread
 * Flink runs every record writer, the receiver and the OutputFlusher on threads of their own. Here they
 * are tasks of one event loop:
 * - a writer emits until it is back-pressured (emit returns false) — then it awaits the writer's
 *   availability future, which completes when the reader recycles a buffer — or until its time slice
 *   ({@link WRITER_SLICE_US}, a parameter) is used up — then it yields to the event loop with
 *   `setImmediate`;
 * - the reader drains what is available, then awaits the gate's availability future (completed by the
 *   producers' data notifications);
 * - futures complete in microtasks, so a reader woken by a writer runs as soon as that writer yields
 *   or blocks, and a blocked writer resumes as soon as the reader has drained.
 * The time slice is what lets timers run: without it writers and reader would wake each other through
 * microtasks forever and Node would never reach its timers phase, so the OutputFlusher (and the
 * harness's progress and stop messages) would starve. One turn of the loop runs every writer's slice,
 * each followed by the reader; with 4 writers and 200 µs slices a turn lasts about 1 ms, so a 1 ms
 * flush timeout is honoured to within a turn ({@link TimerPeriodProbe} measures it). Nothing busy-waits.
 */
import { PROGRESS_INTERVAL_MS } from '../harness/worker';
import type { Worker } from '../harness/worker';

/** Default writer time slice before yielding to the event loop, in microseconds. */
export const WRITER_SLICE_US = 200;

/** Records between two looks at the clock in a writer's slice. */
export const CLOCK_CHECK_RECORDS = 1024;

/** Record payload (an 8-byte long) and its length prefix: 12 bytes per record on the wire. */
export const RECORD_PAYLOAD_BYTES = 8;
export const RECORD_BYTES = 4 + RECORD_PAYLOAD_BYTES;

/**
 * Writer `w`'s k-th record is the long `w * 2^40 + k`: distinct across writers, and it exercises both
 * words of the long. A safe integer for any k below 2^40 (~10^12 records per writer).
 */
export const WRITER_VALUE_STRIDE = 2 ** 40;

/** A macrotask turn: lets timers, I/O and IPC run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Checksum step shared by writers and readers: a wrapping int32 sum of the low words. */
export function checksumStep(checksum: number, value: number): number {
  return (checksum + (value | 0)) | 0;
}

/**
 * Number of records a round-robin writer (first channel 0) sent to `channel` out of `emitted`, over
 * `channels` channels.
 */
export function roundRobinShare(emitted: number, channels: number, channel: number): number {
  const full = Math.floor(emitted / channels);
  return full + (channel < emitted - full * channels ? 1 : 0);
}

/**
 * CPU time of this process (user + system, all threads) in ms. Over a window, `cpu / wall` near 1 means
 * the benchmark had its core; well below 1 means something else took it (the figures are then low).
 */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Milliseconds since an arbitrary origin (monotonic). */
export function nowMs(): number {
  return performance.now();
}

/**
 * A warm-up followed by a measurement window, timed with `process.hrtime.bigint()`, over several
 * growing counters at once (records, buffers, producer nanoseconds…). Reports the counters' growth
 * over the window and its exact length. Reports progress to the harness every 250 ms, with a live
 * rate of the first counter.
 */
export class CounterWindow {
  #measuring = false;
  #finished = false;
  readonly #onMeasureStart: Array<() => void> = [];

  constructor(
    private readonly worker: Worker,
    private readonly sample: () => readonly number[],
    private readonly formatRate: (firstCounterPerSecond: number) => string,
    private readonly onComplete: (deltas: number[], seconds: number) => void,
  ) {}

  get measuring(): boolean {
    return this.#measuring;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Runs `listener` when the warm-up ends (e.g. to reset a probe). */
  onMeasureStart(listener: () => void): void {
    this.#onMeasureStart.push(listener);
  }

  start(): void {
    const { warmupMs, durationMs } = this.worker.config;
    const total = warmupMs + durationMs;
    const startedAt = process.hrtime.bigint();
    let lastFirst = this.sample()[0] ?? 0;
    let lastAt = startedAt;
    let startCounts: readonly number[] = [];
    let startAt = startedAt;

    const ticker = setInterval(() => {
      const now = process.hrtime.bigint();
      const first = this.sample()[0] ?? 0;
      const seconds = Number(now - lastAt) / 1e9;
      const rate = seconds > 0 ? (first - lastFirst) / seconds : 0;
      lastFirst = first;
      lastAt = now;
      const elapsed = Math.min(total, Number(now - startedAt) / 1e6);
      this.worker.progress(this.#measuring ? 'measure' : 'warmup', elapsed, total, this.formatRate(rate));
    }, PROGRESS_INTERVAL_MS);

    const end = (): void => {
      const counts = this.sample();
      const seconds = Number(process.hrtime.bigint() - startAt) / 1e9;
      this.#measuring = false;
      this.#finished = true;
      clearInterval(ticker);
      this.onComplete(
        counts.map((c, i) => c - (startCounts[i] ?? 0)),
        seconds,
      );
    };
    const begin = (): void => {
      for (const listener of this.#onMeasureStart) listener();
      startCounts = this.sample();
      startAt = process.hrtime.bigint();
      this.#measuring = true;
      setTimeout(end, durationMs);
    };
    if (warmupMs > 0) setTimeout(begin, warmupMs);
    else begin();
  }
}

/**
 * The result of a `unicast-*` throughput variant, built the same way for raw and Sluice so that they
 * report the same metrics: `deltas` are a {@link CounterWindow}'s growth of
 * `[records, buffers, backPressureWaits, writerMs, readerMs, cpuMs]` (in that order) over `seconds`;
 * `periodMs` is the flush timer's measured period; `checks` are the variant's verification figures.
 */
export function throughputResult(deltas: readonly number[], seconds: number, periodMs: number, checks: Record<string, number>): Record<string, number> {
  const [records = 0, buffers = 0, waits = 0, writerWindowMs = 0, readerWindowMs = 0, cpuWindowMs = 0] = deltas;
  return {
    'records/ms': records / seconds / 1000,
    'records/buffer': buffers > 0 ? records / buffers : 0,
    'timer period ms': periodMs,
    'writer ns/record': (writerWindowMs * 1e6) / records,
    'reader ns/record': (readerWindowMs * 1e6) / records,
    'cpu/wall': cpuWindowMs / (seconds * 1000),
    records,
    seconds,
    buffers,
    backPressureWaits: waits,
    ...checks,
  };
}

/**
 * The result of a `broadcast` variant, built the same way for raw and Sluice: `deltas` are a
 * {@link CounterWindow}'s growth of `[records, producerMs, backPressureWaits, cpuMs]` over `seconds`;
 * `checks` are the variant's verification figures.
 */
export function broadcastResult(deltas: readonly number[], seconds: number, checks: Record<string, number>): Record<string, number> {
  const [records = 0, producerMs = 0, waits = 0, cpuWindowMs = 0] = deltas;
  return {
    'ns/record': (producerMs * 1e6) / records,
    'records/ms emitted': records / seconds / 1000,
    'cpu/wall': cpuWindowMs / (seconds * 1000),
    records,
    seconds,
    backPressureWaits: waits,
    ...checks,
  };
}

/**
 * Measures how often a fixed-rate timer really fires: the period an OutputFlusher gets on this thread.
 * Call {@link tick} from the timer; {@link reset} when the window starts; {@link periodMs} at the end.
 */
export class TimerPeriodProbe {
  private runs = 0;
  private firstAt = 0;
  private lastAt = 0;

  tick(): void {
    const now = nowMs();
    if (this.runs === 0) this.firstAt = now;
    this.lastAt = now;
    this.runs++;
  }

  reset(): void {
    this.runs = 0;
  }

  /** Mean period between runs since the last reset, in ms (0 if it ran less than twice). */
  periodMs(): number {
    return this.runs < 2 ? 0 : (this.lastAt - this.firstAt) / (this.runs - 1);
  }
}

/**
 * A fixed-rate timer on plain Node timers (for the raw variants, which load no framework), with the
 * re-arming rule of @sluice/channel's scheduled tasks: the next deadline is the previous one plus the
 * period, so a late run is followed at once by the next (the timer catches up, like the OutputFlusher).
 */
export function fixedRateTimer(periodMs: number, task: () => void): () => void {
  let deadline = nowMs() + periodMs;
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    timer = setTimeout(run, Math.max(0, deadline - nowMs()));
  };
  const run = (): void => {
    task();
    deadline += periodMs;
    arm();
  };
  arm();
  return () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
}

/** Throws with `message` unless `condition` holds (a failed check fails the benchmark). */
export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new Error(`correctness check failed: ${message()}`);
}
