import type { Buffer } from '../../memory/Buffer';
import type { DeserializationResult } from './DeserializationResult';
import type { IOReadableWritable } from './IOReadableWritable';

/**
 * Port of org.apache.flink.runtime.io.network.api.serialization.RecordDeserializer (Flink 1.20). Differs:
 * `getUnconsumedBuffer()` returns one buffer or null instead of an iterator.
 *
 * Turns the data buffers of one input channel back into records.
 *
 * ## Ownership
 * `setNextBuffer` hands over the caller's reference; the deserializer recycles the buffer once consumed.
 */
export interface RecordDeserializer<T extends IOReadableWritable> {
  /** Reads the next record into `target`, if the bytes are there. */
  getNextRecord(target: T): DeserializationResult;
  /** The next buffer of the channel (only after the previous one was consumed). */
  setNextBuffer(buffer: Buffer): void;
  /** A copy of the bytes received but not yet deserialized (unaligned checkpoints), or null. */
  getUnconsumedBuffer(): Buffer | null;
  /** Drops partial data and recycles the current buffer. */
  clear(): void;
}
