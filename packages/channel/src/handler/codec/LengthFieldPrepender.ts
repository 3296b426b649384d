import { ByteBuf } from '../../buffer/ByteBuf';
import { Sharable } from '../../channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { IllegalArgumentException } from '../../util/SluiceError';
import type { ByteOrder } from './LengthFieldBasedFrameDecoder';
import { MessageToMessageEncoder } from './MessageToMessageEncoder';

/** Options of {@link LengthFieldPrepender}. */
export interface LengthFieldPrependerOptions {
  /** Byte order of the length field (default: `'BE'`). */
  byteOrder?: ByteOrder;
  /** Size of the length field in bytes: 1, 2, 3, 4 or 8. Required. */
  lengthFieldLength: number;
  /** Added to the message's length before it is written, in bytes (default: 0). */
  lengthAdjustment?: number;
  /** Whether the written length counts the length field itself (default: false). */
  lengthIncludesLengthFieldLength?: boolean;
}

/**
 * Port of io.netty.handler.codec.LengthFieldPrepender (Netty 4.1). Differs: takes an options object
 * besides Netty's positional constructors; the byte order is `'BE' | 'LE'`; a 4-byte field rejects
 * lengths above 2^32 − 1 instead of truncating them.
 *
 * Prepends the length of each outbound ByteBuf: for "HELLO, WORLD" (12 bytes) and a 2-byte field it
 * writes `00 0C` then the 12 bytes, or `00 0E` with `lengthIncludesLengthFieldLength`. The written value
 * is `readableBytes + lengthAdjustment (+ lengthFieldLength)`.
 *
 * ## Threading
 * `@Sharable`: keeps no per-channel state, so one instance may serve every channel.
 *
 * ## Ownership
 * Emits two messages per ByteBuf: a newly allocated buffer holding only the length field, then the
 * message itself (retained once for the output and released once by the encoder, so its count is
 * unchanged) — the payload is never copied. Both reach the transport, which writes them with one writev.
 *
 * ## Pitfalls
 * A length that does not fit the field fails the write with an EncoderException wrapping
 * `IllegalArgumentException('length does not fit into a byte: 256')` (short, medium, integer likewise);
 * a negative adjusted length with `Adjusted frame length (N) is less than zero`.
 *
 * @example
 * pipeline.addLast('frameDecoder', new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4));
 * pipeline.addLast('frameEncoder', new LengthFieldPrepender(4));
 */
@Sharable
export class LengthFieldPrepender extends MessageToMessageEncoder<ByteBuf> {
  private readonly byteOrder: ByteOrder;
  private readonly lengthFieldLength: number;
  private readonly lengthIncludesLengthFieldLength: boolean;
  private readonly lengthAdjustment: number;

  constructor(options: LengthFieldPrependerOptions);
  constructor(lengthFieldLength: number, lengthAdjustment?: number, lengthIncludesLengthFieldLength?: boolean);
  constructor(lengthFieldLength: number, lengthIncludesLengthFieldLength: boolean);
  constructor(
    byteOrder: ByteOrder,
    lengthFieldLength: number,
    lengthAdjustment: number,
    lengthIncludesLengthFieldLength: boolean,
  );
  constructor(...args: [LengthFieldPrependerOptions] | (number | boolean | ByteOrder | undefined)[]) {
    super(ByteBuf);
    const o = toOptions(args);
    const byteOrder = o.byteOrder ?? 'BE';
    if (byteOrder !== 'BE' && byteOrder !== 'LE') {
      throw new IllegalArgumentException(`byteOrder: ${String(byteOrder)} (expected: 'BE' or 'LE')`);
    }
    const len = o.lengthFieldLength;
    if (len !== 1 && len !== 2 && len !== 3 && len !== 4 && len !== 8) {
      throw new IllegalArgumentException(`lengthFieldLength must be either 1, 2, 3, 4, or 8: ${len}`);
    }
    const adjustment = o.lengthAdjustment ?? 0;
    if (!Number.isSafeInteger(adjustment)) {
      throw new IllegalArgumentException(`lengthAdjustment must be an integer: ${adjustment}`);
    }
    this.byteOrder = byteOrder;
    this.lengthFieldLength = len;
    this.lengthAdjustment = adjustment;
    this.lengthIncludesLengthFieldLength = o.lengthIncludesLengthFieldLength ?? false;
  }

  protected encode(ctx: ChannelHandlerContext, msg: ByteBuf, out: unknown[]): void {
    let length = msg.readableBytes() + this.lengthAdjustment;
    if (this.lengthIncludesLengthFieldLength) length += this.lengthFieldLength;
    if (length < 0) throw new IllegalArgumentException(`Adjusted frame length (${length}) is less than zero`);
    const le = this.byteOrder === 'LE';
    const header = ctx.alloc().buffer(this.lengthFieldLength);
    try {
      switch (this.lengthFieldLength) {
        case 1:
          if (length >= 256) throw new IllegalArgumentException(`length does not fit into a byte: ${length}`);
          header.writeByte(length);
          break;
        case 2:
          if (length >= 65536) throw new IllegalArgumentException(`length does not fit into a short integer: ${length}`);
          if (le) header.writeShortLE(length);
          else header.writeShort(length);
          break;
        case 3:
          if (length >= 16777216) throw new IllegalArgumentException(`length does not fit into a medium integer: ${length}`);
          if (le) header.writeMediumLE(length);
          else header.writeMedium(length);
          break;
        case 4:
          if (length >= 4294967296) throw new IllegalArgumentException(`length does not fit into an integer: ${length}`);
          if (le) header.writeIntLE(length);
          else header.writeInt(length);
          break;
        default:
          if (le) header.writeLongNumberLE(length);
          else header.writeLongNumber(length);
      }
    } catch (e) {
      header.release();
      throw e;
    }
    out.push(header);
    out.push(msg.retain());
  }
}

function toOptions(args: [LengthFieldPrependerOptions] | (number | boolean | ByteOrder | undefined)[]): LengthFieldPrependerOptions {
  const first = args[0];
  if (typeof first === 'object' && first !== null) return first;
  const a = args as (number | boolean | ByteOrder | undefined)[];
  if (first === 'BE' || first === 'LE') {
    return {
      byteOrder: first,
      lengthFieldLength: a[1] as number,
      lengthAdjustment: a[2] as number,
      lengthIncludesLengthFieldLength: a[3] as boolean,
    };
  }
  if (typeof a[1] === 'boolean') {
    return { lengthFieldLength: a[0] as number, lengthIncludesLengthFieldLength: a[1] };
  }
  return {
    lengthFieldLength: a[0] as number,
    lengthAdjustment: (a[1] as number | undefined) ?? 0,
    lengthIncludesLengthFieldLength: (a[2] as boolean | undefined) ?? false,
  };
}
