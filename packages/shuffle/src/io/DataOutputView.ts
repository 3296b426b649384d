/**
 * Port of org.apache.flink.core.memory.DataOutputView (Flink 1.20). Differs: 64-bit integers are written
 * either as `bigint` ({@link writeLong}) or as a safe-integer JS number ({@link writeLongNumber}); no
 * `writeUTF`/`writeChars` (string serializers encode UTF-8 themselves).
 *
 * A big-endian output for serializers.
 *
 * ## Threading
 * Not synchronised; one writer.
 */
export interface DataOutputView {
  writeBoolean(value: boolean): void;
  /** The low 8 bits of `value`. */
  writeByte(value: number): void;
  /** The low 16 bits of `value`, big-endian. */
  writeShort(value: number): void;
  /** A UTF-16 code unit (16 bits), big-endian (Java's `writeChar`). */
  writeChar(value: number): void;
  /** A 32-bit int, big-endian. */
  writeInt(value: number): void;
  /** A 64-bit long from a `bigint` (reduced modulo 2^64), big-endian. */
  writeLong(value: bigint): void;
  /** A 64-bit long from a safe-integer number (throws `UnsafeIntegerException`-like errors otherwise), big-endian. */
  writeLongNumber(value: number): void;
  writeFloat(value: number): void;
  writeDouble(value: number): void;
  /** `length` bytes of `source` from `offset` (defaults: all of it). */
  write(source: Uint8Array, offset?: number, length?: number): void;
  /** Advances the position by `numBytes` without writing (the bytes are unspecified). */
  skipBytesToWrite(numBytes: number): void;
}
