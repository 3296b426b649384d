/**
 * Port of org.apache.flink.runtime.io.network.api.serialization.RecordDeserializer.DeserializationResult
 * (Flink 1.20). Differs: a class with frozen constants instead of a Java enum.
 *
 * | constant | isFullRecord | isBufferConsumed |
 * |---|---|---|
 * | PARTIAL_RECORD | false | true |
 * | INTERMEDIATE_RECORD_FROM_BUFFER | true | false |
 * | LAST_RECORD_FROM_BUFFER | true | true |
 *
 * "Buffer consumed" means the deserializer recycled the buffer and needs the next one (`setNextBuffer`).
 */
export class DeserializationResult {
  /** No complete record; the buffer was consumed (its bytes were kept). */
  static readonly PARTIAL_RECORD = new DeserializationResult('PARTIAL_RECORD', false, true);
  /** A record was read; the buffer holds more. */
  static readonly INTERMEDIATE_RECORD_FROM_BUFFER = new DeserializationResult('INTERMEDIATE_RECORD_FROM_BUFFER', true, false);
  /** A record was read and the buffer is exhausted (recycled). */
  static readonly LAST_RECORD_FROM_BUFFER = new DeserializationResult('LAST_RECORD_FROM_BUFFER', true, true);

  private constructor(
    readonly name: string,
    private readonly fullRecord: boolean,
    private readonly bufferConsumed: boolean,
  ) {
    Object.freeze(this);
  }

  /** True if the target now holds a record. */
  isFullRecord(): boolean {
    return this.fullRecord;
  }

  /** True if the current buffer was used up (and recycled). */
  isBufferConsumed(): boolean {
    return this.bufferConsumed;
  }

  toString(): string {
    return this.name;
  }
}
