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
