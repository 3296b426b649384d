import { Buffer as NodeBuffer } from 'node:buffer';
import { IndexOutOfBoundsException } from '@sluice/channel';
import type { DataInputView } from './DataInputView';
import { EndOfInputException } from './errors';
import { getLongNumber } from './LongBits';

const EMPTY = NodeBuffer.alloc(0);
const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

/**
 * Port of org.apache.flink.core.memory.DataInputDeserializer (Flink 1.20). Differs: reads a Node
 * `Buffer` region through a `DataView`; {@link setSegment} reuses a caller's cached `DataView` (the
 * record deserializer passes the memory segment's, so switching buffers allocates nothing); the readable
 * end can be narrowed to one record ({@link setLimit}) so that a serializer reading past its record fails
 * instead of reading the next one.
 *
 * A big-endian {@link DataInputView} over `[position, end)` of a byte array.
 *
 * ## Threading
 * Not synchronised; one reader.
 *
 * ## Ownership
 * Holds views of the caller's memory, never copies: do not read after that memory was recycled.
 *
 * @example
 * const input = new DataInputDeserializer();
 * input.setBuffer(bytes);
 * const n = input.readInt();
 */
export class DataInputDeserializer implements DataInputView {
  private memory: NodeBuffer = EMPTY;
  private view: DataView = EMPTY_VIEW;
  private position = 0;
  private end = 0;

  /** @param bytes optional initial content (all of it) */
  constructor(bytes?: Uint8Array) {
    if (bytes !== undefined) this.setBuffer(bytes);
  }

  /** Reads `bytes[start, start + length)` (defaults: all). Allocates a `DataView` when the array changes. */
  setBuffer(bytes: Uint8Array, start = 0, length: number = bytes.length - start): void {
    if ((start >>> 0) !== start || (length >>> 0) !== length || start > bytes.length - length) {
      throw new IndexOutOfBoundsException(`start: ${start}, length: ${length} (expected: range(0, ${bytes.length}))`);
    }
    if (bytes !== this.memory) {
      this.memory = NodeBuffer.isBuffer(bytes) ? bytes : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.position = start;
    this.end = start + length;
  }

  /**
   * Reads `[start, end)` of `memory` through `view`, which must cover the same bytes as `memory` (index 0 =
   * `memory[0]`), e.g. a memory segment's `getArray()` and `getDataView()`. No allocation.
   */
  setSegment(memory: NodeBuffer, view: DataView, start: number, end: number): void {
    this.memory = memory;
    this.view = view;
    this.position = start;
    this.end = end;
  }

  /** Drops the memory reference. */
  releaseArrays(): void {
    this.memory = EMPTY;
    this.view = EMPTY_VIEW;
    this.position = 0;
    this.end = 0;
  }

  /** The read position (index into the array). */
  getPosition(): number {
    return this.position;
  }

  /** Moves the read position (within the array). */
  setPosition(position: number): void {
    this.position = position;
  }

  /** The exclusive end of the readable region. */
  getLimit(): number {
    return this.end;
  }

  /** Sets the exclusive end of the readable region (≤ the array length). */
  setLimit(end: number): void {
    this.end = end;
  }

  /** The array read from. */
  getMemory(): NodeBuffer {
    return this.memory;
  }

  available(): number {
    return this.end - this.position;
  }

  private fail(needed: number): never {
    throw new EndOfInputException(needed, this.end - this.position);
  }

  readBoolean(): boolean {
    if (this.position >= this.end) this.fail(1);
    return this.memory[this.position++] !== 0;
  }

  readByte(): number {
    if (this.position >= this.end) this.fail(1);
    return (this.memory[this.position++]! << 24) >> 24;
  }

  readUnsignedByte(): number {
    if (this.position >= this.end) this.fail(1);
    return this.memory[this.position++]!;
  }

  readShort(): number {
    const p = this.position;
    if (p > this.end - 2) this.fail(2);
    this.position = p + 2;
    return this.view.getInt16(p);
  }

  readUnsignedShort(): number {
    const p = this.position;
    if (p > this.end - 2) this.fail(2);
    this.position = p + 2;
    return this.view.getUint16(p);
  }

  readChar(): number {
    return this.readUnsignedShort();
  }

  readInt(): number {
    const p = this.position;
    if (p > this.end - 4) this.fail(4);
    this.position = p + 4;
    return this.view.getInt32(p);
  }

  readLong(): bigint {
    const p = this.position;
    if (p > this.end - 8) this.fail(8);
    this.position = p + 8;
    return this.view.getBigInt64(p);
  }

  readLongNumber(): number {
    const p = this.position;
    if (p > this.end - 8) this.fail(8);
    const value = getLongNumber(this.view, p);
    this.position = p + 8;
    return value;
  }

  readFloat(): number {
    const p = this.position;
    if (p > this.end - 4) this.fail(4);
    this.position = p + 4;
    return this.view.getFloat32(p);
  }

  readDouble(): number {
    const p = this.position;
    if (p > this.end - 8) this.fail(8);
    this.position = p + 8;
    return this.view.getFloat64(p);
  }

  readFully(target: Uint8Array, offset = 0, length: number = target.length - offset): void {
    if ((offset >>> 0) !== offset || (length >>> 0) !== length || offset > target.length - length) {
      throw new IndexOutOfBoundsException(`offset: ${offset}, length: ${length} (expected: range(0, ${target.length}))`);
    }
    const p = this.position;
    if (p > this.end - length) this.fail(length);
    this.memory.copy(target, offset, p, p + length);
    this.position = p + length;
  }

  /** Reads an int byte length followed by that many UTF-8 bytes (see DataOutputSerializer.writeUtf8). */
  readUtf8(): string {
    const length = this.readInt();
    const p = this.position;
    if (length < 0 || p > this.end - length) this.fail(length);
    this.position = p + length;
    return this.memory.toString('utf8', p, p + length);
  }

  skipBytesToRead(numBytes: number): void {
    if (numBytes < 0 || this.position > this.end - numBytes) this.fail(numBytes);
    this.position += numBytes;
  }

  toString(): string {
    return `DataInputDeserializer(position: ${this.position}, end: ${this.end})`;
  }
}
