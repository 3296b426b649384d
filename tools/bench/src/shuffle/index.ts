/**
 * The `shuffle` suite: @sluice/shuffle over the network — producer and consumer in separate processes
 * over 127.0.0.1 — against raw node:net moving the same bytes and, for throughput and bulk, FlinkPeer
 * (the Java/Netty implementation of the same protocol) in the same run; for throughput also each Sluice
 * side against the other side in Java (`sluice-to-peer`, `peer-to-sluice`).
 *
 * FlinkPeer needs Java; where it cannot run, its variant is left out and a warning line says why on
 * stderr (loud in a full run: the ≥ 0.8× FlinkPeer target cannot be checked without it).
 */
import type { SocketVariant } from '../harness/BenchVariant';
import type { BenchSuite } from '../suites';
import { BulkBenchmark } from './BulkBenchmark';
import { HeadOfLineBenchmark } from './HeadOfLineBenchmark';
import { ShuffleLatencyBenchmark } from './LatencyBenchmark';
import { ShuffleThroughputBenchmark } from './ThroughputBenchmark';
import { flinkPeerUnavailable } from './flinkpeer/flinkPeer';
import { BULK_RAW, BULK_SLUICE, FLINKPEER, PEER_TO_SLUICE, THROUGHPUT_RAW, THROUGHPUT_SLUICE, sluiceToPeer } from './variants';

let flinkPeerChecked: string | null | undefined;

/** `variants`, and the FlinkPeer ones after them if it can run here (else a warning says why, once). */
function withFlinkPeer(variants: readonly SocketVariant[], peerVariants: readonly SocketVariant[] = [FLINKPEER]): SocketVariant[] {
  if (flinkPeerChecked === undefined) {
    flinkPeerChecked = flinkPeerUnavailable();
    if (flinkPeerChecked !== null) {
      const quick = process.argv.includes('--quick');
      process.stderr.write(
        quick
          ? `bench shuffle: FlinkPeer variant skipped: ${flinkPeerChecked}\n`
          : `bench shuffle: WARNING: FlinkPeer variant SKIPPED (${flinkPeerChecked}); ` +
              'the throughput targets (>= 0.8x FlinkPeer) cannot be checked in this run\n',
      );
    }
  }
  return flinkPeerChecked === null ? [...variants, ...peerVariants] : [...variants];
}

export function shuffleSuite(): BenchSuite {
  // The last argument: the Sluice producer's expected records/ms against FlinkPeer's consumer (which
  // returns credit at once, so at a 1 ms flush every buffer leaves with a millisecond of records).
  const throughput = (channels: number, flushTimeoutMs: number, sluiceToPeerRecordsPerMs: number): ShuffleThroughputBenchmark =>
    new ShuffleThroughputBenchmark(
      channels,
      flushTimeoutMs,
      withFlinkPeer([THROUGHPUT_RAW, THROUGHPUT_SLUICE], [FLINKPEER, sluiceToPeer(sluiceToPeerRecordsPerMs), PEER_TO_SLUICE]),
    );
  return {
    name: 'shuffle',
    description: '@sluice/shuffle between two processes (credit-based Netty protocol) against raw node:net and FlinkPeer',
    benchmarks: [
      throughput(100, 100, 35_000),
      throughput(1000, 1, 2_500),
      throughput(1000, 100, 25_000),
      new BulkBenchmark(withFlinkPeer([BULK_RAW, BULK_SLUICE])),
      new ShuffleLatencyBenchmark(),
      new HeadOfLineBenchmark(),
    ],
  };
}
