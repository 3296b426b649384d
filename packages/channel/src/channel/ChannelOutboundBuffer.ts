import { ByteBuf } from '../buffer/ByteBuf';
import { ReferenceCountUtil } from '../buffer/ReferenceCountUtil';
import { Unpooled } from '../buffer/Unpooled';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { IllegalArgumentException, IllegalStateException } from '../util/SluiceError';
import type { Channel } from './Channel';
import type { ChannelPromise } from './ChannelFuture';
import { VoidChannelPromise } from './VoidChannelPromise';

const logger = InternalLoggerFactory.getInstance('ChannelOutboundBuffer');

/** Bytes added to every entry's pending size (Netty's io.netty.transport.outboundBufferEntrySizeOverhead). */
export const CHANNEL_OUTBOUND_BUFFER_ENTRY_OVERHEAD = 96;

class Entry {
  next: Entry | null = null;
  msg: unknown = null;
  promise: ChannelPromise | null = null;
  pendingSize = 0;
  cancelled = false;

  reset(): void {
    this.next = null;
    this.msg = null;
    this.promise = null;
    this.pendingSize = 0;
    this.cancelled = false;
  }
}

// Entries are recycled (Netty's ObjectPool): they never escape this class, so reuse is safe.
const entryPool: Entry[] = [];
const MAX_POOLED_ENTRIES = 4096;
function newEntry(msg: unknown, pendingSize: number, promise: ChannelPromise): Entry {
  const e = entryPool.pop() ?? new Entry();
  e.msg = msg;
  e.pendingSize = pendingSize;
  e.promise = promise;
  return e;
}
function recycle(e: Entry): void {
  e.reset();
  if (entryPool.length < MAX_POOLED_ENTRIES) entryPool.push(e);
}

/**
 * Releases a removed message, logging (not throwing) a failure. A `ByteBuf` — nearly every message a
 * transport sees — is released directly: the generic `ReferenceCountUtil.safeRelease(msg, onError)` path
 * tested the type by duck typing and allocated the error callback on every call, once per message in
 * the small-message sender's profile.
 */
function releaseMessage(msg: unknown): void {
  try {
    if (msg instanceof ByteBuf) msg.release();
    else ReferenceCountUtil.release(msg);
  } catch (err) {
    logger.warn('Failed to release a message.', err);
  }
}

/**
 * Port of io.netty.channel.ChannelOutboundBuffer (Netty 4.1): the queue of written messages of a channel.
 *
 * Entries are split by two cursors: `flushedEntry … unflushedEntry … tailEntry`. `write` appends unflushed
 * entries; `flush` (addFlush) moves them all to the flushed region, which the transport drains. Every
 * entry counts its estimated size + 96 bytes towards `totalPendingSize`: the channel turns unwritable
 * when the total rises above the high water mark and writable again when it falls below the low one,
 * firing `channelWritabilityChanged` only when the whole writability mask flips between zero and
 * non-zero. Bits 1..31 of the mask are user-defined writability flags.
 *
 * Differs: Node's sockets complete writes asynchronously, so a flushed entry may be *sent* (handed to the
 * socket) before it is *removed* (its write callback fired). `nextUnsent()` walks the flushed region for
 * transports like TCP; entries stay counted as pending until removed, so writability covers bytes still
 * queued inside Node's socket as well.
 *
 * ## Threading
 * Only ever called on the channel's event loop.
 *
 * ## Ownership
 * The buffer owns every queued message: `remove()` releases it and completes its promise, `failFlushed`
 * and `close` release and fail.
 */
export class ChannelOutboundBuffer {
  private flushedEntry: Entry | null = null;
  private unflushedEntry: Entry | null = null;
  private tailEntry: Entry | null = null;
  /** First flushed entry not yet handed to the transport (async transports only). */
  private unsentEntry: Entry | null = null;
  private flushed = 0;
  private inFail = false;
  private totalPendingSize = 0;
  private unwritable = 0;

  constructor(private readonly channel: Channel) {}

  /** Queues `msg` (unflushed), counting `size` + 96 bytes towards writability. */
  addMessage(msg: unknown, size: number, promise: ChannelPromise): void {
    const entry = newEntry(msg, Math.max(0, size) + CHANNEL_OUTBOUND_BUFFER_ENTRY_OVERHEAD, promise);
    if (this.tailEntry === null) this.flushedEntry = null;
    else this.tailEntry.next = entry;
    this.tailEntry = entry;
    if (this.unflushedEntry === null) this.unflushedEntry = entry;
    // Netty increments after linking, synchronously (writability event fired inside this call).
    this.incrementPendingOutboundBytes(entry.pendingSize, false);
  }

  /** Marks every unflushed message as flushed. A message whose promise was cancelled is dropped here. */
  addFlush(): void {
    let entry = this.unflushedEntry;
    if (entry === null) return;
    if (this.flushedEntry === null) this.flushedEntry = entry;
    if (this.unsentEntry === null) this.unsentEntry = entry;
    do {
      this.flushed++;
      if (!entry.promise!.setUncancellable()) {
        // Cancelled: release now and send nothing in its place.
        const pending = this.cancel(entry);
        this.decrementPendingOutboundBytes(pending, false, true);
      }
      entry = entry.next;
    } while (entry !== null);
    this.unflushedEntry = null;
  }

  private cancel(e: Entry): number {
    if (e.cancelled) return 0;
    e.cancelled = true;
    const pending = e.pendingSize;
    ReferenceCountUtil.safeRelease(e.msg);
    e.msg = Unpooled.EMPTY_BUFFER;
    e.pendingSize = 0;
    return pending;
  }

  /**
   * Adds bytes that are not (yet) entries — e.g. writes queued from outside the loop (Netty #1697).
   * `notifyLater`: fire writability changes from a task instead of inline.
   */
  incrementPendingOutboundBytes(size: number, notifyLater: boolean): void {
    if (size === 0) return;
    this.totalPendingSize += size;
    // Only a writable buffer can turn unwritable (setUnwritable is a no-op otherwise): skip reading the
    // water mark through the config, once per written message, while already unwritable.
    if ((this.unwritable & 1) === 0 && this.totalPendingSize > this.channel.config().getWriteBufferHighWaterMark()) {
      this.setUnwritable(notifyLater);
    }
  }

  decrementPendingOutboundBytes(size: number, notifyLater: boolean, notifyWritability = true): void {
    if (size === 0) return;
    this.totalPendingSize -= size;
    // Likewise only an unwritable buffer can turn writable (once per removed message).
    if (notifyWritability && (this.unwritable & 1) !== 0 && this.totalPendingSize < this.channel.config().getWriteBufferLowWaterMark()) {
      this.setWritable(notifyLater);
    }
  }

  /** The first flushed message, or null. */
  current(): unknown {
    const entry = this.flushedEntry;
    return entry === null ? null : entry.msg;
  }

  /**
   * Async transports: the next flushed message not yet handed to the transport, or null. Hand messages
   * over in this order and `remove()` them in the same order once each completed.
   */
  nextUnsent(): unknown {
    const e = this.unsentEntry;
    if (e === null) return null;
    this.unsentEntry = e.next !== this.unflushedEntry ? e.next : null;
    return e.msg;
  }

  /** Whether flushed messages are waiting to be handed to the transport. */
  hasUnsent(): boolean {
    return this.unsentEntry !== null;
  }

  /** Removes the first flushed message: releases it and succeeds its promise. False if none. */
  remove(): boolean {
    const e = this.flushedEntry;
    if (e === null) return false;
    const msg = e.msg;
    const promise = e.promise!;
    const size = e.pendingSize;
    this.removeEntry(e);
    if (!e.cancelled) {
      releaseMessage(msg);
      // A void promise has nothing to complete: its trySuccess() is a no-op returning false.
      if (!(promise instanceof VoidChannelPromise) && !promise.trySuccess() && !promise.isVoid() && !promise.isDone()) {
        logger.warn(`Failed to mark a promise as success: ${String(promise)}`);
      }
      this.decrementPendingOutboundBytes(size, false, true);
    }
    recycle(e);
    return true;
  }

  /** Removes the first flushed message, failing its promise with `cause`. False if none. */
  removeWithFailure(cause: Error, notifyWritability = true): boolean {
    const e = this.flushedEntry;
    if (e === null) return false;
    const msg = e.msg;
    const promise = e.promise!;
    const size = e.pendingSize;
    this.removeEntry(e);
    if (!e.cancelled) {
      releaseMessage(msg);
      promise.tryFailure(cause);
      this.decrementPendingOutboundBytes(size, false, notifyWritability);
    }
    recycle(e);
    return true;
  }

  private removeEntry(e: Entry): void {
    if (--this.flushed === 0) {
      this.flushedEntry = null;
      if (e === this.tailEntry) {
        this.tailEntry = null;
        this.unflushedEntry = null;
      }
    } else {
      this.flushedEntry = e.next;
    }
    if (this.unsentEntry === e) this.unsentEntry = this.flushed === 0 ? null : e.next;
  }

  /** Number of flushed messages not yet removed. */
  size(): number {
    return this.flushed;
  }

  /** True when there is no flushed message. */
  isEmpty(): boolean {
    return this.flushed === 0;
  }

  /** Calls `processor` for each flushed message until it returns false. */
  forEachFlushedMessage(processor: (msg: unknown) => boolean): void {
    let e = this.flushedEntry;
    while (e !== null && e !== this.unflushedEntry) {
      if (!e.cancelled && !processor(e.msg)) return;
      e = e.next;
    }
  }

  /** Fails and releases every flushed message (a write error, or flush on an inactive channel). */
  failFlushed(cause: Error, notifyWritability: boolean): void {
    // Removing an entry completes its promise, whose listener may write/flush/close again.
    if (this.inFail) return;
    this.inFail = true;
    try {
      while (this.removeWithFailure(cause, notifyWritability)) {
        /* drain */
      }
    } finally {
      this.inFail = false;
    }
  }

  /**
   * Releases the unflushed messages after the channel was closed and failed its flushed ones; no
   * writability events.
   */
  close(cause: Error, allowChannelOpen = false): void {
    if (this.inFail) {
      this.channel.eventLoop().execute(() => this.close(cause, allowChannelOpen));
      return;
    }
    this.inFail = true;
    try {
      if (!allowChannelOpen && this.channel.isOpen()) {
        throw new IllegalStateException('close() must be invoked after the channel is closed.');
      }
      if (!this.isEmpty()) throw new IllegalStateException('close() must be invoked after all flushed writes are handled.');
      let e = this.unflushedEntry;
      while (e !== null) {
        this.totalPendingSize -= e.pendingSize;
        if (!e.cancelled) {
          ReferenceCountUtil.safeRelease(e.msg);
          e.promise!.tryFailure(cause);
        }
        const next = e.next;
        recycle(e);
        e = next;
      }
    } finally {
      this.inFail = false;
    }
    this.unflushedEntry = null;
    this.tailEntry = null;
    this.unsentEntry = null;
  }

  isWritable(): boolean {
    return this.unwritable === 0;
  }

  /** Whether user flag `index` (1..31) is writable. */
  getUserDefinedWritability(index: number): boolean {
    return (this.unwritable & writabilityMask(index)) === 0;
  }

  /** Sets user flag `index` (1..31); a flip of the whole mask fires channelWritabilityChanged (later). */
  setUserDefinedWritability(index: number, writable: boolean): void {
    const bit = writabilityMask(index);
    const old = this.unwritable;
    this.unwritable = writable ? old & ~bit : old | bit;
    if ((old === 0) !== (this.unwritable === 0)) this.fireChannelWritabilityChanged(true);
  }

  private setWritable(invokeLater: boolean): void {
    const old = this.unwritable;
    this.unwritable = old & ~1;
    if (old !== 0 && this.unwritable === 0) this.fireChannelWritabilityChanged(invokeLater);
  }

  private setUnwritable(invokeLater: boolean): void {
    const old = this.unwritable;
    this.unwritable = old | 1;
    if (old === 0 && this.unwritable !== 0) this.fireChannelWritabilityChanged(invokeLater);
  }

  private fireChannelWritabilityChanged(invokeLater: boolean): void {
    const pipeline = this.channel.pipeline();
    if (invokeLater) this.channel.eventLoop().execute(() => pipeline.fireChannelWritabilityChanged());
    else pipeline.fireChannelWritabilityChanged();
  }

  totalPendingWriteBytes(): number {
    return this.totalPendingSize;
  }

  /** Bytes that can be written before the channel turns unwritable (0 when unwritable). */
  bytesBeforeUnwritable(): number {
    const bytes = this.channel.config().getWriteBufferHighWaterMark() - this.totalPendingSize;
    return bytes > 0 && this.isWritable() ? bytes : 0;
  }

  /** Bytes that must drain before the channel turns writable (0 when writable). */
  bytesBeforeWritable(): number {
    const bytes = this.totalPendingSize - this.channel.config().getWriteBufferLowWaterMark();
    return bytes > 0 && !this.isWritable() ? bytes : 0;
  }
}

function writabilityMask(index: number): number {
  if (!Number.isInteger(index) || index < 1 || index > 31) {
    throw new IllegalArgumentException(`index: ${index} (expected: 1~31)`);
  }
  return 1 << index;
}
