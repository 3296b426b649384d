/**
 * Small-message throughput: 64-byte payloads with a 4-byte big-endian length prefix, one
 * `write()` per message and `batchFrames` messages per `cork()`/`uncork()` (or per flush), over
 * one loopback connection between two processes. Metric: messages per second counted by the
 * receiver over the measurement window. This is where per-message framework cost shows.
 *
 * Parameters shared by every variant: `payloadSize` (default 64), `batchFrames` (default 256),
 * `writeHighWaterMark` (default 65536, Netty's default high water mark).
 */
import type { MetricSpec, MetricValues } from '../harness/Benchmark';
import type { SocketVariant } from '../harness/BenchVariant';
import { SocketBenchmark } from '../harness/SocketBenchmark';
import { SMALL_VARIANTS } from './variants';

export class SmallMessageBenchmark extends SocketBenchmark {
  readonly name = 'small';
  readonly title = 'SmallMessageBenchmark';
  readonly description = '64-byte length-prefixed messages, corked batches of 256 writes; messages/s at the receiver';
  readonly metrics: readonly MetricSpec[] = [{ name: 'msg/s', better: 'higher', ratio: true }];
  protected readonly measuredBy = 'receiver';

  constructor(variants: readonly SocketVariant[] = SMALL_VARIANTS) {
    super(variants);
  }

  params(): Readonly<Record<string, number>> {
    return { payloadSize: 64, batchFrames: 256, writeHighWaterMark: 65_536 };
  }

  protected collect(measured: Readonly<Record<string, number>>, sender: Readonly<Record<string, number>> | undefined): MetricValues {
    const rate = measured['msg/s'] ?? 0;
    const messages = measured['messages'] ?? 0;
    if (!(rate > 0) || !(messages > 0)) throw new Error(`${this.title}: the receiver counted no messages (${JSON.stringify(measured)})`);
    const written = sender?.['messagesWritten'];
    if (written !== undefined && written < messages) {
      throw new Error(`${this.title}: the receiver counted ${messages} messages in the window but the sender wrote only ${written}`);
    }
    return { 'msg/s': rate };
  }

  protected summarize(values: MetricValues): string {
    return `${((values['msg/s'] ?? 0) / 1e6).toFixed(2)} M msg/s`;
  }
}
