/**
 * The JobMaster's live view: one bar for the sources (records emitted) and one per aggregator (records
 * aggregated, with its current rate), so a slow aggregator — and whether the others wait for it — is
 * visible while the job runs. Drawn with cli-progress on stderr when it is a terminal; nothing otherwise.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { JobConfig, Progress } from './protocol';

/** What the JobMaster calls while the job runs. */
export interface ProgressView {
  update(progress: Progress): void;
  /** Stops drawing; `completed`: the input ended everywhere, so each aggregator's bar shows 100 %. */
  stop(completed?: boolean): void;
}

/** A view that shows nothing (`--quiet`, tests). */
export const NO_PROGRESS: ProgressView = { update: () => undefined, stop: () => undefined };

/** Bars for at most this many aggregators; beyond it, one bar for all of them. */
const MAX_AGG_BARS = 8;

export function progressBars(job: JobConfig, slow: boolean): ProgressView {
  const multi = new MultiBar(
    {
      format: ' {name} {bar} {percentage}% | {value}/{total} | {rate} records/s',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
      fps: 10,
      formatValue: (v, _options, type) => (type === 'value' || type === 'total' ? Number(v).toLocaleString('en-US') : String(v)),
    },
    Presets.shades_classic,
  );
  const pad = (s: string): string => s.padEnd(18);
  const sources = multi.create(job.records, 0, { name: pad(`sources ×${job.sources}`), rate: '0' });
  const perAgg = job.aggregators <= MAX_AGG_BARS;
  // Each aggregator receives the records of its keys; the exact share is known only at the end, so the
  // bar's total is the even share (and grows if the aggregator gets more).
  const share = Math.ceil(job.records / job.aggregators);
  const aggBars: SingleBar[] = perAgg
    ? Array.from({ length: job.aggregators }, (_, a) =>
        multi.create(share, 0, { name: pad(`aggregator ${a + 1}${slow && a === 0 ? ' slow' : ''}`), rate: '0' }),
      )
    : [multi.create(job.records, 0, { name: pad(`aggregators ×${job.aggregators}`), rate: '0' })];
  const last = new Map<SingleBar, { value: number; at: number; rate: number }>();
  const values = new Map<SingleBar, number>();
  const set = (bar: SingleBar, value: number, total?: number): void => {
    values.set(bar, value);
    const t = performance.now();
    const prev = last.get(bar);
    let rate = prev?.rate ?? 0;
    if (prev !== undefined && t - prev.at >= 250) {
      rate = ((value - prev.value) / (t - prev.at)) * 1000;
      last.set(bar, { value, at: t, rate });
    } else if (prev === undefined) {
      last.set(bar, { value, at: t, rate: 0 });
    }
    if (total !== undefined && total > bar.getTotal()) bar.setTotal(total);
    bar.update(value, { rate: Math.round(rate).toLocaleString('en-US') });
  };
  return {
    update(progress: Progress): void {
      const sum = progress.records.reduce((a, b) => a + b, 0);
      if (progress.role === 'tm-source') set(sources, sum);
      else if (perAgg) progress.records.forEach((n, a) => set(aggBars[a]!, n, n));
      else set(aggBars[0]!, sum);
    },
    stop(completed = false): void {
      if (completed && perAgg) {
        for (const bar of aggBars) {
          const value = values.get(bar) ?? 0;
          bar.setTotal(value);
          bar.update(value);
        }
        multi.update();
      }
      multi.stop();
    },
  };
}
