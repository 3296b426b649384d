import { AbstractAccessorByteBuf } from './AbstractAccessorByteBuf';
import type { ByteBuf, ByteProcessor } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';

/**
 * Port of io.netty.buffer.AbstractDerivedByteBuf (Netty 4.1). Differs: also holds the index translation
 * (`adjustment`) shared by slices, duplicates and read-only views, so every view delegates memory access
 * the same way: view index `i` is index `i + adjustment` of the wrapped buffer.
 *
 * A view over another buffer with its own reader/writer indices and marks but no memory and no
 * reference count of its own: `refCnt()`, `retain()`, `release()` and `touch()` act on the wrapped buffer.
 *
 * ## Ownership
 * A plain view adds no reference: releasing the view releases the wrapped (root) buffer. The `retained…`
 * variants retain the root once before returning the view; that reference is the caller's to release,
 * through the view or the root. The root's count is the only count (Netty's unpooled model).
 *
 * ## Pitfalls
 * A view stays valid only while its root is; after the root's last release every access throws
 * `IllegalReferenceCountException`.
 */
export abstract class AbstractDerivedByteBuf extends AbstractAccessorByteBuf {
  /** The buffer this view reads and writes (already unwrapped from other views where possible). */
  declare protected readonly _buffer: ByteBuf;
  /** Index of view index 0 in {@link _buffer}. */
  declare protected readonly _adjustment: number;

  protected constructor(buffer: ByteBuf, adjustment: number, maxCapacity: number) {
    super(maxCapacity);
    this._buffer = buffer;
    this._adjustment = adjustment;
  }

  unwrap(): ByteBuf {
    return this._buffer;
  }

  alloc(): ByteBufAllocator {
    return this._buffer.alloc();
  }

  override isAccessible(): boolean {
    return this._buffer.isAccessible();
  }

  refCnt(): number {
    return this._buffer.refCnt();
  }

  retain(increment?: number): this {
    this._buffer.retain(increment);
    return this;
  }

  release(decrement?: number): boolean {
    return this._buffer.release(decrement);
  }

  touch(hint?: unknown): this {
    this._buffer.touch(hint);
    return this;
  }

  hasArray(): boolean {
    return this._buffer.hasArray();
  }

  array(): Uint8Array {
    return this._buffer.array();
  }

  arrayOffset(): number {
    return this._buffer.arrayOffset() + this._adjustment;
  }

  override copyToView(index: number, dst: DataView, dstIndex: number, length: number): void {
    this._buffer.copyToView(index + this._adjustment, dst, dstIndex, length);
  }

  override nioBufferCount(): number {
    return this._buffer.nioBufferCount();
  }

  protected _getByte(index: number): number { return this._buffer.getByte(index + this._adjustment); }
  protected _getShort(index: number): number { return this._buffer.getShort(index + this._adjustment); }
  protected _getShortLE(index: number): number { return this._buffer.getShortLE(index + this._adjustment); }
  protected _getUnsignedMedium(index: number): number { return this._buffer.getUnsignedMedium(index + this._adjustment); }
  protected _getUnsignedMediumLE(index: number): number { return this._buffer.getUnsignedMediumLE(index + this._adjustment); }
  protected _getInt(index: number): number { return this._buffer.getInt(index + this._adjustment); }
  protected _getIntLE(index: number): number { return this._buffer.getIntLE(index + this._adjustment); }
  protected _getLong(index: number): bigint { return this._buffer.getLong(index + this._adjustment); }
  protected _getLongLE(index: number): bigint { return this._buffer.getLongLE(index + this._adjustment); }
  protected _setByte(index: number, value: number): void { this._buffer.setByte(index + this._adjustment, value); }
  protected _setShort(index: number, value: number): void { this._buffer.setShort(index + this._adjustment, value); }
  protected _setShortLE(index: number, value: number): void { this._buffer.setShortLE(index + this._adjustment, value); }
  protected _setMedium(index: number, value: number): void { this._buffer.setMedium(index + this._adjustment, value); }
  protected _setMediumLE(index: number, value: number): void { this._buffer.setMediumLE(index + this._adjustment, value); }
  protected _setInt(index: number, value: number): void { this._buffer.setInt(index + this._adjustment, value); }
  protected _setIntLE(index: number, value: number): void { this._buffer.setIntLE(index + this._adjustment, value); }
  protected _setLong(index: number, value: bigint): void { this._buffer.setLong(index + this._adjustment, value); }
  protected _setLongLE(index: number, value: bigint): void { this._buffer.setLongLE(index + this._adjustment, value); }

  protected getBytesToArray(index: number, dst: Uint8Array, dstIndex: number, length: number): void {
    this._buffer.getBytes(index + this._adjustment, dst, dstIndex, length);
  }

  protected getBytesToBuf(index: number, dst: ByteBuf, dstIndex: number, length: number): void {
    this._buffer.getBytes(index + this._adjustment, dst, dstIndex, length);
  }

  protected setBytesFromArray(index: number, src: Uint8Array, srcIndex: number, length: number): void {
    this._buffer.setBytes(index + this._adjustment, src, srcIndex, length);
  }

  protected setBytesFromBuf(index: number, src: ByteBuf, srcIndex: number, length: number): void {
    this._buffer.setBytes(index + this._adjustment, src, srcIndex, length);
  }

  protected override setZero0(index: number, length: number): void {
    this._buffer.setZero(index + this._adjustment, length);
  }

  protected copy0(index: number, length: number): ByteBuf {
    return this._buffer.copy(index + this._adjustment, length);
  }

  protected nioBuffer0(index: number, length: number): Buffer {
    return this._buffer.nioBuffer(index + this._adjustment, length);
  }

  protected nioBuffers0(index: number, length: number): Buffer[] {
    return this._buffer.nioBuffers(index + this._adjustment, length);
  }

  protected override forEachByteAsc0(start: number, end: number, processor: ByteProcessor): number {
    const found = this._buffer.forEachByte(start + this._adjustment, end - start, processor);
    return found < 0 ? -1 : found - this._adjustment;
  }

  protected override forEachByteDesc0(start: number, end: number, processor: ByteProcessor): number {
    const found = this._buffer.forEachByteDesc(start + this._adjustment, end - start, processor);
    return found < 0 ? -1 : found - this._adjustment;
  }

  protected override firstIndexOf0(fromIndex: number, toIndex: number, value: number): number {
    const found = this._buffer.indexOf(fromIndex + this._adjustment, toIndex + this._adjustment, value);
    return found < 0 ? -1 : found - this._adjustment;
  }

  protected override lastIndexOf0(fromIndex: number, toIndex: number, value: number): number {
    const found = this._buffer.indexOf(fromIndex + this._adjustment, toIndex + this._adjustment, value);
    return found < 0 ? -1 : found - this._adjustment;
  }
}
