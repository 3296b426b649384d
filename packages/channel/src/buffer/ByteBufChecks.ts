// The module's `Buffer`, not the global one: on Node 20 the global is a getter, called on every use.
import { Buffer } from 'node:buffer';
import { UnsafeIntegerException } from './errors';
import { IllegalArgumentException, IndexOutOfBoundsException } from '../util/SluiceError';

// Bounds and number checks shared by the buffer classes (Netty's MathUtil/ObjectUtil roles).

const TWO_POW_32 = 4294967296;

/** True unless `0 <= index`, `0 <= length` and `index + length <= capacity`, all integers. */
export function isOutOfBounds(index: number, length: number, capacity: number): boolean {
  return (index >>> 0) !== index || (length >>> 0) !== length || index > capacity - length;
}

/** Throws `IllegalArgumentException` (Netty's ObjectUtil wording) unless `value` is an integer >= 0. */
export function checkPositiveOrZero(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new IllegalArgumentException(`${name} : ${value} (expected: >= 0)`);
  }
  return value;
}

/** Throws `IllegalArgumentException` unless `value` is a safe integer (for the `*LongNumber*` writers). */
export function checkSafeInteger(value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new IllegalArgumentException(
      `value: ${value} (expected: a safe integer in ${Number.MIN_SAFE_INTEGER}..${Number.MAX_SAFE_INTEGER}; ` +
        `use writeLong()/setLong() with a bigint for other 64-bit values)`,
    );
  }
}

/** High 32 bits (signed) of a safe integer's 64-bit two's complement. */
export function highBits(value: number): number {
  return Math.floor(value / TWO_POW_32) | 0;
}

/** Low 32 bits of a safe integer's 64-bit two's complement, as an int32. */
export function lowBits(value: number): number {
  return (value - Math.floor(value / TWO_POW_32) * TWO_POW_32) | 0;
}

/** Joins the two halves of a 64-bit value into a JS number, or throws `UnsafeIntegerException`. */
export function toSafeNumber(high: number, low: number, index: number): number {
  // Safe iff -2^53 < value < 2^53: high in [-2^21, 2^21), and not exactly -2^53.
  if (high > 0x1fffff || high < -0x200000 || (high === -0x200000 && low === 0)) {
    throw new UnsafeIntegerException((BigInt(high) << 32n) | BigInt(low >>> 0), index);
  }
  return high * TWO_POW_32 + (low >>> 0);
}

/** Throws Netty's index-invariant `IndexOutOfBoundsException` unless `0 <= r <= w <= capacity` (integers). */
export function checkIndexBounds(readerIndex: number, writerIndex: number, capacity: number): void {
  if ((readerIndex >>> 0) !== readerIndex || readerIndex > writerIndex || (writerIndex >>> 0) !== writerIndex || writerIndex > capacity) {
    throw new IndexOutOfBoundsException(
      `readerIndex: ${readerIndex}, writerIndex: ${writerIndex} ` +
        `(expected: 0 <= readerIndex <= writerIndex <= capacity(${capacity}))`,
    );
  }
}

/** Throws `IllegalArgumentException` (Netty's ObjectUtil wording) unless `value` is an integer > 0. */
export function checkPositive(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new IllegalArgumentException(`${name} : ${value} (expected: > 0)`);
  }
  return value;
}

/** Up to this many bytes, {@link copyViewBytes} copies word by word; above, one native copy wins. */
const WORD_COPY_MAX = 128;

/**
 * Copies `n` bytes from `src` at `srcPos` to `dst` at `dstPos`; the ranges must not overlap. Small copies
 * go as 32-bit words through the two DataViews (little-endian both ways, so no byte swapping; 16 bytes
 * per iteration), then the odd bytes — no allocation. A `TypedArray.set` needs a `Uint8Array` view of the
 * source made per copy: ~50 ns whatever the length plus garbage, which made the transport's coalescing
 * copy the largest self time of the small-message sender (18-25%). Measured on Node 20 here: the word
 * loop takes ~6 ns for 4 bytes, ~22 ns for 68 and ~38 ns for 128; `set` wins from ~170 bytes. (A loop
 * unrolled to 32 bytes measured faster alone, ~15 ns for 68, but no faster inside the transport.)
 */
export function copyViewBytes(src: DataView, srcPos: number, dst: DataView, dstPos: number, n: number): void {
  if (n > WORD_COPY_MAX) {
    new Uint8Array(dst.buffer, dst.byteOffset + dstPos, n).set(new Uint8Array(src.buffer, src.byteOffset + srcPos, n));
    return;
  }
  let i = 0;
  for (const end16 = n & ~15; i < end16; i += 16) {
    dst.setInt32(dstPos + i, src.getInt32(srcPos + i, true), true);
    dst.setInt32(dstPos + i + 4, src.getInt32(srcPos + i + 4, true), true);
    dst.setInt32(dstPos + i + 8, src.getInt32(srcPos + i + 8, true), true);
    dst.setInt32(dstPos + i + 12, src.getInt32(srcPos + i + 12, true), true);
  }
  for (const end4 = n & ~3; i < end4; i += 4) dst.setInt32(dstPos + i, src.getInt32(srcPos + i, true), true);
  for (; i < n; i++) dst.setUint8(dstPos + i, src.getUint8(srcPos + i));
}

/**
 * {@link copyViewBytes} for a source without a DataView (a wrapped array that has not needed one): words
 * are assembled from the bytes, ~1.7× the word copy's time (39 ns for 68 bytes) but without the ~85 ns of
 * making a DataView.
 */
export function copyArrayToView(src: Uint8Array, srcPos: number, dst: DataView, dstPos: number, n: number): void {
  if (n > WORD_COPY_MAX) {
    new Uint8Array(dst.buffer, dst.byteOffset + dstPos, n).set(new Uint8Array(src.buffer, src.byteOffset + srcPos, n));
    return;
  }
  let i = 0;
  for (const end4 = n & ~3; i < end4; i += 4) {
    const o = srcPos + i;
    dst.setInt32(dstPos + i, src[o]! | (src[o + 1]! << 8) | (src[o + 2]! << 16) | (src[o + 3]! << 24), true);
  }
  for (; i < n; i++) dst.setUint8(dstPos + i, src[srcPos + i]!);
}

/** Up to this length a JS loop beats a native copy call (measured on Node 20). */
const SMALL_COPY = 8;
/** Staging area that makes the small-copy loop safe when source and destination overlap. */
const STAGING = new Uint8Array(SMALL_COPY);
/** Node's native `memmove`-style copy; accepts any `Uint8Array` as source and target. */
const nativeCopy = Buffer.prototype.copy;

/**
 * Copies `length` bytes between two byte arrays, which may share memory: overlapping ranges are copied as
 * if through a temporary, like `memmove`. `Buffer.prototype.copy` measured 2-4x faster than
 * `TypedArray.set(src.subarray(…))` for 16 B-8 KiB on Node 20, and avoids reading `.buffer`, which costs
 * tens of nanoseconds on small `Buffer`s.
 */
export function copyBytes(src: Uint8Array, srcPos: number, dst: Uint8Array, dstPos: number, length: number): void {
  if (length <= SMALL_COPY) {
    for (let i = 0; i < length; i++) STAGING[i] = src[srcPos + i];
    for (let i = 0; i < length; i++) dst[dstPos + i] = STAGING[i];
    return;
  }
  nativeCopy.call(src, dst, dstPos, srcPos, srcPos + length);
}

/** A `Buffer` over the same memory as `array` (no copy). */
export function asBuffer(array: Uint8Array): Buffer {
  return Buffer.isBuffer(array) ? array : Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** A `DataView` over the same memory as `array`. */
export function viewOf(array: Uint8Array): DataView {
  return new DataView(array.buffer, array.byteOffset, array.byteLength);
}

/** Netty's `checkIndex` failure: `index: I, length: L (expected: range(0, C))`. */
export function indexOutOfBounds(index: number, length: number, capacity: number): IndexOutOfBoundsException {
  return new IndexOutOfBoundsException(`index: ${index}, length: ${length} (expected: range(0, ${capacity}))`);
}

/** Netty's `checkReadableBytes` failure: `readerIndex(R) + length(N) exceeds writerIndex(W): <buf>`. */
export function readableBytesExceeded(
  readerIndex: number,
  length: number,
  writerIndex: number,
  buf: object,
): IndexOutOfBoundsException {
  return new IndexOutOfBoundsException(
    `readerIndex(${readerIndex}) + length(${length}) exceeds writerIndex(${writerIndex}): ${String(buf)}`,
  );
}
