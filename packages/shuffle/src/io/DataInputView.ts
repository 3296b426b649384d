/**
 * Port of org.apache.flink.core.memory.DataInputView (Flink 1.20). Differs: 64-bit integers are read as
 * `bigint` ({@link readLong}) or as a safe-integer number ({@link readLongNumber}); reads past the end
 * throw {@link EndOfInputException} (Java's `EOFException`).
 *
 * A big-endian input for serializers.
 *
 * ## Threading
 * Not synchronised; one reader.
 */
export interface DataInputView {
  readBoolean(): boolean;
  /** A signed byte. */
  readByte(): number;
  readUnsignedByte(): number;
  /** A signed 16-bit value. */
  readShort(): number;
  readUnsignedShort(): number;
  /** A UTF-16 code unit. */
  readChar(): number;
  readInt(): number;
  /** A 64-bit long as `bigint`. */
  readLong(): bigint;
  /** A 64-bit long as a number; throws `UnsafeIntegerException` outside the safe-integer range. */
  readLongNumber(): number;
  readFloat(): number;
  readDouble(): number;
  /** Fills `target[offset, offset + length)` (defaults: all of it) or throws EndOfInputException. */
  readFully(target: Uint8Array, offset?: number, length?: number): void;
  /** Skips exactly `numBytes` bytes or throws EndOfInputException. */
  skipBytesToRead(numBytes: number): void;
  /** Bytes left to read (exact for in-memory views). */
  available(): number;
}
