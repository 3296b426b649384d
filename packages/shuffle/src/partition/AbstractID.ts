import { randomBytes } from 'node:crypto';
import { IllegalArgumentException, type ByteBuf } from '@sluice/channel';

const MASK64 = (1n << 64n) - 1n;

/** Reduces any bigint to a signed 64-bit value (Java `long`). */
function toLong(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

function hex64(value: bigint): string {
  return (value & MASK64).toString(16).padStart(16, '0');
}

/**
 * Port of org.apache.flink.util.AbstractID (Flink 1.20). Differs: the two halves are `bigint`s holding
 * signed 64-bit values (Java `long`s) — ids are never on a per-record path, so exactness wins over
 * speed; `random()` uses `crypto.randomBytes`.
 *
 * A 16-byte identifier made of two longs. On the wire (`writeTo`) it is the **lower part, then the upper
 * part**, both big-endian (reference §1.2). `toString()` is Flink's hex string: the 8 bytes of the lower
 * part followed by the 8 bytes of the upper part.
 *
 * ## Threading
 * Immutable; any thread.
 *
 * @example
 * const id = AbstractID.random();
 * id.writeTo(buf); // 16 bytes
 * AbstractID.fromByteBuf(buf).equals(id); // true
 */
export class AbstractID {
  /** Bytes of the serialized id. */
  static readonly SIZE = 16;

  /** Upper 64 bits (signed). */
  readonly upperPart: bigint;
  /** Lower 64 bits (signed). */
  readonly lowerPart: bigint;

  constructor(lowerPart: bigint, upperPart: bigint) {
    this.lowerPart = toLong(lowerPart);
    this.upperPart = toLong(upperPart);
  }

  /** A random id (128 random bits). */
  static random(): AbstractID {
    const [lower, upper] = AbstractID.randomHalves();
    return new AbstractID(lower, upper);
  }

  /** Reads lower part then upper part (16 bytes) at the reader index. */
  static fromByteBuf(buf: ByteBuf): AbstractID {
    const lower = buf.readLong();
    const upper = buf.readLong();
    return new AbstractID(lower, upper);
  }

  /** Two random signed 64-bit halves, `[lower, upper]`. */
  protected static randomHalves(): [bigint, bigint] {
    const bytes = randomBytes(16);
    return [bytes.readBigInt64BE(0), bytes.readBigInt64BE(8)];
  }

  /** Writes lower part then upper part, big-endian (16 bytes). */
  writeTo(buf: ByteBuf): void {
    buf.writeLong(this.lowerPart);
    buf.writeLong(this.upperPart);
  }

  /** Same class-independent value: both halves equal. */
  equals(other: unknown): boolean {
    return (
      other instanceof AbstractID &&
      other.constructor === this.constructor &&
      other.lowerPart === this.lowerPart &&
      other.upperPart === this.upperPart
    );
  }

  /** Flink's hex string: lower part bytes, then upper part bytes (32 hex digits). */
  toHexString(): string {
    return hex64(this.lowerPart) + hex64(this.upperPart);
  }

  toString(): string {
    return this.toHexString();
  }
}

/** Port of org.apache.flink.runtime.jobgraph.IntermediateDataSetID (Flink 1.20): an {@link AbstractID}. */
export class IntermediateDataSetID extends AbstractID {
  static override random(): IntermediateDataSetID {
    const [lower, upper] = AbstractID.randomHalves();
    return new IntermediateDataSetID(lower, upper);
  }

  static override fromByteBuf(buf: ByteBuf): IntermediateDataSetID {
    const lower = buf.readLong();
    return new IntermediateDataSetID(lower, buf.readLong());
  }
}

/** Port of org.apache.flink.runtime.jobgraph.JobVertexID (Flink 1.20): an {@link AbstractID}. */
export class JobVertexID extends AbstractID {
  static override random(): JobVertexID {
    const [lower, upper] = AbstractID.randomHalves();
    return new JobVertexID(lower, upper);
  }

  static override fromByteBuf(buf: ByteBuf): JobVertexID {
    const lower = buf.readLong();
    return new JobVertexID(lower, buf.readLong());
  }
}

/** Port of org.apache.flink.runtime.executiongraph.ExecutionGraphID (Flink 1.20): an {@link AbstractID}. */
export class ExecutionGraphID extends AbstractID {
  static override random(): ExecutionGraphID {
    const [lower, upper] = AbstractID.randomHalves();
    return new ExecutionGraphID(lower, upper);
  }

  static override fromByteBuf(buf: ByteBuf): ExecutionGraphID {
    const lower = buf.readLong();
    return new ExecutionGraphID(lower, buf.readLong());
  }
}

/** Throws unless `value` is a non-negative 32-bit int (partition numbers, subtask indices, attempts). */
export function checkNonNegativeInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new IllegalArgumentException(`${what} must be an int in [0, 2^31 - 1], got ${value}`);
  }
  return value;
}
