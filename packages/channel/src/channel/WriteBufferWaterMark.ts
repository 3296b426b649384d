import { IllegalArgumentException } from '../util/SluiceError';

/**
 * Port of io.netty.channel.WriteBufferWaterMark: the bytes pending in a channel's outbound buffer at
 * which it turns unwritable (above `high`) and writable again (below `low`).
 */
export class WriteBufferWaterMark {
  /** Low 32 KiB, high 64 KiB: Netty's defaults. */
  static readonly DEFAULT = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  constructor(
    /** Bytes below which an unwritable channel turns writable again (default 32768). */
    readonly low: number,
    /** Bytes above which the channel turns unwritable (default 65536). */
    readonly high: number,
  ) {
    if (low < 0) throw new IllegalArgumentException("write buffer's low water mark must be >= 0");
    if (high < low) {
      throw new IllegalArgumentException(`write buffer's high water mark cannot be less than  low water mark (${low}): ${high}`);
    }
  }

  toString(): string {
    return `WriteBufferWaterMark(low: ${this.low}, high: ${this.high})`;
  }
}
