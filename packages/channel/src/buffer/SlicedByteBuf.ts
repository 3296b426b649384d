import { AbstractDerivedByteBuf } from './AbstractDerivedByteBuf';
import type { ByteBuf } from './ByteBuf';
import { isOutOfBounds } from './ByteBufChecks';
import { DuplicatedByteBuf } from './DuplicatedByteBuf';
import { ReadOnlyByteBuf } from './ReadOnlyByteBuf';
import { IndexOutOfBoundsException, UnsupportedOperationException } from '../util/SluiceError';

/**
 * Port of io.netty.buffer.UnpooledSlicedByteBuf / AbstractUnpooledSlicedByteBuf (Netty 4.1). Differs: one
 * class for pooled and unpooled roots (retained slices share the root's count either way), and
 * `duplicate()` of a slice stays bounded to the slice (Netty returns a duplicate of the whole root).
 *
 * A view of `length` bytes of another buffer starting at `index`: capacity and maxCapacity are fixed at
 * `length`; the view starts with `readerIndex 0` and `writerIndex length`. Slices of slices and of
 * duplicates point straight at the root, so chains of views cost one hop.
 *
 * ## Ownership
 * Shares the root's reference count (see {@link AbstractDerivedByteBuf}).
 *
 * ## Pitfalls
 * `capacity(n)` throws `UnsupportedOperationException`; writes past `length` throw
 * `IndexOutOfBoundsException` because `maxCapacity() === length`.
 */
export class SlicedByteBuf extends AbstractDerivedByteBuf {
  constructor(buffer: ByteBuf, index: number, length: number) {
    if (isOutOfBounds(index, length, buffer.capacity())) {
      throw new IndexOutOfBoundsException(`${buffer.toString()}.slice(${index}, ${length})`);
    }
    let root = buffer;
    let adjustment = index;
    if (buffer instanceof SlicedByteBuf) {
      root = buffer._buffer;
      adjustment = buffer._adjustment + index;
    } else if (buffer instanceof DuplicatedByteBuf) {
      root = buffer.unwrap();
    }
    super(root, adjustment, length);
    this._writerIndex = length;
  }

  protected currentCapacity(): number {
    return this._maxCapacity;
  }

  protected adjustCapacity(_newCapacity: number): void {
    throw new UnsupportedOperationException('sliced buffer: the capacity of a slice is fixed; copy() it to grow');
  }

  override isReadOnly(): boolean {
    return this._buffer.isReadOnly();
  }

  protected newSlice(index: number, length: number): ByteBuf {
    return new SlicedByteBuf(this._buffer, index + this._adjustment, length);
  }

  duplicate(): ByteBuf {
    this.ensureAccessible();
    return new SlicedByteBuf(this._buffer, this._adjustment, this._maxCapacity).setIndex(this._readerIndex, this._writerIndex);
  }

  asReadOnly(): ByteBuf {
    this.ensureAccessible();
    return new ReadOnlyByteBuf(this);
  }
}
