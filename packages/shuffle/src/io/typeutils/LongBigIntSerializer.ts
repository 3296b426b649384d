import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import type { TypeSerializer } from './TypeSerializer';

/**
 * Port of org.apache.flink.api.common.typeutils.base.LongSerializer (Flink 1.20) for full 64-bit values:
 * the record is a `bigint` (reduced to a signed 64-bit value), 8 bytes big-endian. Allocates a bigint per
 * deserialized record; prefer {@link LongSerializer} when values are safe integers.
 */
export class LongBigIntSerializer implements TypeSerializer<bigint> {
  /** The shared instance. */
  static readonly INSTANCE = new LongBigIntSerializer();

  getLength(): number {
    return 8;
  }
  serialize(record: bigint, target: DataOutputView): void {
    target.writeLong(record);
  }
  deserialize(source: DataInputView): bigint {
    return source.readLong();
  }
  writeFixed(record: bigint, target: DataView, offset: number): void {
    target.setBigInt64(offset, BigInt.asIntN(64, record));
  }
}
