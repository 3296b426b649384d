import { AbstractBuffersUsageGauge } from './AbstractBuffersUsageGauge';
import type { InputGateBuffersSource } from './MetricSources';

/**
 * Port of org.apache.flink.runtime.io.network.metrics.FloatingBuffersUsageGauge (Flink 1.20):
 * `inputFloatingBuffersUsage`. Used = buffers taken from each gate's floating pool minus those the
 * channels hold unused; total = the floating pools' sizes.
 *
 * ## Threading
 * The task's thread; best effort.
 */
export class FloatingBuffersUsageGauge extends AbstractBuffersUsageGauge {
  calculateUsedBuffers(inputGate: InputGateBuffersSource): number {
    const pool = inputGate.getBufferPool();
    if (pool === null) return 0;
    let availableFloatingBuffers = 0;
    for (const channel of inputGate.getInputChannels()) {
      if (channel !== undefined) availableFloatingBuffers += channel.unsynchronizedGetFloatingBuffersAvailable();
    }
    return Math.max(0, pool.bestEffortGetNumOfUsedBuffers() - availableFloatingBuffers);
  }

  calculateTotalBuffers(inputGate: InputGateBuffersSource): number {
    return inputGate.getBufferPool()?.getNumBuffers() ?? 0;
  }
}
