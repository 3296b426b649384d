/**
 * Bulk throughput of the shuffle transport: 32 KiB buffers from one producer partition to one remote
 * input channel (credit-based, 2 exclusive + 8 floating buffers), producer and consumer in separate
 * processes; MB/s of received buffers, beside raw node:net moving the same 32 KiB frames (4-byte length
 * prefix, cork batches of 16) and FlinkPeer (Java/Netty, the same protocol: records of exactly one
 * buffer, 2 exclusive + 8 floating buffers, one buffer written per flush). Target: ≥ 0.9× raw.
 */
import type { MetricSpec, MetricValues } from '../harness/Benchmark';
import type { SocketVariant } from '../harness/BenchVariant';
import { SocketBenchmark, type SideCpu } from '../harness/SocketBenchmark';
import { WRITER_SLICE_US } from '../shuffle-local/cooperative';
import { SHUFFLE_DEFAULTS } from '../shuffle-local/ThroughputBenchmark';
import { PER_BUFFER, sideCostMetrics, sideCosts } from './sideCosts';

export class BulkBenchmark extends SocketBenchmark {
  readonly name = 'bulk';
  readonly title = 'ShuffleBulkThroughputBenchmark';
  readonly description = '32 KiB buffers, one partition -> one remote channel (credit) between two processes; MB/s at the consumer';
  readonly metrics: readonly MetricSpec[] = [{ name: 'MB/s', better: 'higher', ratio: true }, ...sideCostMetrics(PER_BUFFER)];
  protected readonly measuredBy = 'sender';

  constructor(variants: readonly SocketVariant[]) {
    super(variants);
  }

  params(): Readonly<Record<string, number>> {
    const { segmentSize, buffersPerChannel, floatingBuffersPerGate, maxBuffersPerChannel } = SHUFFLE_DEFAULTS;
    return {
      segmentSize,
      batchFrames: 16,
      sliceUs: WRITER_SLICE_US,
      networkBuffers: 2048,
      buffersPerChannel,
      floatingBuffersPerGate,
      maxBuffersPerChannel,
      // FlinkPeer: one channel of records that fill one buffer each, sized for ~2.3 GB/s.
      channels: 1,
      flinkPeerRecordBytes: segmentSize - 4,
      flinkPeerRecordsPerMs: 70,
      flinkPeerDeadlineS: 120,
    };
  }

  protected collect(measured: Readonly<Record<string, number>>, _other: unknown, cpu: SideCpu | undefined): MetricValues {
    const mbps = measured['MB/s'] ?? 0;
    if (!(mbps > 0)) throw new Error(`${this.title}: the consumer counted no traffic (${JSON.stringify(measured)})`);
    // MB/s counts 10^6 bytes of whole buffers.
    const buffersPerMs = (mbps * 1e3) / SHUFFLE_DEFAULTS.segmentSize;
    return { 'MB/s': mbps, ...sideCosts(cpu, buffersPerMs, PER_BUFFER) };
  }

  protected summarize(values: MetricValues): string {
    const n = (name: string, digits: number): string => (values[name] ?? 0).toFixed(digits);
    const sides =
      values['producer µs/buffer'] !== undefined
        ? `, producer ${n('producer cores', 2)} cores = ${n('producer µs/buffer', 1)} µs/buffer, consumer ${n('consumer cores', 2)} = ${n('consumer µs/buffer', 1)}`
        : '';
    return `${n('MB/s', 0)} MB/s${sides}`;
  }
}
