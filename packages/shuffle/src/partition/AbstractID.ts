import { randomBytes } from 'node:crypto';
import { IllegalArgumentException, type ByteBuf } from '@sluice/channel';

/** Two hex digits per byte value (Number#toString(16) takes V8's slow radix path). */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The 8 hex digits of an int32 word read as unsigned. */
function hex32(word: number): string {
  return HEX_BYTE[word >>> 24]! + HEX_BYTE[(word >>> 16) & 0xff]! + HEX_BYTE[(word >>> 8) & 0xff]! + HEX_BYTE[word & 0xff]!;
}

/** The signed 64-bit value of two big-endian int32 words (high, low). */
function longOf(high: number, low: number): bigint {
  return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low >>> 0));
}

/** The high int32 word of a long (any bigint, reduced to 64 bits). */
function highWord(value: bigint): number {
  return Number(BigInt.asIntN(32, value >> 32n));
}

/** The low int32 word of a long. */
function lowWord(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** A constructor from the four int32 words of an id's wire form (every AbstractID class has one). */
type WordsConstructor<T> = new (lowerHigh: number, lowerLow: number, upperHigh: number, upperLow: number) => T;

/**
 * Port of org.apache.flink.util.AbstractID (Flink 1.20). Differs: the id is kept as the four big-endian
 * int32 words of its wire form, so reading one from a message header (every BufferResponse and AddCredit
 * carries a receiver id) allocates no `bigint`; the two halves are `bigint` getters holding signed 64-bit
 * values (Java `long`s), built on demand; `random()` uses `crypto.randomBytes`.
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

  // The wire form, four int32 words: lower part (high, low), then upper part (high, low).
  private readonly lowerHigh: number;
  private readonly lowerLow: number;
  private readonly upperHigh: number;
  private readonly upperLow: number;

  /** From the two halves (any bigints, reduced to signed 64 bits). */
  constructor(lowerPart: bigint, upperPart: bigint);
  /** From the four int32 words of the wire form (lower high, lower low, upper high, upper low). */
  constructor(lowerHigh: number, lowerLow: number, upperHigh: number, upperLow: number);
  constructor(a: bigint | number, b: bigint | number, c?: number, d?: number) {
    if (typeof a === 'bigint' || typeof b === 'bigint') {
      const lower = BigInt(a);
      const upper = BigInt(b);
      this.lowerHigh = highWord(lower);
      this.lowerLow = lowWord(lower);
      this.upperHigh = highWord(upper);
      this.upperLow = lowWord(upper);
    } else {
      this.lowerHigh = a | 0;
      this.lowerLow = b | 0;
      this.upperHigh = (c ?? 0) | 0;
      this.upperLow = (d ?? 0) | 0;
    }
  }

  /** Upper 64 bits (signed). */
  get upperPart(): bigint {
    return longOf(this.upperHigh, this.upperLow);
  }

  /** Lower 64 bits (signed). */
  get lowerPart(): bigint {
    return longOf(this.lowerHigh, this.lowerLow);
  }

  /**
   * A random id (128 random bits) of the class it is called on (`InputChannelID.random()` is an
   * InputChannelID): every subclass inherits it with its type.
   */
  static random<T extends AbstractID>(this: WordsConstructor<T>): T {
    const bytes = randomBytes(16);
    return new this(bytes.readInt32BE(0), bytes.readInt32BE(4), bytes.readInt32BE(8), bytes.readInt32BE(12));
  }

  /** Reads lower part then upper part (16 bytes) at the reader index, as the class it is called on. */
  static fromByteBuf<T extends AbstractID>(this: WordsConstructor<T>, buf: ByteBuf): T {
    const w0 = buf.readInt();
    const w1 = buf.readInt();
    const w2 = buf.readInt();
    return new this(w0, w1, w2, buf.readInt());
  }

  /** Writes lower part then upper part, big-endian (16 bytes). */
  writeTo(buf: ByteBuf): void {
    buf.writeInt(this.lowerHigh);
    buf.writeInt(this.lowerLow);
    buf.writeInt(this.upperHigh);
    buf.writeInt(this.upperLow);
  }

  /** Same class-independent value: both halves equal. */
  equals(other: unknown): boolean {
    return (
      other instanceof AbstractID &&
      other.constructor === this.constructor &&
      other.lowerHigh === this.lowerHigh &&
      other.lowerLow === this.lowerLow &&
      other.upperHigh === this.upperHigh &&
      other.upperLow === this.upperLow
    );
  }

  /** Flink's hex string: lower part bytes, then upper part bytes (32 hex digits). */
  toHexString(): string {
    return hex32(this.lowerHigh) + hex32(this.lowerLow) + hex32(this.upperHigh) + hex32(this.upperLow);
  }

  toString(): string {
    return this.toHexString();
  }

  /**
   * A string equal exactly for equal ids, for `Map` keys (see InputChannelID.key()): the 128 bits as
   * eight UTF-16 code units, 16 bits each (one code unit per half word, so distinct ids never share a
   * key). Not for display. The client and server look a receiver up by the id read from every
   * BufferResponse and AddCredit; building and hashing this key took ~60 ns where the four words in
   * decimal took ~370 ns.
   */
  protected wordsKey(): string {
    const a = this.lowerHigh;
    const b = this.lowerLow;
    const c = this.upperHigh;
    const d = this.upperLow;
    return String.fromCharCode(a >>> 16, a & 0xffff, b >>> 16, b & 0xffff, c >>> 16, c & 0xffff, d >>> 16, d & 0xffff);
  }
}

/** Port of org.apache.flink.runtime.jobgraph.IntermediateDataSetID (Flink 1.20): an {@link AbstractID}. */
export class IntermediateDataSetID extends AbstractID {}

/** Port of org.apache.flink.runtime.jobgraph.JobVertexID (Flink 1.20): an {@link AbstractID}. */
export class JobVertexID extends AbstractID {}

/** Port of org.apache.flink.runtime.executiongraph.ExecutionGraphID (Flink 1.20): an {@link AbstractID}. */
export class ExecutionGraphID extends AbstractID {}

/** Throws unless `value` is a non-negative 32-bit int (partition numbers, subtask indices, attempts). */
export function checkNonNegativeInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new IllegalArgumentException(`${what} must be an int in [0, 2^31 - 1], got ${value}`);
  }
  return value;
}
