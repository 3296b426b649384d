import type { ExclusiveBuffersUsageGauge } from './ExclusiveBuffersUsageGauge';
import type { FloatingBuffersUsageGauge } from './FloatingBuffersUsageGauge';
import type { Gauge } from './Gauge';
import type { InputGateBuffersSource } from './MetricSources';

/**
 * Port of org.apache.flink.runtime.io.network.metrics.InputBufferPoolUsageGauge (Flink 1.20):
 * `inPoolUsage` — floating and exclusive buffers together: (floating used + exclusive used) /
 * (floating total + exclusive total) over all gates, 0 if there are no buffers.
 *
 * ## Threading
 * The task's thread; best effort.
 */
export class InputBufferPoolUsageGauge implements Gauge<number> {
  constructor(
    private readonly floatingBuffersUsageGauge: FloatingBuffersUsageGauge,
    private readonly exclusiveBuffersUsageGauge: ExclusiveBuffersUsageGauge,
    private readonly inputGates: readonly InputGateBuffersSource[],
  ) {}

  getValue(): number {
    let used = 0;
    let total = 0;
    for (const gate of this.inputGates) {
      used += this.floatingBuffersUsageGauge.calculateUsedBuffers(gate) + this.exclusiveBuffersUsageGauge.calculateUsedBuffers(gate);
      total += this.floatingBuffersUsageGauge.calculateTotalBuffers(gate) + this.exclusiveBuffersUsageGauge.calculateTotalBuffers(gate);
    }
    return total !== 0 ? used / total : 0;
  }
}
