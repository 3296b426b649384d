import type { Gauge } from './Gauge';
import type { InputGateBuffersSource } from './MetricSources';

/**
 * Port of org.apache.flink.runtime.io.network.metrics.AbstractBuffersUsageGauge (Flink 1.20).
 *
 * A usage ratio over input gates: used buffers / total buffers summed over all gates, 0 if there are no
 * buffers. Subclasses say what "used" and "total" are.
 *
 * ## Threading
 * The task's thread; best effort.
 */
export abstract class AbstractBuffersUsageGauge implements Gauge<number> {
  protected readonly inputGates: readonly InputGateBuffersSource[];

  constructor(inputGates: readonly InputGateBuffersSource[]) {
    this.inputGates = inputGates;
  }

  /** Used buffers of one gate. */
  abstract calculateUsedBuffers(inputGate: InputGateBuffersSource): number;

  /** Total buffers of one gate. */
  abstract calculateTotalBuffers(inputGate: InputGateBuffersSource): number;

  /** Used / total over all gates, in [0, 1]; 0 when there are no buffers. */
  getValue(): number {
    let used = 0;
    let total = 0;
    for (const gate of this.inputGates) {
      used += this.calculateUsedBuffers(gate);
      total += this.calculateTotalBuffers(gate);
    }
    return total !== 0 ? used / total : 0;
  }
}
