import { Buffer as NodeBuffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UnsupportedOperationException } from '@sluice/channel';
import { DataInputDeserializer } from '../DataInputDeserializer';
import type { DataInputView } from '../DataInputView';
import { CorruptRecordLengthException, RecordSpillingException } from '../errors';
import type { NonSpanningWrapper } from './NonSpanningWrapper';
import { SpillFileInputView } from './SpillFileInputView';

const LENGTH_BYTES = 4;
const INITIAL_BUFFER_SIZE = 1024;

/** Where SpanningWrapper spills and how. */
export interface SpillingOptions {
  /** Directories for spill files, used round robin (default: `os.tmpdir()`). */
  tmpDirectories: readonly string[];
  /** Records longer than this many bytes are spilled to a file. */
  thresholdForSpilling: number;
  /** Read buffer size for spilled records in bytes. */
  fileBufferSize: number;
}

/**
 * Port of org.apache.flink.runtime.io.network.api.serialization.SpanningWrapper (Flink 1.20). Differs:
 * synchronous node:fs for the spill file (write as chunks arrive, read back through
 * {@link SpillFileInputView}); a negative length raises `CorruptRecordLengthException`.
 *
 * Gathers a record that spans buffers: first the (possibly split) 4-byte length, then the record bytes in
 * a growing in-memory array — or, above the spill threshold, in a temporary file deleted by
 * {@link clear}. Bytes of the last chunk beyond the record are kept as "left over" and handed back to the
 * non-spanning wrapper.
 *
 * @internal Used by SpillingAdaptiveSpanningRecordDeserializer only.
 */
export class SpanningWrapper {
  private readonly lengthBuffer = NodeBuffer.alloc(LENGTH_BYTES);
  private lengthPosition = 0;
  private buffer: NodeBuffer = NodeBuffer.alloc(INITIAL_BUFFER_SIZE);
  private recordLength = -1;
  private accumulatedRecordBytes = 0;
  private leftOverMemory: NodeBuffer | null = null;
  private leftOverView: DataView | null = null;
  private leftOverStart = 0;
  private leftOverLimit = 0;
  private spillFd = -1;
  private spillFile: string | null = null;
  private spillDirectoryIndex = 0;
  private readonly serializationReadBuffer = new DataInputDeserializer();

  constructor(
    private readonly channel: string,
    private readonly options: SpillingOptions,
  ) {}

  /** Starts a spanning record whose length is known, with the bytes left in `partial`. */
  transferFrom(partial: NonSpanningWrapper, nextRecordLength: number): void {
    this.updateLength(nextRecordLength);
    const bytes = partial.remainingView();
    this.copyFrom(bytes, 0, bytes.length);
    partial.clear();
  }

  /** Starts a record whose length prefix itself is split: keeps the 1–3 bytes of `partial`. */
  transferLengthFrom(partial: NonSpanningWrapper): void {
    this.lengthPosition += partial.transferTo(this.lengthBuffer, this.lengthPosition);
  }

  /** Adds the next buffer's bytes `[offset, offset + numBytes)`. */
  addNextChunk(memory: NodeBuffer, view: DataView, offset: number, numBytes: number): void {
    const limit = offset + numBytes;
    const lengthBytesRead = this.isReadingLength() ? this.readLength(memory, offset, numBytes) : 0;
    offset += lengthBytesRead;
    numBytes -= lengthBytesRead;
    if (numBytes === 0) return;
    const toCopy = Math.min(this.recordLength - this.accumulatedRecordBytes, numBytes);
    if (toCopy > 0) this.copyFrom(memory, offset, toCopy);
    if (numBytes > toCopy) {
      this.leftOverMemory = memory;
      this.leftOverView = view;
      this.leftOverStart = offset + toCopy;
      this.leftOverLimit = limit;
    }
  }

  private readLength(memory: NodeBuffer, offset: number, numBytes: number): number {
    const n = Math.min(LENGTH_BYTES - this.lengthPosition, numBytes);
    memory.copy(this.lengthBuffer, this.lengthPosition, offset, offset + n);
    this.lengthPosition += n;
    if (this.lengthPosition === LENGTH_BYTES) this.updateLength(this.lengthBuffer.readInt32BE(0));
    return n;
  }

  private updateLength(length: number): void {
    if (length < 0) throw new CorruptRecordLengthException(this.channel, length);
    this.lengthPosition = 0;
    this.recordLength = length;
    if (this.isAboveSpillingThreshold()) this.createSpillingChannel();
    else this.ensureBufferCapacity(length);
  }

  private isAboveSpillingThreshold(): boolean {
    return this.recordLength > this.options.thresholdForSpilling;
  }

  private ensureBufferCapacity(minLength: number): void {
    if (this.buffer.length < minLength) {
      const next = NodeBuffer.allocUnsafe(Math.max(minLength, this.buffer.length * 2));
      this.buffer.copy(next, 0, 0, this.accumulatedRecordBytes);
      this.buffer = next;
    }
  }

  private copyFrom(source: NodeBuffer, offset: number, length: number): void {
    if (this.spillFd >= 0) {
      try {
        let done = 0;
        while (done < length) done += writeSync(this.spillFd, source, offset + done, length - done, this.accumulatedRecordBytes + done);
      } catch (err) {
        throw new RecordSpillingException(this.channel, this.spillFile ?? '?', err);
      }
    } else {
      source.copy(this.buffer, this.accumulatedRecordBytes, offset, offset + length);
    }
    this.accumulatedRecordBytes += length;
  }

  private createSpillingChannel(): void {
    const dirs = this.options.tmpDirectories;
    const dir = dirs[this.spillDirectoryIndex++ % dirs.length]!;
    const file = join(dir, `sluice-${randomBytes(10).toString('hex')}.inputchannel`);
    try {
      this.spillFd = openSync(file, 'wx+', 0o600);
    } catch (err) {
      throw new RecordSpillingException(this.channel, file, err);
    }
    this.spillFile = file;
  }

  /** True while the length prefix is incomplete (1–3 bytes gathered). */
  isReadingLength(): boolean {
    return this.lengthPosition > 0;
  }

  /** Bytes gathered so far (length prefix included); > 0 means a spanning record is in progress. */
  getNumGatheredBytes(): number {
    return this.accumulatedRecordBytes + (this.recordLength >= 0 ? LENGTH_BYTES : 0) + this.lengthPosition;
  }

  hasFullRecord(): boolean {
    return this.recordLength >= 0 && this.accumulatedRecordBytes >= this.recordLength;
  }

  getRecordLength(): number {
    return this.recordLength;
  }

  /** True if the current record lives in a spill file. */
  isSpilling(): boolean {
    return this.spillFd >= 0;
  }

  /** The spill file of the current record, if any (tests). */
  getSpillFile(): string | null {
    return this.spillFile;
  }

  /** A view over exactly the gathered record (call after {@link hasFullRecord}). */
  getInputView(): DataInputView {
    if (this.spillFd >= 0) return new SpillFileInputView(this.spillFd, this.recordLength, this.options.fileBufferSize);
    this.serializationReadBuffer.setBuffer(this.buffer, 0, this.recordLength);
    return this.serializationReadBuffer;
  }

  /** Hands the bytes after the record back to `nonSpanning` and resets this wrapper. */
  transferLeftOverTo(nonSpanning: NonSpanningWrapper): void {
    nonSpanning.clear();
    if (this.leftOverMemory !== null) nonSpanning.initialize(this.leftOverMemory, this.leftOverView!, this.leftOverStart, this.leftOverLimit);
    this.clear();
  }

  /** A copy of the gathered, unconsumed bytes (length prefix, record bytes, left over), or null. */
  getUnconsumedBytes(): NodeBuffer | null {
    if (this.isReadingLength()) return NodeBuffer.from(this.lengthBuffer.subarray(0, this.lengthPosition));
    if (this.spillFd >= 0) throw new UnsupportedOperationException('Unaligned checkpoint currently do not support spilled records.');
    if (this.recordLength === -1) return null;
    const leftOver = this.leftOverMemory === null ? 0 : this.leftOverLimit - this.leftOverStart;
    const out = NodeBuffer.allocUnsafe(LENGTH_BYTES + this.accumulatedRecordBytes + leftOver);
    out.writeInt32BE(this.recordLength, 0);
    this.buffer.copy(out, LENGTH_BYTES, 0, this.accumulatedRecordBytes);
    if (this.leftOverMemory !== null) this.leftOverMemory.copy(out, LENGTH_BYTES + this.accumulatedRecordBytes, this.leftOverStart, this.leftOverLimit);
    return out;
  }

  /** Forgets the current record; closes and deletes its spill file. */
  clear(): void {
    this.lengthPosition = 0;
    this.recordLength = -1;
    this.accumulatedRecordBytes = 0;
    this.leftOverMemory = null;
    this.leftOverView = null;
    this.leftOverStart = 0;
    this.leftOverLimit = 0;
    this.serializationReadBuffer.releaseArrays();
    if (this.spillFd >= 0) {
      const fd = this.spillFd;
      const file = this.spillFile!;
      this.spillFd = -1;
      this.spillFile = null;
      try {
        closeSync(fd);
      } finally {
        unlinkSync(file);
      }
    }
  }
}
