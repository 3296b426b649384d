import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';
import type { Counter } from './Counter';
import type { Gauge } from './Gauge';

/** A metric an exporter can read: a counter or a numeric gauge. */
export type Metric = Counter | Gauge<number>;

/** A metric that must be told when a reporting interval ends (TimerGauge, MeterView): Flink's `View`. */
export interface View {
  update(): void;
}

/**
 * Port of org.apache.flink.metrics.MetricGroup (Flink 1.20), reduced to what the network metrics need.
 *
 * A named scope for metrics: `Shuffle.Netty.Input.Buffers.inPoolUsage`. The core registers plain
 * counters and gauges here; an exporter (prom-client, a log line) reads them through an implementation
 * such as {@link SimpleMetricGroup} — the core never imports a metrics library.
 *
 * ## Threading
 * Registration and reads on the owning thread.
 */
export interface MetricGroup {
  /** Registers `counter` under `name` in this scope and returns it. */
  counter<C extends Counter>(name: string, counter: C): C;
  /** Registers `gauge` under `name` in this scope and returns it. */
  gauge<G extends Gauge<number>>(name: string, gauge: G): G;
  /** A sub-scope (`this.name`). */
  addGroup(name: string): MetricGroup;
}

function isCounter(metric: Metric): metric is Counter {
  return typeof (metric as Counter).getCount === 'function' && typeof (metric as Counter).inc === 'function';
}

function isView(metric: Metric): metric is Metric & View {
  return typeof (metric as Partial<View>).update === 'function';
}

/**
 * A {@link MetricGroup} that keeps every metric in one map by its full dotted name (Sluice-only). An
 * exporter calls {@link update} once per interval (for TimerGauges and MeterViews) and reads
 * {@link snapshot}.
 *
 * ## Threading
 * The owning thread.
 *
 * @example
 * const metrics = new SimpleMetricGroup('task');
 * NettyShuffleMetricFactory.registerInputMetrics(metrics, [gate]);
 * setInterval(() => { metrics.update(); log(metrics.snapshot()); }, 5000);
 * // { 'task.Shuffle.Netty.Input.Buffers.inPoolUsage': 0.25, … }
 */
export class SimpleMetricGroup implements MetricGroup {
  private readonly scope: string;
  private readonly registry: Map<string, Metric>;

  /** @param scope the dotted prefix of this group's names (default: none) */
  constructor(scope = '', registry: Map<string, Metric> = new Map()) {
    this.scope = scope;
    this.registry = registry;
  }

  counter<C extends Counter>(name: string, counter: C): C {
    this.register(name, counter);
    return counter;
  }

  gauge<G extends Gauge<number>>(name: string, gauge: G): G {
    this.register(name, gauge);
    return gauge;
  }

  addGroup(name: string): SimpleMetricGroup {
    if (name.length === 0 || name.includes('.')) throw new IllegalArgumentException(`metric group name: '${name}' (expected: non-empty, without '.')`);
    return new SimpleMetricGroup(this.qualify(name), this.registry);
  }

  private register(name: string, metric: Metric): void {
    if (name.length === 0) throw new IllegalArgumentException('metric name must not be empty');
    const fullName = this.qualify(name);
    if (this.registry.has(fullName)) throw new IllegalStateException(`A metric named '${fullName}' is already registered`);
    this.registry.set(fullName, metric);
  }

  private qualify(name: string): string {
    return this.scope.length === 0 ? name : `${this.scope}.${name}`;
  }

  /** Every metric of the registry by full name (shared by all groups made with {@link addGroup}). */
  getMetrics(): ReadonlyMap<string, Metric> {
    return this.registry;
  }

  /** The metric with this full name, or `undefined`. */
  get(fullName: string): Metric | undefined {
    return this.registry.get(fullName);
  }

  /** Ends the reporting interval of every {@link View} (TimerGauge, MeterView). */
  update(): void {
    for (const metric of this.registry.values()) if (isView(metric)) metric.update();
  }

  /** Current values by full name: counters' counts, gauges' values. */
  snapshot(): Record<string, number> {
    const values: Record<string, number> = {};
    for (const [name, metric] of this.registry) values[name] = isCounter(metric) ? metric.getCount() : metric.getValue();
    return values;
  }
}
