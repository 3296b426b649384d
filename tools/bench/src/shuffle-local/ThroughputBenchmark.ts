/**
 * Flink's StreamNetworkThroughputBenchmark without the network: `writers` (4) record writers, each with
 * its own PipelinedResultPartition of `channels` subpartitions (round robin), read by one RecordReader
 * over a UnionInputGate of one SingleInputGate per writer (`channels` LocalInputChannels each), all in
 * one process on one thread. 8-byte long records. Metric: records read per millisecond (Flink's unit),
 * against a hand-written ceiling that moves the same bytes through plain 32 KiB buffers.
 *
 * One benchmark per configuration (`unicast-<channels>-<flush>ms`), so the ratio to the ceiling is
 * taken within the configuration. Each variant runs in a fresh child process per round.
 *
 * Extra figures (ratio-free): `records/buffer` — how full the buffers the reader gets are (2730.7 for
 * full 32 KiB buffers; the 1 ms flush makes them smaller) — and `timer period ms`, the measured period
 * of a fixed-rate timer at the flush timeout on the same thread: how often the OutputFlusher really runs;
 * `cpu/wall`, the child's CPU time over the window's wall time — well below 1 when other work on the
 * machine took the core, which makes that round's figures low (this machine is shared).
 */
import type { MetricSpec, MetricValues, RunOptions } from '../harness/Benchmark';
import type { InProcessVariant } from '../harness/BenchVariant';
import { InProcessBenchmark } from '../harness/InProcessBenchmark';
import { WRITER_SLICE_US } from './cooperative';
import { THROUGHPUT_VARIANTS } from './variants';

/** Flink's defaults (NettyShuffleEnvironmentOptions) and the benchmark's shape. */
export const SHUFFLE_DEFAULTS = {
  writers: 4,
  segmentSize: 32_768,
  buffersPerChannel: 2,
  floatingBuffersPerGate: 8,
  maxBuffersPerChannel: 10,
} as const;

/** StreamNetworkBenchmarkEnvironment's default pool: max(2048, writers × channels × 4) buffers. */
/** The parameters of a StreamNetworkThroughputBenchmark shape (also the `shuffle` suite's, plus its own). */
export function throughputParams(channels: number, flushTimeoutMs: number): Record<string, number> {
  const { writers, segmentSize, buffersPerChannel, floatingBuffersPerGate, maxBuffersPerChannel } = SHUFFLE_DEFAULTS;
  return {
    writers,
    channels,
    flushTimeoutMs,
    segmentSize,
    sliceUs: WRITER_SLICE_US,
    networkBuffers: benchmarkNetworkBuffers(writers, channels),
    buffersPerChannel,
    floatingBuffersPerGate,
    maxBuffersPerChannel,
  };
}

export function benchmarkNetworkBuffers(writers: number, channels: number): number {
  return Math.max(2048, writers * channels * 4);
}

export class ThroughputBenchmark extends InProcessBenchmark {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly metrics: readonly MetricSpec[] = [
    { name: 'records/ms', better: 'higher', ratio: true },
    { name: 'writer ns/record', better: 'lower', ratio: true, digits: 1 },
    { name: 'reader ns/record', better: 'lower', ratio: true, digits: 1 },
    { name: 'records/buffer', better: 'higher', ratio: false },
    { name: 'timer period ms', better: 'lower', ratio: false, digits: 2 },
    { name: 'cpu/wall', better: 'higher', ratio: false, digits: 2 },
  ];
  protected readonly execArgv: readonly string[] = [];

  constructor(
    private readonly channels: number,
    private readonly flushTimeoutMs: number,
    variants: readonly InProcessVariant[] = THROUGHPUT_VARIANTS,
  ) {
    super(variants);
    this.name = `unicast-${channels}-${flushTimeoutMs}ms`;
    this.title = `StreamNetworkThroughputBenchmark(${channels},${flushTimeoutMs}ms)`;
    this.description =
      `${SHUFFLE_DEFAULTS.writers} writers x ${channels} channels round robin, flush ${flushTimeoutMs} ms, 8-byte longs, ` +
      'local channels into one union gate, one thread; records/ms read';
  }

  params(_options: RunOptions): Readonly<Record<string, number>> {
    return throughputParams(this.channels, this.flushTimeoutMs);
  }

  protected progressTotal(options: RunOptions): number {
    return options.warmupMs + options.durationMs;
  }

  protected collect(measured: Readonly<Record<string, number>>): MetricValues {
    const values: Record<string, number> = { ...measured };
    for (const metric of this.metrics) {
      const value = measured[metric.name];
      if (value === undefined || !Number.isFinite(value)) throw new Error(`${this.title}: '${metric.name}' is ${String(value)}`);
    }
    if (!((values['records/ms'] ?? 0) > 0)) throw new Error(`${this.title}: no records were read (${JSON.stringify(measured)})`);
    return values;
  }

  protected summarize(values: MetricValues): string {
    const n = (name: string, digits = 0): string =>
      (values[name] ?? 0).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return (
      `${n('records/ms')} records/ms (writer ${n('writer ns/record', 1)} + reader ${n('reader ns/record', 1)} ns/record), ` +
      `${n('records/buffer')} records/buffer, timer period ${n('timer period ms', 2)} ms, cpu/wall ${n('cpu/wall', 2)}, ` +
      `${n('backPressureWaits')} back-pressure waits; checked ${n('recordsTotal')} records on ${n('channelsChecked')} channels, ` +
      `${n('segmentsReturned')} buffers returned`
    );
  }
}
