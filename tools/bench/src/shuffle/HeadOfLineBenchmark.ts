/**
 * Head-of-line blocking: `channels` (100) channels on one TCP connection, the last one's consumer slow
 * (one buffer per `slowMsPerBuffer` = 1 ms) once phase B starts. The slow channel has a partition and
 * writer of its own on the producer and a gate (task) of its own on the consumer, so only the shared
 * connection couples it to the other 99. Metric: the 99 fast channels' MB/s with the slow consumer as a
 * fraction of their MB/s without it, before and after (same processes, phases A, B and A′, see
 * `headOfLinePhases.ts`).
 *
 * Variants: `raw` (naive multiplexing over node:net with a bounded queue per channel and no credit: a
 * full queue pauses the socket), `credit` (Sluice, credit-based flow control), `push` (Sluice, Flink
 * 1.4's push mode). Target: credit ≥ 0.95, push visibly lower. The ratio column is not meaningful here.
 */
import type { MetricSpec, MetricValues, RunOptions } from '../harness/Benchmark';
import { SocketBenchmark } from '../harness/SocketBenchmark';
import { WRITER_SLICE_US } from '../shuffle-local/cooperative';
import { SHUFFLE_DEFAULTS } from '../shuffle-local/ThroughputBenchmark';
import { HEAD_OF_LINE_VARIANTS } from './variants';

const METRICS: readonly MetricSpec[] = [
  { name: 'fraction', better: 'higher', ratio: false, digits: 3 },
  { name: 'fast MB/s, no slow', better: 'higher', ratio: false },
  { name: 'fast MB/s, slow', better: 'higher', ratio: false },
  { name: 'slow buffers/s, slow', better: 'higher', ratio: false },
];

export class HeadOfLineBenchmark extends SocketBenchmark {
  readonly name = 'head-of-line';
  readonly title = 'HeadOfLineBenchmark';
  readonly description = '100 channels on one connection, 1 consumer slow (1 ms per buffer): fast channels MB/s with / without it';
  readonly metrics = METRICS;
  protected readonly measuredBy = 'sender';

  constructor() {
    super(HEAD_OF_LINE_VARIANTS);
  }

  params(options: RunOptions): Readonly<Record<string, number>> {
    const { segmentSize, buffersPerChannel, floatingBuffersPerGate, maxBuffersPerChannel } = SHUFFLE_DEFAULTS;
    return {
      channels: 100,
      slowMsPerBuffer: 1,
      settleMs: options.quick ? 200 : 1000,
      segmentSize,
      sliceUs: WRITER_SLICE_US,
      networkBuffers: 2048,
      buffersPerChannel,
      floatingBuffersPerGate,
      maxBuffersPerChannel,
    };
  }

  protected collect(measured: Readonly<Record<string, number>>): MetricValues {
    for (const metric of METRICS) {
      const value = measured[metric.name];
      if (value === undefined || !Number.isFinite(value)) throw new Error(`${this.title}: '${metric.name}' is ${String(value)} (${JSON.stringify(measured)})`);
    }
    if (!((measured['fast MB/s, no slow'] ?? 0) > 0)) throw new Error(`${this.title}: no traffic on the fast channels (${JSON.stringify(measured)})`);
    return { ...measured };
  }

  protected summarize(values: MetricValues): string {
    const n = (name: string, digits = 0): string => (values[name] ?? 0).toFixed(digits);
    return (
      `fraction ${n('fraction', 3)}: fast ${n('fast MB/s, before')} -> ${n('fast MB/s, slow')} -> ${n('fast MB/s, after')} MB/s; ` +
      `slow channel ${n('slow buffers/s, no slow')} -> ${n('slow buffers/s, slow')} buffers/s`
    );
  }
}
