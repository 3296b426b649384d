import type { ResultSubpartitionView } from './ResultSubpartitionView';

/**
 * Port of org.apache.flink.runtime.io.network.partition.BufferAvailabilityListener (Flink 1.20). Differs:
 * `notifyDataAvailable` receives the view that became available (Flink 1.20's signature), and calls are
 * direct, on the one JavaScript thread.
 *
 * Told by a {@link ResultSubpartitionView} when it has something to poll.
 *
 * ## Threading
 * Called synchronously from the producer's code path (e.g. inside `emitRecord`/`flush`/`finish`) on the
 * single JavaScript thread. A network server listener must not do heavy work here: re-dispatch to its
 * event loop (`eventLoop.execute(...)`), as Flink's PartitionRequestQueue does.
 *
 * ## Pitfalls
 * The listener must not call back into the producer (emit more records) from these methods.
 */
export interface BufferAvailabilityListener {
  /** The view went from "nothing to poll" to "has data" (first finished buffer, flush, event). */
  notifyDataAvailable(view: ResultSubpartitionView): void;
  /** A priority event was added; `prioritySequenceNumber` is its buffer's sequence number. */
  notifyPriorityEvent(prioritySequenceNumber: number): void;
}
