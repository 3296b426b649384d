/** The `channel` suite: the transport and buffer costs of `@sluice/channel` against raw Node. */
import type { BenchSuite } from '../suites';
import { AllocatorBenchmark } from './AllocatorBenchmark';
import { BulkThroughputBenchmark } from './BulkThroughputBenchmark';
import { LatencyBenchmark } from './LatencyBenchmark';
import { SmallMessageBenchmark } from './SmallMessageBenchmark';

export function channelSuite(): BenchSuite {
  return {
    name: 'channel',
    description: '@sluice/channel against raw node:net and Buffer',
    benchmarks: [new BulkThroughputBenchmark(), new SmallMessageBenchmark(), new LatencyBenchmark(), new AllocatorBenchmark()],
  };
}
