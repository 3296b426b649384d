import { tmpdir } from 'node:os';
import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';
import type { Buffer } from '../../memory/Buffer';
import { DataType } from '../../memory/DataType';
import { FreeingBufferRecycler } from '../../memory/FreeingBufferRecycler';
import { MemorySegmentFactory } from '../../memory/MemorySegmentFactory';
import { NetworkBuffer } from '../../memory/NetworkBuffer';
import { BrokenSerializationException, CorruptRecordLengthException, EndOfInputException } from '../errors';
import { DeserializationResult } from './DeserializationResult';
import type { TypeSerializer } from '../typeutils/TypeSerializer';
import type { IOReadableWritable } from './IOReadableWritable';
import { NonSpanningWrapper } from './NonSpanningWrapper';
import type { RecordDeserializer } from './RecordDeserializer';
import { SpanningWrapper } from './SpanningWrapper';

/** Flink's DEFAULT_THRESHOLD_FOR_SPILLING: 5 MiB. */
export const DEFAULT_THRESHOLD_FOR_SPILLING = 5 * 1024 * 1024;
/** Flink's DEFAULT_FILE_BUFFER_SIZE: 2 MiB. */
export const DEFAULT_FILE_BUFFER_SIZE = 2 * 1024 * 1024;

/** Options of {@link SpillingAdaptiveSpanningRecordDeserializer}. */
export interface SpillingAdaptiveSpanningRecordDeserializerOptions {
  /** Names the input channel in error messages (default 'input channel'). */
  channel?: string;
  /** Directories for spill files, used round robin (default: `[os.tmpdir()]`). */
  tmpDirectories?: readonly string[];
  /** Records longer than this many bytes are spilled to a temporary file (default 5 MiB; Flink's minimum 100 KiB is not enforced, for tests). */
  thresholdForSpilling?: number;
  /** Read buffer for spilled records, bytes (default 2 MiB). */
  fileBufferSize?: number;
}

/**
 * Port of org.apache.flink.runtime.io.network.api.serialization.SpillingAdaptiveSpanningRecordDeserializer
 * (Flink 1.20). Differs: every record is read through a view limited to its bytes — a serializer reading
 * past (or short of) its record raises `BrokenSerializationException`, a negative length prefix
 * `CorruptRecordLengthException`, both naming the channel; the spill file is written and read with
 * synchronous node:fs; `getUnconsumedBuffer()` returns one buffer (or null); `setNextBuffer` refuses a
 * buffer while the previous one is not consumed.
 *
 * Turns one input channel's data buffers back into records (reference §6). Records are framed as a
 * 4-byte big-endian length plus the bytes, packed back to back, and may span any number of buffers:
 * 1. a record entirely inside the current buffer is read in place (no copy);
 * 2. if only 1–3 bytes are left, they start the next record's length prefix;
 * 3. a record that continues in the next buffer(s) is gathered by the spanning wrapper — in memory, or in
 *    a temporary file when its length exceeds the spill threshold; the file is deleted as soon as the
 *    record was read (or on {@link clear}).
 * A result that says "buffer consumed" means the buffer was recycled: pass the next one.
 *
 * ## Threading
 * One reader; synchronous (the spill file uses blocking `fs` calls — only for records above the
 * threshold, as Flink's task thread does).
 *
 * ## Ownership
 * `setNextBuffer` takes over the caller's reference; the buffer is recycled when consumed or on `clear()`.
 * A buffer refused by `setNextBuffer` (previous one not consumed) stays the caller's.
 *
 * ## Pitfalls
 * Call {@link clear} when the channel goes away: it recycles the current buffer and deletes a spill file.
 *
 * @example
 * const deserializer = new SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<number>>({ channel: 'channel 3' });
 * const delegate = new DeserializationDelegate(LongSerializer.INSTANCE);
 * deserializer.setNextBuffer(buffer);
 * for (;;) {
 *   const result = deserializer.getNextRecord(delegate);
 *   if (result.isFullRecord()) out.push(delegate.getInstance());
 *   if (result.isBufferConsumed()) break;
 * }
 */
export class SpillingAdaptiveSpanningRecordDeserializer<T extends IOReadableWritable> implements RecordDeserializer<T> {
  private readonly nonSpanningWrapper: NonSpanningWrapper;
  private readonly spanningWrapper: SpanningWrapper;
  private readonly channel: string;
  private currentBuffer: Buffer | null = null;

  constructor(options: SpillingAdaptiveSpanningRecordDeserializerOptions = {}) {
    const threshold = options.thresholdForSpilling ?? DEFAULT_THRESHOLD_FOR_SPILLING;
    const fileBufferSize = options.fileBufferSize ?? DEFAULT_FILE_BUFFER_SIZE;
    if (!Number.isSafeInteger(threshold) || threshold < 0) throw new IllegalArgumentException(`thresholdForSpilling: ${threshold} (expected: >= 0)`);
    if (!Number.isSafeInteger(fileBufferSize) || fileBufferSize < 1) throw new IllegalArgumentException(`fileBufferSize: ${fileBufferSize} (expected: >= 1)`);
    const tmpDirectories = options.tmpDirectories ?? [tmpdir()];
    if (tmpDirectories.length === 0) throw new IllegalArgumentException('tmpDirectories must not be empty');
    this.channel = options.channel ?? 'input channel';
    this.nonSpanningWrapper = new NonSpanningWrapper(this.channel);
    this.spanningWrapper = new SpanningWrapper(this.channel, { tmpDirectories, thresholdForSpilling: threshold, fileBufferSize });
  }

  setNextBuffer(buffer: Buffer): void {
    if (this.currentBuffer !== null) {
      throw new IllegalStateException(`${this.channel}: setNextBuffer() before the previous buffer was consumed`);
    }
    this.currentBuffer = buffer;
    const offset = buffer.getMemorySegmentOffset();
    const segment = buffer.getMemorySegment();
    const numBytes = buffer.getSize();
    // A spanning record in progress gets the new bytes; otherwise read them in place.
    if (this.spanningWrapper.getNumGatheredBytes() > 0) {
      this.spanningWrapper.addNextChunk(segment.getArray(), segment.getDataView(), offset, numBytes);
    } else {
      this.nonSpanningWrapper.initialize(segment.getArray(), segment.getDataView(), offset, offset + numBytes);
    }
  }

  /**
   * Fast path for fixed-length records (RecordReader's, the reading twin of RecordWriter's): the next
   * record if it lies wholly in the current buffer with the length prefix `recordLength`, read with
   * `serializer.readFixed`; else `undefined` and nothing consumed — call {@link getNextRecord}, which also
   * recycles the buffer once it is consumed (this method never does).
   */
  tryReadFixedLengthRecord<R>(serializer: TypeSerializer<R>, recordLength: number): R | undefined {
    return this.nonSpanningWrapper.tryReadFixed(serializer, recordLength);
  }

  /**
   * The object behind {@link tryReadFixedLengthRecord}, for a reader that calls it per record: one
   * indirection less on the hottest path of the consumer. Its `tryReadFixed` has the same contract (it
   * never recycles; while a record spans buffers it has nothing and returns `undefined`).
   */
  getFixedLengthRecordSource(): NonSpanningWrapper {
    return this.nonSpanningWrapper;
  }

  getNextRecord(target: T): DeserializationResult {
    // Check the non-spanning wrapper first: the common case for small records.
    const result = this.readNextRecord(target);
    if (result.isBufferConsumed()) {
      const buffer = this.currentBuffer;
      this.currentBuffer = null;
      if (buffer !== null) buffer.recycleBuffer();
    }
    return result;
  }

  private readNextRecord(target: T): DeserializationResult {
    const nonSpanning = this.nonSpanningWrapper;
    if (nonSpanning.hasCompleteLength()) {
      const recordLength = nonSpanning.readInt();
      if (recordLength < 0) throw new CorruptRecordLengthException(this.channel, recordLength);
      if (nonSpanning.canReadRecord(recordLength)) return nonSpanning.readInto(target, recordLength);
      this.spanningWrapper.transferFrom(nonSpanning, recordLength);
      return DeserializationResult.PARTIAL_RECORD;
    }
    if (nonSpanning.hasRemaining()) {
      this.spanningWrapper.transferLengthFrom(nonSpanning);
      return DeserializationResult.PARTIAL_RECORD;
    }
    const spanning = this.spanningWrapper;
    if (spanning.hasFullRecord()) {
      this.readSpanningRecord(target);
      spanning.transferLeftOverTo(nonSpanning);
      return nonSpanning.hasRemaining() ? DeserializationResult.INTERMEDIATE_RECORD_FROM_BUFFER : DeserializationResult.LAST_RECORD_FROM_BUFFER;
    }
    return DeserializationResult.PARTIAL_RECORD;
  }

  private readSpanningRecord(target: T): void {
    const spanning = this.spanningWrapper;
    const recordLength = spanning.getRecordLength();
    const input = spanning.getInputView();
    try {
      target.read(input);
    } catch (err) {
      if (err instanceof EndOfInputException) throw new BrokenSerializationException(this.channel, recordLength, -1, err);
      throw err;
    }
    const left = input.available();
    if (left !== 0) throw new BrokenSerializationException(this.channel, recordLength, recordLength - left);
  }

  getUnconsumedBuffer(): Buffer | null {
    const bytes = this.nonSpanningWrapper.hasRemaining() ? this.nonSpanningWrapper.copyRemaining() : this.spanningWrapper.getUnconsumedBytes();
    if (bytes === null) return null;
    return new NetworkBuffer(MemorySegmentFactory.wrap(bytes), FreeingBufferRecycler.INSTANCE, DataType.DATA_BUFFER, bytes.length);
  }

  /** True if a record spanning buffers is being gathered (tests, metrics). */
  hasPartialRecord(): boolean {
    return this.spanningWrapper.getNumGatheredBytes() > 0;
  }

  /** The spill file of the record being gathered, if it is spilled (tests). */
  getSpillFile(): string | null {
    return this.spanningWrapper.getSpillFile();
  }

  clear(): void {
    const buffer = this.currentBuffer;
    this.currentBuffer = null;
    if (buffer !== null && !buffer.isRecycled()) buffer.recycleBuffer();
    this.nonSpanningWrapper.clear();
    this.spanningWrapper.clear();
  }
}
