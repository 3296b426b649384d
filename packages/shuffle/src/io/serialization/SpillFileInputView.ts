import { Buffer as NodeBuffer } from 'node:buffer';
import { readSync } from 'node:fs';
import { IndexOutOfBoundsException } from '@sluice/channel';
import type { DataInputView } from '../DataInputView';
import { EndOfInputException } from '../errors';
import { getLongNumber } from '../LongBits';

/**
 * A {@link DataInputView} over the first `length` bytes of an open file, read through a buffer of
 * `bufferSize` bytes (Flink's `DataInputViewStreamWrapper(BufferedInputStream(FileInputStream))` over a
 * spilled record). Reads are synchronous (`fs.readSync`): spilling only happens for records above the
 * spill threshold (megabytes), as in Flink, whose task thread reads the file blockingly too.
 *
 * @internal Used by SpanningWrapper only; the owner closes the file.
 */
export class SpillFileInputView implements DataInputView {
  private readonly buffer: NodeBuffer;
  private readonly view: DataView;
  private bufferPosition = 0;
  private bufferEnd = 0;
  /** File offset of the next byte to load into the buffer. */
  private filePosition = 0;

  constructor(
    private readonly fd: number,
    private readonly length: number,
    bufferSize: number,
  ) {
    this.buffer = NodeBuffer.allocUnsafe(Math.max(8, Math.min(bufferSize, length)));
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
  }

  available(): number {
    return this.bufferEnd - this.bufferPosition + (this.length - this.filePosition);
  }

  /** Makes `n` (≤ 8) bytes readable in the buffer, or throws EndOfInputException. */
  private ensure(n: number): number {
    if (this.bufferEnd - this.bufferPosition >= n) return this.bufferPosition;
    if (this.available() < n) throw new EndOfInputException(n, this.available());
    const left = this.bufferEnd - this.bufferPosition;
    this.buffer.copy(this.buffer, 0, this.bufferPosition, this.bufferEnd);
    const toRead = Math.min(this.buffer.length - left, this.length - this.filePosition);
    const read = this.readFile(this.buffer, left, toRead);
    this.bufferPosition = 0;
    this.bufferEnd = left + read;
    return 0;
  }

  private readFile(target: Uint8Array, offset: number, length: number): number {
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, target, offset + done, length - done, this.filePosition);
      if (n <= 0) throw new EndOfInputException(length - done, 0);
      this.filePosition += n;
      done += n;
    }
    return done;
  }

  readBoolean(): boolean {
    const p = this.ensure(1);
    this.bufferPosition = p + 1;
    return this.buffer[p] !== 0;
  }
  readByte(): number {
    const p = this.ensure(1);
    this.bufferPosition = p + 1;
    return this.view.getInt8(p);
  }
  readUnsignedByte(): number {
    const p = this.ensure(1);
    this.bufferPosition = p + 1;
    return this.buffer[p]!;
  }
  readShort(): number {
    const p = this.ensure(2);
    this.bufferPosition = p + 2;
    return this.view.getInt16(p);
  }
  readUnsignedShort(): number {
    const p = this.ensure(2);
    this.bufferPosition = p + 2;
    return this.view.getUint16(p);
  }
  readChar(): number {
    return this.readUnsignedShort();
  }
  readInt(): number {
    const p = this.ensure(4);
    this.bufferPosition = p + 4;
    return this.view.getInt32(p);
  }
  readLong(): bigint {
    const p = this.ensure(8);
    this.bufferPosition = p + 8;
    return this.view.getBigInt64(p);
  }
  readLongNumber(): number {
    const p = this.ensure(8);
    const value = getLongNumber(this.view, p);
    this.bufferPosition = p + 8;
    return value;
  }
  readFloat(): number {
    const p = this.ensure(4);
    this.bufferPosition = p + 4;
    return this.view.getFloat32(p);
  }
  readDouble(): number {
    const p = this.ensure(8);
    this.bufferPosition = p + 8;
    return this.view.getFloat64(p);
  }
  readFully(target: Uint8Array, offset = 0, length: number = target.length - offset): void {
    if ((offset >>> 0) !== offset || (length >>> 0) !== length || offset > target.length - length) {
      throw new IndexOutOfBoundsException(`offset: ${offset}, length: ${length} (expected: range(0, ${target.length}))`);
    }
    if (this.available() < length) throw new EndOfInputException(length, this.available());
    const fromBuffer = Math.min(length, this.bufferEnd - this.bufferPosition);
    this.buffer.copy(target, offset, this.bufferPosition, this.bufferPosition + fromBuffer);
    this.bufferPosition += fromBuffer;
    if (fromBuffer < length) this.readFile(target, offset + fromBuffer, length - fromBuffer);
  }
  skipBytesToRead(numBytes: number): void {
    if (numBytes < 0 || this.available() < numBytes) throw new EndOfInputException(numBytes, this.available());
    const fromBuffer = Math.min(numBytes, this.bufferEnd - this.bufferPosition);
    this.bufferPosition += fromBuffer;
    this.filePosition += numBytes - fromBuffer;
  }
}
