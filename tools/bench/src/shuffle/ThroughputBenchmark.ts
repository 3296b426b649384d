/**
 * Flink's StreamNetworkThroughputBenchmark over the network, sender and receiver in separate processes
 * (StreamNetworkBenchmarkEnvironment's shape, Flink 1.20): `writers` (4) round-robin RecordWriters of
 * 8-byte longs, each over its own partition of `channels` subpartitions with flush timeout
 * `flushTimeoutMs`, in the producer process; in the consumer process one gate per writer with
 * `channels` remote channels (channel c reads subpartition c), joined in a UnionInputGate, read by one
 * RecordReader; all channels on one TCP connection. Metric: records/ms read (Flink's unit).
 *
 * Beside it in the same run: `raw` (the same 12-byte records packed into 32 KiB frames over plain
 * node:net, in order per channel, checked the same way) and `flinkpeer` (FlinkPeer, the Java/Netty
 * implementation of the same protocol and record path: one serving thread producing full buffers for
 * `channels` subpartitions, one consuming thread). Target: Sluice ≥ 0.8× FlinkPeer at 100 × 100 ms and
 * 1000 × 1 ms (compare the two variants' per-round figures; the ratio column is to raw).
 */
import type { MetricSpec, MetricValues, RunOptions } from '../harness/Benchmark';
import type { SocketVariant } from '../harness/BenchVariant';
import { SocketBenchmark, type SideCpu } from '../harness/SocketBenchmark';
import { SHUFFLE_DEFAULTS, throughputParams } from '../shuffle-local/ThroughputBenchmark';
import { PER_RECORD, sideCostMetrics, sideCosts } from './sideCosts';

/** FlinkPeer's expected rate, to size its fixed record count to about the run's length. */
const FLINK_PEER_RECORDS_PER_MS = 60_000;

export class ShuffleThroughputBenchmark extends SocketBenchmark {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly metrics: readonly MetricSpec[] = [
    { name: 'records/ms', better: 'higher', ratio: true },
    { name: 'cpu/wall', better: 'higher', ratio: false, digits: 2 },
    { name: 'records/buffer', better: 'higher', ratio: false },
    ...sideCostMetrics(PER_RECORD),
  ];
  protected readonly measuredBy = 'sender';

  constructor(
    private readonly channels: number,
    private readonly flushTimeoutMs: number,
    variants: readonly SocketVariant[],
  ) {
    super(variants);
    this.name = `throughput-${channels}-${flushTimeoutMs}ms`;
    this.title = `StreamNetworkThroughputBenchmark(${channels},${flushTimeoutMs}ms)`;
    this.description =
      `${SHUFFLE_DEFAULTS.writers} writers x ${channels} channels round robin, flush ${flushTimeoutMs} ms, 8-byte longs, ` +
      'producer and consumer processes over one TCP connection; records/ms read';
  }

  params(_options: RunOptions): Readonly<Record<string, number>> {
    return {
      ...throughputParams(this.channels, this.flushTimeoutMs),
      flinkPeerRecordsPerMs: FLINK_PEER_RECORDS_PER_MS,
      flinkPeerRecordBytes: 8,
      flinkPeerDeadlineS: 120,
    };
  }

  protected collect(measured: Readonly<Record<string, number>>, _other: unknown, cpu: SideCpu | undefined): MetricValues {
    for (const metric of this.metrics) {
      if (metric.optional === true) continue;
      const value = measured[metric.name];
      if (value === undefined || !Number.isFinite(value)) throw new Error(`${this.title}: '${metric.name}' is ${String(value)} (${JSON.stringify(measured)})`);
    }
    if (!((measured['records/ms'] ?? 0) > 0)) throw new Error(`${this.title}: no records were read (${JSON.stringify(measured)})`);
    return { ...measured, ...sideCosts(cpu, measured['records/ms']!, PER_RECORD) };
  }

  protected summarize(values: MetricValues): string {
    const n = (name: string, digits = 0): string =>
      (values[name] ?? 0).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    const whole = values['wholeRunRecordsPerMs'];
    const sides = values['producer ns/record'];
    return (
      `${n('records/ms')} records/ms, ${n('records/buffer')} records/buffer, cpu/wall ${n('cpu/wall', 2)}` +
      (sides !== undefined
        ? `, producer ${n('producer cores', 2)} cores = ${n('producer ns/record', 1)} ns/record, consumer ${n('consumer cores', 2)} = ${n('consumer ns/record', 1)}`
        : '') +
      (whole !== undefined ? `, whole run incl. JIT ${n('wholeRunRecordsPerMs')} records/ms` : '')
    );
  }
}
