import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import { getLongNumber, setLongNumber } from '../LongBits';
import type { TypeSerializer } from './TypeSerializer';

/**
 * Port of org.apache.flink.api.common.typeutils.base.LongSerializer (Flink 1.20). Differs: the value is a
 * JS number restricted to the safe-integer range (±(2^53 − 1)) — the record type of the network
 * benchmarks, kept free of `bigint` so the per-record path allocates nothing. Use
 * {@link LongBigIntSerializer} for full 64-bit values. Same wire format: 8 bytes, big-endian two's
 * complement.
 *
 * ## Pitfalls
 * Serializing a non-safe integer throws `IllegalArgumentException`; deserializing a long outside the safe
 * range throws `UnsafeIntegerException`.
 */
export class LongSerializer implements TypeSerializer<number> {
  /** The shared instance. */
  static readonly INSTANCE = new LongSerializer();

  getLength(): number {
    return 8;
  }
  serialize(record: number, target: DataOutputView): void {
    target.writeLongNumber(record);
  }
  deserialize(source: DataInputView): number {
    return source.readLongNumber();
  }
  readFixed(source: DataView, offset: number): number {
    return getLongNumber(source, offset);
  }
  writeFixed(record: number, target: DataView, offset: number): void {
    setLongNumber(target, offset, record);
  }
}
