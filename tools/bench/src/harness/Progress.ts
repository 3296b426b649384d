/**
 * Progress of the running measurement, on stderr so that stdout stays a clean report.
 *
 * On a terminal it is a `cli-progress` bar fed by the measuring child's progress messages; when
 * stderr is not a terminal (CI, redirected output) it prints one line per finished measurement.
 */
import { Presets, SingleBar } from 'cli-progress';

/** Receives progress of one measurement at a time. */
export interface ProgressSink {
  /** A measurement starts; `total` is in the unit of later `update` calls (ms or cycles). */
  begin(label: string, total: number): void;
  update(phase: 'warmup' | 'measure', done: number, total: number, live: string): void;
  /** The measurement ended; `summary` is printed on its own line. */
  end(summary: string): void;
}

/** Discards everything (`--json-only` without a terminal, tests). */
export class SilentProgress implements ProgressSink {
  begin(): void {}
  update(): void {}
  end(): void {}
}

/** Bar on a TTY, plain lines otherwise; always on stderr. */
export class StderrProgress implements ProgressSink {
  readonly #tty = process.stderr.isTTY === true;
  #bar: SingleBar | undefined;
  #label = '';

  begin(label: string, total: number): void {
    this.#label = label;
    if (!this.#tty) return;
    this.#bar = new SingleBar(
      {
        stream: process.stderr,
        format: '{label} [{bar}] {phase} {live}',
        hideCursor: true,
        clearOnComplete: true,
        barsize: 30,
        fps: 8,
      },
      Presets.shades_classic,
    );
    this.#bar.start(Math.max(1, total), 0, { label, phase: 'starting', live: '' });
  }

  update(phase: 'warmup' | 'measure', done: number, total: number, live: string): void {
    if (this.#bar === undefined) return;
    this.#bar.setTotal(Math.max(1, total));
    this.#bar.update(done, { label: this.#label, phase: phase === 'warmup' ? 'warm-up' : 'measuring', live });
  }

  end(summary: string): void {
    if (this.#bar !== undefined) {
      this.#bar.stop();
      this.#bar = undefined;
    }
    process.stderr.write(`${this.#label}: ${summary}\n`);
  }
}
