import { Buffer as NodeBuffer } from 'node:buffer';
import { IllegalArgumentException, IndexOutOfBoundsException } from '@sluice/channel';
import type { DataInputView } from './DataInputView';
import type { DataOutputView } from './DataOutputView';
import { setLongNumber } from './LongBits';

/** Flink's `PRUNE_BUFFER_THRESHOLD`: a serializer grown beyond this is reset by {@link DataOutputSerializer.pruneBuffer}. */
const PRUNE_BUFFER_THRESHOLD = 5 * 1024 * 1024;

/**
 * Port of org.apache.flink.core.memory.DataOutputSerializer (Flink 1.20). Differs: backed by a Node
 * `Buffer` with a cached `DataView`; `wrapAsByteBuffer()` becomes {@link asUint8Array} (a view, no copy);
 * longs as `bigint` or safe-integer numbers (see {@link DataOutputView}); strings via {@link writeUtf8}.
 *
 * A growable big-endian output: the record writer serializes each record here (length prefix first) and
 * hands the bytes to the result partition. Grows by doubling (at least to what a write needs).
 *
 * ## Threading
 * Not synchronised; one writer.
 *
 * ## Ownership
 * Views from {@link getSharedBuffer}/{@link asUint8Array} alias the internal array: they are valid until the
 * next write that grows it, {@link clear} + writes, or {@link pruneBuffer}.
 *
 * @example
 * const out = new DataOutputSerializer(128);
 * out.skipBytesToWrite(4);              // room for the length prefix
 * out.writeLongNumber(42);
 * out.writeIntUnsafe(out.length() - 4, 0);
 * partition.emitRecord(out.getSharedBuffer(), 0, out.length());
 */
export class DataOutputSerializer implements DataOutputView {
  private readonly startBuffer: NodeBuffer;
  private readonly startView: DataView;
  private buffer: NodeBuffer;
  private view: DataView;
  private position = 0;

  /** @param startSize initial capacity in bytes (> 0; RecordWriter uses 128) */
  constructor(startSize: number) {
    if (!Number.isSafeInteger(startSize) || startSize < 1) throw new IllegalArgumentException(`startSize: ${startSize} (expected: >= 1)`);
    this.startBuffer = NodeBuffer.alloc(startSize);
    this.startView = new DataView(this.startBuffer.buffer, this.startBuffer.byteOffset, startSize);
    this.buffer = this.startBuffer;
    this.view = this.startView;
  }

  /** Bytes written (the position). */
  length(): number {
    return this.position;
  }

  /** Resets the position to 0 (keeps the capacity). */
  clear(): void {
    this.position = 0;
  }

  /** The internal array (index 0 = first byte written); valid bytes are `[0, length())`. No copy. */
  getSharedBuffer(): NodeBuffer {
    return this.buffer;
  }

  /** A view of the written bytes `[0, length())` (allocates the view object, not the bytes). */
  asUint8Array(): NodeBuffer {
    return this.buffer.subarray(0, this.position);
  }

  /** A copy of the written bytes. */
  getCopyOfBuffer(): NodeBuffer {
    return NodeBuffer.from(this.buffer.subarray(0, this.position));
  }

  /** Goes back to the initial array if the buffer grew beyond 5 MiB (Flink's `pruneBuffer`). */
  pruneBuffer(): void {
    if (this.buffer.length > PRUNE_BUFFER_THRESHOLD) {
      this.buffer = this.startBuffer;
      this.view = this.startView;
    }
  }

  /** Current capacity in bytes. */
  capacity(): number {
    return this.buffer.length;
  }

  /** Moves the position (within the capacity); bytes between are unspecified. */
  setPositionUnsafe(position: number): void {
    if ((position >>> 0) !== position || position > this.buffer.length) {
      throw new IndexOutOfBoundsException(`position: ${position} (expected: 0-${this.buffer.length})`);
    }
    this.position = position;
  }

  /** Writes `value` at `position` without moving the position (e.g. to patch the length prefix). */
  writeIntUnsafe(value: number, position: number): void {
    this.view.setInt32(position, value);
  }

  private ensure(bytes: number): void {
    if (this.position > this.buffer.length - bytes) this.resize(bytes);
  }

  private resize(minCapacityAdd: number): void {
    const needed = this.position + minCapacityAdd;
    let newLength = Math.max(this.buffer.length * 2, needed);
    if (newLength > 0x7fffffff) newLength = Math.max(needed, 0x7fffffff - 8);
    if (needed > 0x7fffffff) {
      throw new IllegalArgumentException(`Serialized record too large: ${needed} bytes exceed the 2 GiB limit of one record`);
    }
    const next = NodeBuffer.allocUnsafe(newLength);
    this.buffer.copy(next, 0, 0, this.position);
    this.buffer = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }

  writeBoolean(value: boolean): void {
    this.ensure(1);
    this.buffer[this.position++] = value ? 1 : 0;
  }

  writeByte(value: number): void {
    this.ensure(1);
    this.buffer[this.position++] = value & 0xff;
  }

  writeShort(value: number): void {
    this.ensure(2);
    this.view.setInt16(this.position, value);
    this.position += 2;
  }

  writeChar(value: number): void {
    this.ensure(2);
    this.view.setUint16(this.position, value);
    this.position += 2;
  }

  writeInt(value: number): void {
    this.ensure(4);
    this.view.setInt32(this.position, value);
    this.position += 4;
  }

  writeLong(value: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.position, BigInt.asIntN(64, value));
    this.position += 8;
  }

  writeLongNumber(value: number): void {
    this.ensure(8);
    setLongNumber(this.view, this.position, value);
    this.position += 8;
  }

  writeFloat(value: number): void {
    this.ensure(4);
    this.view.setFloat32(this.position, value);
    this.position += 4;
  }

  writeDouble(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.position, value);
    this.position += 8;
  }

  write(source: Uint8Array, offset = 0, length: number = source.length - offset): void {
    if ((offset >>> 0) !== offset || (length >>> 0) !== length || offset > source.length - length) {
      throw new IndexOutOfBoundsException(`offset: ${offset}, length: ${length} (expected: range(0, ${source.length}))`);
    }
    this.ensure(length);
    this.buffer.set(offset === 0 && length === source.length ? source : source.subarray(offset, offset + length), this.position);
    this.position += length;
  }

  /** Copies `numBytes` bytes from `source` (Flink's `write(DataInputView, int)`). */
  writeFrom(source: DataInputView, numBytes: number): void {
    this.ensure(numBytes);
    source.readFully(this.buffer, this.position, numBytes);
    this.position += numBytes;
  }

  /** Writes `value` as an int byte length followed by its UTF-8 bytes. */
  writeUtf8(value: string): void {
    const length = NodeBuffer.byteLength(value, 'utf8');
    this.ensure(4 + length);
    this.view.setInt32(this.position, length);
    this.buffer.write(value, this.position + 4, length, 'utf8');
    this.position += 4 + length;
  }

  skipBytesToWrite(numBytes: number): void {
    if ((numBytes >>> 0) !== numBytes) throw new IllegalArgumentException(`numBytes: ${numBytes} (expected: >= 0)`);
    this.ensure(numBytes);
    this.position += numBytes;
  }

  toString(): string {
    return `DataOutputSerializer(position: ${this.position}, capacity: ${this.buffer.length})`;
  }
}
