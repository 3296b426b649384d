import type { MemorySegment } from './MemorySegment';

/**
 * Port of org.apache.flink.core.memory.MemorySegmentProvider (Flink 1.20). Differs: the request returns a
 * promise (Flink blocks up to a timeout).
 *
 * Hands out "unpooled" segments that a consumer keeps for good — the exclusive buffers of remote input
 * channels — and takes them back.
 *
 * ## Threading
 * The loop that owns the provider.
 *
 * ## Ownership
 * The caller owns the segments until it passes them to {@link recycleUnpooledMemorySegments}, once.
 */
export interface MemorySegmentProvider {
  /** Reserves and returns `numberOfSegmentsToRequest` segments (waiting for them if needed). */
  requestUnpooledMemorySegments(numberOfSegmentsToRequest: number): Promise<MemorySegment[]>;
  /** Gives segments obtained from {@link requestUnpooledMemorySegments} back and releases the reservation. */
  recycleUnpooledMemorySegments(segments: readonly MemorySegment[]): void;
}
