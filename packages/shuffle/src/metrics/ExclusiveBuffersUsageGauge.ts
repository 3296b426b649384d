import { AbstractBuffersUsageGauge } from './AbstractBuffersUsageGauge';
import type { InputGateBuffersSource } from './MetricSources';

/**
 * Port of org.apache.flink.runtime.io.network.metrics.ExclusiveBuffersUsageGauge (Flink 1.20):
 * `inputExclusiveBuffersUsage`. Used = exclusive buffers the channels have in use; total = their
 * exclusive buffers (initial credit). Local channels have none.
 *
 * ## Threading
 * The task's thread; best effort.
 */
export class ExclusiveBuffersUsageGauge extends AbstractBuffersUsageGauge {
  calculateUsedBuffers(inputGate: InputGateBuffersSource): number {
    let used = 0;
    for (const channel of inputGate.getInputChannels()) {
      if (channel !== undefined) used += channel.unsynchronizedGetExclusiveBuffersUsed();
    }
    return used;
  }

  calculateTotalBuffers(inputGate: InputGateBuffersSource): number {
    let total = 0;
    for (const channel of inputGate.getInputChannels()) {
      if (channel !== undefined) total += channel.getInitialCredit();
    }
    return total;
  }
}
