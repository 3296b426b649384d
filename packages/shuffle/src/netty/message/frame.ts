import type { ByteBuf, ByteBufAllocator } from '@sluice/channel';
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
