import type { Gauge } from './Gauge';
import type { BufferPoolUsageSource } from './MetricSources';

/**
 * Port of org.apache.flink.runtime.io.network.metrics.OutputBufferPoolUsageGauge (Flink 1.20):
 * `outPoolUsage` — used buffers / pool size summed over the given output buffer pools (0 if the pools
 * have no buffers). Differs: takes the pools directly (Flink takes the result partitions).
 *
 * ## Threading
 * The task's thread; best effort.
 *
 * @example
 * group.gauge('outPoolUsage', new OutputBufferPoolUsageGauge([partition.getBufferPool()]));
 */
export class OutputBufferPoolUsageGauge implements Gauge<number> {
  constructor(private readonly bufferPools: readonly BufferPoolUsageSource[]) {}

  getValue(): number {
    let used = 0;
    let size = 0;
    for (const pool of this.bufferPools) {
      used += pool.bestEffortGetNumOfUsedBuffers();
      size += pool.getNumBuffers();
    }
    return size !== 0 ? used / size : 0;
  }
}
