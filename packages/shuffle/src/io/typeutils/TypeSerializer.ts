import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';

/**
 * Port of org.apache.flink.api.common.typeutils.TypeSerializer (Flink 1.20), reduced to what the network
 * stack needs. Differs: no copy/duplicate/snapshot machinery; immutable records are returned by value;
 * an optional allocation-free fast path ({@link writeFixed}) for fixed-length types.
 *
 * Turns records of type `T` into bytes and back. {@link getLength} is the serialized length in bytes if
 * every record has the same length (Flink's `getLength()`), else −1. A fixed-length serializer may also
 * implement {@link writeFixed}: RecordWriter then serializes small records straight into the network
 * buffer (no intermediate copy) — it must write exactly `getLength()` bytes, the same bytes `serialize`
 * would.
 *
 * ## Threading
 * Implementations here are stateless and shareable.
 *
 * ## Pitfalls
 * `serialize` and `deserialize` must agree byte for byte: the record deserializer fails with
 * `BrokenSerializationException` when a record is read past (or short of) its length.
 *
 * @example
 * const serializer = new TupleSerializer([IntSerializer.INSTANCE, StringSerializer.INSTANCE]);
 * serializer.serialize([1, 'a'], out);
 */
export interface TypeSerializer<T> {
  /** Serialized length in bytes of every record, or −1 if records differ in length. */
  getLength(): number;
  /** Writes `record` to `target`. */
  serialize(record: T, target: DataOutputView): void;
  /** Reads one record from `source`. */
  deserialize(source: DataInputView): T;
  /**
   * Fast path for fixed-length types: writes exactly `getLength()` bytes of `record` at `offset` of
   * `target` (big-endian, identical to `serialize`). The caller guarantees the room.
   */
  writeFixed?(record: T, target: DataView, offset: number): void;
}
