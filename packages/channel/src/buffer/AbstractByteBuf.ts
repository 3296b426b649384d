// The module's `Buffer`, not the global one: on Node 20 the global is a getter, called on every use.
import { Buffer } from 'node:buffer';
import { ByteBuf, type ByteProcessor } from './ByteBuf';
import { DEFAULT_MAX_CAPACITY } from './ByteBufAllocator';
import {
  checkIndexBounds,
  checkPositiveOrZero,
  indexOutOfBounds,
  isOutOfBounds,
  readableBytesExceeded,
} from './ByteBufChecks';
import { compareBuffers, equalBuffers } from './ByteBufUtil';
import { IllegalReferenceCountException } from './errors';
import { IllegalArgumentException, IndexOutOfBoundsException } from '../util/SluiceError';

/**
 * Port of io.netty.buffer.AbstractByteBuf (Netty 4.1). Differs: the overloaded public methods dispatch to
 * single-signature protected hooks (`currentCapacity`, `adjustCapacity`, `getBytesToArray`, `newSlice`, …),
 * so subclasses override one signature instead of repeating TypeScript overload lists.
 *
 * Holds the reader/writer indices and marks, performs every bounds check with Netty's messages, and
 * implements bulk transfer, strings, search and the derived-buffer entry points. The typed accessors
 * (`getInt`, `writeLong`, …) live one level down, in {@link AbstractAccessorByteBuf} (split by role to keep
 * files readable); memory-backed buffers override them with direct fast paths.
 *
 * ## Ownership
 * Reference counting is left to subclasses ({@link AbstractReferenceCountedByteBuf} for roots; derived
 * buffers delegate to their root).
 *
 * ## Pitfalls
 * Every access first checks `isAccessible()`, so use after release throws `IllegalReferenceCountException`
 * rather than an index error.
 */
export abstract class AbstractByteBuf extends ByteBuf {
  // Fields of buffer classes are `declare`d and assigned in the constructors. A plain declaration compiles
  // (target ES2022, useDefineForClassFields) to a class field that V8 *defines* as undefined on every
  // construction before the constructor assigns it; across the five-level class chain that made
  // `retainedDuplicate()` + `release()` 40 ns instead of 15, a pooled 4-byte buffer 100 ns instead of 71 and
  // wrapping a socket chunk 180 ns instead of 126 (Node 20). Every declared field must be assigned in
  // every constructor, so that all instances of a class keep one hidden class.
  declare protected _readerIndex: number;
  declare protected _writerIndex: number;
  declare protected _markedReaderIndex: number;
  declare protected _markedWriterIndex: number;
  declare protected _maxCapacity: number;

  protected constructor(maxCapacity: number) {
    super();
    checkPositiveOrZero(maxCapacity, 'maxCapacity');
    this._readerIndex = 0;
    this._writerIndex = 0;
    this._markedReaderIndex = 0;
    this._markedWriterIndex = 0;
    this._maxCapacity = maxCapacity;
  }

  // ---------------------------------------------------------------- hooks for subclasses

  /** The current capacity (the no-argument form of `capacity()`). */
  protected abstract currentCapacity(): number;
  /** Changes the capacity (the one-argument form of `capacity(n)`); call {@link checkNewCapacity} first. */
  protected abstract adjustCapacity(newCapacity: number): void;
  /** Copies `length` bytes at `index` into `dst` at `dstIndex` (bounds already checked). */
  protected abstract getBytesToArray(index: number, dst: Uint8Array, dstIndex: number, length: number): void;
  /** Copies `length` bytes at `index` into `dst` at `dstIndex` (bounds already checked). */
  protected abstract getBytesToBuf(index: number, dst: ByteBuf, dstIndex: number, length: number): void;
  /** Copies `length` bytes of `src` at `srcIndex` to `index` (bounds already checked). */
  protected abstract setBytesFromArray(index: number, src: Uint8Array, srcIndex: number, length: number): void;
  /** Copies `length` bytes of `src` at `srcIndex` to `index` (bounds already checked). */
  protected abstract setBytesFromBuf(index: number, src: ByteBuf, srcIndex: number, length: number): void;
  /** A slice of `[index, index + length)` sharing the reference count (accessibility and bounds unchecked). */
  protected abstract newSlice(index: number, length: number): ByteBuf;
  /** An independent copy of `[index, index + length)`. */
  protected abstract copy0(index: number, length: number): ByteBuf;
  /** A `Buffer` over `[index, index + length)`. */
  protected abstract nioBuffer0(index: number, length: number): Buffer;
  /** `Buffer` views over `[index, index + length)`. */
  protected abstract nioBuffers0(index: number, length: number): Buffer[];

  // ---------------------------------------------------------------- checks

  /** Throws `IllegalReferenceCountException('refCnt: 0')` if the buffer was released. */
  protected ensureAccessible(): void { if (!this.isAccessible()) throw new IllegalReferenceCountException(0); }
  isAccessible(): boolean { return this.refCnt() !== 0; }

  /** Accessibility, then `[index, index + fieldLength)` within the capacity. */
  protected checkIndex(index: number, fieldLength: number): void {
    this.ensureAccessible();
    this.checkIndex0(index, fieldLength);
  }

  protected checkIndex0(index: number, fieldLength: number): void {
    const capacity = this.currentCapacity();
    if (isOutOfBounds(index, fieldLength, capacity)) throw indexOutOfBounds(index, fieldLength, capacity);
  }

  protected checkSrcIndex(index: number, length: number, srcIndex: number, srcCapacity: number): void {
    this.checkIndex(index, length);
    if (isOutOfBounds(srcIndex, length, srcCapacity)) {
      throw new IndexOutOfBoundsException(`srcIndex: ${srcIndex}, length: ${length} (expected: range(0, ${srcCapacity}))`);
    }
  }

  protected checkDstIndex(index: number, length: number, dstIndex: number, dstCapacity: number): void {
    this.checkIndex(index, length);
    if (isOutOfBounds(dstIndex, length, dstCapacity)) {
      throw new IndexOutOfBoundsException(`dstIndex: ${dstIndex}, length: ${length} (expected: range(0, ${dstCapacity}))`);
    }
  }

  /** Throws unless `minimumReadableBytes` (>= 0) bytes are readable. */
  protected checkReadableBytes(minimumReadableBytes: number): void {
    checkPositiveOrZero(minimumReadableBytes, 'minimumReadableBytes');
    this.checkReadableBytes0(minimumReadableBytes);
  }

  protected checkReadableBytes0(minimumReadableBytes: number): void {
    this.ensureAccessible();
    if (this._readerIndex > this._writerIndex - minimumReadableBytes) {
      throw readableBytesExceeded(this._readerIndex, minimumReadableBytes, this._writerIndex, this);
    }
  }

  /** Checks `n` readable bytes, advances the reader index and returns its old value. */
  protected advanceReader(n: number): number {
    this.checkReadableBytes0(n);
    const r = this._readerIndex;
    this._readerIndex = r + n;
    return r;
  }

  /** Ensures `n` writable bytes (growing), advances the writer index and returns its old value. */
  protected advanceWriter(n: number): number {
    this.ensureWritable0(n);
    const w = this._writerIndex;
    this._writerIndex = w + n;
    return w;
  }

  protected checkNewCapacity(newCapacity: number): void {
    this.ensureAccessible();
    if (!Number.isInteger(newCapacity) || newCapacity < 0 || newCapacity > this._maxCapacity) {
      throw new IllegalArgumentException(`newCapacity: ${newCapacity} (expected: 0-${this._maxCapacity})`);
    }
  }

  /** After shrinking: pulls the indices back inside `newCapacity`. */
  protected trimIndicesToCapacity(newCapacity: number): void {
    if (this._writerIndex > newCapacity) {
      this._readerIndex = Math.min(this._readerIndex, newCapacity);
      this._writerIndex = newCapacity;
    }
  }

  protected ensureWritable0(minWritableBytes: number): void {
    const writerIndex = this._writerIndex;
    const targetCapacity = writerIndex + minWritableBytes;
    if (targetCapacity <= this.currentCapacity()) {
      this.ensureAccessible();
      return;
    }
    if (targetCapacity > this._maxCapacity) {
      this.ensureAccessible();
      throw new IndexOutOfBoundsException(
        `writerIndex(${writerIndex}) + minWritableBytes(${minWritableBytes}) exceeds ` +
          `maxCapacity(${this._maxCapacity}): ${this.toString()}`,
      );
    }
    const fastWritable = this.maxFastWritableBytes();
    const newCapacity =
      fastWritable >= minWritableBytes
        ? writerIndex + fastWritable
        : this.alloc().calculateNewCapacity(targetCapacity, this._maxCapacity);
    this.adjustCapacity(newCapacity);
  }

  protected ensureWritableForced(minWritableBytes: number, force: boolean): number {
    this.ensureAccessible();
    checkPositiveOrZero(minWritableBytes, 'minWritableBytes');
    if (minWritableBytes <= this.writableBytes()) return 0;
    const maxCapacity = this._maxCapacity;
    const writerIndex = this._writerIndex;
    if (minWritableBytes > maxCapacity - writerIndex) {
      if (!force || this.currentCapacity() === maxCapacity) return 1;
      this.adjustCapacity(maxCapacity);
      return 3;
    }
    const fastWritable = this.maxFastWritableBytes();
    this.adjustCapacity(
      fastWritable >= minWritableBytes
        ? writerIndex + fastWritable
        : this.alloc().calculateNewCapacity(writerIndex + minWritableBytes, maxCapacity),
    );
    return 2;
  }

  // ---------------------------------------------------------------- capacity and indices

  capacity(): number;
  capacity(newCapacity: number): this;
  capacity(newCapacity?: number): number | this {
    if (newCapacity === undefined) return this.currentCapacity();
    this.adjustCapacity(newCapacity);
    return this;
  }

  maxCapacity(): number { return this._maxCapacity; }

  readerIndex(): number;
  readerIndex(readerIndex: number): this;
  readerIndex(readerIndex?: number): number | this {
    if (readerIndex === undefined) return this._readerIndex;
    checkIndexBounds(readerIndex, this._writerIndex, this.currentCapacity());
    this._readerIndex = readerIndex;
    return this;
  }

  writerIndex(): number;
  writerIndex(writerIndex: number): this;
  writerIndex(writerIndex?: number): number | this {
    if (writerIndex === undefined) return this._writerIndex;
    checkIndexBounds(this._readerIndex, writerIndex, this.currentCapacity());
    this._writerIndex = writerIndex;
    return this;
  }

  setIndex(readerIndex: number, writerIndex: number): this {
    checkIndexBounds(readerIndex, writerIndex, this.currentCapacity());
    this._readerIndex = readerIndex;
    this._writerIndex = writerIndex;
    return this;
  }

  readableBytes(): number { return this._writerIndex - this._readerIndex; }
  writableBytes(): number { return this.currentCapacity() - this._writerIndex; }
  maxWritableBytes(): number { return this._maxCapacity - this._writerIndex; }
  maxFastWritableBytes(): number { return this.writableBytes(); }
  isReadable(size = 1): boolean { return this._writerIndex - this._readerIndex >= size; }
  isWritable(size = 1): boolean { return this.currentCapacity() - this._writerIndex >= size; }
  clear(): this { this._readerIndex = this._writerIndex = 0; return this; }
  markReaderIndex(): this { this._markedReaderIndex = this._readerIndex; return this; }
  resetReaderIndex(): this { return this.readerIndex(this._markedReaderIndex); }
  markWriterIndex(): this { this._markedWriterIndex = this._writerIndex; return this; }
  resetWriterIndex(): this { return this.writerIndex(this._markedWriterIndex); }

  discardReadBytes(): this {
    const readerIndex = this._readerIndex;
    this.ensureAccessible();
    if (readerIndex === 0) return this;
    if (readerIndex !== this._writerIndex) {
      this.setBytes(0, this, readerIndex, this._writerIndex - readerIndex);
      this._writerIndex -= readerIndex;
    } else {
      this._writerIndex = 0;
    }
    this.adjustMarkers(readerIndex);
    this._readerIndex = 0;
    return this;
  }

  discardSomeReadBytes(): this {
    const readerIndex = this._readerIndex;
    this.ensureAccessible();
    if (readerIndex > 0 && (readerIndex === this._writerIndex || readerIndex >= this.currentCapacity() >>> 1)) {
      return this.discardReadBytes();
    }
    return this;
  }

  /** Lowers the marks by `decrement` (never below 0), after bytes were discarded. */
  protected adjustMarkers(decrement: number): void {
    if (this._markedReaderIndex <= decrement) {
      this._markedReaderIndex = 0;
      this._markedWriterIndex = this._markedWriterIndex <= decrement ? 0 : this._markedWriterIndex - decrement;
    } else {
      this._markedReaderIndex -= decrement;
      this._markedWriterIndex -= decrement;
    }
  }

  ensureWritable(minWritableBytes: number): this;
  ensureWritable(minWritableBytes: number, force: boolean): number;
  ensureWritable(minWritableBytes: number, force?: boolean): this | number {
    if (force !== undefined) return this.ensureWritableForced(minWritableBytes, force);
    this.ensureWritable0(checkPositiveOrZero(minWritableBytes, 'minWritableBytes'));
    return this;
  }

  isReadOnly(): boolean { return false; }
  isDirect(): boolean { return false; }

  // ---------------------------------------------------------------- bulk transfer

  getBytes(index: number, dst: ByteBuf, length?: number): this;
  getBytes(index: number, dst: ByteBuf | Uint8Array, dstIndex: number, length: number): this;
  getBytes(index: number, dst: Uint8Array, dstIndex?: number): this;
  getBytes(index: number, dst: ByteBuf | Uint8Array, a?: number, b?: number): this {
    if (dst instanceof Uint8Array) {
      const dstIndex = a ?? 0;
      const length = b ?? dst.length - dstIndex;
      this.checkDstIndex(index, length, dstIndex, dst.length);
      this.getBytesToArray(index, dst, dstIndex, length);
    } else if (b === undefined) {
      const writable = dst.writableBytes();
      const length = a ?? writable;
      if (length > writable) {
        throw new IndexOutOfBoundsException(`length(${length}) exceeds dst.writableBytes(${writable}) where dst is: ${dst.toString()}`);
      }
      const w = dst.writerIndex();
      this.getBytes(index, dst, w, length);
      dst.writerIndex(w + length);
    } else {
      this.checkDstIndex(index, b, a as number, dst.capacity());
      this.getBytesToBuf(index, dst, a as number, b);
    }
    return this;
  }

  setBytes(index: number, src: ByteBuf, length?: number): this;
  setBytes(index: number, src: ByteBuf | Uint8Array, srcIndex: number, length: number): this;
  setBytes(index: number, src: Uint8Array, srcIndex?: number): this;
  setBytes(index: number, src: ByteBuf | Uint8Array, a?: number, b?: number): this {
    if (src instanceof Uint8Array) {
      const srcIndex = a ?? 0;
      const length = b ?? src.length - srcIndex;
      this.checkSrcIndex(index, length, srcIndex, src.length);
      this.setBytesFromArray(index, src, srcIndex, length);
    } else if (b === undefined) {
      const readable = src.readableBytes();
      const length = a ?? readable;
      this.checkIndex(index, length);
      if (length > readable) {
        throw new IndexOutOfBoundsException(`length(${length}) exceeds src.readableBytes(${readable}) where src is: ${src.toString()}`);
      }
      const r = src.readerIndex();
      this.setBytes(index, src, r, length);
      src.readerIndex(r + length);
    } else {
      this.checkSrcIndex(index, b, a as number, src.capacity());
      this.setBytesFromBuf(index, src, a as number, b);
    }
    return this;
  }

  readBytes(length: number): ByteBuf;
  readBytes(dst: ByteBuf, length?: number): this;
  readBytes(dst: ByteBuf | Uint8Array, dstIndex: number, length: number): this;
  readBytes(dst: Uint8Array, dstIndex?: number): this;
  readBytes(dst: number | ByteBuf | Uint8Array, a?: number, b?: number): ByteBuf | this {
    if (typeof dst === 'number') {
      this.checkReadableBytes(dst);
      const copy = this.alloc().buffer(dst, this._maxCapacity);
      try {
        copy.writeBytes(this, this._readerIndex, dst);
      } catch (err) {
        copy.release();
        throw err;
      }
      this._readerIndex += dst;
      return copy;
    }
    if (dst instanceof Uint8Array) {
      const dstIndex = a ?? 0;
      const length = b ?? dst.length - dstIndex;
      this.checkReadableBytes(length);
      this.getBytes(this._readerIndex, dst, dstIndex, length);
      this._readerIndex += length;
    } else if (b === undefined) {
      const writable = dst.writableBytes();
      const length = a ?? writable;
      if (length > writable) {
        throw new IndexOutOfBoundsException(`length(${length}) exceeds dst.writableBytes(${writable}) where dst is: ${dst.toString()}`);
      }
      const w = dst.writerIndex();
      this.readBytes(dst, w, length);
      dst.writerIndex(w + length);
    } else {
      this.checkReadableBytes(b);
      this.getBytes(this._readerIndex, dst, a as number, b);
      this._readerIndex += b;
    }
    return this;
  }

  writeBytes(src: ByteBuf, length?: number): this;
  writeBytes(src: ByteBuf | Uint8Array, srcIndex: number, length: number): this;
  writeBytes(src: Uint8Array, srcIndex?: number): this;
  writeBytes(src: ByteBuf | Uint8Array, a?: number, b?: number): this {
    if (src instanceof Uint8Array) {
      const srcIndex = a ?? 0;
      const length = b ?? src.length - srcIndex;
      this.ensureWritable0(checkPositiveOrZero(length, 'length'));
      this.setBytes(this._writerIndex, src, srcIndex, length);
      this._writerIndex += length;
    } else if (b === undefined) {
      const readable = src.readableBytes();
      const length = a ?? readable;
      if (length > readable) {
        throw new IndexOutOfBoundsException(`length(${length}) exceeds src.readableBytes(${readable}) where src is: ${src.toString()}`);
      }
      const r = src.readerIndex();
      this.writeBytes(src, r, length);
      src.readerIndex(r + length);
    } else {
      this.ensureWritable0(checkPositiveOrZero(b, 'length'));
      this.setBytes(this._writerIndex, src, a as number, b);
      this._writerIndex += b;
    }
    return this;
  }

  skipBytes(length: number): this { this.checkReadableBytes(length); this._readerIndex += length; return this; }

  setZero(index: number, length: number): this {
    this.checkIndex(index, length);
    this.setZero0(index, length);
    return this;
  }

  writeZero(length: number): this {
    this.ensureWritable0(checkPositiveOrZero(length, 'length'));
    this.setZero0(this._writerIndex, length);
    this._writerIndex += length;
    return this;
  }

  /** Fills `[index, index + length)` with zeros (bounds already checked). */
  protected setZero0(index: number, length: number): void {
    this.setBytesFromArray(index, new Uint8Array(length), 0, length);
  }

  // ---------------------------------------------------------------- strings

  writeCharSequence(sequence: string, encoding: BufferEncoding = 'utf8'): number {
    const bytes = Buffer.from(sequence, encoding);
    this.writeBytes(bytes);
    return bytes.length;
  }

  setCharSequence(index: number, sequence: string, encoding: BufferEncoding = 'utf8'): number {
    const bytes = Buffer.from(sequence, encoding);
    this.setBytes(index, bytes, 0, bytes.length);
    return bytes.length;
  }

  readCharSequence(length: number, encoding: BufferEncoding = 'utf8'): string {
    this.checkReadableBytes(length);
    const value = this.getCharSequence(this._readerIndex, length, encoding);
    this._readerIndex += length;
    return value;
  }

  getCharSequence(index: number, length: number, encoding: BufferEncoding = 'utf8'): string {
    this.checkIndex(index, length);
    if (length === 0) return '';
    return this.nioBuffer0(index, length).toString(encoding);
  }

  override toString(): string;
  override toString(encoding: BufferEncoding): string;
  override toString(index: number, length: number, encoding: BufferEncoding): string;
  override toString(a?: BufferEncoding | number, length?: number, encoding?: BufferEncoding): string {
    if (a === undefined) return this.describe();
    if (typeof a === 'string') return this.getCharSequence(this._readerIndex, this.readableBytes(), a);
    return this.getCharSequence(a, length as number, encoding ?? 'utf8');
  }

  /** Netty's description: `Name(ridx: R, widx: W, cap: C[/MAX][, unwrapped: …])` or `Name(freed)`. */
  protected describe(): string {
    const name = this.constructor.name;
    if (this.refCnt() === 0) return `${name}(freed)`;
    let text = `${name}(ridx: ${this._readerIndex}, widx: ${this._writerIndex}, cap: ${this.currentCapacity()}`;
    if (this._maxCapacity !== DEFAULT_MAX_CAPACITY) text += `/${this._maxCapacity}`;
    const unwrapped = this.unwrap();
    if (unwrapped !== null) text += `, unwrapped: ${unwrapped.toString()}`;
    return `${text})`;
  }

  // ---------------------------------------------------------------- search and compare

  indexOf(fromIndex: number, toIndex: number, value: number): number {
    this.ensureAccessible();
    const capacity = this.currentCapacity();
    if (fromIndex <= toIndex) {
      fromIndex = Math.max(fromIndex, 0);
      if (fromIndex >= toIndex || capacity === 0) return -1;
      this.checkIndex(fromIndex, toIndex - fromIndex);
      return this.firstIndexOf0(fromIndex, toIndex, value & 0xff);
    }
    fromIndex = Math.min(fromIndex, capacity);
    if (fromIndex < 0 || capacity === 0) return -1;
    this.checkIndex(toIndex, fromIndex - toIndex);
    return this.lastIndexOf0(fromIndex, toIndex, value & 0xff);
  }

  /** First index of the unsigned byte `value` in `[fromIndex, toIndex)` (bounds already checked). */
  protected firstIndexOf0(fromIndex: number, toIndex: number, value: number): number {
    return this.forEachByteAsc0(fromIndex, toIndex, (b) => b !== value);
  }

  /** Last index of the unsigned byte `value` in `[toIndex, fromIndex)` (bounds already checked). */
  protected lastIndexOf0(fromIndex: number, toIndex: number, value: number): number {
    return this.forEachByteDesc0(toIndex, fromIndex, (b) => b !== value);
  }

  bytesBefore(value: number): number;
  bytesBefore(length: number, value: number): number;
  bytesBefore(index: number, length: number, value: number): number;
  bytesBefore(a: number, b?: number, c?: number): number {
    if (b === undefined) return this.bytesBefore(this._readerIndex, this.readableBytes(), a);
    if (c === undefined) {
      this.checkReadableBytes(a);
      return this.bytesBefore(this._readerIndex, a, b);
    }
    const endIndex = this.indexOf(a, a + b, c);
    return endIndex < 0 ? -1 : endIndex - a;
  }

  forEachByte(processor: ByteProcessor): number;
  forEachByte(index: number, length: number, processor: ByteProcessor): number;
  forEachByte(a: number | ByteProcessor, length?: number, processor?: ByteProcessor): number {
    if (typeof a === 'function') {
      this.ensureAccessible();
      return this.forEachByteAsc0(this._readerIndex, this._writerIndex, a);
    }
    this.checkIndex(a, length as number);
    return this.forEachByteAsc0(a, a + (length as number), processor as ByteProcessor);
  }

  forEachByteDesc(processor: ByteProcessor): number;
  forEachByteDesc(index: number, length: number, processor: ByteProcessor): number;
  forEachByteDesc(a: number | ByteProcessor, length?: number, processor?: ByteProcessor): number {
    if (typeof a === 'function') {
      this.ensureAccessible();
      return this.forEachByteDesc0(this._readerIndex, this._writerIndex, a);
    }
    this.checkIndex(a, length as number);
    return this.forEachByteDesc0(a, a + (length as number), processor as ByteProcessor);
  }

  /** Visits `[start, end)` upwards (bounds already checked). */
  protected forEachByteAsc0(start: number, end: number, processor: ByteProcessor): number {
    for (let i = start; i < end; i++) if (!processor(this.getUnsignedByte(i))) return i;
    return -1;
  }

  /** Visits `[start, end)` downwards (bounds already checked). */
  protected forEachByteDesc0(start: number, end: number, processor: ByteProcessor): number {
    for (let i = end - 1; i >= start; i--) if (!processor(this.getUnsignedByte(i))) return i;
    return -1;
  }

  equals(other: ByteBuf): boolean { return this === other || equalBuffers(this, other); }
  compareTo(other: ByteBuf): number { return compareBuffers(this, other); }

  // ---------------------------------------------------------------- derived buffers and exits

  slice(): ByteBuf;
  slice(index: number, length: number): ByteBuf;
  slice(index?: number, length?: number): ByteBuf {
    this.ensureAccessible();
    if (index === undefined) return this.newSlice(this._readerIndex, this.readableBytes());
    this.checkSliceBounds(index, length as number);
    return this.newSlice(index, length as number);
  }

  retainedSlice(): ByteBuf;
  retainedSlice(index: number, length: number): ByteBuf;
  retainedSlice(index?: number, length?: number): ByteBuf {
    return (index === undefined ? this.slice() : this.slice(index, length as number)).retain();
  }

  readSlice(length: number): ByteBuf {
    this.checkReadableBytes(length);
    const slice = this.newSlice(this._readerIndex, length);
    this._readerIndex += length;
    return slice;
  }

  readRetainedSlice(length: number): ByteBuf {
    this.checkReadableBytes(length);
    const slice = this.newSlice(this._readerIndex, length).retain();
    this._readerIndex += length;
    return slice;
  }

  retainedDuplicate(): ByteBuf { return this.duplicate().retain(); }

  /** Netty's slice check: the message names the buffer and the requested range. */
  protected checkSliceBounds(index: number, length: number): void {
    if (isOutOfBounds(index, length, this.currentCapacity())) {
      throw new IndexOutOfBoundsException(`${this.toString()}.slice(${index}, ${length})`);
    }
  }

  copy(): ByteBuf;
  copy(index: number, length: number): ByteBuf;
  copy(index?: number, length?: number): ByteBuf {
    if (index === undefined) return this.copy(this._readerIndex, this.readableBytes());
    this.checkIndex(index, length as number);
    return this.copy0(index, length as number);
  }

  nioBuffer(index?: number, length?: number): Buffer {
    if (index === undefined) {
      this.ensureAccessible();
      return this.nioBuffer0(this._readerIndex, this.readableBytes());
    }
    this.checkIndex(index, length as number);
    return this.nioBuffer0(index, length as number);
  }

  nioBuffers(index?: number, length?: number): Buffer[] {
    if (index === undefined) {
      this.ensureAccessible();
      return this.nioBuffers0(this._readerIndex, this.readableBytes());
    }
    this.checkIndex(index, length as number);
    return this.nioBuffers0(index, length as number);
  }

  nioBufferCount(): number { return 1; }
}
