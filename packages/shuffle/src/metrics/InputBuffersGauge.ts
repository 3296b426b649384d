import type { Gauge } from './Gauge';
import type { InputGateBuffersSource } from './MetricSources';

/**
 * Port of org.apache.flink.runtime.io.network.metrics.InputBuffersGauge (Flink 1.20):
 * `inputQueueLength` — buffers queued in all channels of the given gates.
 *
 * ## Threading
 * The task's thread; best effort.
 */
export class InputBuffersGauge implements Gauge<number> {
  constructor(private readonly inputGates: readonly InputGateBuffersSource[]) {}

  getValue(): number {
    let total = 0;
    for (const gate of this.inputGates) total += gate.getNumberOfQueuedBuffers();
    return total;
  }
}
