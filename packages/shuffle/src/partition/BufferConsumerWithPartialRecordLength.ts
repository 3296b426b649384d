import type { Buffer } from '../memory/Buffer';
import type { BufferConsumer } from '../memory/BufferConsumer';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.BufferConsumerWithPartialRecordLength (Flink 1.20).
 * Differs: no `cleanupPartialRecord` (approximate recovery is not ported).
 *
 * A queued {@link BufferConsumer} plus the number of leading bytes of its buffer that continue a record
 * begun in an earlier buffer (`partialRecordLength`, reference §6; 0 when the buffer starts with a record).
 *
 * ## Ownership
 * Owns the consumer: whoever removes the element from the queue closes it.
 */
export class BufferConsumerWithPartialRecordLength {
  constructor(
    readonly bufferConsumer: BufferConsumer,
    readonly partialRecordLength: number,
  ) {}

  getBufferConsumer(): BufferConsumer {
    return this.bufferConsumer;
  }

  getPartialRecordLength(): number {
    return this.partialRecordLength;
  }

  /** `bufferConsumer.build()`: the committed, unread bytes as a retained slice. */
  build(): Buffer {
    return this.bufferConsumer.build();
  }
}
