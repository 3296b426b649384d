import { IllegalArgumentException, type ByteBuf, type ByteBufAllocator, type ChannelOutboundInvoker, type ChannelPromise } from '@sluice/channel';
import { InputChannelID } from '../../consumer/InputChannelID';
import { NettyMessage } from '../NettyMessage';
import { ProtocolException } from '../errors';

/**
 * Allocates a buffer for a whole frame of `bodyLength` body bytes and writes the 9-byte frame header
 * (length including itself, magic number, `id`). The caller writes the body and owns the buffer.
 */
export function allocateFrame(allocator: ByteBufAllocator, id: number, bodyLength: number): ByteBuf {
  const frameLength = NettyMessage.FRAME_HEADER_LENGTH + bodyLength;
  const buf = allocator.buffer(frameLength, frameLength);
  buf.writeInt(frameLength);
  buf.writeInt(NettyMessage.MAGIC_NUMBER);
  buf.writeByte(id);
  return buf;
}

/** Java's Integer.MAX_VALUE: the largest frame length a header can announce, and Flink's frame limit. */
const INTEGER_MAX_VALUE = 0x7fffffff;

/** A decoder's `maxFrameLength` option: 2^31 − 1 (Flink's) if not given; IllegalArgumentException if out of range. */
export function checkMaxFrameLength(max: number | undefined): number {
  const value = max ?? INTEGER_MAX_VALUE;
  if (!Number.isInteger(value) || value < NettyMessage.FRAME_HEADER_LENGTH || value > INTEGER_MAX_VALUE) {
    throw new IllegalArgumentException(`maxFrameLength ${value} (expected: ${NettyMessage.FRAME_HEADER_LENGTH}..${INTEGER_MAX_VALUE})`);
  }
  return value;
}

/** Throws {@link ProtocolException} unless a frame header's length (signed) is within 9..`max`. */
export function checkFrameLength(frameLength: number, max: number): void {
  if (frameLength < NettyMessage.FRAME_HEADER_LENGTH || frameLength > max) {
    throw new ProtocolException(`Network stream corrupted: frame length ${frameLength} (expected: ${NettyMessage.FRAME_HEADER_LENGTH}..${max})`);
  }
}

/** Throws {@link ProtocolException} unless a frame header's magic number is Flink's 0xBADC0FFE. */
export function checkMagicNumber(magic: number): void {
  if (magic !== NettyMessage.MAGIC_NUMBER) {
    throw new ProtocolException(
      `Network stream corrupted: received incorrect magic number 0x${(magic >>> 0).toString(16).padStart(8, '0')} (expected: 0xbadc0ffe)`,
    );
  }
}

/**
 * Throws {@link ProtocolException} unless `body` holds exactly `expected` readable bytes (the body of a
 * fixed-size message).
 */
export function checkBodyLength(body: ByteBuf, message: string, expected: number): void {
  if (body.readableBytes() !== expected) {
    throw new ProtocolException(`${message}: body of ${body.readableBytes()} bytes (expected: ${expected})`);
  }
}

/** Reads an int and throws {@link ProtocolException} if it is below `min`. */
export function readIntAtLeast(body: ByteBuf, message: string, field: string, min: number): number {
  const value = body.readInt();
  if (value < min) throw new ProtocolException(`${message}: ${field} ${value} (expected: >= ${min})`);
  return value;
}

/**
 * Writes the frame of a message whose body is an optional int `value` followed by `receiverId` (16 bytes)
 * — AddCredit, BacklogAnnouncement and NewBufferSize with the int, CancelPartitionRequest,
 * ResumeConsumption and AckAllUserRecordsProcessed without — and hands it to `out`, which owns it from
 * then on (released once written, or on a failed write).
 */
export function writeReceiverFrame(
  out: ChannelOutboundInvoker,
  promise: ChannelPromise,
  allocator: ByteBufAllocator,
  id: number,
  receiverId: InputChannelID,
  value?: number,
): void {
  const buf = allocateFrame(allocator, id, (value === undefined ? 0 : 4) + InputChannelID.SIZE);
  if (value !== undefined) buf.writeInt(value);
  receiverId.writeTo(buf);
  out.write(buf, promise);
}

/** Returns `value`; throws IllegalArgumentException unless it is an int > 0 (a message's count or size). */
export function checkPositiveInt(message: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0 || value > 0x7fffffff) {
    throw new IllegalArgumentException(`${message}: ${field} ${value} (expected: an int > 0)`);
  }
  return value;
}
