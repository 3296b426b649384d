import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';

/**
 * Port of org.apache.flink.core.io.IOReadableWritable (Flink 1.20).
 *
 * Something that reads itself from a {@link DataInputView} and writes itself to a
 * {@link DataOutputView}: the target of a record deserializer. Use {@link DeserializationDelegate} to
 * read records of a {@link TypeSerializer} this way.
 */
export interface IOReadableWritable {
  /** Writes this object's state. */
  write(out: DataOutputView): void;
  /** Replaces this object's state with what is read from `input`. */
  read(input: DataInputView): void;
}
