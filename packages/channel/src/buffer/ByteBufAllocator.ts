import type { ByteBuf } from './ByteBuf';
import type { CompositeByteBuf } from './CompositeByteBuf';
import { IllegalArgumentException } from '../util/SluiceError';

/** Capacity of a buffer allocated without an explicit initial capacity (bytes; Netty's default 256). */
export const DEFAULT_INITIAL_CAPACITY = 256;
/** Maximum capacity of a buffer allocated without an explicit one (Java's `Integer.MAX_VALUE`). */
export const DEFAULT_MAX_CAPACITY = 2147483647;
/** Components a composite buffer keeps before it merges them into one (Netty's default 16). */
export const DEFAULT_MAX_COMPONENTS = 16;
/** Above this size (4 MiB), growth adds 4 MiB steps instead of doubling. */
export const CALCULATE_THRESHOLD = 4 * 1024 * 1024;

/**
 * Port of io.netty.buffer.ByteBufAllocator (Netty 4.1). Differs: there is no direct memory in Node, so
 * `directBuffer()` and `ioBuffer()` return the same kind of buffer as `heapBuffer()` (a Node `Buffer` can be
 * handed to a socket without a copy either way).
 *
 * ## Ownership
 * Every buffer returned has a reference count of 1 and belongs to the caller, who releases it.
 *
 * ## Pitfalls
 * `buffer(initialCapacity, maxCapacity)` throws `IllegalArgumentException` if `initialCapacity` is
 * negative or larger than `maxCapacity`.
 */
export interface ByteBufAllocator {
  /** A buffer (heap, or pooled for pooled allocators); capacity defaults to 256, max to 2^31-1. */
  buffer(initialCapacity?: number, maxCapacity?: number): ByteBuf;
  /** A buffer for I/O; same as {@link buffer} in Sluice. */
  ioBuffer(initialCapacity?: number, maxCapacity?: number): ByteBuf;
  heapBuffer(initialCapacity?: number, maxCapacity?: number): ByteBuf;
  /** Same as {@link heapBuffer} in Sluice (see the interface comment). */
  directBuffer(initialCapacity?: number, maxCapacity?: number): ByteBuf;
  /** An empty composite buffer that merges its components once it holds more than `maxNumComponents` (16). */
  compositeBuffer(maxNumComponents?: number): CompositeByteBuf;
  compositeHeapBuffer(maxNumComponents?: number): CompositeByteBuf;
  compositeDirectBuffer(maxNumComponents?: number): CompositeByteBuf;
  /** True if this allocator pools the memory behind `directBuffer()`. */
  isDirectBufferPooled(): boolean;
  /** The capacity a buffer that needs at least `minNewCapacity` bytes grows to (see {@link calculateNewCapacity}). */
  calculateNewCapacity(minNewCapacity: number, maxCapacity: number): number;
}

/**
 * Netty's growth policy (AbstractByteBufAllocator.calculateNewCapacity): exactly 4 MiB stays 4 MiB; above
 * it, round down to a multiple of 4 MiB and add 4 MiB (capped at `maxCapacity`); below it, the next power
 * of two of at least 64 (capped at `maxCapacity`).
 */
export function calculateNewCapacity(minNewCapacity: number, maxCapacity: number): number {
  if (!Number.isInteger(minNewCapacity) || minNewCapacity < 0) {
    throw new IllegalArgumentException(`minNewCapacity : ${minNewCapacity} (expected: >= 0)`);
  }
  if (minNewCapacity > maxCapacity) {
    throw new IllegalArgumentException(
      `minNewCapacity: ${minNewCapacity} (expected: not greater than maxCapacity(${maxCapacity}))`,
    );
  }
  const threshold = CALCULATE_THRESHOLD;
  if (minNewCapacity === threshold) return threshold;
  if (minNewCapacity > threshold) {
    const newCapacity = Math.floor(minNewCapacity / threshold) * threshold;
    return newCapacity > maxCapacity - threshold ? maxCapacity : newCapacity + threshold;
  }
  let newCapacity = 64;
  while (newCapacity < minNewCapacity) newCapacity <<= 1;
  return Math.min(newCapacity, maxCapacity);
}

type AllocatorModules = {
  pooled: () => ByteBufAllocator;
  unpooled: () => ByteBufAllocator;
};

let defaultAllocator: ByteBufAllocator | undefined;

function loadDefaultAllocator(): ByteBufAllocator {
  // Loaded lazily: the allocator classes import this module, so a top-level import would be a cycle
  // that breaks `class … extends` under CommonJS.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const modules: AllocatorModules = {
    pooled: () =>
      (require('./PooledByteBufAllocator') as typeof import('./PooledByteBufAllocator')).PooledByteBufAllocator.DEFAULT,
    unpooled: () =>
      (require('./UnpooledByteBufAllocator') as typeof import('./UnpooledByteBufAllocator')).UnpooledByteBufAllocator
        .DEFAULT,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const type = (process.env.SLUICE_ALLOCATOR_TYPE ?? 'pooled').trim().toLowerCase();
  return type === 'unpooled' ? modules.unpooled() : modules.pooled();
}

/**
 * Port of `ByteBufAllocator.DEFAULT` (Netty 4.1): the process-wide default allocator, pooled unless the
 * environment variable `SLUICE_ALLOCATOR_TYPE=unpooled` (Netty's `io.netty.allocator.type`).
 */
export const ByteBufAllocator = {
  get DEFAULT(): ByteBufAllocator {
    return (defaultAllocator ??= loadDefaultAllocator());
  },
};
