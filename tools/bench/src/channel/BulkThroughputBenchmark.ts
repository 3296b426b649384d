/**
 * Bulk throughput: 32 KiB frames with a 4-byte big-endian length prefix, one connection over
 * 127.0.0.1, sender and receiver in separate processes. Metric: payload MB/s (10^6 bytes per
 * second) counted by the receiver over the measurement window.
 *
 * Every variant gets the same parameters: `frameSize` (payload bytes per frame, default 32768),
 * `batchFrames` (frames between `cork()` and `uncork()`, or per flush, default 16) and
 * `writeHighWaterMark` (bytes buffered before `write()` returns false, default 1 MiB).
 */
import type { MetricSpec, MetricValues } from '../harness/Benchmark';
import { SocketBenchmark } from '../harness/SocketBenchmark';
import type { SocketVariant } from '../harness/BenchVariant';
import { BULK_VARIANTS } from './variants';

export class BulkThroughputBenchmark extends SocketBenchmark {
  readonly name = 'bulk';
  readonly title = 'BulkThroughputBenchmark';
  readonly description = '32 KiB length-prefixed frames, sender -> receiver over loopback; payload MB/s at the receiver';
  readonly metrics: readonly MetricSpec[] = [{ name: 'MB/s', better: 'higher', ratio: true }];
  protected readonly measuredBy = 'receiver';

  constructor(variants: readonly SocketVariant[] = BULK_VARIANTS) {
    super(variants);
  }

  params(): Readonly<Record<string, number>> {
    return { frameSize: 32_768, batchFrames: 16, writeHighWaterMark: 1_048_576 };
  }

  protected collect(measured: Readonly<Record<string, number>>, sender: Readonly<Record<string, number>> | undefined): MetricValues {
    const mbps = measured['MB/s'] ?? 0;
    const frames = measured['frames'] ?? 0;
    if (!(mbps > 0) || !(frames > 0)) throw new Error(`${this.title}: the receiver counted no traffic (${JSON.stringify(measured)})`);
    const written = sender?.['framesWritten'];
    if (written !== undefined && written < frames) {
      throw new Error(`${this.title}: the receiver counted ${frames} frames but the sender wrote only ${written}`);
    }
    return { 'MB/s': mbps };
  }

  protected summarize(values: MetricValues): string {
    return `${(values['MB/s'] ?? 0).toFixed(0)} MB/s`;
  }
}
