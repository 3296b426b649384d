import { AbstractByteBufAllocator } from './AbstractByteBufAllocator';
import { UnpooledHeapByteBuf } from './UnpooledHeapByteBuf';

/**
 * Port of io.netty.buffer.UnpooledByteBufAllocator (Netty 4.1). Differs: there is no direct variant and
 * no cleaner; every buffer is an {@link UnpooledHeapByteBuf} over fresh Node memory.
 *
 * Allocates a new `Buffer` per request and lets the garbage collector reclaim it after the last
 * release. Simple and cheap for small or rare buffers; for many I/O-sized buffers prefer
 * `PooledByteBufAllocator`, which reuses memory.
 *
 * ## Ownership
 * Every buffer returned has a reference count of 1 and belongs to the caller.
 */
export class UnpooledByteBufAllocator extends AbstractByteBufAllocator {
  /** The shared instance. */
  static readonly DEFAULT = new UnpooledByteBufAllocator();

  protected newHeapBuffer(initialCapacity: number, maxCapacity: number): UnpooledHeapByteBuf {
    return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
  }

  isDirectBufferPooled(): boolean {
    return false;
  }
}
