import type { AvailabilityProvider } from './AvailabilityProvider';
import type { Buffer } from './Buffer';
import type { BufferBuilder } from './BufferBuilder';
import type { BufferListener } from './BufferListener';
import type { MemorySegment } from './MemorySegment';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.BufferProvider (Flink 1.20). Differs: the blocking
 * requests return promises (the network loop never blocks); a destroyed provider fails them with
 * `BufferPoolDestroyedException`.
 *
 * Hands out network buffers, buffer builders and raw segments, or `null` when none is available right
 * now; availability is signalled through {@link AvailabilityProvider} and {@link BufferListener}s.
 *
 * ## Threading
 * The provider's thread (the loop that owns the pool).
 *
 * ## Ownership
 * Every returned buffer/builder/segment belongs to the caller, who recycles (closes, gives back) it once.
 */
export interface BufferProvider extends AvailabilityProvider {
  /** A buffer, or `null` if none is available right now. */
  requestBuffer(): Buffer | null;
  /** A builder for writing (optionally counted against subpartition `targetChannel`), or `null`. */
  requestBufferBuilder(targetChannel?: number): BufferBuilder | null;
  /** A builder, waiting (without blocking) until one is available. Rejects if the pool is destroyed. */
  requestBufferBuilderBlocking(targetChannel?: number): Promise<BufferBuilder>;
  /**
   * Registers `listener` for the next recycled buffer. Returns `false` (and does not register) if a buffer
   * is available right now or the provider is destroyed.
   */
  addBufferListener(listener: BufferListener): boolean;
  /** True after `lazyDestroy()`. */
  isDestroyed(): boolean;
  /** A raw segment, or `null`. The caller gives it back with `recycle(segment)`. */
  requestMemorySegment(): MemorySegment | null;
  /** A raw segment, waiting (without blocking) until one is available. */
  requestMemorySegmentBlocking(): Promise<MemorySegment>;
}
