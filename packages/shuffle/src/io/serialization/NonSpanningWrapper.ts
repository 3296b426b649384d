import { Buffer as NodeBuffer } from 'node:buffer';
import { DataInputDeserializer } from '../DataInputDeserializer';
import { BrokenSerializationException, EndOfInputException } from '../errors';
import { DeserializationResult } from './DeserializationResult';
import type { TypeSerializer } from '../typeutils/TypeSerializer';
import type { IOReadableWritable } from './IOReadableWritable';

const EMPTY = NodeBuffer.alloc(0);
const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

/**
 * Port of org.apache.flink.runtime.io.network.api.serialization.NonSpanningWrapper (Flink 1.20). Differs:
 * each record is read through a {@link DataInputDeserializer} limited to the record's bytes, so a
 * serializer that reads past (or short of) its record fails with `BrokenSerializationException` instead
 * of corrupting the next record.
 *
 * Reads records that lie entirely inside the current network buffer, in place (zero copy).
 *
 * @internal Used by SpillingAdaptiveSpanningRecordDeserializer only.
 */
export class NonSpanningWrapper {
  private memory: NodeBuffer = EMPTY;
  private view: DataView = EMPTY_VIEW;
  private position = 0;
  private limit = 0;
  private readonly input = new DataInputDeserializer();

  constructor(private readonly channel: string) {}

  /** Reads `[offset, limit)` of a segment's memory (`view` covers the same bytes as `memory`). */
  initialize(memory: NodeBuffer, view: DataView, offset: number, limit: number): void {
    this.memory = memory;
    this.view = view;
    this.position = offset;
    this.limit = limit;
    this.input.setSegment(memory, view, offset, limit);
  }

  clear(): void {
    this.memory = EMPTY;
    this.view = EMPTY_VIEW;
    this.position = 0;
    this.limit = 0;
    this.input.releaseArrays();
  }

  remaining(): number {
    return this.limit - this.position;
  }

  hasRemaining(): boolean {
    return this.position < this.limit;
  }

  hasCompleteLength(): boolean {
    return this.limit - this.position >= 4;
  }

  /** The next 4-byte big-endian int (the caller checked {@link hasCompleteLength}). */
  readInt(): number {
    const value = this.view.getInt32(this.position);
    this.position += 4;
    return value;
  }

  /**
   * Fast path: if the next record lies wholly in this buffer and its length prefix is `recordLength`,
   * reads it with `serializer.readFixed` and consumes it; otherwise (or if that returns `undefined`)
   * consumes nothing and returns `undefined`, leaving the record to {@link readInto}.
   */
  tryReadFixed<T>(serializer: TypeSerializer<T>, recordLength: number): T | undefined {
    const position = this.position;
    if (this.limit - position < recordLength + 4 || this.view.getInt32(position) !== recordLength) return undefined;
    const value = serializer.readFixed!(this.view, position + 4);
    if (value !== undefined) this.position = position + 4 + recordLength;
    return value;
  }

  canReadRecord(recordLength: number): boolean {
    return recordLength <= this.limit - this.position;
  }

  /** Deserializes the `recordLength` bytes at the position into `target`. */
  readInto(target: IOReadableWritable, recordLength: number): DeserializationResult {
    const start = this.position;
    const end = start + recordLength;
    const input = this.input;
    input.setPosition(start);
    input.setLimit(end);
    try {
      target.read(input);
    } catch (err) {
      if (err instanceof EndOfInputException) throw new BrokenSerializationException(this.channel, recordLength, -1, err);
      throw err;
    }
    if (input.getPosition() !== end) throw new BrokenSerializationException(this.channel, recordLength, input.getPosition() - start);
    this.position = end;
    return end < this.limit ? DeserializationResult.INTERMEDIATE_RECORD_FROM_BUFFER : DeserializationResult.LAST_RECORD_FROM_BUFFER;
  }

  /** Copies the remaining bytes into `target` at `offset`, consumes them, and returns how many. */
  transferTo(target: Uint8Array, offset: number): number {
    const n = this.limit - this.position;
    this.memory.copy(target, offset, this.position, this.limit);
    this.position = this.limit;
    return n;
  }

  /** The remaining bytes as a view (no copy) — valid while the buffer is. */
  remainingView(): NodeBuffer {
    return this.memory.subarray(this.position, this.limit);
  }

  /** A copy of the remaining bytes (unaligned checkpoints), or null if none. */
  copyRemaining(): NodeBuffer | null {
    if (this.position >= this.limit) return null;
    return NodeBuffer.from(this.memory.subarray(this.position, this.limit));
  }
}
