/**
 * The small read-only interfaces the network gauges read (Sluice-only). The classes of memory/,
 * consumer/ and partition/ satisfy them structurally — `LocalBufferPool`, `SingleInputGate`,
 * `InputChannel`, a subpartition or its view — so metrics/ depends on no concrete class and a test can
 * pass plain objects.
 *
 * ## Threading
 * Read on the thread that owns the objects; values are best effort (Flink's "unsynchronized" getters).
 */

/** A buffer pool as `outPoolUsage`/`inPoolUsage` see it (LocalBufferPool). */
export interface BufferPoolUsageSource {
  /** Buffers handed out right now. */
  bestEffortGetNumOfUsedBuffers(): number;
  /** The pool's current size. */
  getNumBuffers(): number;
}

/** Something with a queue of buffers: a subpartition, its view, a result partition. */
export interface QueuedBuffersSource {
  /** Buffers queued right now (finished and unfinished). */
  unsynchronizedGetNumberOfQueuedBuffers(): number;
}

/** An input channel as the input buffer gauges see it (InputChannel; non-remote channels report 0s). */
export interface InputChannelBuffersSource {
  /** Exclusive buffers in use (initial credit minus available exclusive). */
  unsynchronizedGetExclusiveBuffersUsed(): number;
  /** Floating buffers the channel holds but does not use. */
  unsynchronizedGetFloatingBuffersAvailable(): number;
  /** Exclusive buffers of the channel. */
  getInitialCredit(): number;
}

/** An input gate as the input gauges see it (SingleInputGate). */
export interface InputGateBuffersSource {
  /** The floating pool, `null` before setup. */
  getBufferPool(): BufferPoolUsageSource | null;
  /** Buffers queued in all channels. */
  getNumberOfQueuedBuffers(): number;
  /** The channels (entries may be `undefined` before they are set). */
  getInputChannels(): readonly (InputChannelBuffersSource | undefined)[];
}
