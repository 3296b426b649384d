import type { ByteBufAllocator } from './ByteBufAllocator';
import type { ReferenceCounted } from './ReferenceCounted';

/**
 * Visits bytes for {@link ByteBuf.forEachByte}: return `true` to continue, `false` to stop at this byte.
 * Differs from Netty: the processor receives the unsigned byte value (0..255), as a `Uint8Array` would.
 */
export type ByteProcessor = (value: number) => boolean;

/** Port of io.netty.util.ByteProcessor's ready-made processors (Netty 4.1). */
export const ByteProcessor = {
  /** Stops at the first NUL (0x00). */
  FIND_NUL: ((value) => value !== 0) as ByteProcessor,
  /** Stops at the first non-NUL byte. */
  FIND_NON_NUL: ((value) => value === 0) as ByteProcessor,
  /** Stops at the first CR (`\r`). */
  FIND_CR: ((value) => value !== 0x0d) as ByteProcessor,
  /** Stops at the first byte that is not CR. */
  FIND_NON_CR: ((value) => value === 0x0d) as ByteProcessor,
  /** Stops at the first LF (`\n`). */
  FIND_LF: ((value) => value !== 0x0a) as ByteProcessor,
  /** Stops at the first byte that is not LF. */
  FIND_NON_LF: ((value) => value === 0x0a) as ByteProcessor,
  /** Stops at the first CR or LF. */
  FIND_CRLF: ((value) => value !== 0x0d && value !== 0x0a) as ByteProcessor,
  /** Stops at the first byte that is neither CR nor LF. */
  FIND_NON_CRLF: ((value) => value === 0x0d || value === 0x0a) as ByteProcessor,
  /** Stops at the first space or horizontal tab. */
  FIND_LINEAR_WHITESPACE: ((value) => value !== 0x20 && value !== 0x09) as ByteProcessor,
  /** Stops at the first byte that is neither space nor horizontal tab. */
  FIND_NON_LINEAR_WHITESPACE: ((value) => value === 0x20 || value === 0x09) as ByteProcessor,
} as const;

/**
 * Port of io.netty.buffer.ByteBuf (Netty 4.1). Differs: byte order is chosen per call (`*LE` methods; no
 * `order()` views), 64-bit values are `bigint` (`getLong`) or a range-checked JS number (`getLongNumber`),
 * strings take a Node `BufferEncoding` instead of a `Charset`, `toString()` without arguments describes
 * the buffer while `toString(encoding)` decodes it, and there is no direct/heap distinction (every buffer
 * lives in a Node `Buffer`, which is already usable for I/O without a copy).
 *
 * A random- and sequential-access byte container with two indices:
 * ```
 *   +-------------------+------------------+------------------+
 *   | discardable bytes |  readable bytes  |  writable bytes  |
 *   +-------------------+------------------+------------------+
 *   0      <=      readerIndex   <=   writerIndex    <=    capacity  <=  maxCapacity
 * ```
 * `get*`/`set*` are absolute (indices unchanged; `set*` never grows the buffer); `read*`/`write*` are
 * relative and advance the reader/writer index; `write*` grows the capacity up to `maxCapacity()`.
 * All multi-byte accessors are big-endian unless named `…LE`. Writes of byte, short, medium and int take
 * a number and keep its low 8/16/24/32 bits, as a Java narrowing cast does.
 *
 * ## Threading
 * A buffer belongs to one event loop at a time; nothing here is synchronised. A buffer over a
 * `SharedArrayBuffer` can be read by another thread, but index and reference-count changes are not atomic.
 *
 * ## Ownership
 * A buffer is {@link ReferenceCounted}: it starts with a count of 1; whoever holds a reference releases it
 * exactly once. `slice()`, `duplicate()`, `readSlice()` and `asReadOnly()` share the content and the
 * reference count of their root buffer (releasing one releases the root). `retainedSlice()`,
 * `retainedDuplicate()` and `readRetainedSlice()` also share the root's count but retain it once first, so
 * the caller owns one reference and must release the derived buffer (or the root) once. `copy()` and
 * `readBytes(length)` return independent buffers with their own count of 1.
 *
 * ## Pitfalls
 * - Any access after the count reached 0 throws `IllegalReferenceCountException('refCnt: 0')`.
 * - Views returned by `nioBuffer()`/`nioBuffers()`/`array()` alias the buffer's memory; do not use them
 *   after releasing the buffer (a pooled region is handed to the next allocation).
 * - `writeBytes(src)` with a `ByteBuf` and no indices advances `src`'s reader index (as in Netty).
 *
 * @example
 * const buf = PooledByteBufAllocator.DEFAULT.buffer(16);
 * try {
 *   buf.writeInt(42).writeCharSequence('hi', 'utf8');
 *   buf.readInt(); // 42
 * } finally {
 *   buf.release();
 * }
 */
export abstract class ByteBuf implements ReferenceCounted {
  // ---------------------------------------------------------------- capacity and indices

  /** Number of bytes this buffer can currently hold. */
  abstract capacity(): number;
  /**
   * Grows or shrinks the capacity (up to `maxCapacity()`); shrinking trims the indices. Returns this.
   * Throws `UnsupportedOperationException` on slices, whose capacity is fixed.
   */
  abstract capacity(newCapacity: number): this;
  /** Upper bound for `capacity()`; writes that would need more throw `IndexOutOfBoundsException`. */
  abstract maxCapacity(): number;
  /** The reader index. */
  abstract readerIndex(): number;
  /** Sets the reader index; throws `IndexOutOfBoundsException` unless `0 <= i <= writerIndex`. */
  abstract readerIndex(readerIndex: number): this;
  /** The writer index. */
  abstract writerIndex(): number;
  /** Sets the writer index; throws `IndexOutOfBoundsException` unless `readerIndex <= i <= capacity`. */
  abstract writerIndex(writerIndex: number): this;
  /** Sets both indices at once (use when moving both past each other). */
  abstract setIndex(readerIndex: number, writerIndex: number): this;
  /** `writerIndex - readerIndex`. */
  abstract readableBytes(): number;
  /** `capacity - writerIndex`. */
  abstract writableBytes(): number;
  /** `maxCapacity - writerIndex`. */
  abstract maxWritableBytes(): number;
  /** Bytes writable without reallocating memory (pooled buffers may hold more than `capacity()`). */
  abstract maxFastWritableBytes(): number;
  /** True if at least `size` (default 1) bytes are readable. */
  abstract isReadable(size?: number): boolean;
  /** True if at least `size` (default 1) bytes are writable without growing. */
  abstract isWritable(size?: number): boolean;
  /** Sets both indices to 0; the content is untouched. */
  abstract clear(): this;
  /** Remembers the reader index for {@link resetReaderIndex}. */
  abstract markReaderIndex(): this;
  /** Moves the reader index back to the mark (re-validated). */
  abstract resetReaderIndex(): this;
  /** Remembers the writer index for {@link resetWriterIndex}. */
  abstract markWriterIndex(): this;
  /** Moves the writer index back to the mark (re-validated). */
  abstract resetWriterIndex(): this;
  /** Moves the readable bytes to index 0 and lowers both indices and the marks by the old reader index. */
  abstract discardReadBytes(): this;
  /** Like {@link discardReadBytes} but only when everything was read or at least half the capacity is read. */
  abstract discardSomeReadBytes(): this;
  /**
   * Makes room for `minWritableBytes` more bytes, growing the capacity (per the allocator's
   * `calculateNewCapacity`). Throws `IndexOutOfBoundsException` if that would exceed `maxCapacity()`.
   */
  abstract ensureWritable(minWritableBytes: number): this;
  /**
   * Like {@link ensureWritable} without throwing. Returns 0 (enough room already), 1 (cannot grow enough;
   * unchanged), 2 (grown), or 3 (`force`: grown to `maxCapacity()` but still short).
   */
  abstract ensureWritable(minWritableBytes: number, force: boolean): number;
  /** True for views made by {@link asReadOnly}. */
  abstract isReadOnly(): boolean;
  /** A read-only view sharing content and reference count (returns this if already read-only). */
  abstract asReadOnly(): ByteBuf;
  /** The buffer this one is a view of, or `null` for a root buffer. */
  abstract unwrap(): ByteBuf | null;
  /** The allocator that made this buffer (used to grow it and to allocate copies). */
  abstract alloc(): ByteBufAllocator;
  /** Always false: Sluice has no direct/heap distinction (see the class comment). */
  abstract isDirect(): boolean;
  /** True if {@link array} and {@link arrayOffset} expose the backing memory. */
  abstract hasArray(): boolean;
  /** The backing memory; buffer index `i` is at `array()[arrayOffset() + i]`. */
  abstract array(): Uint8Array;
  /** Offset of buffer index 0 in {@link array}. */
  abstract arrayOffset(): number;
  /**
   * @internal Copies `length` bytes at `index` to `dst` at `dstIndex`, for transports that coalesce small
   * buffers into staging memory (TcpWriteBatch). Checks that the buffer is accessible, not the bounds:
   * callers copy readable bytes into room they own, and the ranges must not overlap. Memory-backed
   * buffers override it with an allocation-free word copy through their DataView (see copyViewBytes);
   * this default goes through `getBytes`.
   */
  copyToView(index: number, dst: DataView, dstIndex: number, length: number): void {
    this.getBytes(index, new Uint8Array(dst.buffer, dst.byteOffset + dstIndex, length));
  }
  /** False once the reference count reached 0. */
  abstract isAccessible(): boolean;

  // ---------------------------------------------------------------- absolute getters

  abstract getBoolean(index: number): boolean;
  /** Signed 8-bit value. */
  abstract getByte(index: number): number;
  abstract getUnsignedByte(index: number): number;
  /** Signed 16-bit value. */
  abstract getShort(index: number): number;
  abstract getShortLE(index: number): number;
  abstract getUnsignedShort(index: number): number;
  abstract getUnsignedShortLE(index: number): number;
  /** Signed 24-bit value. */
  abstract getMedium(index: number): number;
  abstract getMediumLE(index: number): number;
  abstract getUnsignedMedium(index: number): number;
  abstract getUnsignedMediumLE(index: number): number;
  /** Signed 32-bit value. */
  abstract getInt(index: number): number;
  abstract getIntLE(index: number): number;
  /** Unsigned 32-bit value (0..2^32-1). */
  abstract getUnsignedInt(index: number): number;
  abstract getUnsignedIntLE(index: number): number;
  /** Signed 64-bit value as a `bigint`. */
  abstract getLong(index: number): bigint;
  abstract getLongLE(index: number): bigint;
  /**
   * Signed 64-bit value as a JS number; throws `UnsafeIntegerException` if it lies outside
   * `Number.MIN_SAFE_INTEGER..Number.MAX_SAFE_INTEGER` (use {@link getLong} for those).
   */
  abstract getLongNumber(index: number): number;
  abstract getLongNumberLE(index: number): number;
  /** 32-bit IEEE 754 value. */
  abstract getFloat(index: number): number;
  abstract getFloatLE(index: number): number;
  /** 64-bit IEEE 754 value. */
  abstract getDouble(index: number): number;
  abstract getDoubleLE(index: number): number;

  // ---------------------------------------------------------------- absolute setters (never grow)

  abstract setBoolean(index: number, value: boolean): this;
  /** Writes the low 8 bits of `value`. */
  abstract setByte(index: number, value: number): this;
  /** Writes the low 16 bits of `value`. */
  abstract setShort(index: number, value: number): this;
  abstract setShortLE(index: number, value: number): this;
  /** Writes the low 24 bits of `value`. */
  abstract setMedium(index: number, value: number): this;
  abstract setMediumLE(index: number, value: number): this;
  /** Writes the low 32 bits of `value`. */
  abstract setInt(index: number, value: number): this;
  abstract setIntLE(index: number, value: number): this;
  /** Writes the low 64 bits of `value` (two's complement). */
  abstract setLong(index: number, value: bigint): this;
  abstract setLongLE(index: number, value: bigint): this;
  /** Writes a safe integer as a signed 64-bit value; throws `IllegalArgumentException` for anything else. */
  abstract setLongNumber(index: number, value: number): this;
  abstract setLongNumberLE(index: number, value: number): this;
  abstract setFloat(index: number, value: number): this;
  abstract setFloatLE(index: number, value: number): this;
  abstract setDouble(index: number, value: number): this;
  abstract setDoubleLE(index: number, value: number): this;

  // ---------------------------------------------------------------- relative readers

  abstract readBoolean(): boolean;
  abstract readByte(): number;
  abstract readUnsignedByte(): number;
  abstract readShort(): number;
  abstract readShortLE(): number;
  abstract readUnsignedShort(): number;
  abstract readUnsignedShortLE(): number;
  abstract readMedium(): number;
  abstract readMediumLE(): number;
  abstract readUnsignedMedium(): number;
  abstract readUnsignedMediumLE(): number;
  abstract readInt(): number;
  abstract readIntLE(): number;
  abstract readUnsignedInt(): number;
  abstract readUnsignedIntLE(): number;
  abstract readLong(): bigint;
  abstract readLongLE(): bigint;
  /** See {@link getLongNumber}; the reader index is not moved when the value is out of range. */
  abstract readLongNumber(): number;
  abstract readLongNumberLE(): number;
  abstract readFloat(): number;
  abstract readFloatLE(): number;
  abstract readDouble(): number;
  abstract readDoubleLE(): number;

  // ---------------------------------------------------------------- relative writers (grow)

  abstract writeBoolean(value: boolean): this;
  abstract writeByte(value: number): this;
  abstract writeShort(value: number): this;
  abstract writeShortLE(value: number): this;
  abstract writeMedium(value: number): this;
  abstract writeMediumLE(value: number): this;
  abstract writeInt(value: number): this;
  abstract writeIntLE(value: number): this;
  abstract writeLong(value: bigint): this;
  abstract writeLongLE(value: bigint): this;
  abstract writeLongNumber(value: number): this;
  abstract writeLongNumberLE(value: number): this;
  abstract writeFloat(value: number): this;
  abstract writeFloatLE(value: number): this;
  abstract writeDouble(value: number): this;
  abstract writeDoubleLE(value: number): this;

  // ---------------------------------------------------------------- bulk transfer

  /** Copies `dst.writableBytes()` bytes (or `length`) to `dst` at its writer index and advances it. */
  abstract getBytes(index: number, dst: ByteBuf, length?: number): this;
  /** Copies `length` bytes to `dst` at `dstIndex`; `dst`'s indices are unchanged. */
  abstract getBytes(index: number, dst: ByteBuf | Uint8Array, dstIndex: number, length: number): this;
  /** Copies to `dst` from `dstIndex` (default 0) to its end. */
  abstract getBytes(index: number, dst: Uint8Array, dstIndex?: number): this;
  /** Copies `src.readableBytes()` bytes (or `length`) from `src`'s reader index and advances it. */
  abstract setBytes(index: number, src: ByteBuf, length?: number): this;
  /** Copies `length` bytes from `src` at `srcIndex`; `src`'s indices are unchanged. */
  abstract setBytes(index: number, src: ByteBuf | Uint8Array, srcIndex: number, length: number): this;
  /** Copies `src` from `srcIndex` (default 0) to its end. */
  abstract setBytes(index: number, src: Uint8Array, srcIndex?: number): this;
  /** Reads `length` bytes into a new buffer from `alloc()`; the caller releases it. */
  abstract readBytes(length: number): ByteBuf;
  /** Reads `dst.writableBytes()` bytes (or `length`) into `dst` at its writer index and advances it. */
  abstract readBytes(dst: ByteBuf, length?: number): this;
  /** Reads `length` bytes into `dst` at `dstIndex`; `dst`'s indices are unchanged. */
  abstract readBytes(dst: ByteBuf | Uint8Array, dstIndex: number, length: number): this;
  /** Reads enough bytes to fill `dst` from `dstIndex` (default 0) to its end. */
  abstract readBytes(dst: Uint8Array, dstIndex?: number): this;
  /** Writes `src.readableBytes()` bytes (or `length`) from `src`'s reader index and advances it. */
  abstract writeBytes(src: ByteBuf, length?: number): this;
  /** Writes `length` bytes of `src` from `srcIndex`; `src`'s indices are unchanged. */
  abstract writeBytes(src: ByteBuf | Uint8Array, srcIndex: number, length: number): this;
  /** Writes `src` from `srcIndex` (default 0) to its end. */
  abstract writeBytes(src: Uint8Array, srcIndex?: number): this;
  /** Advances the reader index by `length`. */
  abstract skipBytes(length: number): this;
  /** Fills `length` bytes from `index` with zeros (never grows). */
  abstract setZero(index: number, length: number): this;
  /** Writes `length` zero bytes (grows). */
  abstract writeZero(length: number): this;

  // ---------------------------------------------------------------- strings

  /** Encodes `sequence` at the writer index (growing as needed); returns the number of bytes written. */
  abstract writeCharSequence(sequence: string, encoding?: BufferEncoding): number;
  /** Encodes `sequence` at `index` without growing; returns the number of bytes written. */
  abstract setCharSequence(index: number, sequence: string, encoding?: BufferEncoding): number;
  /** Decodes `length` bytes at the reader index and advances it. */
  abstract readCharSequence(length: number, encoding?: BufferEncoding): string;
  /** Decodes `length` bytes at `index`. */
  abstract getCharSequence(index: number, length: number, encoding?: BufferEncoding): string;
  /** Netty-style description, e.g. `UnpooledHeapByteBuf(ridx: 0, widx: 3, cap: 16)`. */
  abstract toString(): string;
  /** Decodes the readable bytes with `encoding` (indices unchanged). */
  abstract toString(encoding: BufferEncoding): string;
  /** Decodes `length` bytes at `index` with `encoding`. */
  abstract toString(index: number, length: number, encoding: BufferEncoding): string;

  // ---------------------------------------------------------------- search and compare

  /**
   * First index of `value` in `[fromIndex, toIndex)`; when `fromIndex > toIndex`, searches backwards
   * from `fromIndex - 1` down to `toIndex`. Returns -1 if not found.
   */
  abstract indexOf(fromIndex: number, toIndex: number, value: number): number;
  /** Bytes between the reader index and the first `value` in the readable region, or -1. */
  abstract bytesBefore(value: number): number;
  /** As {@link bytesBefore} within the next `length` readable bytes. */
  abstract bytesBefore(length: number, value: number): number;
  /** Bytes between `index` and the first `value` in `[index, index + length)`, or -1. */
  abstract bytesBefore(index: number, length: number, value: number): number;
  /** Visits the readable bytes in order; returns the index where `processor` returned false, or -1. */
  abstract forEachByte(processor: ByteProcessor): number;
  abstract forEachByte(index: number, length: number, processor: ByteProcessor): number;
  /** Visits the readable bytes in reverse order; returns the index where `processor` returned false, or -1. */
  abstract forEachByteDesc(processor: ByteProcessor): number;
  abstract forEachByteDesc(index: number, length: number, processor: ByteProcessor): number;
  /** True if both readable regions hold the same bytes. */
  abstract equals(other: ByteBuf): boolean;
  /** Compares the readable regions as unsigned bytes, then by length: negative, 0 or positive. */
  abstract compareTo(other: ByteBuf): number;

  // ---------------------------------------------------------------- derived buffers

  /** View of the readable region with its own indices; shares content and reference count. */
  abstract slice(): ByteBuf;
  /** View of `[index, index + length)`; its capacity is fixed at `length`. */
  abstract slice(index: number, length: number): ByteBuf;
  /** As {@link slice}, after retaining the root once; release the result. */
  abstract retainedSlice(): ByteBuf;
  abstract retainedSlice(index: number, length: number): ByteBuf;
  /** View of the whole buffer with its own copy of the indices; shares content and reference count. */
  abstract duplicate(): ByteBuf;
  /** As {@link duplicate}, after retaining the root once; release the result. */
  abstract retainedDuplicate(): ByteBuf;
  /** Slice of the next `length` readable bytes; advances the reader index. Not retained. */
  abstract readSlice(length: number): ByteBuf;
  /** As {@link readSlice}, after retaining the root once; release the result. */
  abstract readRetainedSlice(length: number): ByteBuf;
  /** Independent copy of the readable region (own memory, count 1). */
  abstract copy(): ByteBuf;
  /** Independent copy of `[index, index + length)`. */
  abstract copy(index: number, length: number): ByteBuf;

  // ---------------------------------------------------------------- zero-copy exits

  /**
   * A Node `Buffer` view (no copy) of the readable region or of `[index, index + length)`. Only a
   * composite spanning several components returns a merged copy; see {@link nioBufferCount}.
   */
  abstract nioBuffer(index?: number, length?: number): Buffer;
  /** Number of `Buffer`s {@link nioBuffers} returns (1 except for composites). */
  abstract nioBufferCount(): number;
  /** Views (no copy) of the readable region or of `[index, index + length)`, one per memory region. */
  abstract nioBuffers(index?: number, length?: number): Buffer[];

  // ---------------------------------------------------------------- reference counting

  abstract refCnt(): number;
  abstract retain(increment?: number): this;
  abstract release(decrement?: number): boolean;
  abstract touch(hint?: unknown): this;
}
