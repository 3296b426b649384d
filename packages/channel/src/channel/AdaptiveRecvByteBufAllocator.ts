import type { ByteBuf } from '../buffer/ByteBuf';
import type { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import { IllegalArgumentException } from '../util/SluiceError';
import type { RecvByteBufAllocator, RecvByteBufAllocatorHandle } from './RecvByteBufAllocator';

/** Netty's size table: 16 to 496 in steps of 16, then powers of two (here up to 2^30). */
const SIZE_TABLE: readonly number[] = (() => {
  const sizes: number[] = [];
  for (let i = 16; i < 512; i += 16) sizes.push(i);
  for (let i = 512; i <= 1 << 30; i *= 2) sizes.push(i);
  return sizes;
})();

/** Steps up after a read that filled its buffer, and down after two reads that fit one step lower. */
const INDEX_INCREMENT = 4;
const INDEX_DECREMENT = 1;

/** Index of the smallest table size ≥ `size` (the last index if none). */
function sizeTableIndex(size: number): number {
  let low = 0;
  let high = SIZE_TABLE.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (SIZE_TABLE[mid]! < size) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Port of io.netty.channel.AdaptiveRecvByteBufAllocator (Netty 4.1; defaults minimum 64, initial 2048,
 * maximum 65536 bytes). Differs: the guess is recorded after every read, since each Node read is its own
 * read batch (Netty records a read loop's total at readComplete, and a read that filled its buffer at
 * once).
 *
 * Sizes the next read buffer from what the reads return: a read that fills its buffer grows the next one
 * four steps of Netty's size table (16-byte steps to 496, then doubling); two reads in a row that would
 * have fitted one step lower shrink it one step. A connection that carries small messages reads into
 * small pooled buffers; one that carries bulk data reads 64 KiB at a time.
 *
 * ## Threading
 * The allocator is immutable and shareable; each handle belongs to one channel's event loop.
 *
 * @example
 * new Bootstrap().option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 4096, 1 << 20));
 */
export class AdaptiveRecvByteBufAllocator implements RecvByteBufAllocator {
  static readonly DEFAULT_MINIMUM = 64;
  static readonly DEFAULT_INITIAL = 2048;
  static readonly DEFAULT_MAXIMUM = 65536;
  /** An allocator with the defaults. */
  static readonly DEFAULT = new AdaptiveRecvByteBufAllocator();

  private readonly minIndex: number;
  private readonly maxIndex: number;
  private readonly initialIndex: number;

  constructor(
    minimum: number = AdaptiveRecvByteBufAllocator.DEFAULT_MINIMUM,
    initial: number = AdaptiveRecvByteBufAllocator.DEFAULT_INITIAL,
    maximum: number = AdaptiveRecvByteBufAllocator.DEFAULT_MAXIMUM,
  ) {
    if (!(Number.isSafeInteger(minimum) && minimum > 0)) throw new IllegalArgumentException(`minimum: ${minimum} (expected: an integer > 0)`);
    if (!(Number.isSafeInteger(initial) && initial >= minimum)) throw new IllegalArgumentException(`initial: ${initial} (expected: an integer >= minimum ${minimum})`);
    if (!(Number.isSafeInteger(maximum) && maximum >= initial)) throw new IllegalArgumentException(`maximum: ${maximum} (expected: an integer >= initial ${initial})`);
    if (maximum > SIZE_TABLE[SIZE_TABLE.length - 1]!) {
      throw new IllegalArgumentException(`maximum: ${maximum} (expected: <= ${SIZE_TABLE[SIZE_TABLE.length - 1]!})`);
    }
    const minIndex = sizeTableIndex(minimum);
    this.minIndex = SIZE_TABLE[minIndex]! < minimum ? minIndex + 1 : minIndex;
    const maxIndex = sizeTableIndex(maximum);
    this.maxIndex = SIZE_TABLE[maxIndex]! > maximum ? maxIndex - 1 : maxIndex;
    // Like Netty, an initial size between two table entries starts at the smaller one.
    const initialIndex = sizeTableIndex(initial);
    this.initialIndex = Math.min(Math.max(SIZE_TABLE[initialIndex]! > initial ? initialIndex - 1 : initialIndex, this.minIndex), this.maxIndex);
  }

  newHandle(): RecvByteBufAllocatorHandle {
    return new AdaptiveHandle(this.minIndex, this.maxIndex, this.initialIndex);
  }
}

class AdaptiveHandle implements RecvByteBufAllocatorHandle {
  private nextReceiveBufferSize: number;
  private decreaseNow = false;

  constructor(
    private readonly minIndex: number,
    private readonly maxIndex: number,
    private index: number,
  ) {
    this.nextReceiveBufferSize = SIZE_TABLE[index]!;
  }

  allocate(alloc: ByteBufAllocator): ByteBuf {
    return alloc.ioBuffer(this.nextReceiveBufferSize);
  }

  guess(): number {
    return this.nextReceiveBufferSize;
  }

  lastBytesRead(bytes: number): void {
    if (bytes <= SIZE_TABLE[Math.max(0, this.index - INDEX_DECREMENT)]!) {
      if (this.decreaseNow) {
        this.index = Math.max(this.index - INDEX_DECREMENT, this.minIndex);
        this.nextReceiveBufferSize = SIZE_TABLE[this.index]!;
        this.decreaseNow = false;
      } else {
        this.decreaseNow = true;
      }
    } else if (bytes >= this.nextReceiveBufferSize) {
      this.index = Math.min(this.index + INDEX_INCREMENT, this.maxIndex);
      this.nextReceiveBufferSize = SIZE_TABLE[this.index]!;
      this.decreaseNow = false;
    }
  }
}
