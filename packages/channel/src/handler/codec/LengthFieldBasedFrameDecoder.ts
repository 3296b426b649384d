import type { ByteBuf } from '../../buffer/ByteBuf';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { IllegalArgumentException } from '../../util/SluiceError';
import { ByteToMessageDecoder } from './ByteToMessageDecoder';
import { CorruptedFrameException, DecoderException, TooLongFrameException } from './errors';

/** Byte order of a length field: big-endian (network order, the default) or little-endian. */
export type ByteOrder = 'BE' | 'LE';

/** Options of {@link LengthFieldBasedFrameDecoder}; see the class comment for worked examples. */
export interface LengthFieldBasedFrameDecoderOptions {
  /** Byte order of the length field (default: `'BE'`). */
  byteOrder?: ByteOrder;
  /**
   * Largest accepted frame, in bytes, measured before `initialBytesToStrip` is applied (the adjusted
   * frame length). Longer frames are discarded and reported with a TooLongFrameException. Required; > 0.
   */
  maxFrameLength: number;
  /** Offset of the length field from the start of the frame, in bytes (>= 0). Required. */
  lengthFieldOffset: number;
  /**
   * Size of the length field in bytes: 1, 2, 3 or 4 (unsigned) or 8 (signed). Required. Other sizes are
   * accepted here (as in Netty, for subclasses that override `getUnadjustedFrameLength`) and fail when
   * decoding.
   */
  lengthFieldLength: number;
  /**
   * Added to the length field's value to get the number of bytes that follow the field, in bytes
   * (default: 0; negative when the length counts the header too).
   */
  lengthAdjustment?: number;
  /** Bytes removed from the start of each decoded frame, e.g. the header (default: 0). */
  initialBytesToStrip?: number;
  /**
   * Default true: throw TooLongFrameException as soon as a too long length is read; false: throw once the
   * whole too long frame was discarded. Either way, exactly once per frame.
   */
  failFast?: boolean;
}

/** `2^32`: the weight of the high half of an 8-byte length. */
const TWO_POW_32 = 4294967296;

/**
 * Port of io.netty.handler.codec.LengthFieldBasedFrameDecoder (Netty 4.1). Differs: takes an options
 * object besides Netty's positional constructors; the byte order is `'BE' | 'LE'`; the one-frame decode
 * method is named `decodeFrame` (TypeScript cannot overload `decode` by arity); an 8-byte length is read
 * as a JS number without `bigint` (exact up to 2^53, which no frame reaches; exact values are computed
 * for error messages); while waiting for the rest of a frame it tells the cumulation the frame's length,
 * so only the straddling frame is copied.
 *
 * Splits a byte stream into frames by a length field in each frame's header. For "HELLO, WORLD" (12
 * bytes) with a 2-byte length field (`[lengthFieldOffset, lengthFieldLength, lengthAdjustment,
 * initialBytesToStrip]`):
 * ```
 * [0, 2,  0, 0]  00 0C "HELLO, WORLD"          -> 00 0C "HELLO, WORLD"   (length field kept)
 * [0, 2,  0, 2]  00 0C "HELLO, WORLD"          -> "HELLO, WORLD"         (length field stripped)
 * [0, 2, -2, 0]  00 0E "HELLO, WORLD"          -> 00 0E "HELLO, WORLD"   (length counts the field)
 * [2, 3,  0, 0]  CA FE 00 00 0C "HELLO, WORLD" -> all 17 bytes           (header before the length)
 * [0, 3,  2, 0]  00 00 0C CA FE "HELLO, WORLD" -> all 17 bytes           (header after the length)
 * [1, 2,  1, 3]  CA 00 0C FE "HELLO, WORLD"    -> FE "HELLO, WORLD"      (HDR1, LEN, HDR2; strip 3)
 * [1, 2, -3, 3]  CA 00 10 FE "HELLO, WORLD"    -> FE "HELLO, WORLD"      (length counts everything)
 * ```
 * The adjusted frame length is `lengthFieldValue + lengthAdjustment + lengthFieldOffset +
 * lengthFieldLength`; it is compared with `maxFrameLength` before stripping.
 *
 * ## Threading
 * Called on the channel's event loop; per-channel state, never `@Sharable`.
 *
 * ## Ownership
 * Each frame is a retained slice of the cumulation (zero copy) and owned by the next handler, which must
 * release it. Override {@link extractFrame} to copy instead.
 *
 * ## Pitfalls
 * - A frame slice keeps its whole cumulation buffer (often a whole socket read) alive until released;
 *   copy frames you keep for long.
 * - A too long frame is discarded byte by byte as it arrives, never buffered; exactly one
 *   TooLongFrameException is thrown for it (see `failFast`). A corrupt header (negative length, or a
 *   length shorter than the header or than `initialBytesToStrip`) skips the header and throws
 *   CorruptedFrameException. Decoding continues with the bytes that follow.
 * - A huge length usually means wrong parameters (offset, field length, byte order), not a huge frame.
 *
 * @example
 * // 4-byte big-endian length prefix, stripped from the frames; frames up to 1 MiB.
 * pipeline.addLast('frameDecoder', new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4));
 * pipeline.addLast('frameEncoder', new LengthFieldPrepender(4));
 */
export class LengthFieldBasedFrameDecoder extends ByteToMessageDecoder {
  private readonly byteOrder: ByteOrder;
  private readonly maxFrameLength: number;
  private readonly lengthFieldOffset: number;
  private readonly lengthFieldLength: number;
  private readonly lengthFieldEndOffset: number;
  private readonly lengthAdjustment: number;
  private readonly initialBytesToStrip: number;
  private readonly failFast: boolean;
  private discardingTooLongFrame = false;
  private tooLongFrameLength: number | bigint = 0;
  private bytesToDiscard = 0;
  /** Adjusted length of the frame whose header was read and whose body is awaited; -1: none. */
  private frameLengthInt = -1;

  constructor(options: LengthFieldBasedFrameDecoderOptions);
  constructor(maxFrameLength: number, lengthFieldOffset: number, lengthFieldLength: number);
  constructor(
    maxFrameLength: number,
    lengthFieldOffset: number,
    lengthFieldLength: number,
    lengthAdjustment: number,
    initialBytesToStrip: number,
    failFast?: boolean,
  );
  constructor(
    byteOrder: ByteOrder,
    maxFrameLength: number,
    lengthFieldOffset: number,
    lengthFieldLength: number,
    lengthAdjustment: number,
    initialBytesToStrip: number,
    failFast: boolean,
  );
  constructor(...args: [LengthFieldBasedFrameDecoderOptions] | (number | boolean | ByteOrder | undefined)[]) {
    super();
    const o = toOptions(args);
    const byteOrder = o.byteOrder ?? 'BE';
    if (byteOrder !== 'BE' && byteOrder !== 'LE') {
      throw new IllegalArgumentException(`byteOrder: ${String(byteOrder)} (expected: 'BE' or 'LE')`);
    }
    const { maxFrameLength, lengthFieldOffset, lengthFieldLength } = o;
    const lengthAdjustment = o.lengthAdjustment ?? 0;
    const initialBytesToStrip = o.initialBytesToStrip ?? 0;
    if (!Number.isSafeInteger(maxFrameLength) || maxFrameLength <= 0) {
      throw new IllegalArgumentException(`maxFrameLength must be a positive integer: ${maxFrameLength}`);
    }
    if (!Number.isSafeInteger(lengthFieldOffset) || lengthFieldOffset < 0) {
      throw new IllegalArgumentException(`lengthFieldOffset must be a non-negative integer: ${lengthFieldOffset}`);
    }
    if (!Number.isSafeInteger(lengthFieldLength) || lengthFieldLength < 0) {
      throw new IllegalArgumentException(`lengthFieldLength must be a non-negative integer: ${lengthFieldLength}`);
    }
    if (!Number.isSafeInteger(initialBytesToStrip) || initialBytesToStrip < 0) {
      throw new IllegalArgumentException(`initialBytesToStrip must be a non-negative integer: ${initialBytesToStrip}`);
    }
    if (!Number.isSafeInteger(lengthAdjustment)) {
      throw new IllegalArgumentException(`lengthAdjustment must be an integer: ${lengthAdjustment}`);
    }
    if (lengthFieldOffset > maxFrameLength - lengthFieldLength) {
      throw new IllegalArgumentException(
        `maxFrameLength (${maxFrameLength}) must be equal to or greater than lengthFieldOffset ` +
          `(${lengthFieldOffset}) + lengthFieldLength (${lengthFieldLength}).`,
      );
    }
    this.byteOrder = byteOrder;
    this.maxFrameLength = maxFrameLength;
    this.lengthFieldOffset = lengthFieldOffset;
    this.lengthFieldLength = lengthFieldLength;
    this.lengthAdjustment = lengthAdjustment;
    this.lengthFieldEndOffset = lengthFieldOffset + lengthFieldLength;
    this.initialBytesToStrip = initialBytesToStrip;
    this.failFast = o.failFast ?? true;
  }

  protected decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    const frame = this.decodeFrame(ctx, input);
    if (frame !== null) out.push(frame);
  }

  /**
   * Decodes one frame from `input`, or returns null when more bytes are needed (or bytes were discarded).
   * Netty's `decode(ctx, in)`.
   */
  protected decodeFrame(ctx: ChannelHandlerContext, input: ByteBuf): ByteBuf | null {
    let frameLength = this.frameLengthInt;
    if (frameLength === -1) {
      // A new frame: read and check its header.
      if (this.discardingTooLongFrame) this.discardTooLongFrame(ctx, input);
      const endOffset = this.lengthFieldEndOffset;
      if (input.readableBytes() < endOffset) {
        this.expectFrameLength(endOffset);
        return null;
      }
      const fieldIndex = input.readerIndex() + this.lengthFieldOffset;
      const rawLength = this.getUnadjustedFrameLength(input, fieldIndex, this.lengthFieldLength, this.byteOrder);
      if (rawLength < 0) this.failOnNegativeLengthField(ctx, input, fieldIndex, rawLength);
      frameLength = rawLength + this.lengthAdjustment + endOffset;
      if (frameLength < endOffset) {
        input.skipBytes(endOffset);
        throw new CorruptedFrameException(
          `Adjusted frame length (${frameLength}) is less than lengthFieldEndOffset: ${endOffset}`,
          { frameLength, channel: ctx.channel() },
        );
      }
      if (frameLength > this.maxFrameLength) {
        this.exceededFrameLength(ctx, input, frameLength, fieldIndex);
        return null;
      }
      this.frameLengthInt = frameLength;
    }
    if (input.readableBytes() < frameLength) {
      this.expectFrameLength(frameLength);
      return null;
    }
    this.frameLengthInt = -1;
    const strip = this.initialBytesToStrip;
    if (strip > frameLength) {
      input.skipBytes(frameLength);
      throw new CorruptedFrameException(
        `Adjusted frame length (${frameLength}) is less than initialBytesToStrip: ${strip}`,
        { frameLength, channel: ctx.channel() },
      );
    }
    const readerIndex = input.readerIndex() + strip;
    const actualFrameLength = frameLength - strip;
    const frame = this.extractFrame(ctx, input, readerIndex, actualFrameLength);
    input.readerIndex(readerIndex + actualFrameLength);
    return frame;
  }

  /**
   * Reads the length field's value at `offset` (the reader index is not moved): unsigned for 1 to 4
   * bytes, signed for 8. Override to decode other encodings; throws DecoderException for other lengths.
   * An 8-byte value outside ±2^53 comes back rounded (still far beyond any `maxFrameLength`).
   */
  protected getUnadjustedFrameLength(buf: ByteBuf, offset: number, length: number, order: ByteOrder): number {
    const be = order === 'BE';
    switch (length) {
      case 1:
        return buf.getUnsignedByte(offset);
      case 2:
        return be ? buf.getUnsignedShort(offset) : buf.getUnsignedShortLE(offset);
      case 3:
        return be ? buf.getUnsignedMedium(offset) : buf.getUnsignedMediumLE(offset);
      case 4:
        return be ? buf.getUnsignedInt(offset) : buf.getUnsignedIntLE(offset);
      case 8:
        // Two 32-bit halves: no bigint on the hot path. Exact below 2^53; the sign is always right.
        return be
          ? buf.getInt(offset) * TWO_POW_32 + buf.getUnsignedInt(offset + 4)
          : buf.getIntLE(offset + 4) * TWO_POW_32 + buf.getUnsignedIntLE(offset);
      default:
        throw new DecoderException(`unsupported lengthFieldLength: ${length} (expected: 1, 2, 3, 4, or 8)`);
    }
  }

  /**
   * Makes the frame `[index, index + length)` of `buffer` (after stripping). Default: a retained slice,
   * sharing memory with the cumulation. Override to copy (`buffer.copy(index, length)`) when frames are
   * kept long. Do not move `buffer`'s indices.
   */
  protected extractFrame(_ctx: ChannelHandlerContext, buffer: ByteBuf, index: number, length: number): ByteBuf {
    return buffer.retainedSlice(index, length);
  }

  private failOnNegativeLengthField(ctx: ChannelHandlerContext, input: ByteBuf, fieldIndex: number, rawLength: number): never {
    const exact = this.exactLengthField(input, fieldIndex, rawLength);
    input.skipBytes(this.lengthFieldEndOffset);
    throw new CorruptedFrameException(`negative pre-adjustment length field: ${exact}`, {
      lengthFieldValue: exact,
      channel: ctx.channel(),
    });
  }

  private exceededFrameLength(ctx: ChannelHandlerContext, input: ByteBuf, frameLength: number, fieldIndex: number): void {
    // Unsafe only for an 8-byte field beyond 2^53: report the exact value.
    const exact: number | bigint = Number.isSafeInteger(frameLength)
      ? frameLength
      : BigInt(this.exactLengthField(input, fieldIndex, frameLength)) + BigInt(this.lengthAdjustment + this.lengthFieldEndOffset);
    this.tooLongFrameLength = exact;
    const readable = input.readableBytes();
    const discard = frameLength - readable;
    if (discard < 0) {
      // The buffer holds the whole frame (and more): drop it now.
      input.skipBytes(frameLength);
    } else {
      // Enter discard mode: drop what we have and the rest as it arrives; never buffer it.
      this.discardingTooLongFrame = true;
      this.bytesToDiscard = discard;
      input.skipBytes(readable);
    }
    this.failIfNecessary(ctx, true);
  }

  private discardTooLongFrame(ctx: ChannelHandlerContext, input: ByteBuf): void {
    const local = Math.min(this.bytesToDiscard, input.readableBytes());
    input.skipBytes(local);
    this.bytesToDiscard -= local;
    this.failIfNecessary(ctx, false);
  }

  /** Throws exactly once per too long frame: on detection with failFast, after the last byte without. */
  private failIfNecessary(ctx: ChannelHandlerContext, firstDetectionOfTooLongFrame: boolean): void {
    if (this.bytesToDiscard === 0) {
      const tooLongFrameLength = this.tooLongFrameLength;
      this.tooLongFrameLength = 0;
      this.discardingTooLongFrame = false;
      if (!this.failFast || firstDetectionOfTooLongFrame) this.fail(ctx, tooLongFrameLength);
    } else if (this.failFast && firstDetectionOfTooLongFrame) {
      this.fail(ctx, this.tooLongFrameLength);
    }
  }

  private fail(ctx: ChannelHandlerContext, frameLength: number | bigint): never {
    const max = this.maxFrameLength;
    if (frameLength > 0) {
      throw new TooLongFrameException(`Adjusted frame length exceeds ${max}: ${frameLength} - discarded`, {
        frameLength,
        maxFrameLength: max,
        channel: ctx.channel(),
      });
    }
    throw new TooLongFrameException(`Adjusted frame length exceeds ${max} - discarding`, {
      maxFrameLength: max,
      channel: ctx.channel(),
    });
  }

  /** The exact field value: `approx` itself when safe, else re-read as a bigint (8-byte fields only). */
  private exactLengthField(input: ByteBuf, fieldIndex: number, approx: number): number | bigint {
    if (Number.isSafeInteger(approx) || this.lengthFieldLength !== 8) return approx;
    return this.byteOrder === 'BE' ? input.getLong(fieldIndex) : input.getLongLE(fieldIndex);
  }
}

function toOptions(
  args: [LengthFieldBasedFrameDecoderOptions] | (number | boolean | ByteOrder | undefined)[],
): LengthFieldBasedFrameDecoderOptions {
  const first = args[0];
  if (typeof first === 'object' && first !== null) return first;
  const a = args as (number | boolean | ByteOrder | undefined)[];
  if (first === 'BE' || first === 'LE') {
    return {
      byteOrder: first,
      maxFrameLength: a[1] as number,
      lengthFieldOffset: a[2] as number,
      lengthFieldLength: a[3] as number,
      lengthAdjustment: a[4] as number,
      initialBytesToStrip: a[5] as number,
      failFast: a[6] as boolean,
    };
  }
  return {
    maxFrameLength: a[0] as number,
    lengthFieldOffset: a[1] as number,
    lengthFieldLength: a[2] as number,
    lengthAdjustment: (a[3] as number | undefined) ?? 0,
    initialBytesToStrip: (a[4] as number | undefined) ?? 0,
    failFast: (a[5] as boolean | undefined) ?? true,
  };
}
