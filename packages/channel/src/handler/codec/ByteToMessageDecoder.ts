import { ByteBuf } from '../../buffer/ByteBuf';
import type { ByteBufAllocator } from '../../buffer/ByteBufAllocator';
import { CompositeByteBuf } from '../../buffer/CompositeByteBuf';
import { IllegalReferenceCountException } from '../../buffer/errors';
import { Unpooled } from '../../buffer/Unpooled';
import { ChannelInputShutdownEvent } from '../../channel/ChannelEvents';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../channel/ChannelInboundHandlerAdapter';
import { IllegalArgumentException, IllegalStateException, toError } from '../../util/SluiceError';
import { DecoderException, simpleClassName } from './errors';

/**
 * Port of io.netty.handler.codec.ByteToMessageDecoder.Cumulator (Netty 4.1): merges the bytes that arrive
 * into the decoder's cumulation buffer.
 *
 * ## Ownership
 * `cumulate` owns both arguments: it returns the new cumulation (which may be `input` itself or a new
 * buffer) and releases whatever it does not return — `input` always, even when it throws; the old
 * `cumulation` only when it succeeded and replaced it.
 */
export interface Cumulator {
  cumulate(alloc: ByteBufAllocator, cumulation: ByteBuf, input: ByteBuf): ByteBuf;
}

/** Java's Integer.MAX_VALUE: the capacity limit Netty grows a cumulation towards. */
const MAX_VALUE = 2147483647;

/** A buffer whose readable bytes lie in one memory region (Netty's `ByteBuf.isContiguous()`). */
function isContiguous(buf: ByteBuf): boolean {
  return !(buf instanceof CompositeByteBuf) && buf.nioBufferCount() === 1;
}

/** Replaces `oldCumulation` by a larger buffer holding its readable bytes followed by `input`'s. */
function expandCumulation(alloc: ByteBufAllocator, oldCumulation: ByteBuf, input: ByteBuf): ByteBuf {
  const oldBytes = oldCumulation.readableBytes();
  const newBytes = input.readableBytes();
  const totalBytes = oldBytes + newBytes;
  const newCumulation = alloc.buffer(alloc.calculateNewCapacity(totalBytes, MAX_VALUE));
  let toRelease = newCumulation;
  try {
    newCumulation
      .setBytes(0, oldCumulation, oldCumulation.readerIndex(), oldBytes)
      .setBytes(oldBytes, input, input.readerIndex(), newBytes)
      .writerIndex(totalBytes);
    input.readerIndex(input.writerIndex());
    toRelease = oldCumulation;
    return newCumulation;
  } finally {
    toRelease.release();
  }
}

const MERGE_CUMULATOR: Cumulator = {
  cumulate(alloc: ByteBufAllocator, cumulation: ByteBuf, input: ByteBuf): ByteBuf {
    if (!cumulation.isReadable() && isContiguous(input)) {
      // Nothing cumulated: the input itself becomes the cumulation, without a copy.
      cumulation.release();
      return input;
    }
    try {
      const required = input.readableBytes();
      if (
        required > cumulation.maxWritableBytes() ||
        (required > cumulation.maxFastWritableBytes() && cumulation.refCnt() > 1) ||
        cumulation.isReadOnly()
      ) {
        // Replace rather than grow: it cannot grow enough, growing would move memory a retained slice
        // still uses (refCnt > 1), or it is read-only.
        return expandCumulation(alloc, cumulation, input);
      }
      cumulation.writeBytes(input, input.readerIndex(), required);
      input.readerIndex(input.writerIndex());
      return cumulation;
    } finally {
      // Always release the input, also when the copy throws (Netty: otherwise it leaks).
      input.release();
    }
  },
};

const COMPOSITE_CUMULATOR: Cumulator = {
  cumulate(alloc: ByteBufAllocator, cumulation: ByteBuf, input: ByteBuf): ByteBuf {
    if (!cumulation.isReadable()) {
      cumulation.release();
      return input;
    }
    let composite: CompositeByteBuf | null = null;
    let owned = false;
    try {
      if (cumulation instanceof CompositeByteBuf && cumulation.refCnt() === 1) {
        composite = cumulation;
        // Components are appended after the writer index, so trim any spare capacity first.
        if (composite.writerIndex() !== composite.capacity()) composite.capacity(composite.writerIndex());
      } else {
        composite = alloc.compositeBuffer(MAX_VALUE).addFlattenedComponents(true, cumulation);
      }
      composite.addFlattenedComponents(true, input);
      owned = true;
      return composite;
    } finally {
      if (!owned) {
        input.release();
        if (composite !== null && composite !== cumulation) composite.release();
      }
    }
  },
};

const enum DecodeState {
  Init = 0,
  CallingChildDecode = 1,
  HandlerRemovedPending = 2,
}

/** Bytes copied first from a new read when the decoder gave no frame-length hint. */
const MIN_STRADDLE_STEP = 256;
/** Smallest capacity of a cumulation allocated for a straddling frame. */
const MIN_STRADDLE_CAPACITY = 1024;

/**
 * Port of io.netty.handler.codec.ByteToMessageDecoder (Netty 4.1). Differs: the output list is a plain
 * array (push decoded messages); the merge cumulation copies only the bytes of a frame that straddles two
 * reads instead of the whole new read (see "Cumulation" below); a decoder may announce the length of the
 * frame it waits for with {@link expectFrameLength}; `handlerRemoved` is final by a check in the
 * constructor rather than by the compiler.
 *
 * Decodes a stream of bytes into messages. Bytes of successive reads are cumulated until `decode()` can
 * make a message of them; every message pushed to `out` is fired to the next handler in order.
 *
 * Cumulation: with the default {@link ByteToMessageDecoder.MERGE_CUMULATOR}, a read that arrives while
 * nothing is cumulated is decoded in place. When bytes of an incomplete frame are left over, only as many
 * bytes of the next read as complete that frame are copied behind them (exactly as many when the decoder
 * called {@link expectFrameLength}, otherwise in doubling steps); the rest of the read is again decoded
 * in place. Decoders see the same byte stream either way, only split differently, so any correct decoder
 * behaves the same. With another cumulator, or with single-decode on, the cumulator merges whole reads as
 * in Netty.
 *
 * ## Threading
 * Only ever called on the channel's event loop. The decoder keeps per-channel state, so it must not be
 * `@Sharable` (the constructor throws).
 *
 * ## Ownership
 * `channelRead` takes the reference of every `ByteBuf` it receives; the decoder releases it once decoded.
 * Messages pushed to `out` are handed on with their reference — push `input.readRetainedSlice(n)`, never a
 * plain `readSlice(n)`, which shares the cumulation's count and would be released under you.
 * Non-`ByteBuf` messages are forwarded untouched.
 *
 * ## Pitfalls
 * - Read only from `input.readerIndex()`: `input.getInt(0)` assumes the frame starts at index 0, which
 *   it does not after earlier frames were decoded from the same buffer.
 * - If there are not enough bytes, return without moving the reader index; the decoder is called again
 *   when more arrive. Producing a message without reading anything throws DecoderException.
 * - Removing the decoder (even from inside `decode`) forwards the undecoded bytes downstream as a ByteBuf.
 *
 * @example
 * class IntDecoder extends ByteToMessageDecoder {
 *   protected decode(_ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
 *     if (input.readableBytes() >= 4) out.push(input.readInt());
 *   }
 * }
 */
export abstract class ByteToMessageDecoder extends ChannelInboundHandlerAdapter {
  /** Cumulates by copying into one buffer (the default). See the class comment for the copy rules. */
  static readonly MERGE_CUMULATOR: Cumulator = MERGE_CUMULATOR;
  /**
   * Cumulates by adding the reads to a CompositeByteBuf, without copying; the decoder then works on a
   * composite, which indexes more slowly than one contiguous buffer.
   */
  static readonly COMPOSITE_CUMULATOR: Cumulator = COMPOSITE_CUMULATOR;

  private cumulation: ByteBuf | null = null;
  private cumulator: Cumulator = MERGE_CUMULATOR;
  private singleDecode = false;
  private first = false;
  /** A message was fired during the current read batch (for the autoRead-off `ctx.read()`). */
  private firedChannelRead = false;
  /** A ByteBuf reached this decoder during the current read batch. */
  private selfFiredChannelRead = false;
  private decodeState = DecodeState.Init;
  private discardAfterReads = 16;
  private numReads = 0;
  /** Messages fired so far; lets channelInputClosed tell whether it produced any. */
  private firedCount = 0;
  /** The read being merged into a straddling frame, while that is in progress. */
  private pendingInput: ByteBuf | null = null;
  /** Readable bytes the last decode() said it needs at the reader index (0: unknown). */
  private expectedLength = 0;
  /** Reused output array; a re-entrant channelRead gets a fresh one. */
  private readonly sharedOut: unknown[] = [];
  private sharedOutInUse = false;

  constructor() {
    super();
    this.ensureNotSharable();
    if (this.handlerRemoved !== ByteToMessageDecoder.prototype.handlerRemoved) {
      throw new IllegalStateException(
        `${simpleClassName(this)} overrides handlerRemoved(), which ByteToMessageDecoder needs to forward the ` +
          'undecoded bytes; override handlerRemoved0() instead',
      );
    }
  }

  /**
   * Decodes as many messages from `input` as it can and pushes them to `out`; returns without moving the
   * reader index when `input` holds no complete message.
   */
  protected abstract decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void;

  /**
   * Called a last time when the input is closed (channel inactive or input shut down), with what is left
   * of the cumulation (possibly empty). Default: `decode()` if anything is readable.
   */
  protected decodeLast(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    // Netty #4386: only decode if there is something left.
    if (input.isReadable()) this.decodeRemovalReentryProtection(ctx, input, out);
  }

  /** Decode at most one message per read (default false). Useful around protocol upgrades. */
  setSingleDecode(singleDecode: boolean): void {
    this.singleDecode = singleDecode;
  }

  isSingleDecode(): boolean {
    return this.singleDecode;
  }

  /** Sets how reads are cumulated (default {@link ByteToMessageDecoder.MERGE_CUMULATOR}). */
  setCumulator(cumulator: Cumulator): void {
    if (cumulator === null || cumulator === undefined) throw new IllegalArgumentException('cumulator');
    this.cumulator = cumulator;
  }

  /**
   * Reads after which the cumulation's already-read bytes are discarded to free memory (default 16; must
   * be > 0). Netty #4275: without it, many reads before a readComplete grow the cumulation without bound.
   */
  setDiscardAfterReads(discardAfterReads: number): void {
    if (!Number.isInteger(discardAfterReads) || discardAfterReads <= 0) {
      throw new IllegalArgumentException(`discardAfterReads : ${discardAfterReads} (expected: > 0)`);
    }
    this.discardAfterReads = discardAfterReads;
  }

  /** Readable bytes of the cumulation (`internalBuffer().readableBytes()`). */
  protected actualReadableBytes(): number {
    return this.internalBuffer().readableBytes();
  }

  /** The cumulation, or `Unpooled.EMPTY_BUFFER` when there is none. Do not keep or release it. */
  protected internalBuffer(): ByteBuf {
    return this.cumulation ?? Unpooled.EMPTY_BUFFER;
  }

  /**
   * Tells the cumulation that the next decode() needs `length` readable bytes from the current reader
   * index (call it when returning for lack of bytes). Optional: it only lets the merge cumulation copy
   * exactly the missing bytes of a frame that straddles two reads. 0 means unknown.
   */
  protected expectFrameLength(length: number): void {
    this.expectedLength = length;
  }

  /**
   * Final: forwards the undecoded bytes (as a ByteBuf, then channelReadComplete) or releases an empty
   * cumulation, then calls {@link handlerRemoved0}. When the decoder is removed from inside `decode()`, this
   * waits until `decode()` returned and its output was fired.
   */
  override handlerRemoved(ctx: ChannelHandlerContext): void {
    if (this.decodeState === DecodeState.CallingChildDecode) {
      this.decodeState = DecodeState.HandlerRemovedPending;
      return;
    }
    const buf = this.cumulation;
    const pending = this.pendingInput;
    this.cumulation = null;
    this.pendingInput = null;
    this.numReads = 0;
    let forwarded = false;
    if (buf !== null) {
      if (buf.isReadable()) {
        ctx.fireChannelRead(buf);
        forwarded = true;
      } else {
        buf.release();
      }
    }
    if (pending !== null) {
      if (pending.isReadable()) {
        ctx.fireChannelRead(pending);
        forwarded = true;
      } else {
        pending.release();
      }
    }
    if (forwarded) ctx.fireChannelReadComplete();
    this.handlerRemoved0(ctx);
  }

  /** Called after the decoder was removed and its leftover bytes were handled. */
  protected handlerRemoved0(_ctx: ChannelHandlerContext): void {}

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    if (!(msg instanceof ByteBuf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    this.selfFiredChannelRead = true;
    const out = this.acquireOut();
    try {
      const cumulation = this.cumulation;
      this.first = cumulation === null;
      if (this.cumulator === MERGE_CUMULATOR && isContiguous(msg)) {
        if (cumulation === null || !cumulation.isReadable()) {
          if (cumulation !== null) cumulation.release();
          this.cumulation = msg;
          this.first = true;
          this.callDecode(ctx, msg, out);
        } else if (this.singleDecode) {
          this.callDecode(ctx, (this.cumulation = MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, msg)), out);
        } else {
          this.decodeStraddling(ctx, cumulation, msg, out);
        }
      } else {
        const c = this.cumulator.cumulate(ctx.alloc(), cumulation ?? Unpooled.EMPTY_BUFFER, msg);
        this.cumulation = c;
        this.callDecode(ctx, c, out);
      }
    } catch (e) {
      throw this.asDecoderException(ctx, e);
    } finally {
      try {
        const c = this.cumulation;
        if (c !== null && !c.isReadable()) {
          this.numReads = 0;
          this.cumulation = null;
          try {
            c.release();
          } catch (e) {
            if (!(e instanceof IllegalReferenceCountException)) throw e;
            throw new IllegalStateException(
              `${simpleClassName(this)}#decode() might have released its input buffer, or passed it down the ` +
                'pipeline without a retain() call, which is not allowed.',
              { cause: e, code: 'SLUICE_ILLEGAL_REFERENCE_COUNT' },
            );
          }
        } else if (++this.numReads >= this.discardAfterReads) {
          // Netty #4275: discard read bytes now and then, or the cumulation grows without bound.
          this.numReads = 0;
          this.discardSomeReadBytes();
        }
        this.fireOut(ctx, out);
      } finally {
        this.releaseOut(out);
      }
    }
  }

  /**
   * The merge cumulation for a read that arrives while `cumulation` holds bytes of an incomplete frame:
   * copies just enough of `input` behind those bytes to finish the frame, then decodes the rest of
   * `input` in place. The bytes copied are still in `input`, so once everything left in the cumulation
   * came from `input`, decoding continues on `input` from where those bytes start.
   */
  private decodeStraddling(ctx: ChannelHandlerContext, cumulation: ByteBuf, input: ByteBuf, out: unknown[]): void {
    let c = cumulation;
    let copied = 0;
    this.pendingInput = input;
    try {
      for (;;) {
        const leftover = c.readableBytes();
        const expected = this.expectedLength;
        const available = input.readableBytes();
        let step = expected > leftover ? expected - leftover : Math.max(leftover, copied, MIN_STRADDLE_STEP);
        if (step > available) step = available;
        c = this.cumulationWithRoom(ctx, c, step, available, expected);
        const inputIndex = input.readerIndex();
        c.writeBytes(input, inputIndex, step);
        input.readerIndex(inputIndex + step);
        copied += step;
        this.callDecode(ctx, c, out);
        if (this.pendingInput === null) return; // removed: handlerRemoved forwarded both buffers
        const rest = c.readableBytes();
        if (rest <= copied) {
          // Everything left came from input: go on decoding input itself, from where those bytes start.
          input.readerIndex(input.readerIndex() - rest);
          this.pendingInput = null;
          this.cumulation = input;
          this.first = true;
          c.release();
          this.callDecode(ctx, input, out);
          return;
        }
        if (!input.isReadable()) {
          this.pendingInput = null;
          input.release();
          return;
        }
      }
    } finally {
      const pending = this.pendingInput;
      if (pending !== null) {
        // decode() threw: keep the rest of the input behind the cumulation for the next read.
        this.pendingInput = null;
        this.cumulation = MERGE_CUMULATOR.cumulate(ctx.alloc(), this.cumulation ?? Unpooled.EMPTY_BUFFER, pending);
      }
    }
  }

  /**
   * `c` if `step` more bytes fit without reallocating and nobody else holds it (no retained frame or
   * duplicate could see the appended bytes), else a new cumulation holding `c`'s readable bytes.
   */
  private cumulationWithRoom(ctx: ChannelHandlerContext, c: ByteBuf, step: number, available: number, expected: number): ByteBuf {
    if (step <= c.maxFastWritableBytes() && c.refCnt() === 1 && !c.isReadOnly()) return c;
    const leftover = c.readableBytes();
    const need = leftover + step;
    let capacity: number;
    if (expected > leftover && expected <= leftover + available) {
      // The frame completes within this read: room for exactly that frame.
      capacity = Math.max(expected, Math.min(leftover + available, MIN_STRADDLE_CAPACITY));
    } else {
      // Grow geometrically (amortised copies), but never beyond a known frame length.
      capacity = ctx.alloc().calculateNewCapacity(leftover + available, MAX_VALUE);
      if (expected > need && capacity > expected) capacity = expected;
    }
    if (capacity < need) capacity = need;
    const n = ctx.alloc().buffer(capacity);
    try {
      n.writeBytes(c, c.readerIndex(), leftover);
    } catch (e) {
      n.release();
      throw e;
    }
    this.cumulation = n;
    c.release();
    return n;
  }

  override channelReadComplete(ctx: ChannelHandlerContext): void {
    this.numReads = 0;
    this.discardSomeReadBytes();
    if (this.selfFiredChannelRead && !this.firedChannelRead && !ctx.channel().config().isAutoRead()) {
      // Nothing decoded from this batch and nobody else will ask: request more data.
      ctx.read();
    }
    this.selfFiredChannelRead = false;
    this.firedChannelRead = false;
    ctx.fireChannelReadComplete();
  }

  /** Compacts the cumulation, unless it is this read's input itself or shared (Netty #1764, #2327). */
  protected discardSomeReadBytes(): void {
    const c = this.cumulation;
    if (c !== null && !this.first && c.refCnt() === 1) c.discardSomeReadBytes();
  }

  override channelInactive(ctx: ChannelHandlerContext): void {
    this.channelInputClosed(ctx, true);
  }

  override userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
    // decodeLast must run when the input was shut down as well as when the channel became inactive.
    if (evt instanceof ChannelInputShutdownEvent) this.channelInputClosed(ctx, false);
    ctx.fireUserEventTriggered(evt);
  }

  private channelInputClosed(ctx: ChannelHandlerContext, callChannelInactive: boolean): void {
    const out = this.acquireOut();
    const firedBefore = this.firedCount;
    try {
      this.decodeInputClosed(ctx, out);
    } catch (e) {
      throw this.asDecoderException(ctx, e);
    } finally {
      try {
        const c = this.cumulation;
        if (c !== null) {
          this.cumulation = null;
          c.release();
        }
        this.fireOut(ctx, out);
        if (this.firedCount !== firedBefore) ctx.fireChannelReadComplete();
        if (callChannelInactive) ctx.fireChannelInactive();
      } finally {
        this.releaseOut(out);
      }
    }
  }

  /** Decodes what is left, then calls decodeLast (with EMPTY_BUFFER when nothing is left). */
  private decodeInputClosed(ctx: ChannelHandlerContext, out: unknown[]): void {
    const c = this.cumulation;
    if (c !== null) {
      this.callDecode(ctx, c, out);
      // Not after a removal from callDecode; Netty #10802: the cumulation may be gone by now.
      if (!ctx.isRemoved()) this.decodeLast(ctx, this.cumulation ?? Unpooled.EMPTY_BUFFER, out);
    } else {
      this.decodeLast(ctx, Unpooled.EMPTY_BUFFER, out);
    }
  }

  /**
   * Calls `decode()` while `input` is readable and decoding makes progress, firing each batch of output
   * before decoding the next; stops as soon as the decoder was removed.
   */
  protected callDecode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    try {
      while (input.isReadable()) {
        if (out.length > 0) {
          this.fireOut(ctx, out);
          // Netty #4635: removed by a handler we fired to: the buffer is no longer ours.
          if (ctx.isRemoved()) break;
        }
        const oldInputLength = input.readableBytes();
        this.decodeRemovalReentryProtection(ctx, input, out);
        // Netty #1664: removed from inside decode(): the buffer is no longer ours.
        if (ctx.isRemoved()) break;
        if (out.length === 0) {
          if (oldInputLength === input.readableBytes()) break;
          continue;
        }
        if (oldInputLength === input.readableBytes()) {
          throw new DecoderException(`${simpleClassName(this)}.decode() did not read anything but decoded a message.`, {
            channel: ctx.channel(),
          });
        }
        if (this.singleDecode) break;
      }
    } catch (e) {
      throw this.asDecoderException(ctx, e);
    }
  }

  /** Calls decode(); a removal requested meanwhile is carried out once it returned and its output was fired. */
  protected decodeRemovalReentryProtection(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    this.decodeState = DecodeState.CallingChildDecode;
    this.expectedLength = 0;
    try {
      this.decode(ctx, input, out);
    } finally {
      // handlerRemoved() may have changed the state while decode() ran.
      const removePending = (this.decodeState as DecodeState) === DecodeState.HandlerRemovedPending;
      this.decodeState = DecodeState.Init;
      if (removePending) {
        this.fireOut(ctx, out);
        this.handlerRemoved(ctx);
      }
    }
  }

  /** Fires every message in `out`, in order, and empties it. */
  private fireOut(ctx: ChannelHandlerContext, out: unknown[]): void {
    const size = out.length;
    if (size === 0) return;
    this.firedChannelRead = true;
    this.firedCount += size;
    try {
      for (let i = 0; i < size; i++) ctx.fireChannelRead(out[i]);
    } finally {
      // pop() keeps the array's backing store; `length = 0` would drop it and allocate on the next push.
      while (out.length > 0) out.pop();
    }
  }

  private acquireOut(): unknown[] {
    if (this.sharedOutInUse) return [];
    this.sharedOutInUse = true;
    return this.sharedOut;
  }

  private releaseOut(out: unknown[]): void {
    if (out === this.sharedOut) {
      while (out.length > 0) out.pop();
      this.sharedOutInUse = false;
    }
  }

  private asDecoderException(ctx: ChannelHandlerContext, e: unknown): DecoderException {
    return e instanceof DecoderException ? e : new DecoderException(toError(e), { channel: ctx.channel() });
  }
}
