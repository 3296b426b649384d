import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';

/**
 * Port of org.apache.flink.api.common.typeutils.TypeSerializer (Flink 1.20), reduced to what the network
 * stack needs. Differs: no copy/duplicate/snapshot machinery; immutable records are returned by value;
 * an optional allocation-free fast path ({@link writeFixed}, {@link readFixed}) for fixed-length types.
 *
 * Turns records of type `T` into bytes and back. {@link getLength} is the serialized length in bytes if
 * every record has the same length (Flink's `getLength()`), else −1. A fixed-length serializer may also
 * implement {@link writeFixed}: RecordWriter then serializes small records straight into the network
 * buffer (no intermediate copy) — it must write exactly `getLength()` bytes, the same bytes `serialize`
 * would. It may also implement {@link readFixed}: RecordReader then reads records that lie wholly in the
 * current buffer straight from its memory — it must read the bytes `deserialize` reads and return the
 * same value.
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
  /**
   * Fast path for fixed-length types, the reading twin of {@link writeFixed}: reads the record whose
   * `getLength()` bytes start at `offset` of `source` (identical to `deserialize`). The caller guarantees
   * the bytes are there.
   */
  readFixed?(source: DataView, offset: number): T;
}
