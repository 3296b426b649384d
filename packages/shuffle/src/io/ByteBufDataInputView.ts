import type { ByteBuf } from '@sluice/channel';
import type { DataInputView } from './DataInputView';
import { EndOfInputException } from './errors';

/**
 * A {@link DataInputView} over the readable bytes of a `ByteBuf` of @sluice/channel (Sluice-only, the
 * counterpart of Flink's `ByteBufferInputView`-style adapters): reads advance the ByteBuf's reader index.
 *
 * ## Threading
 * Like the ByteBuf: one thread.
 *
 * ## Ownership
 * Does not retain or release the ByteBuf.
 */
export class ByteBufDataInputView implements DataInputView {
  constructor(private buf: ByteBuf) {}

  /** Reads from another ByteBuf. */
  setByteBuf(buf: ByteBuf): void {
    this.buf = buf;
  }

  private check(n: number): void {
    const readable = this.buf.readableBytes();
    if (readable < n) throw new EndOfInputException(n, readable);
  }

  readBoolean(): boolean {
    this.check(1);
    return this.buf.readBoolean();
  }
  readByte(): number {
    this.check(1);
    return this.buf.readByte();
  }
  readUnsignedByte(): number {
    this.check(1);
    return this.buf.readUnsignedByte();
  }
  readShort(): number {
    this.check(2);
    return this.buf.readShort();
  }
  readUnsignedShort(): number {
    this.check(2);
    return this.buf.readUnsignedShort();
  }
  readChar(): number {
    return this.readUnsignedShort();
  }
  readInt(): number {
    this.check(4);
    return this.buf.readInt();
  }
  readLong(): bigint {
    this.check(8);
    return this.buf.readLong();
  }
  readLongNumber(): number {
    this.check(8);
    return this.buf.readLongNumber();
  }
  readFloat(): number {
    this.check(4);
    return this.buf.readFloat();
  }
  readDouble(): number {
    this.check(8);
    return this.buf.readDouble();
  }
  readFully(target: Uint8Array, offset = 0, length: number = target.length - offset): void {
    this.check(length);
    this.buf.readBytes(target, offset, length);
  }
  skipBytesToRead(numBytes: number): void {
    this.check(numBytes);
    this.buf.skipBytes(numBytes);
  }
  available(): number {
    return this.buf.readableBytes();
  }
}
