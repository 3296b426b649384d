import type { BufferRecycler } from './BufferRecycler';
import type { MemorySegment } from './MemorySegment';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.FreeingBufferRecycler (Flink 1.20).
 *
 * The recycler of one-off segments (serialized events, unpooled receive buffers for events): recycling
 * simply frees the segment.
 *
 * ## Threading
 * Any thread.
 *
 * @example
 * const buffer = new NetworkBuffer(MemorySegmentFactory.allocateUnpooledSegment(16), FreeingBufferRecycler.INSTANCE);
 * buffer.recycleBuffer(); // segment freed
 */
export class FreeingBufferRecycler implements BufferRecycler {
  /** The shared instance. */
  static readonly INSTANCE = new FreeingBufferRecycler();

  private constructor() {}

  recycle(memorySegment: MemorySegment): void {
    memorySegment.free();
  }
}
