import {
  ChannelFutureListeners,
  ChannelInboundHandlerAdapter,
  IllegalArgumentException,
  IllegalStateException,
  InternalLoggerFactory,
  type Channel,
  type ChannelFuture,
  type ChannelHandlerContext,
  type Runnable,
  type ScheduledFuture,
} from '@sluice/channel';
import type { BufferAndAvailability } from '../consumer/InputChannel';
import { InputChannelID } from '../consumer/InputChannelID';
import { PartitionNotFoundException } from '../partition/errors';
import { BacklogAnnouncement } from './message/BacklogAnnouncement';
import { BufferResponse } from './message/BufferResponse';
import { ErrorResponse } from './message/ErrorResponse';
import { NettyPartitionRequestListener } from './NettyPartitionRequestListener';
import { AbstractNetworkSequenceViewReader, type NetworkSequenceViewReader } from './NetworkSequenceViewReader';

const logger = InternalLoggerFactory.getInstance('PartitionRequestQueue');

/**
 * Port of org.apache.flink.runtime.io.network.netty.PartitionRequestQueue (Flink 1.20). Differs: also
 * knows the readers still waiting for their partition (`waitingReaders`), so that a cancel, a close or
 * a lost connection stops their wait too (Flink leaves such a listener to its timeout); a reader whose
 * view could not be created when its partition registered is answered with an ErrorResponse for its
 * receiver; the connection-level handling of a write failure is the same as Flink's (`handleException`).
 *
 * The server's outbound scheduler, the last handler of a server connection (reference §2.1). It keeps
 * every reader of the connection (`allReaders`) and a FIFO of those that can send now
 * (`availableReaders`, each reader at most once: its registered flag). It writes ONE BufferResponse at
 * a time and continues from the write's completion listener, so a slow socket holds back at most one
 * buffer, and it writes nothing while the channel is unwritable (the write-buffer water marks are
 * `segmentSize + 1` / `2 × segmentSize`); `channelWritabilityChanged` resumes. A reader that still has
 * data after its buffer is re-registered at the tail: the readers of a connection take turns.
 *
 * Producers notify from inside their own calls; {@link notifyReaderNonEmpty} therefore always
 * re-dispatches to the event loop as a user event (Flink's thread hand-over, kept for the ordering it
 * gives). A reader released with a failure cause is answered with an ErrorResponse for its receiver;
 * a failed write or an exception in the pipeline is fatal: every reader is released, a fatal
 * ErrorResponse is sent if the channel is still active, and the channel is closed.
 *
 * ## Threading
 * Only ever called on the channel's event loop, except {@link notifyReaderNonEmpty},
 * {@link notifyPartitionRequestTimeout} and {@link notifyReaderFailed}, which may be called from producer
 * code and only queue a task there. (One JavaScript thread: Flink's ConcurrentHashMap is a Map.)
 *
 * ## Ownership
 * A polled buffer goes into a BufferResponse, which the pipeline releases once written (or on a failed
 * write); if building the response throws, the buffer is recycled here.
 *
 * @example
 * const queue = new PartitionRequestQueue();
 * pipeline.addLast(encoder, decoder, new PartitionRequestServerHandler(manager, publisher, queue), queue);
 */
export class PartitionRequestQueue extends ChannelInboundHandlerAdapter {
  /** Readers that can send now, in turn order; each at most once (its registered flag). */
  private readonly availableReaders: NetworkSequenceViewReader[] = [];
  /** Every reader of this connection whose view exists, by receiver id key. */
  private readonly allReaders = new Map<string, NetworkSequenceViewReader>();
  /** Readers waiting for their partition to register (no view yet), by receiver id key. */
  private readonly waitingReaders = new Map<string, NetworkSequenceViewReader>();
  private fatalError = false;
  private ctx: ChannelHandlerContext | null = null;

  private readonly writeListener = (future: ChannelFuture): void => {
    try {
      if (future.isSuccess()) this.writeAndFlushNextMessageIfPossible(future.channel());
      else this.onChannelFutureFailure(future);
    } catch (err) {
      this.handleException(future.channel(), toError(err));
    }
  };

  override handlerAdded(ctx: ChannelHandlerContext): void {
    if (this.ctx === null) this.ctx = ctx;
  }

  override channelRegistered(ctx: ChannelHandlerContext): void {
    if (this.ctx === null) this.ctx = ctx;
    ctx.fireChannelRegistered();
  }

  /**
   * The reader may have something to send: re-dispatched to the event loop as a user event (never
   * touches the queue's state directly).
   */
  notifyReaderNonEmpty(reader: NetworkSequenceViewReader): void {
    const ctx = this.requireContext();
    this.runOnEventLoop(ctx, () => ctx.pipeline().fireUserEventTriggered(reader));
  }

  /** A reader's view exists: it is now one of {@link allReaders}. */
  notifyReaderCreated(reader: NetworkSequenceViewReader): void {
    const key = reader.getReceiverId().key();
    const waiting = this.waitingReaders.get(key);
    if (waiting === reader) this.waitingReaders.delete(key);
    const previous = this.allReaders.get(key);
    this.allReaders.set(key, reader);
    // A repeated request for the same channel (a retrigger) replaces the old reader; release it rather
    // than leak its view.
    if (previous !== undefined && previous !== reader) this.removeAndRelease(previous);
  }

  /** A reader waits for its partition to register (Sluice: so that cancel/close reach it). */
  notifyReaderWaitingForPartition(reader: NetworkSequenceViewReader): void {
    const key = reader.getReceiverId().key();
    const previous = this.waitingReaders.get(key);
    this.waitingReaders.set(key, reader);
    if (previous !== undefined && previous !== reader) previous.releaseAllResources();
  }

  /** Cancels the reader of `receiverId` (CancelPartitionRequest): dispatched as a user event. */
  cancel(receiverId: InputChannelID): void {
    this.requireContext().pipeline().fireUserEventTriggered(receiverId);
  }

  /**
   * CloseRequest: closes the connection and releases every reader (Flink's `close()`; renamed because a
   * handler method named `close` would be taken for the outbound `close(ctx, promise)`).
   */
  closeAndReleaseAll(): void {
    if (this.ctx !== null) this.ctx.channel().close();
    this.releaseAllResources();
  }

  /**
   * AddCredit or ResumeConsumption: applies `operation` to the reader of `receiverId` and enqueues it if
   * it can now send. Throws IllegalStateException "No reader for receiverId = … exists." for an unknown
   * receiver (a protocol error: the server handler fails the connection). Ignored after a fatal error.
   */
  addCreditOrResumeConsumption(receiverId: InputChannelID, operation: (reader: NetworkSequenceViewReader) => void): void {
    if (this.fatalError) return;
    const reader = this.obtainReader(receiverId);
    operation(reader);
    this.enqueueAvailableReader(reader);
  }

  /** AckAllUserRecordsProcessed: forwarded to the reader's view. Unknown receiver: IllegalStateException. */
  acknowledgeAllRecordsProcessed(receiverId: InputChannelID): void {
    if (this.fatalError) return;
    this.obtainReader(receiverId).acknowledgeAllRecordsProcessed();
  }

  /**
   * NewBufferSize: forwarded to the reader's view. Silently ignored for an unknown receiver: consumers
   * announce sizes to all their channels, also those whose request has not arrived yet.
   */
  notifyNewBufferSize(receiverId: InputChannelID, newBufferSize: number): void {
    if (this.fatalError) return;
    const key = receiverId.key();
    const reader = this.allReaders.get(key) ?? this.waitingReaders.get(key);
    if (reader !== undefined) reader.notifyNewBufferSize(newBufferSize);
  }

  /** True if a reader (with or without its view yet) exists for `receiverId`. */
  hasReader(receiverId: InputChannelID): boolean {
    const key = receiverId.key();
    return this.allReaders.has(key) || this.waitingReaders.has(key);
  }

  /**
   * The reader of `receiverId`. A reader still waiting for its partition is found too (it takes credit;
   * other operations on it fail because it has no view yet). Throws for an unknown receiver.
   */
  obtainReader(receiverId: InputChannelID): NetworkSequenceViewReader {
    const key = receiverId.key();
    const reader = this.allReaders.get(key) ?? this.waitingReaders.get(key);
    if (reader === undefined) throw new IllegalStateException(`No reader for receiverId = ${receiverId.toString()} exists.`);
    return reader;
  }

  /** The partition a reader waited for did not register in time: answered PartitionNotFound (as a user event). */
  notifyPartitionRequestTimeout(listener: NettyPartitionRequestListener): void {
    const ctx = this.requireContext();
    // The timer already runs on the loop (Flink fires directly); a release of the partition may not.
    if (ctx.executor().inEventLoop()) ctx.pipeline().fireUserEventTriggered(listener);
    else this.runOnEventLoop(ctx, () => ctx.pipeline().fireUserEventTriggered(listener));
  }

  /** A waiting reader could not create its view when the partition registered: answered with `cause`. */
  notifyReaderFailed(reader: NetworkSequenceViewReader, cause: Error): void {
    const ctx = this.requireContext();
    this.runOnEventLoop(ctx, () => {
      if (!this.forget(reader)) return;
      reader.releaseAllResources();
      if (!this.fatalError) void ctx.writeAndFlush(new ErrorResponse(cause, reader.getReceiverId()));
    });
  }

  /** Runs `task` after `delayMs` on the channel's event loop (partition-request timeouts); null if not in a pipeline. */
  schedule(task: Runnable, delayMs: number): ScheduledFuture<void> | null {
    if (this.ctx === null) return null;
    return this.ctx.executor().schedule(task, delayMs);
  }

  /** The readers registered as available, in turn order (tests only). */
  getAvailableReaders(): readonly NetworkSequenceViewReader[] {
    return this.availableReaders;
  }

  /** The reader of `receiverId` with or without a view, or undefined (tests, diagnostics). */
  getReader(receiverId: InputChannelID): NetworkSequenceViewReader | undefined {
    const key = receiverId.key();
    return this.allReaders.get(key) ?? this.waitingReaders.get(key);
  }

  override userEventTriggered(ctx: ChannelHandlerContext, msg: unknown): void {
    // The user-event path is the hand-over of readers and cancellations onto the event loop.
    if (msg instanceof AbstractNetworkSequenceViewReader) {
      this.enqueueAvailableReader(msg);
    } else if (msg instanceof InputChannelID) {
      this.cancelReader(msg);
    } else if (msg instanceof NettyPartitionRequestListener) {
      const receiverId = msg.getReceiverId();
      const reader = msg.getViewReader();
      this.forget(reader);
      reader.releaseAllResources();
      void ctx.writeAndFlush(new ErrorResponse(new PartitionNotFoundException(msg.getResultPartitionId()), receiverId)).addListener((future) => {
        if (!future.isSuccess()) logger.warn(`Writing PartitionNotFound to ${receiverId.toString()} for ${msg.getResultPartitionId().toString()} failed.`, future.cause());
      });
    } else {
      ctx.fireUserEventTriggered(msg);
    }
  }

  override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    try {
      this.writeAndFlushNextMessageIfPossible(ctx.channel());
    } catch (err) {
      this.handleException(ctx.channel(), toError(err));
    }
    ctx.fireChannelWritabilityChanged();
  }

  override channelInactive(ctx: ChannelHandlerContext): void {
    this.releaseAllResources();
    ctx.fireChannelInactive();
  }

  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    this.handleException(ctx.channel(), cause);
  }

  /** Enqueues the reader if it can send now (or announces its backlog when it needs credit for it). */
  private enqueueAvailableReader(reader: NetworkSequenceViewReader): void {
    if (reader.isRegisteredAsAvailable()) return;
    // A stale notification for a reader that was cancelled or replaced: forget it.
    if (this.allReaders.get(reader.getReceiverId().key()) !== reader) return;
    const { isAvailable, backlog } = reader.getAvailabilityAndBacklog();
    if (!isAvailable) {
      if (backlog > 0 && reader.needAnnounceBacklog()) this.announceBacklog(reader, backlog);
      return;
    }
    // Trigger a write only if the queue was empty; otherwise the write listener gets there.
    const triggerWrite = this.availableReaders.length === 0;
    this.registerAvailableReader(reader);
    if (triggerWrite) this.writeAndFlushNextMessageIfPossible(this.requireContext().channel());
  }

  private announceBacklog(reader: NetworkSequenceViewReader, backlog: number): void {
    if (backlog <= 0) throw new IllegalArgumentException('Backlog must be positive.');
    const ctx = this.requireContext();
    void ctx.writeAndFlush(new BacklogAnnouncement(backlog, reader.getReceiverId())).addListener((future) => {
      if (!future.isSuccess()) this.onChannelFutureFailure(future);
    });
  }

  private writeAndFlushNextMessageIfPossible(channel: Channel): void {
    if (this.fatalError || !channel.isWritable()) return;
    let next: BufferAndAvailability | null = null;
    try {
      for (;;) {
        const reader = this.pollAvailableReader();
        // Nothing available: fine, the write listener calls in after every write.
        if (reader === null) return;
        const subpartitionId = reader.peekNextBufferSubpartitionId();
        next = reader.getNextBuffer();
        if (next === null) {
          // Not available any more (e.g. blocked by a barrier): try the next reader.
          if (!reader.isReleased()) continue;
          const cause = reader.getFailureCause();
          if (cause !== null) void this.requireContext().writeAndFlush(new ErrorResponse(cause, reader.getReceiverId()));
        } else {
          // Still available: back in line at the tail, so that the readers take turns.
          if (next.moreAvailable()) this.registerAvailableReader(reader);
          const msg = BufferResponse.forBuffer(next.buffer, next.sequenceNumber, reader.getReceiverId(), subpartitionId, next.buffersInBacklog);
          next = null; // the message owns the buffer now
          // One buffer in flight: continue when this write is done.
          void this.requireContext().writeAndFlush(msg).addListener(this.writeListener);
          return;
        }
      }
    } catch (err) {
      if (next !== null) next.buffer.recycleBuffer();
      throw err;
    }
  }

  private registerAvailableReader(reader: NetworkSequenceViewReader): void {
    this.availableReaders.push(reader);
    reader.setRegisteredAsAvailable(true);
  }

  private pollAvailableReader(): NetworkSequenceViewReader | null {
    const reader = this.availableReaders.shift();
    if (reader === undefined) return null;
    reader.setRegisteredAsAvailable(false);
    return reader;
  }

  private cancelReader(receiverId: InputChannelID): void {
    const key = receiverId.key();
    const reader = this.allReaders.get(key) ?? this.waitingReaders.get(key);
    if (reader === undefined) return;
    this.removeAndRelease(reader);
  }

  /** Removes the reader from every collection; true if it was known. */
  private forget(reader: NetworkSequenceViewReader): boolean {
    const key = reader.getReceiverId().key();
    let known = false;
    if (this.allReaders.get(key) === reader) {
      this.allReaders.delete(key);
      known = true;
    }
    if (this.waitingReaders.get(key) === reader) {
      this.waitingReaders.delete(key);
      known = true;
    }
    const index = this.availableReaders.indexOf(reader);
    if (index >= 0) this.availableReaders.splice(index, 1);
    reader.setRegisteredAsAvailable(false);
    return known;
  }

  private removeAndRelease(reader: NetworkSequenceViewReader): void {
    this.forget(reader);
    this.releaseViewReader(reader);
  }

  private onChannelFutureFailure(future: ChannelFuture): void {
    this.handleException(future.channel(), future.cause() ?? new IllegalStateException('Sending cancelled by user.'));
  }

  private handleException(channel: Channel, cause: Error): void {
    logger.error(`Encountered error while consuming partitions (connection to ${String(channel.remoteAddress())})`, cause);
    this.fatalError = true;
    this.releaseAllResources();
    if (channel.isActive()) void channel.writeAndFlush(new ErrorResponse(cause)).addListener(ChannelFutureListeners.CLOSE);
  }

  private releaseAllResources(): void {
    const readers = [...this.allReaders.values(), ...this.waitingReaders.values()];
    this.availableReaders.length = 0;
    this.allReaders.clear();
    this.waitingReaders.clear();
    for (const reader of readers) this.releaseViewReader(reader);
  }

  private releaseViewReader(reader: NetworkSequenceViewReader): void {
    reader.setRegisteredAsAvailable(false);
    try {
      reader.releaseAllResources();
    } catch (err) {
      logger.warn(`Releasing the reader of ${reader.getReceiverId().toString()} failed.`, toError(err));
    }
  }

  private requireContext(): ChannelHandlerContext {
    const ctx = this.ctx;
    if (ctx === null) throw new IllegalStateException('PartitionRequestQueue is not in a channel pipeline.');
    return ctx;
  }

  private runOnEventLoop(ctx: ChannelHandlerContext, task: Runnable): void {
    try {
      ctx.executor().execute(task);
    } catch (err) {
      // The loop is shutting down with the connection: the readers are released by channelInactive.
      logger.debug('Could not hand a notification over to the event loop.', toError(err));
    }
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
