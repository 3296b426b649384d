import { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
import type { ByteBuf } from './ByteBuf';
import {
  type ByteBufAllocator,
  calculateNewCapacity,
  DEFAULT_INITIAL_CAPACITY,
  DEFAULT_MAX_CAPACITY,
  DEFAULT_MAX_COMPONENTS,
} from './ByteBufAllocator';
import { checkPositiveOrZero } from './ByteBufChecks';
import { CompositeByteBuf } from './CompositeByteBuf';
import { IllegalArgumentException } from '../util/SluiceError';

/**
 * Port of io.netty.buffer.AbstractByteBufAllocator (Netty 4.1). Differs: `directBuffer()` and
 * `ioBuffer()` return the same kind of buffer as `heapBuffer()` (see {@link ByteBufAllocator}); leak
 * tracking sets a tracker on the buffer instead of wrapping it.
 *
 * Validates capacities, applies the defaults (initial capacity 256, max capacity 2^31-1, 16 components),
 * registers every new root buffer with the leak detector and implements Netty's growth policy.
 *
 * ## Ownership
 * Every buffer returned has a reference count of 1 and belongs to the caller.
 */
export abstract class AbstractByteBufAllocator implements ByteBufAllocator {
  /** Allocates a buffer of `initialCapacity` bytes (arguments already validated). */
  protected abstract newHeapBuffer(initialCapacity: number, maxCapacity: number): AbstractReferenceCountedByteBuf;

  abstract isDirectBufferPooled(): boolean;

  buffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = DEFAULT_MAX_CAPACITY): ByteBuf {
    return this.heapBuffer(initialCapacity, maxCapacity);
  }

  ioBuffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = DEFAULT_MAX_CAPACITY): ByteBuf {
    return this.heapBuffer(initialCapacity, maxCapacity);
  }

  heapBuffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = DEFAULT_MAX_CAPACITY): ByteBuf {
    validateCapacities(initialCapacity, maxCapacity);
    return AbstractReferenceCountedByteBuf.trackLeak(this.newHeapBuffer(initialCapacity, maxCapacity));
  }

  directBuffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = DEFAULT_MAX_CAPACITY): ByteBuf {
    return this.heapBuffer(initialCapacity, maxCapacity);
  }

  compositeBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return AbstractReferenceCountedByteBuf.trackLeak(new CompositeByteBuf(this, false, maxNumComponents));
  }

  compositeHeapBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return this.compositeBuffer(maxNumComponents);
  }

  compositeDirectBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return this.compositeBuffer(maxNumComponents);
  }

  calculateNewCapacity(minNewCapacity: number, maxCapacity: number): number {
    return calculateNewCapacity(minNewCapacity, maxCapacity);
  }

  toString(): string {
    return `${this.constructor.name}(directByDefault: false)`;
  }
}

/** Netty's argument checks for `buffer(initialCapacity, maxCapacity)`. */
export function validateCapacities(initialCapacity: number, maxCapacity: number): void {
  checkPositiveOrZero(initialCapacity, 'initialCapacity');
  checkPositiveOrZero(maxCapacity, 'maxCapacity');
  if (initialCapacity > maxCapacity) {
    throw new IllegalArgumentException(
      `initialCapacity: ${initialCapacity} (expected: not greater than maxCapacity(${maxCapacity}))`,
    );
  }
}
