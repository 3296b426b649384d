/**
 * The measurement phases of the `head-of-line` benchmark, shared by its raw and Sluice consumers
 * (framework-free). From the first data on: warm-up (`warmupMs`, slow channel consumed at full speed)
 * → phase A (`durationMs / 3`, still no slow channel: the fast channels' reference throughput) → the
 * slow channel turns slow (one buffer per `slowMsPerBuffer` ms) → settling (`settleMs`: its queues fill,
 * credit runs out, or the connection stalls) → phase B (`durationMs / 3`) → the slow channel leaves
 * again (`onRelease`; raw: consumed at full speed) → settling → phase A′ (`durationMs / 3`). Reports the
 * fast channels' MB/s and `fraction` = B / mean(A, A′): measuring the reference on both sides of B
 * cancels this machine's drift between phases, which is larger than the effect measured. Progress goes
 * to the harness every 250 ms.
 */
import { PROGRESS_INTERVAL_MS } from '../harness/worker';
import type { Worker } from '../harness/worker';

export class HeadOfLinePhases {
  #started = false;
  #slow = false;
  #released = false;
  #done = false;

  constructor(
    private readonly worker: Worker,
    /** Bytes received so far on the fast channels. */
    private readonly fastBytes: () => number,
    /** Buffers the slow channel consumed so far. */
    private readonly slowBuffers: () => number,
    private readonly settleMs: number,
    /** Runs when the slow phase begins (the Sluice consumer requests the slow channel's partition then). */
    private readonly onSlow: () => void = () => undefined,
    /** Runs when the slow phase ends (the Sluice consumer releases the slow channel then). */
    private readonly onRelease: () => void = () => undefined,
  ) {}

  /** True once the slow channel must be slow. */
  get slow(): boolean {
    return this.#slow;
  }

  /** True once the slow channel left again (after phase B). */
  get released(): boolean {
    return this.#released;
  }

  get done(): boolean {
    return this.#done;
  }

  /** Call on the first data. Later calls are ignored. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { warmupMs, durationMs } = this.worker.config;
    const phaseMs = durationMs / 3;
    const total = warmupMs + 3 * phaseMs + 2 * this.settleMs;
    const startedAt = Date.now();
    let phase: 'warmup' | 'measure' = 'warmup';
    let lastBytes = 0;
    const ticker = setInterval(() => {
      const bytes = this.fastBytes();
      const rate = ((bytes - lastBytes) / (PROGRESS_INTERVAL_MS / 1000)) * 1e-6;
      lastBytes = bytes;
      this.worker.progress(phase, Math.min(total, Date.now() - startedAt), total, `fast ${rate.toFixed(0)} MB/s${this.#slow ? ' (slow on)' : ''}`);
    }, PROGRESS_INTERVAL_MS);
    const measure = async (ms: number): Promise<{ mbps: number; slowBuffers: number }> => {
      const bytes0 = this.fastBytes();
      const slow0 = this.slowBuffers();
      const t0 = process.hrtime.bigint();
      await new Promise((resolve) => setTimeout(resolve, ms));
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      return { mbps: (this.fastBytes() - bytes0) / seconds / 1e6, slowBuffers: (this.slowBuffers() - slow0) / seconds };
    };
    const run = async (): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, warmupMs));
      phase = 'measure';
      const a = await measure(phaseMs);
      this.#slow = true;
      this.onSlow();
      await new Promise((resolve) => setTimeout(resolve, this.settleMs));
      const b = await measure(phaseMs);
      this.#slow = false;
      this.#released = true;
      this.onRelease();
      await new Promise((resolve) => setTimeout(resolve, this.settleMs));
      const after = await measure(phaseMs);
      this.#done = true;
      clearInterval(ticker);
      const reference = (a.mbps + after.mbps) / 2;
      this.worker.result({
        'fast MB/s, no slow': reference,
        'fast MB/s, slow': b.mbps,
        fraction: reference > 0 ? b.mbps / reference : 0,
        'slow buffers/s, no slow': (a.slowBuffers + after.slowBuffers) / 2,
        'slow buffers/s, slow': b.slowBuffers,
        'fast MB/s, before': a.mbps,
        'fast MB/s, after': after.mbps,
      });
    };
    run().catch((error: unknown) => this.worker.fail(error));
  }
}
