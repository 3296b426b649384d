import type { BufferAndBacklog } from './BufferAndBacklog';

/** Result of {@link ResultSubpartitionView.getAvailabilityAndBacklog}: can the reader poll now, and the backlog. */
export interface AvailabilityWithBacklog {
  /** True if `getNextBuffer()` would return a buffer given the credit situation. */
  isAvailable: boolean;
  /** Finished data buffers queued (Flink's `getBuffersInBacklog()`). */
  backlog: number;
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultSubpartitionView (Flink 1.20). Differs:
 * `getNextBuffer()` returns `null` instead of throwing IOException for "nothing"; `getFailureCause()`
 * returns `Error | null`.
 *
 * A single consumer's reading end of one subpartition. Poll with {@link getNextBuffer}; the
 * {@link BufferAvailabilityListener} given at creation is told when polling is worthwhile.
 *
 * ## Threading
 * Everything runs on one JavaScript thread; no call is re-entrant into the producer.
 *
 * ## Ownership
 * Each {@link BufferAndBacklog} returned by `getNextBuffer()` carries one reference to its buffer; the
 * caller recycles it (or passes it on, e.g. to a socket write). Buffers still queued are recycled when the
 * partition is released.
 */
export interface ResultSubpartitionView {
  /** The next buffer with the backlog after it, or null if nothing is available. */
  getNextBuffer(): BufferAndBacklog | null;
  /** Forwards to the listener (the subpartition calls this when data becomes available). */
  notifyDataAvailable(): void;
  /** Forwards a priority-event notification to the listener. */
  notifyPriorityEvent(priorityBufferNumber: number): void;
  /**
   * Releases the view (idempotent). A pipelined partition is released — every queued buffer recycled —
   * once all its views were released and its producer closed, or when it is released explicitly.
   */
  releaseAllResources(): void;
  /** True once released. */
  isReleased(): boolean;
  /** Unblocks a subpartition blocked after an aligned barrier (ResumeConsumption). */
  resumeConsumption(): void;
  /** The consumer processed all user records (EndOfData). */
  acknowledgeAllDataProcessed(): void;
  /** Why the producing partition failed, if it did. */
  getFailureCause(): Error | null;
  /** Whether a buffer may be polled now (given `isCreditAvailable`) and the current backlog. */
  getAvailabilityAndBacklog(isCreditAvailable: boolean): AvailabilityWithBacklog;
  /** Queued buffers without synchronization (metrics; here the same as the synchronized one). */
  unsynchronizedGetNumberOfQueuedBuffers(): number;
  /** Queued buffers (finished and unfinished). */
  getNumberOfQueuedBuffers(): number;
  /** Buffer debloating: the size the producer should use for new buffers (bytes). */
  notifyNewBufferSize(newBufferSize: number): void;
}
