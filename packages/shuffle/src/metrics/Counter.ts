/**
 * Port of org.apache.flink.metrics.Counter (Flink 1.20). Differs: counts are JavaScript numbers (exact up
 * to 2^53, i.e. 8 PiB of bytes), not longs.
 *
 * A metric that counts something that only grows or shrinks by steps: bytes or buffers received, records
 * emitted. Read by an exporter through {@link getCount}.
 *
 * ## Threading
 * The thread that owns the counted object (one JavaScript thread); reads from anywhere on that thread.
 */
export interface Counter {
  /** Adds `n` (default 1). */
  inc(n?: number): void;
  /** Subtracts `n` (default 1). */
  dec(n?: number): void;
  /** The current count. */
  getCount(): number;
}

/**
 * Port of org.apache.flink.metrics.SimpleCounter (Flink 1.20): a plain field. `inc()` is one add, no
 * allocation, so it can sit on per-buffer and per-record paths.
 *
 * @example
 * const numBuffersIn = new SimpleCounter();
 * numBuffersIn.inc();
 * numBuffersIn.getCount(); // 1
 */
export class SimpleCounter implements Counter {
  private count = 0;

  inc(n = 1): void {
    this.count += n;
  }

  dec(n = 1): void {
    this.count -= n;
  }

  getCount(): number {
    return this.count;
  }

  toString(): string {
    return `SimpleCounter(${this.count})`;
  }
}
