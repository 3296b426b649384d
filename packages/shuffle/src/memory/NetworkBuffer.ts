import type { Buffer as NodeBuffer } from 'node:buffer';
import {
  AbstractHeapByteBuf,
  AbstractReferenceCountedByteBuf,
  UnpooledByteBufAllocator,
  type ByteBuf,
} from '@sluice/channel';
import type { Buffer } from './Buffer';
import type { BufferRecycler } from './BufferRecycler';
import { DataType } from './DataType';
import type { MemorySegment } from './MemorySegment';
import { ReadOnlySlicedNetworkBuffer } from './ReadOnlySlicedNetworkBuffer';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.NetworkBuffer (Flink 1.20). Differs: a
 * `@sluice/channel` heap `ByteBuf` over the segment's Node `Buffer` view (no allocator to set, no
 * direct/heap split); leak-tracked like every root `ByteBuf` (at PARANOID an unrecycled network buffer
 * fails the test that allocated it).
 *
 * The root network buffer: a reference-counted `ByteBuf` over exactly ONE {@link MemorySegment}, with
 * Flink's metadata (data type, compression flag, recycler). Reader index 0, writer index `size` (the
 * bytes of data), capacity and max capacity = the segment size. Because it is a `ByteBuf`, the buffer
 * (or a read-only slice of it) is written to a socket as it is: `nioBuffer()` is a view of the segment,
 * never a copy — over a `SharedArrayBuffer` for pool segments.
 *
 * ## Threading
 * One thread at a time (the network loop): the reference count and indices are plain fields.
 *
 * ## Ownership
 * The creator holds the first reference. On the last `recycleBuffer()`/`release()` the segment goes to
 * `recycler.recycle(segment)` exactly once; a further release throws `IllegalReferenceCountException`.
 * Read-only slices share the count (see {@link readOnlySlice}).
 *
 * ## Pitfalls
 * - Views from `nioBuffer()`/`getNioBufferReadable()` alias pool memory: do not use them after the last
 *   release (the segment is handed to the next request).
 * - `capacity(n)` only moves the usable limit inside the segment (Flink's `currentSize`); it never
 *   allocates, and writes past the segment size throw.
 *
 * @example
 * const buffer = new NetworkBuffer(segment, pool);        // refCnt 1
 * buffer.asByteBuf().writeLong(7n);                       // size 8
 * const slice = buffer.readOnlySlice().retainBuffer();    // refCnt 2, shares the count
 * buffer.recycleBuffer();                                 // refCnt 1
 * slice.recycleBuffer();                                  // refCnt 0 → pool.recycle(segment)
 */
export class NetworkBuffer extends AbstractHeapByteBuf implements Buffer {
  private readonly _segment: MemorySegment;
  private readonly _recycler: BufferRecycler;
  private _dataType: DataType;
  private _isCompressed: boolean;

  /**
   * @param segment the backing segment (defines the max capacity)
   * @param recycler gets the segment back once the reference count reaches 0
   * @param dataType what the buffer carries (default DATA_BUFFER)
   * @param size initial writer index in bytes (default 0)
   * @param isCompressed whether the payload is compressed (default false)
   */
  constructor(
    segment: MemorySegment,
    recycler: BufferRecycler,
    dataType: DataType = DataType.DATA_BUFFER,
    size = 0,
    isCompressed = false,
  ) {
    super(UnpooledByteBufAllocator.DEFAULT, segment.size());
    this._segment = segment;
    this._recycler = recycler;
    this._dataType = dataType;
    this._isCompressed = isCompressed;
    this.setMemory(segment.getArray(), segment.getDataView(), 0, segment.size());
    if (size !== 0) this.writerIndex(size);
    AbstractReferenceCountedByteBuf.trackLeak(this);
  }

  // ---------------------------------------------------------------- Buffer

  isBuffer(): boolean {
    return this._dataType.isBuffer();
  }

  getMemorySegment(): MemorySegment {
    this.ensureAccessible();
    return this._segment;
  }

  getMemorySegmentOffset(): number {
    return 0;
  }

  getRecycler(): BufferRecycler {
    return this._recycler;
  }

  recycleBuffer(): void {
    this.release();
  }

  isRecycled(): boolean {
    return this._refCnt === 0;
  }

  retainBuffer(): this {
    return this.retain();
  }

  readOnlySlice(): ReadOnlySlicedNetworkBuffer;
  readOnlySlice(index: number, length: number): ReadOnlySlicedNetworkBuffer;
  readOnlySlice(index?: number, length?: number): ReadOnlySlicedNetworkBuffer {
    this.ensureAccessible();
    if (index === undefined) return new ReadOnlySlicedNetworkBuffer(this, this._readerIndex, this._writerIndex - this._readerIndex);
    return new ReadOnlySlicedNetworkBuffer(this, index, length as number);
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
    return this._dataType;
  }

  setDataType(dataType: DataType): void {
    this._dataType = dataType;
  }

  // ---------------------------------------------------------------- ByteBuf

  protected adjustCapacity(newCapacity: number): void {
    // Flink's NetworkBuffer.capacity(int): moves the usable limit inside the segment, never reallocates.
    this.checkNewCapacity(newCapacity);
    this._capacity = newCapacity;
    this.trimIndicesToCapacity(newCapacity);
  }

  protected deallocate(): void {
    const segment = this._segment;
    this.clearMemory();
    this._recycler.recycle(segment);
  }

  protected override describe(): string {
    if (this._refCnt === 0) return 'NetworkBuffer(freed)';
    return (
      `NetworkBuffer(ridx: ${this._readerIndex}, widx: ${this._writerIndex}, cap: ${this._capacity}/${this._maxCapacity}, ` +
      `dataType: ${this._dataType.name}${this._isCompressed ? ', compressed' : ''}, refCnt: ${this._refCnt})`
    );
  }
}
