import { ByteBuf } from '../buffer/ByteBuf';

/**
 * Port of io.netty.channel.MessageSizeEstimator: how many bytes an outbound message counts for in the
 * outbound buffer's pending total (which decides writability).
 */
export interface MessageSizeEstimator {
  size(msg: unknown): number;
}

/** ByteBuf → readable bytes; anything else → `unknownSize` (default 8). */
export class DefaultMessageSizeEstimator implements MessageSizeEstimator {
  static readonly DEFAULT = new DefaultMessageSizeEstimator(8);

  constructor(private readonly unknownSize: number) {
    if (unknownSize < 0) throw new RangeError(`unknownSize: ${unknownSize} (expected: >= 0)`);
  }

  size(msg: unknown): number {
    if (msg instanceof ByteBuf) return msg.readableBytes();
    if (typeof msg === 'object' && msg !== null && typeof (msg as { content?: unknown }).content === 'function') {
      const content = (msg as { content(): unknown }).content();
      if (content instanceof ByteBuf) return content.readableBytes();
    }
    return this.unknownSize;
  }
}
