import { IllegalArgumentException } from '@sluice/channel';

/** A key a {@link KeyGroupStreamPartitioner} can hash without help. */
export type HashableKey = string | number | bigint | boolean;

const SCRATCH = new DataView(new ArrayBuffer(8));

/**
 * Java's `hashCode()` of a key, so that keys hash to the key groups a Java Flink job would use:
 * strings as `String.hashCode`, safe-integer numbers as `Long.hashCode` (equal to `Integer.hashCode` for
 * non-negative ints), other numbers as `Double.hashCode`, bigints as `Long.hashCode` of their low 64
 * bits, booleans as `Boolean.hashCode`.
 */
export function javaHashCode(key: HashableKey): number {
  switch (typeof key) {
    case 'string': {
      let h = 0;
      for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
      return h;
    }
    case 'number': {
      if (Number.isSafeInteger(key)) {
        const high = Math.floor(key / 4294967296);
        return (high ^ (key - high * 4294967296)) | 0;
      }
      // Double.hashCode: bits ^ (bits >>> 32) of doubleToLongBits (NaN canonicalised by DataView).
      SCRATCH.setFloat64(0, key);
      return (SCRATCH.getInt32(0) ^ SCRATCH.getInt32(4)) | 0;
    }
    case 'bigint': {
      SCRATCH.setBigInt64(0, BigInt.asIntN(64, key));
      return (SCRATCH.getInt32(0) ^ SCRATCH.getInt32(4)) | 0;
    }
    default:
      return key ? 1231 : 1237;
  }
}

function bitMix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x;
}

/**
 * Port of org.apache.flink.util.MathUtils.murmurHash(int) (Flink 1.20): one Murmur3 round plus the
 * finalizer, made non-negative (`Integer.MIN_VALUE` → 0).
 */
export function murmurHash(code: number): number {
  code = Math.imul(code | 0, 0xcc9e2d51);
  code = (code << 15) | (code >>> 17);
  code = Math.imul(code, 0x1b873593);
  code = (code << 13) | (code >>> 19);
  code = (Math.imul(code, 5) + 0xe6546b64) | 0;
  code ^= 4;
  code = bitMix(code);
  if (code >= 0) return code;
  if (code !== -2147483648) return -code;
  return 0;
}

/**
 * Port of org.apache.flink.runtime.state.KeyGroupRangeAssignment (Flink 1.20), the functions the
 * partitioner needs: key → key group (`murmurHash(hashCode) % maxParallelism`) → operator index
 * (`keyGroup * parallelism / maxParallelism`).
 */
export const KeyGroupRangeAssignment = {
  /** Flink's DEFAULT_LOWER_BOUND_MAX_PARALLELISM. */
  DEFAULT_LOWER_BOUND_MAX_PARALLELISM: 128,
  /** Flink's UPPER_BOUND_MAX_PARALLELISM (2^15). */
  UPPER_BOUND_MAX_PARALLELISM: 32768,

  /** The operator (channel) index for `key`. */
  assignKeyToParallelOperator(key: HashableKey, maxParallelism: number, parallelism: number): number {
    return KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
      maxParallelism,
      parallelism,
      KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism),
    );
  },

  /** The key group of `key`. */
  assignToKeyGroup(key: HashableKey, maxParallelism: number): number {
    return KeyGroupRangeAssignment.computeKeyGroupForKeyHash(javaHashCode(key), maxParallelism);
  },

  /** `murmurHash(keyHash) % maxParallelism`. */
  computeKeyGroupForKeyHash(keyHash: number, maxParallelism: number): number {
    return murmurHash(keyHash) % maxParallelism;
  },

  /** `keyGroupId * parallelism / maxParallelism` (integer division). */
  computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroupId: number): number {
    return Math.floor((keyGroupId * parallelism) / maxParallelism);
  },

  /** Flink's default max parallelism: `min(max(roundUpToPowerOfTwo(p + p / 2), 128), 32768)`. */
  computeDefaultMaxParallelism(operatorParallelism: number): number {
    const target = operatorParallelism + Math.floor(operatorParallelism / 2);
    let power = 1;
    while (power < target) power *= 2;
    return Math.min(Math.max(power, 128), 32768);
  },

  /** Throws unless `1 <= maxParallelism <= 32768`. */
  checkParallelismPreconditions(maxParallelism: number): void {
    if (!Number.isSafeInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > 32768) {
      throw new IllegalArgumentException(`Operator parallelism not within bounds: ${maxParallelism} (expected: 1-32768)`);
    }
  },
};
