/**
 * Round-trip latency through the shuffle: 1 writer, 1 channel, buffer timeout 0 (flush after every
 * record), one 8-byte record in flight between a client and an echo process (two partitions, two
 * connections: data flows producer → consumer only). p50/p99/mean µs at the client (HDR histogram),
 * beside a raw node:net ping-pong of one frame of the size of Sluice's frame on the wire (a
 * BufferResponse with one 12-byte record: 9-byte frame header + 38-byte BufferResponse header + 12 =
 * 59 bytes; raw: 4-byte length + 55 bytes). Target: ≤ 1.5× raw. Metrics, checks and summary are the
 * channel suite's {@link LatencyBenchmark}'s.
 */
import { LatencyBenchmark } from '../channel/LatencyBenchmark';
import { SHUFFLE_DEFAULTS } from '../shuffle-local/ThroughputBenchmark';
import { LATENCY_VARIANTS } from './variants';

export class ShuffleLatencyBenchmark extends LatencyBenchmark {
  override readonly title = 'ShuffleLatencyBenchmark';
  override readonly description = '1 writer, 1 channel, flush after every record, one 8-byte record in flight (echo); round trip p50/p99/mean µs';

  constructor() {
    super(LATENCY_VARIANTS);
  }

  override params(): Readonly<Record<string, number>> {
    const { segmentSize, buffersPerChannel, floatingBuffersPerGate, maxBuffersPerChannel } = SHUFFLE_DEFAULTS;
    return { payloadSize: 55, segmentSize, networkBuffers: 256, buffersPerChannel, floatingBuffersPerGate, maxBuffersPerChannel };
  }
}
