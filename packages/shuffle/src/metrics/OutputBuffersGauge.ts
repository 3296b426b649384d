import type { Gauge } from './Gauge';
import type { QueuedBuffersSource } from './MetricSources';

/**
 * Port of org.apache.flink.runtime.io.network.metrics.OutputBuffersGauge (Flink 1.20):
 * `outputQueueLength` — buffers queued in the given subpartitions (or partitions). Differs: takes the
 * queues to sum directly (Flink takes the result partitions and asks each for its subpartitions).
 *
 * ## Threading
 * The task's thread; best effort.
 *
 * @example
 * group.gauge('outputQueueLength', new OutputBuffersGauge(partition.getAllPartitions()));
 */
export class OutputBuffersGauge implements Gauge<number> {
  constructor(private readonly queues: readonly QueuedBuffersSource[]) {}

  getValue(): number {
    let total = 0;
    for (const queue of this.queues) total += queue.unsynchronizedGetNumberOfQueuedBuffers();
    return total;
  }
}
