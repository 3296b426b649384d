import type { ByteBuf } from '../../buffer/ByteBuf';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { IllegalArgumentException } from '../../util/SluiceError';
import { ByteToMessageDecoder } from './ByteToMessageDecoder';

/**
 * Port of io.netty.handler.codec.FixedLengthFrameDecoder (Netty 4.1). Differs: the one-frame decode
 * method is named `decodeFrame`; while waiting it tells the cumulation the frame length, so only a
 * straddling frame is copied.
 *
 * Splits the byte stream into frames of a fixed number of bytes:
 * ```
 * +---+----+------+----+        +-----+-----+-----+
 * | A | BC | DEFG | HI |   ->   | ABC | DEF | GHI |      (frameLength 3)
 * +---+----+------+----+        +-----+-----+-----+
 * ```
 *
 * ## Threading
 * Called on the channel's event loop; per-channel state, never `@Sharable`.
 *
 * ## Ownership
 * Each frame is a retained slice of the cumulation; the next handler releases it.
 *
 * ## Pitfalls
 * Bytes left over when the channel closes (less than one frame) are dropped silently.
 *
 * @example
 * pipeline.addLast(new FixedLengthFrameDecoder(16));
 */
export class FixedLengthFrameDecoder extends ByteToMessageDecoder {
  private readonly frameLength: number;

  /** @param frameLength the length of every frame, in bytes (> 0). */
  constructor(frameLength: number) {
    super();
    if (!Number.isSafeInteger(frameLength) || frameLength <= 0) {
      throw new IllegalArgumentException(`frameLength must be a positive integer: ${frameLength}`);
    }
    this.frameLength = frameLength;
  }

  protected decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    const frame = this.decodeFrame(ctx, input);
    if (frame !== null) out.push(frame);
  }

  /** The next frame, or null if fewer than `frameLength` bytes are readable. Netty's `decode(ctx, in)`. */
  protected decodeFrame(_ctx: ChannelHandlerContext, input: ByteBuf): ByteBuf | null {
    if (input.readableBytes() < this.frameLength) {
      this.expectFrameLength(this.frameLength);
      return null;
    }
    return input.readRetainedSlice(this.frameLength);
  }
}
