import { SluiceError, type ByteBuf, type ByteBufAllocator, type ChannelOutboundInvoker, type ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { RemoteThrowable } from '../RemoteThrowable';
import { JAVA_STREAM_MAGIC, readJavaSerializedThrowable } from './JavaSerializedThrowable';

/** First two bytes of Sluice's error encoding: `'S' 'E'` (never Java's `0xACED`). */
const SLUICE_ERROR_MARKER = 0x5345;
/** The version of the error encoding this code writes and reads. */
const SLUICE_ERROR_VERSION = 1;
/** Errors of the cause chain written at most (the error itself counts). */
const MAX_CHAIN = 8;
/** Characters written at most per field; longer values are cut (keeps the block far below 16 MiB). */
const MAX_CLASS_NAME_CHARS = 1024;
const MAX_CODE_CHARS = 256;
const MAX_TEXT_CHARS = 16384;
/** Upper bound of the error block's length field: its first byte is always 0 (see docs/protocol.md). */
const MAX_BLOCK_LENGTH = (1 << 24) - 1;
/** Initial capacity of the frame buffer; grown as needed, the frame length is patched afterwards. */
const INITIAL_FRAME_CAPACITY = 256;

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.ErrorResponse (Flink 1.20). Differs:
 * the error is written in Sluice's language-neutral encoding, not Java serialization (docs/protocol.md,
 * "ErrorResponse"); a Java-serialized error from a Java peer is still recognised when read. A decoded
 * ErrorResponse's {@link cause} is a {@link RemoteThrowable} carrying the remote class name and message.
 *
 * Server → client: {@link cause} failed the channel {@link receiverId}, or — without a receiver — the
 * whole connection (a fatal error).
 * Body: the error (Sluice: `'S' 'E'`, version 1, flags 0, int block length, entries; or Java: `0xACED
 * 0005` …), hasReceiver (1), [receiverId (16)]. The frame length is patched after writing (reference §1.1).
 */
export class ErrorResponse extends NettyMessage {
  override readonly id = MessageId.ERROR_RESPONSE;
  readonly cause: Error;
  /** The failed channel, or `null` for a fatal (connection-wide) error. */
  readonly receiverId: InputChannelID | null;

  constructor(cause: Error, receiverId: InputChannelID | null = null) {
    super();
    this.cause = cause;
    this.receiverId = receiverId;
  }

  /** True if the error concerns the whole connection. */
  isFatalError(): boolean {
    return this.receiverId === null;
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    const buf = allocator.buffer(INITIAL_FRAME_CAPACITY);
    try {
      buf.writeInt(0); // patched below
      buf.writeInt(NettyMessage.MAGIC_NUMBER);
      buf.writeByte(this.id);
      writeSluiceError(buf, this.cause);
      if (this.receiverId === null) {
        buf.writeBoolean(false);
      } else {
        buf.writeBoolean(true);
        this.receiverId.writeTo(buf);
      }
      buf.setInt(0, buf.readableBytes());
    } catch (e) {
      buf.release();
      throw e;
    }
    out.write(buf, promise);
  }

  /**
   * Decodes the body (after the 9-byte frame header); `buf`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} if the error encoding is unknown or malformed or the receiver tail
   * is wrong.
   */
  static readFrom(buf: ByteBuf): ErrorResponse {
    if (buf.readableBytes() < 3) {
      throw new ProtocolException(`ErrorResponse: body of ${buf.readableBytes()} bytes (expected: at least 3)`);
    }
    const marker = buf.getUnsignedShort(buf.readerIndex());
    let cause: RemoteThrowable;
    if (marker === SLUICE_ERROR_MARKER) {
      cause = readSluiceError(buf);
    } else if (marker === JAVA_STREAM_MAGIC) {
      cause = readJavaSerializedThrowable(buf, (remaining) => remaining === 1 || remaining === 1 + InputChannelID.SIZE).error;
    } else {
      throw new ProtocolException(
        `ErrorResponse: unknown error encoding 0x${marker.toString(16).padStart(4, '0')} (expected: 0x5345 'SE' for Sluice, 0xaced for Java serialization)`,
      );
    }
    return new ErrorResponse(cause, readReceiverTail(buf));
  }

  override toString(): string {
    return `ErrorResponse{${this.receiverId === null ? 'fatal' : `receiverId=${this.receiverId.toString()}`}, cause=${this.cause.name}: ${this.cause.message}}`;
  }
}

function readReceiverTail(buf: ByteBuf): InputChannelID | null {
  const remaining = buf.readableBytes();
  if (remaining < 1) throw new ProtocolException('ErrorResponse: missing hasReceiver byte after the error');
  const hasReceiver = buf.readUnsignedByte();
  if (hasReceiver === 0 && remaining === 1) return null;
  if (hasReceiver === 1 && remaining === 1 + InputChannelID.SIZE) return InputChannelID.fromByteBuf(buf);
  throw new ProtocolException(
    `ErrorResponse: hasReceiver ${hasReceiver} followed by ${remaining - 1} bytes (expected: 0 and nothing, or 1 and a ${InputChannelID.SIZE}-byte receiver id)`,
  );
}

// ------------------------------------------------------------------ Sluice error encoding, version 1

/** The class name, code, message and stack of one error as they go on the wire. */
function describe(error: unknown): [className: string, code: string | null, message: string | null, stack: string | null] {
  if (error instanceof RemoteThrowable) return [error.className, error.remoteCode, error.remoteMessage, error.remoteStack];
  if (error instanceof Error) {
    const code = error instanceof SluiceError ? error.code : (error as { code?: unknown }).code;
    return [error.name !== '' ? error.name : error.constructor.name, typeof code === 'string' ? code : null, error.message, error.stack ?? null];
  }
  return ['Error', null, String(error), null];
}

function writeString(buf: ByteBuf, value: string | null, maxChars: number): void {
  if (value === null) {
    buf.writeInt(-1);
    return;
  }
  const lengthIndex = buf.writerIndex();
  buf.writeInt(0);
  const length = buf.writeCharSequence(value.length > maxChars ? value.slice(0, maxChars) : value, 'utf8');
  buf.setInt(lengthIndex, length);
}

/** Writes the error block (see docs/protocol.md): marker, version, flags, block length, entries. */
function writeSluiceError(buf: ByteBuf, cause: Error): void {
  const chain: unknown[] = [];
  for (let e: unknown = cause; e !== undefined && e !== null && chain.length < MAX_CHAIN; e = (e as { cause?: unknown }).cause) {
    if (chain.includes(e)) break;
    chain.push(e);
    if (!(e instanceof Error)) break;
  }
  buf.writeShort(SLUICE_ERROR_MARKER);
  buf.writeByte(SLUICE_ERROR_VERSION);
  buf.writeByte(0); // flags, reserved
  const lengthIndex = buf.writerIndex();
  buf.writeInt(0); // block length, patched below
  buf.writeByte(chain.length);
  for (const e of chain) {
    const [className, code, message, stack] = describe(e);
    writeString(buf, className, MAX_CLASS_NAME_CHARS);
    writeString(buf, code, MAX_CODE_CHARS);
    writeString(buf, message, MAX_TEXT_CHARS);
    writeString(buf, stack, MAX_TEXT_CHARS);
  }
  buf.setInt(lengthIndex, buf.writerIndex() - lengthIndex - 4);
}

function readString(buf: ByteBuf, end: number, what: string): string | null {
  if (end - buf.readerIndex() < 4) throw new ProtocolException(`ErrorResponse: error block ends inside the length of ${what}`);
  const length = buf.readInt();
  if (length === -1) return null;
  if (length < 0 || length > end - buf.readerIndex()) {
    throw new ProtocolException(`ErrorResponse: ${what} of ${length} bytes (expected: -1 or 0..${end - buf.readerIndex()}, the rest of the error block)`);
  }
  const value = buf.toString(buf.readerIndex(), length, 'utf8');
  buf.skipBytes(length);
  return value;
}

function readSluiceError(buf: ByteBuf): RemoteThrowable {
  if (buf.readableBytes() < 9) throw new ProtocolException(`ErrorResponse: Sluice error block of ${buf.readableBytes()} bytes (expected: at least 9)`);
  buf.skipBytes(2); // marker
  const version = buf.readUnsignedByte();
  if (version !== SLUICE_ERROR_VERSION) {
    throw new ProtocolException(`ErrorResponse: Sluice error encoding version ${version} (expected: ${SLUICE_ERROR_VERSION})`);
  }
  const flags = buf.readUnsignedByte();
  if (flags !== 0) throw new ProtocolException(`ErrorResponse: error flags 0x${flags.toString(16)} (expected: 0)`);
  const blockLength = buf.readInt();
  if (blockLength < 1 || blockLength > MAX_BLOCK_LENGTH || blockLength > buf.readableBytes()) {
    throw new ProtocolException(
      `ErrorResponse: error block length ${blockLength} (expected: 1..${Math.min(MAX_BLOCK_LENGTH, buf.readableBytes())})`,
    );
  }
  const end = buf.readerIndex() + blockLength;
  const count = buf.readUnsignedByte();
  if (count < 1 || count > MAX_CHAIN) throw new ProtocolException(`ErrorResponse: ${count} errors in the cause chain (expected: 1..${MAX_CHAIN})`);
  const entries: [string, string | null, string | null, string | null][] = [];
  for (let i = 0; i < count; i++) {
    const className = readString(buf, end, 'class name');
    if (className === null || className === '') throw new ProtocolException('ErrorResponse: error without a class name');
    entries.push([className, readString(buf, end, 'code'), readString(buf, end, 'message'), readString(buf, end, 'stack')]);
  }
  if (buf.readerIndex() !== end) {
    throw new ProtocolException(`ErrorResponse: error block declares ${blockLength} bytes but its entries end ${end - buf.readerIndex()} bytes earlier`);
  }
  let error: RemoteThrowable | undefined;
  for (let i = entries.length - 1; i >= 0; i--) {
    const [className, code, message, stack] = entries[i]!;
    error = new RemoteThrowable(className, message, { remoteCode: code, remoteStack: stack, ...(error !== undefined ? { cause: error } : {}) });
  }
  return error!;
}
