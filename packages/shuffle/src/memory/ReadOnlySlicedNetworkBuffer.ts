import type { Buffer as NodeBuffer } from 'node:buffer';
import { AbstractDerivedByteBuf, IndexOutOfBoundsException, ReadOnlyBufferException, type ByteBuf } from '@sluice/channel';
import type { Buffer } from './Buffer';
import type { BufferRecycler } from './BufferRecycler';
import type { DataType } from './DataType';
import type { MemorySegment } from './MemorySegment';
import type { NetworkBuffer } from './NetworkBuffer';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.ReadOnlySlicedNetworkBuffer (Flink 1.20). Differs:
 * one derived buffer straight over the root {@link NetworkBuffer} (Flink stacks a Netty ReadOnlyByteBuf on
 * a SlicedByteBuf), so reads cost one hop; `nioBuffer()` is a writable Node `Buffer` view because Node
 * has no read-only `Buffer` — treat it as read-only.
 *
 * A read-only window `[index, index + length)` of a network buffer, with its own reader/writer indices
 * (starting at 0 and `length`) and compression flag, sharing the root's reference count, segment,
 * recycler and data type. This is what `BufferConsumer.build()` returns and what goes on the wire.
 *
 * ## Threading
 * As {@link NetworkBuffer}: one thread at a time.
 *
 * ## Ownership
 * Creating a slice adds NO reference. `retainBuffer()`/`recycleBuffer()` (and `retain()`/`release()`)
 * act on the root's count; releasing the slice's reference may recycle the root.
 *
 * ## Pitfalls
 * - Every write throws `ReadOnlyBufferException`, including `setDataType`; `getMemorySegment()` still
 *   exposes the whole writable segment (as in Flink) — do not write through it.
 * - The slice stays valid only while the root has references.
 *
 * @example
 * const slice = networkBuffer.readOnlySlice(0, 8).retainBuffer(); // one more reference on the root
 * socket.write(slice.getNioBufferReadable());                      // a view, no copy
 * slice.recycleBuffer();
 */
export class ReadOnlySlicedNetworkBuffer extends AbstractDerivedByteBuf implements Buffer {
  private readonly _root: NetworkBuffer;
  private _isCompressed: boolean;

  /**
   * A window of `root` (use `root.readOnlySlice(index, length)`).
   * @param root the root network buffer (shares its reference count)
   * @param index start of the window in the root's index space
   * @param length length of the window in bytes
   */
  constructor(root: NetworkBuffer, index: number, length: number) {
    checkWindow(root, index, length);
    super(root, index, length);
    this._root = root;
    this._isCompressed = root.isCompressed();
    this._writerIndex = length;
  }

  // ---------------------------------------------------------------- Buffer

  isBuffer(): boolean {
    return this._root.isBuffer();
  }

  getMemorySegment(): MemorySegment {
    return this._root.getMemorySegment();
  }

  getMemorySegmentOffset(): number {
    return this._root.getMemorySegmentOffset() + this._adjustment;
  }

  getRecycler(): BufferRecycler {
    return this._root.getRecycler();
  }

  recycleBuffer(): void {
    this._root.recycleBuffer();
  }

  isRecycled(): boolean {
    return this._root.isRecycled();
  }

  retainBuffer(): this {
    this._root.retainBuffer();
    return this;
  }

  readOnlySlice(): ReadOnlySlicedNetworkBuffer;
  readOnlySlice(index: number, length: number): ReadOnlySlicedNetworkBuffer;
  readOnlySlice(index?: number, length?: number): ReadOnlySlicedNetworkBuffer {
    this.ensureAccessible();
    if (index === undefined) {
      index = this._readerIndex;
      length = this._writerIndex - this._readerIndex;
    }
    checkWindow(this, index, length as number);
    return new ReadOnlySlicedNetworkBuffer(this._root, this._adjustment + index, length as number);
  }

  getMaxCapacity(): number {
    return this._maxCapacity;
  }

  getReaderIndex(): number {
    return this._readerIndex;
  }

  setReaderIndex(readerIndex: number): void {
    this.readerIndex(readerIndex);
  }

  getSize(): number {
    return this._writerIndex;
  }

  setSize(writerIndex: number): void {
    this.writerIndex(writerIndex);
  }

  getNioBufferReadable(): NodeBuffer {
    return this.nioBuffer();
  }

  getNioBuffer(index: number, length: number): NodeBuffer {
    return this.nioBuffer(index, length);
  }

  asByteBuf(): ByteBuf {
    return this;
  }

  isCompressed(): boolean {
    return this._isCompressed;
  }

  setCompressed(isCompressed: boolean): void {
    this._isCompressed = isCompressed;
  }

  getDataType(): DataType {
    return this._root.getDataType();
  }

  setDataType(_dataType: DataType): void {
    throw new ReadOnlyBufferException('read-only slice: the data type belongs to the root NetworkBuffer; set it there');
  }

  // ---------------------------------------------------------------- ByteBuf (read-only window)

  protected currentCapacity(): number {
    return this._maxCapacity;
  }

  protected adjustCapacity(_newCapacity: number): void {
    throw new ReadOnlyBufferException();
  }

  override isReadOnly(): boolean {
    return true;
  }

  asReadOnly(): ByteBuf {
    return this;
  }

  protected newSlice(index: number, length: number): ByteBuf {
    return new ReadOnlySlicedNetworkBuffer(this._root, this._adjustment + index, length);
  }

  duplicate(): ByteBuf {
    this.ensureAccessible();
    return new ReadOnlySlicedNetworkBuffer(this._root, this._adjustment, this._maxCapacity).setIndex(this._readerIndex, this._writerIndex);
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

  override isWritable(_size?: number): boolean {
    return false;
  }

  protected override ensureWritable0(minWritableBytes: number): void {
    // As Flink: asking for 0 writable bytes is harmless, anything else is a write attempt.
    if (minWritableBytes !== 0) throw new ReadOnlyBufferException();
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

function checkWindow(buffer: ByteBuf, index: number, length: number): void {
  const capacity = buffer.capacity();
  if ((index >>> 0) !== index || (length >>> 0) !== length || index > capacity - length) {
    // Netty's slice message: the buffer and the requested range.
    throw new IndexOutOfBoundsException(`${buffer.toString()}.readOnlySlice(${index}, ${length})`);
  }
}
