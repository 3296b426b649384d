import { IllegalStateException, SluiceError } from '@sluice/channel';

/**
 * A read went past the end of a {@link DataInputView}'s bytes (Java's `EOFException`). Inside a record
 * deserializer this means the serializer read more than the record had; the deserializer rethrows it as
 * {@link BrokenSerializationException}.
 */
export class EndOfInputException extends SluiceError {
  /** Bytes the read needed. */
  readonly needed: number;
  /** Bytes that were left. */
  readonly remaining: number;

  constructor(needed: number, remaining: number) {
    super(`End of input: a read of ${needed} byte(s) found only ${remaining} byte(s) left`, { code: 'SLUICE_END_OF_INPUT' });
    this.needed = needed;
    this.remaining = remaining;
  }
}

/** Base class of the errors a record deserializer raises; names the input channel it reads. */
export class RecordDeserializationException extends SluiceError {
  /** Description of the input channel (as given to the deserializer). */
  readonly channel: string;

  constructor(message: string, channel: string, options: { code: string; cause?: unknown }) {
    super(message, options);
    this.channel = channel;
  }
}

/**
 * A record's 4-byte length prefix is impossible (negative): the byte stream of the channel is corrupt or
 * was not written by a RecordWriter.
 */
export class CorruptRecordLengthException extends RecordDeserializationException {
  /** The length read. */
  readonly length: number;

  constructor(channel: string, length: number) {
    super(
      `Corrupt record length ${length} on ${channel}: the 4-byte big-endian length prefix must be >= 0. ` +
        'The stream is corrupt or the producer does not frame records as RecordWriter does.',
      channel,
      { code: 'SLUICE_CORRUPT_RECORD_LENGTH' },
    );
    this.length = length;
  }
}

/**
 * The record serializer consumed more (or fewer) bytes than the record had — Flink's "Serializer consumed
 * more bytes than the record had. This indicates broken serialization." The reader and writer disagree on
 * the type (or the serializer is buggy).
 */
export class BrokenSerializationException extends RecordDeserializationException {
  /** The record's length from its prefix. */
  readonly recordLength: number;
  /** Bytes the serializer consumed (−1 if it tried to read past the end). */
  readonly consumed: number;

  constructor(channel: string, recordLength: number, consumed: number, cause?: unknown) {
    super(
      consumed < 0
        ? `Serializer consumed more bytes than the record had (record length ${recordLength}) on ${channel}. ` +
            'This indicates broken serialization: check that producer and consumer use the same serializer.'
        : `Serializer consumed ${consumed} of the ${recordLength} bytes of the record on ${channel}. ` +
            'This indicates broken serialization: check that producer and consumer use the same serializer.',
      channel,
      { code: 'SLUICE_BROKEN_SERIALIZATION', cause },
    );
    this.recordLength = recordLength;
    this.consumed = consumed;
  }
}

/** Spilling a large record to (or reading it back from) its temporary file failed. */
export class RecordSpillingException extends RecordDeserializationException {
  /** The spill file. */
  readonly file: string;

  constructor(channel: string, file: string, cause: unknown) {
    super(`Spilling a large record of ${channel} to ${file} failed: ${String(cause)}`, channel, { code: 'SLUICE_RECORD_SPILLING_FAILED', cause });
    this.file = file;
  }
}

/**
 * A record writer (or a result partition) was asked to write while it still holds the unwritten
 * remainder of a record because no buffer was available. Await `getAvailableFuture()` before emitting
 * again (see RecordWriter's non-blocking contract).
 */
export class WriterNotAvailableException extends IllegalStateException {
  constructor(what: string) {
    super(
      `${what} is back-pressured: the previous record has not been written completely for lack of buffers. ` +
        'Await getAvailableFuture() (or check isAvailable()) before emitting more.',
      { code: 'SLUICE_WRITER_NOT_AVAILABLE' },
    );
  }
}

/** The periodic output flusher of a RecordWriter failed; surfaced on the next emit (Flink's OutputFlusher). */
export class OutputFlusherException extends SluiceError {
  constructor(cause: unknown) {
    super(`An exception happened while flushing the outputs: ${String(cause)}`, { code: 'SLUICE_OUTPUT_FLUSHER_FAILED', cause });
  }
}
