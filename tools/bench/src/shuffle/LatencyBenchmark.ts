/**
 * Round-trip latency through the shuffle: 1 writer, 1 channel, buffer timeout 0 (flush after every
 * record), one 8-byte record in flight between a client and an echo process (two partitions, two
 * connections: data flows producer → consumer only). p50/p99/mean µs at the client (HDR histogram),
 * beside a raw node:net ping-pong of one frame of the size of Sluice's frame on the wire (a
 * BufferResponse with one 12-byte record: 9-byte frame header + 38-byte BufferResponse header + 12 =
 * 59 bytes; raw: 4-byte length + 55 bytes). Target: ≤ 1.5× raw.
 */
import type { MetricSpec, MetricValues } from '../harness/Benchmark';
import { SocketBenchmark } from '../harness/SocketBenchmark';
import { SHUFFLE_DEFAULTS } from '../shuffle-local/ThroughputBenchmark';
import { LATENCY_VARIANTS } from './variants';

const METRICS: readonly MetricSpec[] = [
  { name: 'p50 µs', better: 'lower', ratio: true, digits: 1 },
  { name: 'p99 µs', better: 'lower', ratio: true, digits: 1 },
  { name: 'mean µs', better: 'lower', ratio: true, digits: 1 },
];

export class ShuffleLatencyBenchmark extends SocketBenchmark {
  readonly name = 'latency';
  readonly title = 'ShuffleLatencyBenchmark';
  readonly description = '1 writer, 1 channel, flush after every record, one 8-byte record in flight (echo); round trip p50/p99/mean µs';
  readonly metrics = METRICS;
  protected readonly measuredBy = 'sender';

  constructor() {
    super(LATENCY_VARIANTS);
  }

  params(): Readonly<Record<string, number>> {
    const { segmentSize, buffersPerChannel, floatingBuffersPerGate, maxBuffersPerChannel } = SHUFFLE_DEFAULTS;
    return { payloadSize: 55, segmentSize, networkBuffers: 256, buffersPerChannel, floatingBuffersPerGate, maxBuffersPerChannel };
  }

  protected collect(measured: Readonly<Record<string, number>>): MetricValues {
    if (!((measured['samples'] ?? 0) > 0)) throw new Error(`${this.title}: the client recorded no round trips (${JSON.stringify(measured)})`);
    const values: Record<string, number> = {};
    for (const metric of METRICS) {
      const value = measured[metric.name];
      if (value === undefined || !(value > 0)) throw new Error(`${this.title}: '${metric.name}' is ${String(value)}`);
      values[metric.name] = value;
    }
    return values;
  }

  protected summarize(values: MetricValues): string {
    const f = (name: string): string => (values[name] ?? 0).toFixed(1);
    return `p50 ${f('p50 µs')} µs, p99 ${f('p99 µs')} µs, mean ${f('mean µs')} µs`;
  }
}
