import { ByteBuf } from '../../buffer/ByteBuf';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { IllegalArgumentException } from '../../util/SluiceError';
import { ByteToMessageDecoder } from './ByteToMessageDecoder';
import { TooLongFrameException } from './errors';
import { LineBasedFrameDecoder } from './LineBasedFrameDecoder';

/** A delimiter: the readable bytes of a ByteBuf, or a byte array (a Node `Buffer` works). */
export type Delimiter = ByteBuf | Uint8Array;

/** Options of {@link DelimiterBasedFrameDecoder}. */
export interface DelimiterBasedFrameDecoderOptions {
  /** Longest accepted frame in bytes, without its delimiter (> 0). Required. */
  maxFrameLength: number;
  /** Whether decoded frames exclude their delimiter (default: true). */
  stripDelimiter?: boolean;
  /**
   * true (default): report a too long frame as soon as more than `maxFrameLength` bytes arrived without a
   * delimiter; false: once its delimiter arrived. Exactly once per frame either way.
   */
  failFast?: boolean;
  /** One or more delimiters (non-empty). Required. */
  delimiters: Delimiter[];
}

/**
 * Port of io.netty.handler.codec.DelimiterBasedFrameDecoder (Netty 4.1). Differs: takes an options object
 * besides Netty's positional constructors (which also accept an array of delimiters, as Java's varargs
 * do); delimiters may be byte arrays; the delimiter bytes are copied when constructed (the caller keeps
 * its buffers; `Delimiters` returns byte arrays); the one-frame method is named `decodeFrame`. Split
 * invariance: the last `longest delimiter − 1` received bytes are neither counted towards
 * `maxFrameLength` nor discarded while no delimiter is found, because they may begin a delimiter that
 * the next read completes (Netty counts them, and while discarding can skip half a delimiter and so
 * swallow the next frame); the length reported for a too long frame is its whole length.
 *
 * Splits the byte stream at one or more delimiters. When several are found, the one that yields the
 * shortest frame wins: with `Delimiters.lineDelimiter()`, `"ABC\nDEF\r\n"` gives `"ABC"`, `"DEF"`, not
 * `"ABC\nDEF"`. With exactly the line delimiters (`\r\n` and `\n`) and no subclass, the work is delegated
 * to a {@link LineBasedFrameDecoder}, as Netty does.
 *
 * ## Threading
 * Called on the channel's event loop; per-channel state, never `@Sharable`.
 *
 * ## Ownership
 * Each frame is a retained slice of the cumulation; the next handler releases it.
 *
 * ## Pitfalls
 * A too long frame is discarded up to and including its delimiter and reported with
 * `TooLongFrameException('frame length exceeds M: N - discarded')`, thrown (unlike the line decoder, which
 * fires it). The delegated line-delimiter case behaves exactly as LineBasedFrameDecoder, messages included.
 *
 * @example
 * pipeline.addLast(new DelimiterBasedFrameDecoder(8192, Delimiters.nulDelimiter()));
 */
export class DelimiterBasedFrameDecoder extends ByteToMessageDecoder {
  private readonly delimiters: Uint8Array[];
  private readonly maxDelimiterLength: number;
  private readonly maxFrameLength: number;
  private readonly stripDelimiter: boolean;
  private readonly failFast: boolean;
  private discardingTooLongFrame = false;
  private tooLongFrameLength = 0;
  /** Set only when decoding with exactly `\n` and `\r\n`. */
  private readonly lineBasedDecoder: LineBasedFrameDecoder | null;

  constructor(options: DelimiterBasedFrameDecoderOptions);
  constructor(maxFrameLength: number, ...delimiters: (Delimiter | Delimiter[])[]);
  constructor(maxFrameLength: number, stripDelimiter: boolean, ...delimiters: (Delimiter | Delimiter[])[]);
  constructor(maxFrameLength: number, stripDelimiter: boolean, failFast: boolean, ...delimiters: (Delimiter | Delimiter[])[]);
  constructor(a: number | DelimiterBasedFrameDecoderOptions, ...rest: (boolean | Delimiter | Delimiter[])[]) {
    super();
    const o = typeof a === 'object' ? a : toOptions(a, rest);
    if (!Number.isSafeInteger(o.maxFrameLength) || o.maxFrameLength <= 0) {
      throw new IllegalArgumentException(`maxFrameLength must be a positive integer: ${o.maxFrameLength}`);
    }
    if (o.delimiters === null || o.delimiters === undefined || o.delimiters.length === 0) {
      throw new IllegalArgumentException('empty delimiters');
    }
    const delimiters = o.delimiters.map(toBytes);
    this.maxFrameLength = o.maxFrameLength;
    this.stripDelimiter = o.stripDelimiter ?? true;
    this.failFast = o.failFast ?? true;
    if (isLineBased(delimiters) && this.constructor === DelimiterBasedFrameDecoder) {
      this.lineBasedDecoder = new LineBasedFrameDecoder(this.maxFrameLength, this.stripDelimiter, this.failFast);
      this.delimiters = [];
    } else {
      this.lineBasedDecoder = null;
      this.delimiters = delimiters;
    }
    this.maxDelimiterLength = Math.max(...delimiters.map((d) => d.length));
  }

  protected decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    const frame = this.decodeFrame(ctx, input);
    if (frame !== null) out.push(frame);
  }

  /** The next frame, or null if none is complete (or bytes were discarded). Netty's `decode(ctx, buffer)`. */
  protected decodeFrame(ctx: ChannelHandlerContext, buffer: ByteBuf): ByteBuf | null {
    if (this.lineBasedDecoder !== null) return this.lineBasedDecoder.decodeFrame(ctx, buffer);
    // Try every delimiter; keep the one that yields the shortest frame.
    let minFrameLength = Number.MAX_SAFE_INTEGER;
    let minDelim: Uint8Array | null = null;
    for (const delim of this.delimiters) {
      const frameLength = indexOf(buffer, delim);
      if (frameLength >= 0 && frameLength < minFrameLength) {
        minFrameLength = frameLength;
        minDelim = delim;
      }
    }
    if (minDelim !== null) {
      const minDelimLength = minDelim.length;
      if (this.discardingTooLongFrame) {
        // The end of a too long frame: back to normal.
        this.discardingTooLongFrame = false;
        buffer.skipBytes(minFrameLength + minDelimLength);
        const tooLongFrameLength = this.tooLongFrameLength + minFrameLength;
        this.tooLongFrameLength = 0;
        if (!this.failFast) this.fail(ctx, tooLongFrameLength);
        return null;
      }
      if (minFrameLength > this.maxFrameLength) {
        buffer.skipBytes(minFrameLength + minDelimLength);
        this.fail(ctx, minFrameLength);
      }
      if (this.stripDelimiter) {
        const frame = buffer.readRetainedSlice(minFrameLength);
        buffer.skipBytes(minDelimLength);
        return frame;
      }
      return buffer.readRetainedSlice(minFrameLength + minDelimLength);
    }
    // The last bytes may be the start of a delimiter completed by the next read: never count or skip them.
    const readable = buffer.readableBytes();
    const skippable = readable - Math.min(readable, this.maxDelimiterLength - 1);
    if (!this.discardingTooLongFrame) {
      if (skippable > this.maxFrameLength) {
        // Discard until a delimiter is found.
        this.tooLongFrameLength = skippable;
        buffer.skipBytes(skippable);
        this.discardingTooLongFrame = true;
        if (this.failFast) this.fail(ctx, this.tooLongFrameLength);
      }
    } else {
      this.tooLongFrameLength += skippable;
      buffer.skipBytes(skippable);
    }
    return null;
  }

  private fail(ctx: ChannelHandlerContext, frameLength: number): never {
    const max = this.maxFrameLength;
    if (frameLength > 0) {
      throw new TooLongFrameException(`frame length exceeds ${max}: ${frameLength} - discarded`, {
        frameLength,
        maxFrameLength: max,
        channel: ctx.channel(),
      });
    }
    throw new TooLongFrameException(`frame length exceeds ${max} - discarding`, {
      maxFrameLength: max,
      channel: ctx.channel(),
    });
  }
}

/** Bytes between the reader index and the first complete `needle`, or -1. */
function indexOf(haystack: ByteBuf, needle: Uint8Array): number {
  const start = haystack.readerIndex();
  const n = needle.length;
  const last = haystack.writerIndex() - n; // last index a match can start at
  const first = needle[0];
  let i = start;
  while (i <= last) {
    i = haystack.indexOf(i, last + 1, first);
    if (i < 0) return -1;
    let j = 1;
    while (j < n && haystack.getUnsignedByte(i + j) === needle[j]) j++;
    if (j === n) return i - start;
    i++;
  }
  return -1;
}

function toBytes(d: Delimiter): Uint8Array {
  if (d instanceof ByteBuf) {
    const length = d.readableBytes();
    if (length === 0) throw new IllegalArgumentException('empty delimiter');
    const bytes = new Uint8Array(length);
    d.getBytes(d.readerIndex(), bytes, 0, length);
    return bytes;
  }
  if (!(d instanceof Uint8Array)) throw new IllegalArgumentException(`delimiter: ${String(d)} (expected: ByteBuf or Uint8Array)`);
  if (d.length === 0) throw new IllegalArgumentException('empty delimiter');
  return Uint8Array.from(d);
}

/** True if the delimiters are exactly `\r\n` and `\n` (in either order). */
function isLineBased(delimiters: Uint8Array[]): boolean {
  if (delimiters.length !== 2) return false;
  let a = delimiters[0];
  let b = delimiters[1];
  if (a.length < b.length) [a, b] = [b, a];
  return a.length === 2 && b.length === 1 && a[0] === 0x0d && a[1] === 0x0a && b[0] === 0x0a;
}

function toOptions(maxFrameLength: number, rest: (boolean | Delimiter | Delimiter[])[]): DelimiterBasedFrameDecoderOptions {
  let i = 0;
  let stripDelimiter = true;
  let failFast = true;
  if (typeof rest[i] === 'boolean') stripDelimiter = rest[i++] as boolean;
  if (typeof rest[i] === 'boolean') failFast = rest[i++] as boolean;
  const delimiters: Delimiter[] = [];
  for (; i < rest.length; i++) {
    const d = rest[i];
    if (Array.isArray(d)) delimiters.push(...d);
    else delimiters.push(d as Delimiter);
  }
  return { maxFrameLength, stripDelimiter, failFast, delimiters };
}
