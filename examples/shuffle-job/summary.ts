/**
 * The JobMaster's summary of a finished run: throughput, end-to-end latency, per-aggregator progress,
 * per-channel credit/backlog, and the exactly-once check (per key: count and checksum on the source
 * side against the aggregators' side, and every key at exactly the aggregator the partitioner chose).
 */
import { build as buildHistogram, decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { AggTaskResult, ChannelStats, JobConfig, SourceTaskResult } from './protocol';
import { JobRecordSerializer, KeyStats } from './records';

/** Latency percentiles, ms. */
export interface LatencySummary {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface AggregatorSummary {
  readonly subtask: number;
  readonly slow: boolean;
  readonly records: number;
  /** Records per second while it had data (first to last record). */
  readonly recordsPerSec: number;
  /** When its input ended, ms after the job started running. */
  readonly doneAtMs: number;
  readonly starvedMs: number;
  readonly latency: LatencySummary;
  readonly channels: readonly ChannelStats[];
}

export interface KeyMismatch {
  readonly key: number;
  readonly sentCount: number;
  readonly receivedCount: number;
  readonly sentChecksum: number;
  readonly receivedChecksum: number;
}

export interface ExactlyOnceCheck {
  readonly keys: number;
  /** Keys whose count and checksum agree on both sides. */
  readonly matchingKeys: number;
  readonly mismatches: readonly KeyMismatch[];
  /** Keys that reached an aggregator other than the one the source's partitioner chose. */
  readonly misroutedKeys: readonly number[];
  readonly corruptRecords: number;
  readonly ok: boolean;
}

export interface JobSummary {
  readonly job: JobConfig;
  readonly sent: number;
  readonly received: number;
  /** Bytes the aggregators' channels received (buffer payloads: records with their length headers). */
  readonly bytes: number;
  /** From `run` until the last aggregator's input ended, ms. */
  readonly elapsedMs: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly latency: LatencySummary;
  /** How often the source subtasks found their writers back-pressured, and for how long in total. */
  readonly sourceWaits: number;
  readonly sourceHardBackPressuredMs: number;
  readonly sourceSoftBackPressuredMs: number;
  readonly aggregators: readonly AggregatorSummary[];
  readonly check: ExactlyOnceCheck;
  readonly ok: boolean;
}

function latencyOf(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { p50: 0, p99: 0, max: 0 };
  return { p50: h.getValueAtPercentile(50) / 1000, p99: h.getValueAtPercentile(99) / 1000, max: h.maxValue / 1000 };
}

/** Builds the summary from both TaskManagers' results. */
export function summarize(job: JobConfig, sources: readonly SourceTaskResult[], aggs: readonly AggTaskResult[], elapsedMs: number): JobSummary {
  const sent = new KeyStats(job.keys);
  for (const s of sources) sent.merge(s.keyStats);
  const received = new KeyStats(job.keys);
  for (const a of aggs) received.merge(a.keyStats);

  const mismatches: KeyMismatch[] = [];
  for (let k = 0; k < job.keys; k++) {
    if (sent.counts[k] !== received.counts[k] || sent.checksums[k] !== received.checksums[k]) {
      mismatches.push({
        key: k,
        sentCount: sent.counts[k]!,
        receivedCount: received.counts[k]!,
        sentChecksum: sent.checksums[k]!,
        receivedChecksum: received.checksums[k]!,
      });
    }
  }
  // The partitioner is deterministic: every source must have chosen the same aggregator for a key, and
  // only that aggregator may have seen it.
  const target = new Array<number>(job.keys).fill(-1);
  const misrouted = new Set<number>();
  for (const s of sources) {
    s.keyTargets.forEach((t, k) => {
      if (t < 0) return;
      if (target[k]! >= 0 && target[k] !== t) misrouted.add(k);
      target[k] = t;
    });
  }
  for (const a of aggs) {
    a.keyStats.counts.forEach((c, k) => {
      if (c > 0 && target[k] !== a.subtask) misrouted.add(k);
    });
  }
  const corruptRecords = aggs.reduce((n, a) => n + a.corrupt, 0);
  const receivedTotal = aggs.reduce((n, a) => n + a.records, 0);
  const sentTotal = sources.reduce((n, s) => n + s.records, 0);
  const check: ExactlyOnceCheck = {
    keys: job.keys,
    matchingKeys: job.keys - mismatches.length,
    mismatches,
    misroutedKeys: [...misrouted].sort((x, y) => x - y),
    corruptRecords,
    ok: mismatches.length === 0 && misrouted.size === 0 && corruptRecords === 0 && sentTotal === job.records && receivedTotal === sentTotal,
  };

  const total = buildHistogram({ bitBucketSize: 32, autoResize: true, useWebAssembly: false });
  const aggregators: AggregatorSummary[] = [];
  for (const a of [...aggs].sort((x, y) => x.subtask - y.subtask)) {
    const h = decodeFromCompressedBase64(a.latency, 32, false);
    total.add(h);
    aggregators.push({
      subtask: a.subtask,
      slow: a.subtask === 0 && job.slowEvery > 0,
      records: a.records,
      recordsPerSec: a.activeMs > 0 ? a.records / (a.activeMs / 1000) : 0,
      doneAtMs: a.elapsedMs,
      starvedMs: a.starvedMs,
      latency: latencyOf(h),
      channels: a.channels,
    });
    h.destroy();
  }
  const latency = latencyOf(total);
  total.destroy();
  const bytes = aggs.reduce((n, a) => n + a.bytesIn, 0);
  const seconds = Math.max(elapsedMs, 1) / 1000;
  return {
    job,
    sent: sentTotal,
    received: receivedTotal,
    bytes,
    elapsedMs,
    recordsPerSec: receivedTotal / seconds,
    mbPerSec: bytes / 1e6 / seconds,
    latency,
    sourceWaits: sources.reduce((n, s) => n + s.waits, 0),
    sourceHardBackPressuredMs: sources.reduce((n, s) => n + s.hardBackPressuredMs, 0),
    sourceSoftBackPressuredMs: sources.reduce((n, s) => n + s.softBackPressuredMs, 0),
    aggregators,
    check,
    ok: check.ok,
  };
}

// ------------------------------------------------------------------------------------------- format

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const sec = (n: number): string => `${(n / 1000).toFixed(2)} s`;
const f1 = (n: number): string => n.toFixed(1);

function table(rows: readonly (readonly string[])[], rightAlign: (col: number) => boolean): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (rightAlign(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

interface Spread {
  min: number;
  avg: number;
  max: number;
}

function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { min: 0, avg: 0, max: 0 };
  return { min: Math.min(...values), avg: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values) };
}

const spreadText = (s: Spread): string => `${f1(s.min)}/${f1(s.avg)}/${f1(s.max)}`;

/** What the slow consumer did to the others, in words (the point of `--slow-consumer`). */
function slowConsumerNotes(s: JobSummary): string[] {
  const [slow, ...others] = s.aggregators as [AggregatorSummary, ...AggregatorSummary[]];
  const otherRate = others.reduce((n, a) => n + a.recordsPerSec, 0) / others.length;
  const otherP50 = spread(others.map((a) => a.latency.p50)).avg;
  const otherStarved = spread(others.map((a) => a.starvedMs / Math.max(1, a.doneAtMs))).avg;
  const lines = [
    `slow consumer: aggregator 1 read ${int(slow.recordsPerSec)} records/s, the others ${int(otherRate)} on average (idle ${(otherStarved * 100).toFixed(0)}% of the time). ` +
      'keyBy sends records of every source to every aggregator, so the slow one back-pressures all sources and the whole job runs at its pace, in either mode.',
  ];
  if (s.job.flowControl === 'credit') {
    const slowCredit = spread(slow.channels.map((c) => c.creditAvg)).avg;
    const otherCredit = spread(others.flatMap((a) => a.channels.map((c) => c.creditAvg))).avg;
    lines.push(
      `credit-based: only the slow aggregator's channels ran out of credit (avg ${f1(slowCredit)} buffers vs ${f1(otherCredit)} on the others), so only its data waited at the sender; ` +
        `the shared connection kept carrying the others' buffers: their records arrived in p50 ${ms(otherP50)} ms (the slow one's in ${ms(slow.latency.p50)} ms).`,
    );
  } else {
    lines.push(
      `push mode: whenever the slow aggregator had no free buffer, the client stopped reading the whole connection, and the others' buffers waited behind it: ` +
        `their records arrived in p50 ${ms(otherP50)} ms (the slow one's in ${ms(slow.latency.p50)} ms). Compare with --flow-control credit.`,
    );
  }
  return lines;
}

/** The summary as lines of text. */
export function formatSummary(s: JobSummary): string[] {
  const { job } = s;
  const credit = job.flowControl === 'credit';
  const channels = job.sources * job.aggregators;
  const lines: string[] = [];
  lines.push(
    `job: ${job.sources} sources (tm-source) → keyBy → ${job.aggregators} aggregators (tm-agg), ${channels} channels over one TCP connection, ` +
      `${credit ? 'credit-based flow control' : 'push mode (no credit, Flink 1.4)'}, buffer timeout ${job.bufferTimeoutMs} ms, ` +
      `${job.segmentSize / 1024} KiB buffers${job.slowEvery > 0 ? `, aggregator 1 slow (1 ms every ${int(job.slowEvery)} records)` : ''}`,
  );
  lines.push(
    `moved ${int(s.received)} records (${JobRecordSerializer.LENGTH} B + 4 B length each, ${(s.bytes / 1e6).toFixed(1)} MB) in ${sec(s.elapsedMs)}: ` +
      `${int(s.recordsPerSec)} records/s, ${s.mbPerSec.toFixed(1)} MB/s`,
  );
  lines.push(`end-to-end latency (emit → aggregate): p50 ${ms(s.latency.p50)} ms, p99 ${ms(s.latency.p99)} ms, max ${ms(s.latency.max)} ms`);
  lines.push(
    `sources were back-pressured ${int(s.sourceWaits)} times over ${job.sources} subtasks: ` +
      `${sec(s.sourceHardBackPressuredMs)} hard (a record waiting for a buffer), ${sec(s.sourceSoftBackPressuredMs)} soft (output unavailable)`,
  );
  lines.push('');

  // Per aggregator: its progress and its N channels' credit/backlog (min/avg/max over the channels' averages).
  const header = ['aggregator', 'records', 'records/s', 'done at', 'starved', 'p50 ms', 'p99 ms'];
  if (credit) header.push('credit min/avg/max', 'backlog avg/max');
  header.push('queued avg/max');
  const rows: string[][] = [header];
  for (const a of s.aggregators) {
    const row = [
      `${a.subtask + 1}${a.slow ? ' (slow)' : ''}`,
      int(a.records),
      int(a.recordsPerSec),
      sec(a.doneAtMs),
      sec(a.starvedMs),
      ms(a.latency.p50),
      ms(a.latency.p99),
    ];
    if (credit) {
      row.push(spreadText(spread(a.channels.map((c) => c.creditAvg))));
      row.push(`${f1(spread(a.channels.map((c) => c.backlogAvg)).avg)}/${Math.max(0, ...a.channels.map((c) => c.backlogMax))}`);
    }
    row.push(`${f1(spread(a.channels.map((c) => c.queuedAvg)).avg)}/${Math.max(0, ...a.channels.map((c) => c.queuedMax))}`);
    rows.push(row);
  }
  lines.push(...table(rows, (c) => c > 0));

  // Per channel when there are few; otherwise the spread over all channels and the slow aggregator's.
  const all = s.aggregators.flatMap((a) => a.channels);
  if (all.length > 0 && all.length <= 16) {
    lines.push('');
    const chHeader = ['channel'];
    if (credit) chHeader.push('credit avg (min–max)', 'backlog avg (max)');
    chHeader.push('queued avg (max)');
    const chRows: string[][] = [chHeader];
    for (const c of all) {
      const row = [`source ${c.source + 1} → aggregator ${c.aggregator + 1}${job.slowEvery > 0 && c.aggregator === 0 ? ' (slow)' : ''}`];
      if (credit) {
        row.push(`${f1(c.creditAvg)} (${c.creditMin}–${c.creditMax})`);
        row.push(`${f1(c.backlogAvg)} (${c.backlogMax})`);
      }
      row.push(`${f1(c.queuedAvg)} (${c.queuedMax})`);
      chRows.push(row);
    }
    lines.push(...table(chRows, (c) => c > 0));
  } else if (all.length > 0) {
    lines.push('');
    const describe = (name: string, cs: readonly ChannelStats[]): string =>
      `${name} (${cs.length}): ` +
      (credit
        ? `credit min/avg/max ${spreadText(spread(cs.map((c) => c.creditAvg)))}, backlog ${spreadText(spread(cs.map((c) => c.backlogAvg)))}, `
        : '') +
      `queued ${spreadText(spread(cs.map((c) => c.queuedAvg)))}`;
    lines.push(describe('all channels', all));
    if (job.slowEvery > 0) {
      lines.push(describe('slow channels', all.filter((c) => c.aggregator === 0)));
      lines.push(describe('other channels', all.filter((c) => c.aggregator !== 0)));
    }
  }
  if (job.slowEvery > 0 && s.aggregators.length > 1) {
    lines.push('');
    lines.push(...slowConsumerNotes(s));
  }
  lines.push('');

  const c = s.check;
  lines.push(
    `exactly once: ${c.matchingKeys} of ${c.keys} keys match (count and checksum), ${int(s.sent)} sent, ${int(s.received)} received, ` +
      `${c.misroutedKeys.length} keys at a wrong aggregator, ${c.corruptRecords} corrupt records`,
  );
  for (const m of c.mismatches.slice(0, 10)) {
    lines.push(`  key ${m.key}: sent ${int(m.sentCount)} (checksum ${m.sentChecksum}), received ${int(m.receivedCount)} (checksum ${m.receivedChecksum})`);
  }
  if (c.mismatches.length > 10) lines.push(`  … and ${c.mismatches.length - 10} more keys`);
  if (c.misroutedKeys.length > 0) lines.push(`  misrouted keys: ${c.misroutedKeys.slice(0, 20).join(', ')}${c.misroutedKeys.length > 20 ? ', …' : ''}`);
  lines.push(`verdict: ${s.ok ? 'PASS — every record arrived exactly once' : 'FAIL'}`);
  return lines;
}
