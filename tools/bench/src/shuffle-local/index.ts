/**
 * The `shuffle-local` suite: @sluice/shuffle's record path in one process (record writers, pipelined
 * partitions, local input channels, gates, record reader; no network) against hand-written ceilings.
 */
import type { BenchSuite } from '../suites';
import { BroadcastBenchmark } from './BroadcastBenchmark';
import { ThroughputBenchmark } from './ThroughputBenchmark';

export function shuffleLocalSuite(): BenchSuite {
  return {
    name: 'shuffle-local',
    description: '@sluice/shuffle in one process (Flink StreamNetworkThroughputBenchmark shape, no network) against raw buffers',
    benchmarks: [
      new ThroughputBenchmark(100, 100),
      new ThroughputBenchmark(100, 1),
      new ThroughputBenchmark(1000, 100),
      new ThroughputBenchmark(1000, 1),
      new BroadcastBenchmark(),
    ],
  };
}
