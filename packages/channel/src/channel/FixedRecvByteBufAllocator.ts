import type { ByteBuf } from '../buffer/ByteBuf';
import type { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import { IllegalArgumentException } from '../util/SluiceError';
import type { RecvByteBufAllocator, RecvByteBufAllocatorHandle } from './RecvByteBufAllocator';

/**
 * Port of io.netty.channel.FixedRecvByteBufAllocator (Netty 4.1): every read buffer has the same
 * capacity, whatever the reads return.
 *
 * @example
 * channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(64 * 1024));
 */
export class FixedRecvByteBufAllocator implements RecvByteBufAllocator {
  constructor(private readonly bufferSize: number) {
    if (!Number.isSafeInteger(bufferSize) || bufferSize <= 0) {
      throw new IllegalArgumentException(`bufferSize: ${bufferSize} (expected: an integer > 0)`);
    }
  }

  newHandle(): RecvByteBufAllocatorHandle {
    const size = this.bufferSize;
    return {
      allocate: (alloc: ByteBufAllocator): ByteBuf => alloc.ioBuffer(size),
      guess: (): number => size,
      lastBytesRead: (): void => {},
    };
  }
}
