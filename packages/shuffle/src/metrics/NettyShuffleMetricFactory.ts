import { ExclusiveBuffersUsageGauge } from './ExclusiveBuffersUsageGauge';
import { FloatingBuffersUsageGauge } from './FloatingBuffersUsageGauge';
import { InputBufferPoolUsageGauge } from './InputBufferPoolUsageGauge';
import { InputBuffersGauge } from './InputBuffersGauge';
import { InputChannelMetrics } from './InputChannelMetrics';
import type { MetricGroup } from './MetricGroup';
import type { BufferPoolUsageSource, InputGateBuffersSource, QueuedBuffersSource } from './MetricSources';
import { OutputBufferPoolUsageGauge } from './OutputBufferPoolUsageGauge';
import { OutputBuffersGauge } from './OutputBuffersGauge';

/**
 * Port of org.apache.flink.runtime.io.network.metrics.NettyShuffleMetricFactory (Flink 1.20), the
 * task-level part. Differs: functions over the small source interfaces of MetricSources; no legacy
 * `Network` group and no detailed per-gate queue metrics yet.
 *
 * Registers the network metrics under Flink's names and groups, below the task group you pass:
 * - `Shuffle.Netty.Input.Buffers`: `inputQueueLength`, `inPoolUsage`, `inputFloatingBuffersUsage`,
 *   `inputExclusiveBuffersUsage`;
 * - `Shuffle.Netty.Input`: `numBytesInLocal/Remote`, `numBuffersInLocal/Remote` (+`PerSecond`);
 * - `Shuffle.Netty.Output.Buffers`: `outputQueueLength`, `outPoolUsage`.
 *
 * ## Threading
 * The task's thread.
 *
 * @example
 * const task = new SimpleMetricGroup('task');
 * const channelMetrics = NettyShuffleMetricFactory.createInputChannelMetrics(task);
 * NettyShuffleMetricFactory.registerInputMetrics(task, [gate]);
 * NettyShuffleMetricFactory.registerOutputMetrics(task, [partition.getBufferPool()], subpartitions);
 */
export const NettyShuffleMetricFactory = {
  /** `<task>.Shuffle.Netty` */
  nettyGroup(taskGroup: MetricGroup): MetricGroup {
    return taskGroup.addGroup('Shuffle').addGroup('Netty');
  },

  /** The per-task channel counters, registered under `Shuffle.Netty.Input`. */
  createInputChannelMetrics(taskGroup: MetricGroup): InputChannelMetrics {
    return new InputChannelMetrics(NettyShuffleMetricFactory.nettyGroup(taskGroup).addGroup('Input'));
  },

  /** Registers the input buffer gauges of `inputGates` under `Shuffle.Netty.Input.Buffers`. */
  registerInputMetrics(taskGroup: MetricGroup, inputGates: readonly InputGateBuffersSource[]): void {
    const buffers = NettyShuffleMetricFactory.nettyGroup(taskGroup).addGroup('Input').addGroup('Buffers');
    const floating = new FloatingBuffersUsageGauge(inputGates);
    const exclusive = new ExclusiveBuffersUsageGauge(inputGates);
    buffers.gauge('inputQueueLength', new InputBuffersGauge(inputGates));
    buffers.gauge('inPoolUsage', new InputBufferPoolUsageGauge(floating, exclusive, inputGates));
    buffers.gauge('inputFloatingBuffersUsage', floating);
    buffers.gauge('inputExclusiveBuffersUsage', exclusive);
  },

  /** Registers the output buffer gauges under `Shuffle.Netty.Output.Buffers`. */
  registerOutputMetrics(taskGroup: MetricGroup, bufferPools: readonly BufferPoolUsageSource[], queues: readonly QueuedBuffersSource[]): void {
    const buffers = NettyShuffleMetricFactory.nettyGroup(taskGroup).addGroup('Output').addGroup('Buffers');
    buffers.gauge('outputQueueLength', new OutputBuffersGauge(queues));
    buffers.gauge('outPoolUsage', new OutputBufferPoolUsageGauge(bufferPools));
  },
};
