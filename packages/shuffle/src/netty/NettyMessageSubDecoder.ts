import type { ByteBuf, ChannelHandlerContext } from '@sluice/channel';
import type { NettyMessage } from './NettyMessage';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessageDecoder (Flink 1.20), the abstract
 * sub-decoder of the client (not the server's frame decoder, which Sluice names
 * `NettyMessageDecoder`). Differs: `onChannelRead` returns the message or `null` instead of a
 * `DecodingResult` object (no allocation per read).
 *
 * Decodes the body of one kind of message for {@link NettyMessageClientDecoderDelegate}, which reads the
 * 9-byte frame header and then hands the body bytes over, read after read, until the sub-decoder reports
 * the message finished.
 *
 * ## Threading
 * Only ever called on the connection's event loop.
 *
 * ## Ownership
 * `onChannelRead` consumes bytes of `data` but never releases it (the delegate does). Buffers a
 * sub-decoder allocates are its own until {@link close}.
 */
export abstract class NettyMessageSubDecoder {
  /** The id of the message being decoded. */
  protected msgId = -1;
  /** Body bytes of the message being decoded (frame length − 9). */
  protected messageLength = -1;

  /** Allocates what the decoder keeps for the connection's lifetime. */
  abstract onChannelActive(ctx: ChannelHandlerContext): void;

  /** A new message starts: its id and body length (frame length − 9, >= 0). */
  onNewMessageReceived(msgId: number, messageLength: number): void {
    this.msgId = msgId;
    this.messageLength = messageLength;
  }

  /**
   * Consumes as many bytes of `data` as the current message needs (possibly none if `data` is empty) and
   * returns the message once it is complete, else `null` (all of `data` was consumed). The message's
   * reference (its buffer) goes to the caller.
   */
  abstract onChannelRead(data: ByteBuf): NettyMessage | null;

  /** Releases everything, including a half-received message. Idempotent. */
  abstract close(): void;

  /**
   * Flink's `ByteBufUtils.accumulate`: makes `targetSize` bytes available. If nothing was accumulated
   * yet and `source` holds them all, returns `source` itself (no copy; the caller reads them from it).
   * Otherwise copies what is missing (as far as `source` has it) into `target` and returns `target` once
   * it holds `targetSize` bytes, else `null`.
   */
  protected static accumulate(target: ByteBuf, source: ByteBuf, targetSize: number, accumulatedSize: number): ByteBuf | null {
    if (accumulatedSize === 0 && source.readableBytes() >= targetSize) return source;
    const copyLength = Math.min(source.readableBytes(), targetSize - accumulatedSize);
    if (copyLength > 0) target.writeBytes(source, copyLength);
    return accumulatedSize + copyLength === targetSize ? target : null;
  }
}
