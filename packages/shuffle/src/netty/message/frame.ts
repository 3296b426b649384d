import type { ByteBuf, ByteBufAllocator } from '@sluice/channel';
import { NettyMessage } from '../NettyMessage';

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
