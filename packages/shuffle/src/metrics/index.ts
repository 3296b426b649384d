// Public API of the metrics layer (Flink's io.network.metrics and metrics core), re-exported by the package entry.
export { SimpleCounter, type Counter } from './Counter';
export { SumCounter } from './SumCounter';
export type { Gauge } from './Gauge';
export { TimerGauge, defaultClock, type MillisClock } from './TimerGauge';
export { MeterView } from './MeterView';
export { SimpleMetricGroup, type MetricGroup, type Metric, type View } from './MetricGroup';
export type { BufferPoolUsageSource, QueuedBuffersSource, InputChannelBuffersSource, InputGateBuffersSource } from './MetricSources';
export { AbstractBuffersUsageGauge } from './AbstractBuffersUsageGauge';
export { FloatingBuffersUsageGauge } from './FloatingBuffersUsageGauge';
export { ExclusiveBuffersUsageGauge } from './ExclusiveBuffersUsageGauge';
export { InputBufferPoolUsageGauge } from './InputBufferPoolUsageGauge';
export { InputBuffersGauge } from './InputBuffersGauge';
export { OutputBuffersGauge } from './OutputBuffersGauge';
export { OutputBufferPoolUsageGauge } from './OutputBufferPoolUsageGauge';
export { InputChannelMetrics } from './InputChannelMetrics';
export { TaskIOMetrics } from './TaskIOMetrics';
export { NettyShuffleMetricFactory } from './NettyShuffleMetricFactory';
