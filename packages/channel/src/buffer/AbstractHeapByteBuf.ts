// The module's `Buffer`, not the global one: on Node 20 the global is a getter, called on every use.
import { Buffer } from 'node:buffer';
import { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
import type { ByteBuf, ByteProcessor } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import {
  checkSafeInteger,
  copyArrayToView,
  copyBytes,
  copyViewBytes,
  highBits,
  indexOutOfBounds,
  lowBits,
  readableBytesExceeded,
  toSafeNumber,
  viewOf,
} from './ByteBufChecks';
import { IllegalReferenceCountException } from './errors';

/** Below this many bytes a JS loop beats a native search on a fresh `subarray` view. */
const SMALL_SEARCH = 32;

function longNumberAt(view: DataView, offset: number, index: number): number {
  return toSafeNumber(view.getInt32(offset), view.getInt32(offset + 4), index);
}

function longNumberLEAt(view: DataView, offset: number, index: number): number {
  return toSafeNumber(view.getInt32(offset + 4, true), view.getInt32(offset, true), index);
}

function setMediumAt(view: DataView, offset: number, value: number): void {
  view.setUint16(offset, value >>> 8);
  view.setUint8(offset + 2, value);
}

function setMediumLEAt(view: DataView, offset: number, value: number): void {
  view.setUint8(offset, value);
  view.setUint16(offset + 1, value >>> 8, true);
}

function setLongNumberAt(view: DataView, offset: number, value: number): void {
  view.setInt32(offset, highBits(value));
  view.setInt32(offset + 4, lowBits(value));
}

function setLongNumberLEAt(view: DataView, offset: number, value: number): void {
  view.setInt32(offset, lowBits(value), true);
  view.setInt32(offset + 4, highBits(value), true);
}

// Reads straight from the bytes, for a wrapped array that has no DataView yet (see AbstractHeapByteBuf.dv).
function u16At(m: Uint8Array, o: number, le: boolean): number {
  return le ? m[o]! | (m[o + 1]! << 8) : (m[o]! << 8) | m[o + 1]!;
}
function u24At(m: Uint8Array, o: number, le: boolean): number {
  return le ? m[o]! | (m[o + 1]! << 8) | (m[o + 2]! << 16) : (m[o]! << 16) | (m[o + 1]! << 8) | m[o + 2]!;
}
function i32At(m: Uint8Array, o: number, le: boolean): number {
  return le
    ? m[o]! | (m[o + 1]! << 8) | (m[o + 2]! << 16) | (m[o + 3]! << 24)
    : (m[o]! << 24) | (m[o + 1]! << 16) | (m[o + 2]! << 8) | m[o + 3]!;
}

/** Memory of a freed buffer: any stale access after the refCnt check would see nothing of another owner. */
export const EMPTY_MEMORY: Buffer = Buffer.alloc(0);
const EMPTY_VIEW = new DataView(EMPTY_MEMORY.buffer, EMPTY_MEMORY.byteOffset, 0);

/**
 * Sluice-only base of the memory-backed buffers ({@link UnpooledHeapByteBuf}, {@link PooledByteBuf}):
 * the role of Netty's `HeapByteBufUtil` plus the shared fields of `UnpooledHeapByteBuf`/`PooledByteBuf`.
 *
 * The bytes live in a Node `Buffer` (`_memory`, possibly a view over a pool chunk or a
 * `SharedArrayBuffer`) starting at `_offset`; the typed accessors go through a `DataView` over the same
 * memory, made on first use ({@link dv}; pooled buffers share their chunk's). On Node 20
 * `DataView.getInt32`/`setInt32` at an arbitrary offset measured ~0.7 ns per call against ~6 ns for
 * `Buffer.readInt32BE`/`writeInt32BE` (which also reject out-of-range values instead of truncating), so
 * the accessors here override the generic ones with direct, allocation-free fast paths: one field compare
 * for the reference count, one for the bounds. The 1- to 4-byte absolute getters of a buffer without a
 * DataView read the bytes instead of making one.
 *
 * ## Ownership
 * As {@link AbstractReferenceCountedByteBuf}. `array()`/`nioBuffer()` expose the memory without a copy.
 *
 * ## Pitfalls
 * Accessors must read `_memory`/`_offset` (and the view, through `dv()`) only after `advanceWrite()`:
 * growing a buffer may move it to new memory.
 */
export abstract class AbstractHeapByteBuf extends AbstractReferenceCountedByteBuf {
  declare protected readonly _alloc: ByteBufAllocator;
  declare protected _memory: Buffer;
  /** DataView over `_memory`; null until first needed (see {@link dv}). */
  declare protected _view: DataView | null;
  /** Copies made straight from `_memory` while there was no DataView (see {@link copyToView}). */
  declare private _viewlessCopies: number;
  declare protected _offset: number;
  declare protected _capacity: number;

  protected constructor(alloc: ByteBufAllocator, maxCapacity: number) {
    super(maxCapacity);
    this._alloc = alloc;
    this._memory = EMPTY_MEMORY;
    this._view = EMPTY_VIEW;
    this._viewlessCopies = 0;
    this._offset = 0;
    this._capacity = 0;
  }

  /**
   * Points the buffer at `[offset, offset + capacity)` of `memory`, whose `DataView` is `view` — or null to
   * make one on first use.
   */
  protected setMemory(memory: Buffer, view: DataView | null, offset: number, capacity: number): void {
    this._memory = memory;
    this._view = view;
    this._offset = offset;
    this._capacity = capacity;
  }

  /**
   * The DataView over `_memory`, made on first use. Pooled buffers share their chunk's view; a wrapped
   * array (every socket read) gets one only when a typed accessor needs it: creating a DataView costs
   * ~85 ns (~0.25 µs with the cold caches of a request/response exchange, a sixth of the echo side's
   * JavaScript before its socket write), and the reads a frame decoder makes — a length field, then
   * slicing and copying out the frame — are served from the bytes directly (see {@link getUnsignedInt},
   * {@link copyToView}).
   */
  protected dv(): DataView {
    const v = this._view;
    return v !== null ? v : (this._view = viewOf(this._memory));
  }

  /** Drops the memory reference after deallocation. */
  protected clearMemory(): void {
    this.setMemory(EMPTY_MEMORY, EMPTY_VIEW, 0, 0);
  }

  // ---------------------------------------------------------------- fast-path checks

  /** `checkIndex` for the fast paths: reference count and bounds as two field compares. */
  protected checkAccess(index: number, length: number): void {
    if (this._refCnt === 0 || (index >>> 0) !== index || index > this._capacity - length) this.failAccess(index, length);
  }

  /** Checks `n` readable bytes and returns the reader index (not advanced). */
  protected checkRead(n: number): number {
    const r = this._readerIndex;
    if (this._refCnt === 0 || r > this._writerIndex - n) this.failRead(n);
    return r;
  }

  /** Checks `n` readable bytes, advances the reader index and returns its old value. */
  protected advanceRead(n: number): number {
    const r = this._readerIndex;
    if (this._refCnt === 0 || r > this._writerIndex - n) this.failRead(n);
    this._readerIndex = r + n;
    return r;
  }

  /** Ensures `n` writable bytes (may move the memory), advances the writer index and returns its old value. */
  protected advanceWrite(n: number): number {
    const w = this._writerIndex;
    if (this._refCnt === 0 || w > this._capacity - n) this.ensureWritable0(n);
    this._writerIndex = w + n;
    return w;
  }

  private failAccess(index: number, length: number): never {
    if (this._refCnt === 0) throw new IllegalReferenceCountException(0);
    throw indexOutOfBounds(index, length, this._capacity);
  }

  private failRead(n: number): never {
    if (this._refCnt === 0) throw new IllegalReferenceCountException(0);
    throw readableBytesExceeded(this._readerIndex, n, this._writerIndex, this);
  }

  // ---------------------------------------------------------------- ByteBuf

  alloc(): ByteBufAllocator {
    return this._alloc;
  }

  protected currentCapacity(): number {
    return this._capacity;
  }

  hasArray(): boolean {
    return true;
  }

  array(): Uint8Array {
    this.ensureAccessible();
    return this._memory;
  }

  arrayOffset(): number {
    return this._offset;
  }

  /**
   * The first copy out of a buffer that has no DataView yet reads the array directly: a socket read
   * forwarded as one frame is copied once, and making the view (~85 ns) would cost more than the slower
   * copy (~17 ns more for 68 bytes). From the second copy on — a payload written again and again, a read
   * holding many frames — it makes the view, whose word copy is ~1.7× faster.
   */
  override copyToView(index: number, dst: DataView, dstIndex: number, length: number): void {
    this.ensureAccessible();
    const v = this._view;
    if (v !== null) copyViewBytes(v, this._offset + index, dst, dstIndex, length);
    else if (this._viewlessCopies++ === 0) copyArrayToView(this._memory, this._offset + index, dst, dstIndex, length);
    else copyViewBytes(this.dv(), this._offset + index, dst, dstIndex, length);
  }

  protected getBytesToArray(index: number, dst: Uint8Array, dstIndex: number, length: number): void {
    copyBytes(this._memory, this._offset + index, dst, dstIndex, length);
  }

  protected getBytesToBuf(index: number, dst: ByteBuf, dstIndex: number, length: number): void {
    dst.setBytes(dstIndex, this._memory, this._offset + index, length);
  }

  protected setBytesFromArray(index: number, src: Uint8Array, srcIndex: number, length: number): void {
    copyBytes(src, srcIndex, this._memory, this._offset + index, length);
  }

  protected setBytesFromBuf(index: number, src: ByteBuf, srcIndex: number, length: number): void {
    src.getBytes(srcIndex, this._memory, this._offset + index, length);
  }

  protected override setZero0(index: number, length: number): void {
    const start = this._offset + index;
    this._memory.fill(0, start, start + length);
  }

  protected copy0(index: number, length: number): ByteBuf {
    const copy = this._alloc.heapBuffer(length, this._maxCapacity);
    try {
      return copy.writeBytes(this._memory, this._offset + index, length);
    } catch (err) {
      copy.release();
      throw err;
    }
  }

  protected nioBuffer0(index: number, length: number): Buffer {
    const start = this._offset + index;
    return this._memory.subarray(start, start + length);
  }

  protected nioBuffers0(index: number, length: number): Buffer[] {
    return [this.nioBuffer0(index, length)];
  }

  override writeBytes(src: ByteBuf, length?: number): this;
  override writeBytes(src: ByteBuf | Uint8Array, srcIndex: number, length: number): this;
  override writeBytes(src: Uint8Array, srcIndex?: number): this;
  override writeBytes(src: ByteBuf | Uint8Array, a?: number, b?: number): this {
    if (a !== undefined || !(src instanceof Uint8Array)) return super.writeBytes(src as ByteBuf, a as number, b as number);
    // Fast path for the most common call, writeBytes(array): no argument parsing, one bounds check.
    const length = src.length;
    const w = this.advanceWrite(length);
    copyBytes(src, 0, this._memory, this._offset + w, length);
    return this;
  }

  override getCharSequence(index: number, length: number, encoding: BufferEncoding = 'utf8'): string {
    this.checkIndex(index, length);
    const start = this._offset + index;
    return this._memory.toString(encoding, start, start + length);
  }

  override writeCharSequence(sequence: string, encoding: BufferEncoding = 'utf8'): number {
    const length = Buffer.byteLength(sequence, encoding);
    this.ensureWritable0(length);
    const w = this._writerIndex;
    const written = this._memory.write(sequence, this._offset + w, length, encoding);
    this._writerIndex = w + written;
    return written;
  }

  override setCharSequence(index: number, sequence: string, encoding: BufferEncoding = 'utf8'): number {
    const length = Buffer.byteLength(sequence, encoding);
    this.checkAccess(index, length);
    return this._memory.write(sequence, this._offset + index, length, encoding);
  }

  protected override forEachByteAsc0(start: number, end: number, processor: ByteProcessor): number {
    const memory = this._memory;
    const offset = this._offset;
    for (let i = start; i < end; i++) if (!processor(memory[offset + i])) return i;
    return -1;
  }

  protected override forEachByteDesc0(start: number, end: number, processor: ByteProcessor): number {
    const memory = this._memory;
    const offset = this._offset;
    for (let i = end - 1; i >= start; i--) if (!processor(memory[offset + i])) return i;
    return -1;
  }

  protected override firstIndexOf0(fromIndex: number, toIndex: number, value: number): number {
    const memory = this._memory;
    const offset = this._offset;
    if (toIndex - fromIndex < SMALL_SEARCH) {
      for (let i = fromIndex; i < toIndex; i++) if (memory[offset + i] === value) return i;
      return -1;
    }
    const found = memory.subarray(offset + fromIndex, offset + toIndex).indexOf(value);
    return found < 0 ? -1 : fromIndex + found;
  }

  protected override lastIndexOf0(fromIndex: number, toIndex: number, value: number): number {
    const memory = this._memory;
    const offset = this._offset;
    if (fromIndex - toIndex < SMALL_SEARCH) {
      for (let i = fromIndex - 1; i >= toIndex; i--) if (memory[offset + i] === value) return i;
      return -1;
    }
    const found = memory.subarray(offset + toIndex, offset + fromIndex).lastIndexOf(value);
    return found < 0 ? -1 : toIndex + found;
  }

  // ---------------------------------------------------------------- primitives (used by generic code paths)

  protected _getByte(index: number): number { return this.dv().getInt8(this._offset + index); }
  protected _getShort(index: number): number { return this.dv().getInt16(this._offset + index); }
  protected _getShortLE(index: number): number { return this.dv().getInt16(this._offset + index, true); }
  protected _getUnsignedMedium(index: number): number { return this.getUnsignedMedium(index); }
  protected _getUnsignedMediumLE(index: number): number { return this.getUnsignedMediumLE(index); }
  protected _getInt(index: number): number { return this.dv().getInt32(this._offset + index); }
  protected _getIntLE(index: number): number { return this.dv().getInt32(this._offset + index, true); }
  protected _getLong(index: number): bigint { return this.dv().getBigInt64(this._offset + index); }
  protected _getLongLE(index: number): bigint { return this.dv().getBigInt64(this._offset + index, true); }
  protected _setByte(index: number, value: number): void { this.dv().setInt8(this._offset + index, value); }
  protected _setShort(index: number, value: number): void { this.dv().setInt16(this._offset + index, value); }
  protected _setShortLE(index: number, value: number): void { this.dv().setInt16(this._offset + index, value, true); }
  protected _setMedium(index: number, value: number): void { setMediumAt(this.dv(), this._offset + index, value); }
  protected _setMediumLE(index: number, value: number): void { setMediumLEAt(this.dv(), this._offset + index, value); }
  protected _setInt(index: number, value: number): void { this.dv().setInt32(this._offset + index, value); }
  protected _setIntLE(index: number, value: number): void { this.dv().setInt32(this._offset + index, value, true); }
  protected _setLong(index: number, value: bigint): void { this.dv().setBigInt64(this._offset + index, value); }
  protected _setLongLE(index: number, value: bigint): void { this.dv().setBigInt64(this._offset + index, value, true); }

  // ---------------------------------------------------------------- typed accessors (direct fast paths)

  override getBoolean(index: number): boolean {
    this.checkAccess(index, 1);
    return this.dv().getUint8(this._offset + index) !== 0;
  }
  // The absolute getters of 1-4 bytes are what frame decoders read length fields with: without a
  // DataView (a wrapped socket read) they read the bytes instead of making one (see dv()).
  override getByte(index: number): number {
    this.checkAccess(index, 1);
    return (this._memory[this._offset + index]! << 24) >> 24;
  }
  override getUnsignedByte(index: number): number {
    this.checkAccess(index, 1);
    return this._memory[this._offset + index]!;
  }
  override getShort(index: number): number {
    this.checkAccess(index, 2);
    const v = this._view;
    return v !== null ? v.getInt16(this._offset + index) : (u16At(this._memory, this._offset + index, false) << 16) >> 16;
  }
  override getShortLE(index: number): number {
    this.checkAccess(index, 2);
    const v = this._view;
    return v !== null ? v.getInt16(this._offset + index, true) : (u16At(this._memory, this._offset + index, true) << 16) >> 16;
  }
  override getUnsignedShort(index: number): number {
    this.checkAccess(index, 2);
    const v = this._view;
    return v !== null ? v.getUint16(this._offset + index) : u16At(this._memory, this._offset + index, false);
  }
  override getUnsignedShortLE(index: number): number {
    this.checkAccess(index, 2);
    const v = this._view;
    return v !== null ? v.getUint16(this._offset + index, true) : u16At(this._memory, this._offset + index, true);
  }
  override getMedium(index: number): number {
    this.checkAccess(index, 3);
    return (u24At(this._memory, this._offset + index, false) << 8) >> 8;
  }
  override getMediumLE(index: number): number {
    this.checkAccess(index, 3);
    return (u24At(this._memory, this._offset + index, true) << 8) >> 8;
  }
  override getUnsignedMedium(index: number): number {
    this.checkAccess(index, 3);
    return u24At(this._memory, this._offset + index, false);
  }
  override getUnsignedMediumLE(index: number): number {
    this.checkAccess(index, 3);
    return u24At(this._memory, this._offset + index, true);
  }
  override getInt(index: number): number {
    this.checkAccess(index, 4);
    const v = this._view;
    return v !== null ? v.getInt32(this._offset + index) : i32At(this._memory, this._offset + index, false);
  }
  override getIntLE(index: number): number {
    this.checkAccess(index, 4);
    const v = this._view;
    return v !== null ? v.getInt32(this._offset + index, true) : i32At(this._memory, this._offset + index, true);
  }
  override getUnsignedInt(index: number): number {
    this.checkAccess(index, 4);
    const v = this._view;
    return v !== null ? v.getUint32(this._offset + index) : i32At(this._memory, this._offset + index, false) >>> 0;
  }
  override getUnsignedIntLE(index: number): number {
    this.checkAccess(index, 4);
    const v = this._view;
    return v !== null ? v.getUint32(this._offset + index, true) : i32At(this._memory, this._offset + index, true) >>> 0;
  }
  override getLong(index: number): bigint {
    this.checkAccess(index, 8);
    return this.dv().getBigInt64(this._offset + index);
  }
  override getLongLE(index: number): bigint {
    this.checkAccess(index, 8);
    return this.dv().getBigInt64(this._offset + index, true);
  }
  override getLongNumber(index: number): number {
    this.checkAccess(index, 8);
    return longNumberAt(this.dv(), this._offset + index, index);
  }
  override getLongNumberLE(index: number): number {
    this.checkAccess(index, 8);
    return longNumberLEAt(this.dv(), this._offset + index, index);
  }
  override getFloat(index: number): number {
    this.checkAccess(index, 4);
    return this.dv().getFloat32(this._offset + index);
  }
  override getFloatLE(index: number): number {
    this.checkAccess(index, 4);
    return this.dv().getFloat32(this._offset + index, true);
  }
  override getDouble(index: number): number {
    this.checkAccess(index, 8);
    return this.dv().getFloat64(this._offset + index);
  }
  override getDoubleLE(index: number): number {
    this.checkAccess(index, 8);
    return this.dv().getFloat64(this._offset + index, true);
  }
  override readBoolean(): boolean { return this.dv().getUint8(this._offset + this.advanceRead(1)) !== 0; }
  override readByte(): number { return this.dv().getInt8(this._offset + this.advanceRead(1)); }
  override readUnsignedByte(): number { return this.dv().getUint8(this._offset + this.advanceRead(1)); }
  override readShort(): number { return this.dv().getInt16(this._offset + this.advanceRead(2)); }
  override readShortLE(): number { return this.dv().getInt16(this._offset + this.advanceRead(2), true); }
  override readUnsignedShort(): number { return this.dv().getUint16(this._offset + this.advanceRead(2)); }
  override readUnsignedShortLE(): number { return this.dv().getUint16(this._offset + this.advanceRead(2), true); }
  override readMedium(): number {
    const o = this._offset + this.advanceRead(3);
    return ((this.dv().getInt16(o) << 8) | this.dv().getUint8(o + 2));
  }
  override readMediumLE(): number {
    const o = this._offset + this.advanceRead(3);
    return (this.dv().getUint16(o, true) | (this.dv().getInt8(o + 2) << 16));
  }
  override readUnsignedMedium(): number {
    const o = this._offset + this.advanceRead(3);
    return ((this.dv().getUint16(o) << 8) | this.dv().getUint8(o + 2));
  }
  override readUnsignedMediumLE(): number {
    const o = this._offset + this.advanceRead(3);
    return (this.dv().getUint16(o, true) | (this.dv().getUint8(o + 2) << 16));
  }
  override readInt(): number { return this.dv().getInt32(this._offset + this.advanceRead(4)); }
  override readIntLE(): number { return this.dv().getInt32(this._offset + this.advanceRead(4), true); }
  override readUnsignedInt(): number { return this.dv().getUint32(this._offset + this.advanceRead(4)); }
  override readUnsignedIntLE(): number { return this.dv().getUint32(this._offset + this.advanceRead(4), true); }
  override readLong(): bigint { return this.dv().getBigInt64(this._offset + this.advanceRead(8)); }
  override readLongLE(): bigint { return this.dv().getBigInt64(this._offset + this.advanceRead(8), true); }
  override readLongNumber(): number {
    const r = this.checkRead(8);
    const value = longNumberAt(this.dv(), this._offset + r, r);
    this._readerIndex = r + 8;
    return value;
  }
  override readLongNumberLE(): number {
    const r = this.checkRead(8);
    const value = longNumberLEAt(this.dv(), this._offset + r, r);
    this._readerIndex = r + 8;
    return value;
  }
  override readFloat(): number { return this.dv().getFloat32(this._offset + this.advanceRead(4)); }
  override readFloatLE(): number { return this.dv().getFloat32(this._offset + this.advanceRead(4), true); }
  override readDouble(): number { return this.dv().getFloat64(this._offset + this.advanceRead(8)); }
  override readDoubleLE(): number { return this.dv().getFloat64(this._offset + this.advanceRead(8), true); }
  override setBoolean(index: number, value: boolean): this {
    this.checkAccess(index, 1);
    this.dv().setUint8(this._offset + index, value ? 1 : 0);
    return this;
  }
  override setByte(index: number, value: number): this {
    this.checkAccess(index, 1);
    this.dv().setInt8(this._offset + index, value);
    return this;
  }
  override setShort(index: number, value: number): this {
    this.checkAccess(index, 2);
    this.dv().setInt16(this._offset + index, value);
    return this;
  }
  override setShortLE(index: number, value: number): this {
    this.checkAccess(index, 2);
    this.dv().setInt16(this._offset + index, value, true);
    return this;
  }
  override setMedium(index: number, value: number): this {
    this.checkAccess(index, 3);
    setMediumAt(this.dv(), this._offset + index, value);
    return this;
  }
  override setMediumLE(index: number, value: number): this {
    this.checkAccess(index, 3);
    setMediumLEAt(this.dv(), this._offset + index, value);
    return this;
  }
  override setInt(index: number, value: number): this {
    this.checkAccess(index, 4);
    this.dv().setInt32(this._offset + index, value);
    return this;
  }
  override setIntLE(index: number, value: number): this {
    this.checkAccess(index, 4);
    this.dv().setInt32(this._offset + index, value, true);
    return this;
  }
  override setLong(index: number, value: bigint): this {
    this.checkAccess(index, 8);
    this.dv().setBigInt64(this._offset + index, value);
    return this;
  }
  override setLongLE(index: number, value: bigint): this {
    this.checkAccess(index, 8);
    this.dv().setBigInt64(this._offset + index, value, true);
    return this;
  }
  override setLongNumber(index: number, value: number): this {
    checkSafeInteger(value);
    this.checkAccess(index, 8);
    setLongNumberAt(this.dv(), this._offset + index, value);
    return this;
  }
  override setLongNumberLE(index: number, value: number): this {
    checkSafeInteger(value);
    this.checkAccess(index, 8);
    setLongNumberLEAt(this.dv(), this._offset + index, value);
    return this;
  }
  override setFloat(index: number, value: number): this {
    this.checkAccess(index, 4);
    this.dv().setFloat32(this._offset + index, value);
    return this;
  }
  override setFloatLE(index: number, value: number): this {
    this.checkAccess(index, 4);
    this.dv().setFloat32(this._offset + index, value, true);
    return this;
  }
  override setDouble(index: number, value: number): this {
    this.checkAccess(index, 8);
    this.dv().setFloat64(this._offset + index, value);
    return this;
  }
  override setDoubleLE(index: number, value: number): this {
    this.checkAccess(index, 8);
    this.dv().setFloat64(this._offset + index, value, true);
    return this;
  }
  override writeBoolean(value: boolean): this {
    const w = this.advanceWrite(1);
    this.dv().setUint8(this._offset + w, value ? 1 : 0);
    return this;
  }
  override writeByte(value: number): this {
    const w = this.advanceWrite(1);
    this.dv().setInt8(this._offset + w, value);
    return this;
  }
  override writeShort(value: number): this {
    const w = this.advanceWrite(2);
    this.dv().setInt16(this._offset + w, value);
    return this;
  }
  override writeShortLE(value: number): this {
    const w = this.advanceWrite(2);
    this.dv().setInt16(this._offset + w, value, true);
    return this;
  }
  override writeMedium(value: number): this {
    const w = this.advanceWrite(3);
    setMediumAt(this.dv(), this._offset + w, value);
    return this;
  }
  override writeMediumLE(value: number): this {
    const w = this.advanceWrite(3);
    setMediumLEAt(this.dv(), this._offset + w, value);
    return this;
  }
  override writeInt(value: number): this {
    const w = this.advanceWrite(4);
    this.dv().setInt32(this._offset + w, value);
    return this;
  }
  override writeIntLE(value: number): this {
    const w = this.advanceWrite(4);
    this.dv().setInt32(this._offset + w, value, true);
    return this;
  }
  override writeLong(value: bigint): this {
    const w = this.advanceWrite(8);
    this.dv().setBigInt64(this._offset + w, value);
    return this;
  }
  override writeLongLE(value: bigint): this {
    const w = this.advanceWrite(8);
    this.dv().setBigInt64(this._offset + w, value, true);
    return this;
  }
  override writeLongNumber(value: number): this {
    checkSafeInteger(value);
    const w = this.advanceWrite(8);
    setLongNumberAt(this.dv(), this._offset + w, value);
    return this;
  }
  override writeLongNumberLE(value: number): this {
    checkSafeInteger(value);
    const w = this.advanceWrite(8);
    setLongNumberLEAt(this.dv(), this._offset + w, value);
    return this;
  }
  override writeFloat(value: number): this {
    const w = this.advanceWrite(4);
    this.dv().setFloat32(this._offset + w, value);
    return this;
  }
  override writeFloatLE(value: number): this {
    const w = this.advanceWrite(4);
    this.dv().setFloat32(this._offset + w, value, true);
    return this;
  }
  override writeDouble(value: number): this {
    const w = this.advanceWrite(8);
    this.dv().setFloat64(this._offset + w, value);
    return this;
  }
  override writeDoubleLE(value: number): this {
    const w = this.advanceWrite(8);
    this.dv().setFloat64(this._offset + w, value, true);
    return this;
  }
}
