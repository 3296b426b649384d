import { AbstractDerivedByteBuf } from './AbstractDerivedByteBuf';
import type { ByteBuf } from './ByteBuf';
import { ReadOnlyByteBuf } from './ReadOnlyByteBuf';
import { SlicedByteBuf } from './SlicedByteBuf';

/**
 * Port of io.netty.buffer.DuplicatedByteBuf / UnpooledDuplicatedByteBuf (Netty 4.1). Differs: one class for
 * pooled and unpooled roots; shrinking the capacity through the duplicate also trims the duplicate's own
 * indices (Netty leaves them past the end).
 *
 * A view of a whole buffer with its own copy of the indices (and marks set to them). Capacity changes go
 * to the root, so a duplicate can grow (unlike a slice).
 *
 * ## Ownership
 * Shares the root's reference count (see {@link AbstractDerivedByteBuf}).
 */
export class DuplicatedByteBuf extends AbstractDerivedByteBuf {
  constructor(buffer: ByteBuf) {
    super(buffer instanceof DuplicatedByteBuf ? buffer.unwrap() : buffer, 0, buffer.maxCapacity());
    this.setIndex(buffer.readerIndex(), buffer.writerIndex());
    this.markReaderIndex();
    this.markWriterIndex();
  }

  protected currentCapacity(): number {
    return this._buffer.capacity();
  }

  protected adjustCapacity(newCapacity: number): void {
    this._buffer.capacity(newCapacity);
    this.trimIndicesToCapacity(newCapacity);
  }

  override isReadOnly(): boolean {
    return this._buffer.isReadOnly();
  }

  protected newSlice(index: number, length: number): ByteBuf {
    return new SlicedByteBuf(this._buffer, index, length);
  }

  duplicate(): ByteBuf {
    this.ensureAccessible();
    return new DuplicatedByteBuf(this);
  }

  asReadOnly(): ByteBuf {
    this.ensureAccessible();
    return new ReadOnlyByteBuf(this);
  }
}
