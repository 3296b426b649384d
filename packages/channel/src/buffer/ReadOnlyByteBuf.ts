import { AbstractDerivedByteBuf } from './AbstractDerivedByteBuf';
import type { ByteBuf } from './ByteBuf';
import { DuplicatedByteBuf } from './DuplicatedByteBuf';
import { ReadOnlyBufferException } from './errors';

/**
 * Port of io.netty.buffer.ReadOnlyByteBuf (Netty 4.1). Differs: `nioBuffer()` returns a writable Node
 * `Buffer` view, because Node has no read-only `Buffer`; treat it as read-only.
 *
 * A view that rejects every write with `ReadOnlyBufferException`, made by `asReadOnly()`. It has its own
 * indices (copied from the source) and shares the content and reference count of the source.
 *
 * ## Ownership
 * Shares the root's reference count (see {@link AbstractDerivedByteBuf}).
 *
 * ## Pitfalls
 * `array()` throws (`hasArray()` is false) so the backing memory cannot be written through it;
 * `ensureWritable(n, force)` returns 1 instead of throwing, as in Netty.
 */
export class ReadOnlyByteBuf extends AbstractDerivedByteBuf {
  constructor(buffer: ByteBuf) {
    const target = buffer instanceof ReadOnlyByteBuf || buffer instanceof DuplicatedByteBuf ? buffer.unwrap() : buffer;
    super(target, 0, buffer.maxCapacity());
    this.setIndex(buffer.readerIndex(), buffer.writerIndex());
  }

  override isReadOnly(): boolean {
    return true;
  }

  asReadOnly(): ByteBuf {
    return this;
  }

  protected currentCapacity(): number {
    return this._buffer.capacity();
  }

  protected adjustCapacity(_newCapacity: number): void {
    throw new ReadOnlyBufferException();
  }

  protected override ensureWritable0(_minWritableBytes: number): void {
    throw new ReadOnlyBufferException();
  }

  protected override ensureWritableForced(_minWritableBytes: number, _force: boolean): number {
    return 1;
  }

  override discardReadBytes(): this {
    throw new ReadOnlyBufferException();
  }

  override discardSomeReadBytes(): this {
    throw new ReadOnlyBufferException();
  }

  override hasArray(): boolean {
    return false;
  }

  override array(): Uint8Array {
    throw new ReadOnlyBufferException();
  }

  override arrayOffset(): number {
    throw new ReadOnlyBufferException();
  }

  protected newSlice(index: number, length: number): ByteBuf {
    return new ReadOnlyByteBuf(this._buffer.slice(index, length));
  }

  duplicate(): ByteBuf {
    this.ensureAccessible();
    return new ReadOnlyByteBuf(this);
  }

  protected override _setByte(): void { throw new ReadOnlyBufferException(); }
  protected override _setShort(): void { throw new ReadOnlyBufferException(); }
  protected override _setShortLE(): void { throw new ReadOnlyBufferException(); }
  protected override _setMedium(): void { throw new ReadOnlyBufferException(); }
  protected override _setMediumLE(): void { throw new ReadOnlyBufferException(); }
  protected override _setInt(): void { throw new ReadOnlyBufferException(); }
  protected override _setIntLE(): void { throw new ReadOnlyBufferException(); }
  protected override _setLong(): void { throw new ReadOnlyBufferException(); }
  protected override _setLongLE(): void { throw new ReadOnlyBufferException(); }
  protected override setBytesFromArray(): void { throw new ReadOnlyBufferException(); }
  protected override setBytesFromBuf(): void { throw new ReadOnlyBufferException(); }
  protected override setZero0(): void { throw new ReadOnlyBufferException(); }
}
