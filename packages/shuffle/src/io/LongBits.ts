import { IllegalArgumentException, UnsafeIntegerException } from '@sluice/channel';

/** 2^32 as a double. */
export const TWO_POW_32 = 4294967296;
/** 2^-32 as a double (exact). */
const INV_TWO_POW_32 = 1 / 4294967296;

/**
 * Writes a safe-integer number as a big-endian 64-bit two's-complement long at `offset` of `view`.
 * Allocation-free (no bigint): the high word is `floor(value / 2^32)`, the low word the rest.
 * Throws `IllegalArgumentException` for anything but a safe integer.
 */
export function setLongNumber(view: DataView, offset: number, value: number): void {
  if (!Number.isSafeInteger(value)) throw unsafeLongNumber(value);
  // ToUint32 is the low word of the two's complement for any integer; the rest is exactly divisible by
  // 2^32, and scaling by the power of two 2^-32 is exact (cheaper than a division).
  const low = value >>> 0;
  view.setInt32(offset, (value - low) * INV_TWO_POW_32);
  view.setUint32(offset + 4, low);
}

/**
 * Reads a big-endian 64-bit long at `offset` as a number; throws `UnsafeIntegerException` (of
 * @sluice/channel) if it is outside ±(2^53 − 1).
 */
export function getLongNumber(view: DataView, offset: number): number {
  const high = view.getInt32(offset);
  const low = view.getUint32(offset + 4);
  // Safe iff -2^21 <= high < 2^21, except -2^53 itself (high = -2^21, low = 0).
  if (high >= 0x200000 || high < -0x200000 || (high === -0x200000 && low === 0)) {
    throw new UnsafeIntegerException(view.getBigInt64(offset), offset);
  }
  return high * TWO_POW_32 + low;
}

function unsafeLongNumber(value: number): IllegalArgumentException {
  return new IllegalArgumentException(
    `long value ${value} is not a safe integer (±${Number.MAX_SAFE_INTEGER}); use the bigint serializer (LongBigIntSerializer) for full 64-bit values`,
  );
}
