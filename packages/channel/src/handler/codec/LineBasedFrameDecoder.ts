import type { ByteBuf } from '../../buffer/ByteBuf';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { IllegalArgumentException } from '../../util/SluiceError';
import { ByteToMessageDecoder } from './ByteToMessageDecoder';
import { TooLongFrameException } from './errors';

const LF = 0x0a;
const CR = 0x0d;

/** Options of {@link LineBasedFrameDecoder}. */
export interface LineBasedFrameDecoderOptions {
  /** Longest accepted line in bytes, without its line ending (> 0). Required. */
  maxLength: number;
  /** Whether decoded lines exclude their `\n` or `\r\n` (default: true). */
  stripDelimiter?: boolean;
  /**
   * true: report a too long line as soon as more than `maxLength` bytes arrived without a line ending;
   * false (default): report it once its line ending arrived. Exactly once per line either way.
   */
  failFast?: boolean;
}

/**
 * Port of io.netty.handler.codec.LineBasedFrameDecoder (Netty 4.1). Differs: takes an options object
 * besides Netty's positional constructor; the one-frame method is named `decodeFrame` (public, as
 * DelimiterBasedFrameDecoder delegates to it); a `\r` that ends the received bytes does not count towards
 * `maxLength` (it may be the start of `\r\n`), so a line of exactly `maxLength` bytes is accepted however
 * the stream was split; a `\r` before the reader index is never taken as part of the line ending.
 *
 * Splits the byte stream at line endings, `\n` or `\r\n`:
 * ```
 * "ABC\r\nDEF\nGHI"  ->  "ABC", "DEF"   ("GHI" waits for its line ending)
 * ```
 *
 * ## Threading
 * Called on the channel's event loop; per-channel state, never `@Sharable`.
 *
 * ## Ownership
 * Each line is a retained slice of the cumulation; the next handler releases it.
 *
 * ## Pitfalls
 * A line longer than `maxLength` is discarded up to and including its line ending, and reported as
 * `TooLongFrameException('frame length (N) exceeds the allowed maximum (M)')` — fired to the next
 * handler's `exceptionCaught` (not thrown), as in Netty. With failFast the length reads `over N`.
 *
 * @example
 * pipeline.addLast('lines', new LineBasedFrameDecoder(8192));
 */
export class LineBasedFrameDecoder extends ByteToMessageDecoder {
  private readonly maxLength: number;
  private readonly failFast: boolean;
  private readonly stripDelimiter: boolean;
  /** Discarding the rest of a too long line. */
  private discarding = false;
  private discardedBytes = 0;
  /** The last discarded byte was '\r' (a "\r\n" may straddle the discarded bytes and the next read). */
  private discardedCR = false;
  /** Bytes after the reader index already searched for `\n`. */
  private offset = 0;

  constructor(options: LineBasedFrameDecoderOptions);
  /**
   * @param maxLength longest accepted line in bytes, without its line ending.
   * @param stripDelimiter whether lines exclude their line ending (default true).
   * @param failFast report a too long line before its end arrived (default false).
   */
  constructor(maxLength: number, stripDelimiter?: boolean, failFast?: boolean);
  constructor(a: number | LineBasedFrameDecoderOptions, stripDelimiter = true, failFast = false) {
    super();
    const o: LineBasedFrameDecoderOptions = typeof a === 'object' ? a : { maxLength: a, stripDelimiter, failFast };
    if (!Number.isSafeInteger(o.maxLength) || o.maxLength <= 0) {
      throw new IllegalArgumentException(`maxLength must be a positive integer: ${o.maxLength}`);
    }
    this.maxLength = o.maxLength;
    this.stripDelimiter = o.stripDelimiter ?? true;
    this.failFast = o.failFast ?? false;
  }

  protected decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    const frame = this.decodeFrame(ctx, input);
    if (frame !== null) out.push(frame);
  }

  /** The next line, or null if none is complete (or bytes were discarded). Netty's `decode(ctx, buffer)`. */
  decodeFrame(ctx: ChannelHandlerContext, buffer: ByteBuf): ByteBuf | null {
    const eol = this.findEndOfLine(buffer);
    const readerIndex = buffer.readerIndex();
    if (!this.discarding) {
      if (eol >= 0) {
        const length = eol - readerIndex;
        const delimLength = buffer.getUnsignedByte(eol) === CR ? 2 : 1;
        if (length > this.maxLength) {
          buffer.readerIndex(eol + delimLength);
          this.fail(ctx, length, false);
          return null;
        }
        if (this.stripDelimiter) {
          const frame = buffer.readRetainedSlice(length);
          buffer.skipBytes(delimLength);
          return frame;
        }
        return buffer.readRetainedSlice(length + delimLength);
      }
      const readable = buffer.readableBytes();
      // A trailing '\r' may be the first half of "\r\n": it does not make the line too long yet.
      const endsWithCR = readable > 0 && buffer.getUnsignedByte(buffer.writerIndex() - 1) === CR;
      if ((endsWithCR ? readable - 1 : readable) > this.maxLength) {
        this.discardedBytes = readable;
        this.discardedCR = endsWithCR;
        buffer.readerIndex(buffer.writerIndex());
        this.discarding = true;
        this.offset = 0;
        if (this.failFast) this.fail(ctx, readable, true);
      }
      return null;
    }
    if (eol >= 0) {
      const delimLength = buffer.getUnsignedByte(eol) === CR ? 2 : 1;
      let length = this.discardedBytes + eol - readerIndex;
      // A discarded trailing '\r' followed by this '\n' was a line ending, not part of the line.
      if (eol === readerIndex && delimLength === 1 && this.discardedCR) length--;
      buffer.readerIndex(eol + delimLength);
      this.discardedBytes = 0;
      this.discarding = false;
      if (!this.failFast) this.fail(ctx, length, false);
    } else {
      const readable = buffer.readableBytes();
      if (readable > 0) {
        this.discardedBytes += readable;
        this.discardedCR = buffer.getUnsignedByte(buffer.writerIndex() - 1) === CR;
        buffer.readerIndex(buffer.writerIndex());
      }
      // Everything was skipped: the next search starts at the (new) reader index.
      this.offset = 0;
    }
    return null;
  }

  private fail(ctx: ChannelHandlerContext, length: number, over: boolean): void {
    ctx.fireExceptionCaught(
      new TooLongFrameException(
        `frame length (${over ? 'over ' : ''}${length}) exceeds the allowed maximum (${this.maxLength})`,
        { frameLength: length, maxFrameLength: this.maxLength, channel: ctx.channel() },
      ),
    );
  }

  /** Index of the line ending (of its `\r` for `\r\n`), or -1; remembers how far it searched. */
  private findEndOfLine(buffer: ByteBuf): number {
    const readerIndex = buffer.readerIndex();
    const writerIndex = buffer.writerIndex();
    let i = buffer.indexOf(readerIndex + this.offset, writerIndex, LF);
    if (i >= 0) {
      this.offset = 0;
      if (i > readerIndex && buffer.getUnsignedByte(i - 1) === CR) i--;
    } else {
      this.offset = writerIndex - readerIndex;
    }
    return i;
  }
}
