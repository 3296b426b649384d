import type { ByteBufAllocator } from './ByteBufAllocator';
import { UnpooledHeapByteBuf } from './UnpooledHeapByteBuf';

/**
 * Port of io.netty.buffer.EmptyByteBuf (Netty 4.1). Differs: implemented as a zero-capacity
 * {@link UnpooledHeapByteBuf}, so every accessor behaves as on any other empty buffer.
 *
 * A buffer with capacity and maxCapacity 0 that is not really reference-counted: `refCnt()` is always 1,
 * `retain()` does nothing and `release()` returns false. Shared as `Unpooled.EMPTY_BUFFER`.
 *
 * ## Ownership
 * Nobody owns it; releasing it any number of times is harmless.
 *
 * ## Pitfalls
 * Writes throw `IndexOutOfBoundsException` (it cannot grow).
 */
export class EmptyByteBuf extends UnpooledHeapByteBuf {
  constructor(alloc: ByteBufAllocator) {
    super(alloc, 0, 0);
  }

  override refCnt(): number {
    return 1;
  }

  override retain(_increment?: number): this {
    return this;
  }

  override release(_decrement?: number): boolean {
    return false;
  }

  override touch(_hint?: unknown): this {
    return this;
  }
}
