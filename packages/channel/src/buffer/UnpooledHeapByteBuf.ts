// The module's `Buffer`, not the global one: on Node 20 the global is a getter, called on every use.
import { Buffer } from 'node:buffer';
import { AbstractHeapByteBuf } from './AbstractHeapByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { asBuffer, checkPositiveOrZero, copyBytes } from './ByteBufChecks';
import { IllegalArgumentException } from '../util/SluiceError';

/**
 * Port of io.netty.buffer.UnpooledHeapByteBuf (Netty 4.1). Differs: the memory is a Node `Buffer` (from
 * `Buffer.allocUnsafe`, so new bytes are not zeroed, like Netty's uninitialised arrays) or any wrapped
 * `Uint8Array` region — including a view over a `SharedArrayBuffer` — used without a copy.
 *
 * A buffer over memory of its own that is simply dropped on the last release. Growing allocates new
 * memory and copies.
 *
 * ## Ownership
 * Count 1 at creation; the memory is handed to {@link freeArray} when replaced (growth) and on the last
 * release. A wrapped region stays owned by whoever wrapped it: subclass and override `freeArray` (or
 * `deallocate`) to learn when the buffer no longer uses it — the hook for returning a memory segment to
 * its pool.
 *
 * ## Pitfalls
 * - `array()` returns the wrapped `Uint8Array`'s memory as a `Buffer`; writes through it are visible to
 *   the original owner and vice versa (that is the point of wrapping).
 * - After growth the buffer no longer uses the wrapped memory (it has been copied).
 *
 * @example
 * // Run a callback when a wrapped segment is no longer used by the buffer:
 * class SegmentByteBuf extends UnpooledHeapByteBuf {
 *   constructor(segment: Uint8Array, private readonly recycle: () => void) {
 *     super(UnpooledByteBufAllocator.DEFAULT, segment, segment.length);
 *   }
 *   protected override freeArray(): void { this.recycle(); }
 * }
 */
export class UnpooledHeapByteBuf extends AbstractHeapByteBuf {
  /**
   * @param alloc the allocator used for growth (`calculateNewCapacity`) and copies
   * @param initial a capacity in bytes (new memory), or existing memory to wrap without a copy (the
   *   buffer's capacity is its length and its writer index is set to the end)
   * @param maxCapacity upper bound for the capacity in bytes
   */
  constructor(alloc: ByteBufAllocator, initial: number | Uint8Array, maxCapacity: number) {
    super(alloc, maxCapacity);
    if (typeof initial === 'number') {
      checkPositiveOrZero(initial, 'initialCapacity');
      if (initial > maxCapacity) {
        throw new IllegalArgumentException(`initialCapacity(${initial}) > maxCapacity(${maxCapacity})`);
      }
      this.setArray(this.allocateArray(initial));
    } else {
      if (initial.length > maxCapacity) {
        throw new IllegalArgumentException(`initialCapacity(${initial.length}) > maxCapacity(${maxCapacity})`);
      }
      this.setArray(asBuffer(initial));
      this._writerIndex = initial.length;
    }
  }

  /** New memory of `capacity` bytes (override to allocate elsewhere). */
  protected allocateArray(capacity: number): Buffer {
    return Buffer.allocUnsafe(capacity);
  }

  /** Called with memory this buffer no longer uses (after growth, and on the last release). */
  protected freeArray(_array: Buffer): void {
    // Nothing to do: unreferenced memory is garbage-collected.
  }

  private setArray(array: Buffer): void {
    // No DataView yet: made on first typed access (see AbstractHeapByteBuf.dv).
    this.setMemory(array, null, 0, array.length);
  }

  protected adjustCapacity(newCapacity: number): void {
    this.checkNewCapacity(newCapacity);
    const oldArray = this._memory;
    const oldCapacity = this._capacity;
    if (newCapacity === oldCapacity) return;
    let bytesToCopy = oldCapacity;
    if (newCapacity < oldCapacity) {
      this.trimIndicesToCapacity(newCapacity);
      bytesToCopy = newCapacity;
    }
    const newArray = this.allocateArray(newCapacity);
    copyBytes(oldArray, 0, newArray, 0, bytesToCopy);
    this.setArray(newArray);
    this.freeArray(oldArray);
  }

  protected deallocate(): void {
    const array = this._memory;
    this.clearMemory();
    this.freeArray(array);
  }
}
