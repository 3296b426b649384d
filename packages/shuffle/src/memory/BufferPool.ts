import type { BufferProvider } from './BufferProvider';
import type { BufferRecycler } from './BufferRecycler';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.BufferPool (Flink 1.20). Differs: `reserveSegments`
 * returns a promise.
 *
 * A resizable pool of network buffers drawing from a global pool: between its required size (always
 * guaranteed) and its maximum; the global pool resizes it (`setNumBuffers`) whenever pools come and go.
 * {@link LocalBufferPool} is the implementation.
 *
 * ## Threading
 * The pool's thread (the loop that owns it).
 *
 * ## Ownership
 * The creator destroys the pool once (`lazyDestroy()`); buffers still out return to the global pool
 * when recycled.
 */
export interface BufferPool extends BufferProvider, BufferRecycler {
  /** Makes sure at least `numberOfSegmentsToReserve` (≤ required) segments are held by this pool. */
  reserveSegments(numberOfSegmentsToReserve: number): Promise<void>;
  /** Returns idle segments, tells listeners, and sends segments still out to the global pool on recycle. */
  lazyDestroy(): void;
  /** The guaranteed size (Flink's "required"/"min"). */
  getNumberOfRequiredMemorySegments(): number;
  /** The maximum size. */
  getMaxNumberOfMemorySegments(): number;
  /** The current size, set by redistribution. */
  getNumBuffers(): number;
  /** Sets the size (≥ required, capped at max); returns excess segments (idle now, in use when recycled). */
  setNumBuffers(numBuffers: number): void;
  /** Sets how many buffers beyond the pool size may be taken when the pool is exhausted. */
  setMaxOverdraftBuffersPerGate(maxOverdraftBuffersPerGate: number): void;
  /** How many buffers beyond the pool size may be taken when the pool is exhausted. */
  getMaxOverdraftBuffersPerGate(): number;
  /** Idle segments held locally. */
  getNumberOfAvailableMemorySegments(): number;
  /** Segments handed out right now (requested from the global pool minus idle). */
  bestEffortGetNumOfUsedBuffers(): number;
}
