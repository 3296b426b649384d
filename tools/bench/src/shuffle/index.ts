/**
 * The `shuffle` suite: @sluice/shuffle over the network — producer and consumer in separate processes
 * over 127.0.0.1 — against raw node:net moving the same bytes and, for throughput and bulk, FlinkPeer
 * (the Java/Netty implementation of the same protocol) in the same run.
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
import { BULK_RAW, BULK_SLUICE, FLINKPEER, THROUGHPUT_RAW, THROUGHPUT_SLUICE } from './variants';

let flinkPeerChecked: string | null | undefined;

/** `variants`, and FlinkPeer after them if it can run here (else a warning says why, once). */
function withFlinkPeer(variants: readonly SocketVariant[]): SocketVariant[] {
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
  return flinkPeerChecked === null ? [...variants, FLINKPEER] : [...variants];
}

export function shuffleSuite(): BenchSuite {
  const variants = withFlinkPeer([THROUGHPUT_RAW, THROUGHPUT_SLUICE]);
  return {
    name: 'shuffle',
    description: '@sluice/shuffle between two processes (credit-based Netty protocol) against raw node:net and FlinkPeer',
    benchmarks: [
      new ShuffleThroughputBenchmark(100, 100, variants),
      new ShuffleThroughputBenchmark(1000, 1, variants),
      new ShuffleThroughputBenchmark(1000, 100, variants),
      new BulkBenchmark(withFlinkPeer([BULK_RAW, BULK_SLUICE])),
      new ShuffleLatencyBenchmark(),
      new HeadOfLineBenchmark(),
    ],
  };
}
