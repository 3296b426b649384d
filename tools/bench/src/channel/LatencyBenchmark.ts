/**
 * Round-trip latency: one 64-byte length-prefixed frame in flight between a client and an echo
 * server in separate processes, Nagle off on both sides. The client times each round trip with
 * `process.hrtime.bigint()` into an HDR histogram (pure JS); metrics are its p50, p99 and mean in
 * microseconds over the measurement window. Lower is better, so a ratio above 1 means slower.
 *
 * Parameter shared by every variant: `payloadSize` (default 64).
 */
import type { MetricSpec, MetricValues } from '../harness/Benchmark';
import type { SocketVariant } from '../harness/BenchVariant';
import { SocketBenchmark } from '../harness/SocketBenchmark';
import { LATENCY_VARIANTS } from './variants';

const METRICS: readonly MetricSpec[] = [
  { name: 'p50 µs', better: 'lower', ratio: true, digits: 1 },
  { name: 'p99 µs', better: 'lower', ratio: true, digits: 1 },
  { name: 'mean µs', better: 'lower', ratio: true, digits: 1 },
];

export class LatencyBenchmark extends SocketBenchmark {
  readonly name = 'latency';
  readonly title: string = 'LatencyBenchmark';
  readonly description: string = '64-byte ping-pong, one frame in flight, Nagle off; round-trip p50/p99/mean in µs at the client';
  readonly metrics = METRICS;
  protected readonly measuredBy = 'sender';

  constructor(variants: readonly SocketVariant[] = LATENCY_VARIANTS) {
    super(variants);
  }

  params(): Readonly<Record<string, number>> {
    return { payloadSize: 64 };
  }

  protected collect(measured: Readonly<Record<string, number>>): MetricValues {
    const samples = measured['samples'] ?? 0;
    if (!(samples > 0)) throw new Error(`${this.title}: the client recorded no round trips (${JSON.stringify(measured)})`);
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
