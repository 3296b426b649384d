import type { MemorySegment } from './MemorySegment';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.BufferRecycler (Flink 1.20).
 *
 * Takes a memory segment back when the last reference to the network buffer over it is released
 * (`NetworkBuffer.deallocate()`). Implemented by {@link LocalBufferPool} (and its per-subpartition
 * recyclers), the input channels' buffer managers (exclusive buffers) and {@link FreeingBufferRecycler}.
 *
 * ## Threading
 * Called on the thread that released the last reference; implementations of this package expect the
 * thread that owns the pool (the network loop in Sluice).
 *
 * ## Ownership
 * `recycle(segment)` hands the segment back: the caller must not touch it afterwards.
 */
export interface BufferRecycler {
  /** Takes `memorySegment` back. Called exactly once per buffer life cycle. */
  recycle(memorySegment: MemorySegment): void;
}
