/**
 * Port of org.apache.flink.metrics.Gauge (Flink 1.20).
 *
 * A metric computed on demand: {@link getValue} reads the state it describes (pool usage, queue lengths)
 * when an exporter asks, so the measured code pays nothing.
 *
 * ## Threading
 * Call `getValue()` on the thread that owns the measured objects (one JavaScript thread). Values are
 * best effort, like Flink's "unsynchronized" getters.
 */
export interface Gauge<T> {
  /** The current value. */
  getValue(): T;
}
