import {
  ChannelInboundHandlerAdapter,
  ConnectionResetException,
  IllegalStateException,
  InternalLoggerFactory,
  toError,
  type Channel,
  type ChannelFuture,
  type ChannelHandlerContext,
} from '@sluice/channel';
import type { InputChannelID } from '../consumer/InputChannelID';
import type { RemoteInputChannel } from '../consumer/RemoteInputChannel';
import { ClientOutboundMessage, ConnectionErrorMessage } from './ClientOutboundMessage';
import { LocalTransportException, RemoteTransportException, TransportException } from './errors';
import { BacklogAnnouncement } from './message/BacklogAnnouncement';
import { BufferResponse } from './message/BufferResponse';
import { CancelPartitionRequest } from './message/CancelPartitionRequest';
import { ErrorResponse } from './message/ErrorResponse';
import type { NetworkClientHandler } from './NetworkClientHandler';
import { isPartitionNotFound } from './RemoteThrowable';

const logger = InternalLoggerFactory.getInstance('CreditBasedPartitionRequestClientHandler');

/**
 * The part Flink's two client handlers (credit-based and Flink 1.4's push handler) have in common: the
 * channel registry, the connection-wide error (first one wins), the routing of ErrorResponses and of
 * connection failures to every registered channel, and de-duplicated cancel requests (reference §3.1,
 * §2.7). Subclasses decode BufferResponses their way.
 *
 * @internal Extended by {@link CreditBasedPartitionRequestClientHandler} and PartitionRequestClientHandler only.
 */
export abstract class AbstractPartitionRequestClientHandler extends ChannelInboundHandlerAdapter implements NetworkClientHandler {
  /** Registered channels by `InputChannelID.key()`. */
  protected readonly inputChannels = new Map<string, RemoteInputChannel>();
  /** Receivers a CancelPartitionRequest was sent for (sent once each). */
  private readonly cancelled = new Set<string>();
  /** The first connection-wide error; once set the connection is closed and no channel may register. */
  protected channelError: Error | null = null;
  /** Set on channelActive: before that nothing can be written. */
  protected ctx: ChannelHandlerContext | null = null;
  /** The peer's address as seen when the connection became active (a closed channel may not know it). */
  private peer = 'unknown';

  // ---------------------------------------------------------------- registry (NetworkClientHandler)

  /** Registers `inputChannel` (kept if already registered); throws the connection's error if it failed. */
  addInputChannel(inputChannel: RemoteInputChannel): void {
    this.checkError();
    const key = inputChannel.getInputChannelId().key();
    if (!this.inputChannels.has(key)) this.inputChannels.set(key, inputChannel);
    // A (re-)registered receiver may need cancelling again later.
    this.cancelled.delete(key);
  }

  removeInputChannel(inputChannel: RemoteInputChannel): void {
    this.inputChannels.delete(inputChannel.getInputChannelId().key());
  }

  getInputChannel(inputChannelId: InputChannelID): RemoteInputChannel | undefined {
    return this.inputChannels.get(inputChannelId.key());
  }

  /** True once the connection failed (Flink's `hasChannelError`): its client must not be handed out again. */
  hasChannelError(): boolean {
    return this.channelError !== null;
  }

  /** Number of registered channels. */
  numberOfInputChannels(): number {
    return this.inputChannels.size;
  }

  /**
   * Asks the producer to drop the reader of `inputChannelId` — once per id (reference §2.7). Ignored for a
   * null id and before the connection is active.
   */
  cancelRequestFor(inputChannelId: InputChannelID | null): void {
    const ctx = this.ctx;
    if (inputChannelId === null || ctx === null) return;
    const key = inputChannelId.key();
    if (this.cancelled.has(key)) return;
    this.cancelled.add(key);
    ctx.writeAndFlush(new CancelPartitionRequest(inputChannelId));
  }

  // ---------------------------------------------------------------- connection events

  override channelActive(ctx: ChannelHandlerContext): void {
    if (this.ctx === null) {
      this.ctx = ctx;
      this.peer = remoteAddressOf(ctx);
    }
    super.channelActive(ctx);
  }

  /** The peer went away while channels still read from it: every one of them fails. */
  override channelInactive(ctx: ChannelHandlerContext): void {
    if (this.inputChannels.size > 0) {
      const address = this.remoteAddress();
      this.notifyAllChannelsOfErrorAndClose(
        new RemoteTransportException(
          `Connection unexpectedly closed by remote task manager '${address}'. This might indicate that the remote task manager was lost.`,
          address,
        ),
      );
    }
    super.channelInactive(ctx);
  }

  /** Any error in the pipeline fails every channel of the connection (mapped as Flink does, §3.1). */
  override exceptionCaught(_ctx: ChannelHandlerContext, cause: Error): void {
    this.notifyAllChannelsOfErrorAndClose(toTransportError(cause, this.remoteAddress()));
  }

  override userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
    if (evt instanceof ConnectionErrorMessage) this.notifyAllChannelsOfErrorAndClose(evt.cause);
    else ctx.fireUserEventTriggered(evt);
  }

  /**
   * Fails every registered channel with `cause` and closes the connection — only for the first error
   * (Flink's compareAndSet). A channel's `onError` that throws does not stop the others.
   */
  notifyAllChannelsOfErrorAndClose(cause: unknown): void {
    if (this.channelError !== null) return;
    const error = toError(cause);
    this.channelError = error;
    for (const channel of this.inputChannels.values()) {
      try {
        channel.onError(error);
      } catch (err) {
        logger.warn(`An input channel failed while being notified of the connection error ${error.message}`, err);
      }
    }
    this.inputChannels.clear();
    this.onConnectionFailed();
    this.ctx?.close();
  }

  /** Hook: drop per-connection queues (called once, from notifyAllChannelsOfErrorAndClose). */
  protected onConnectionFailed(): void {}

  // ---------------------------------------------------------------- decoding

  /** ErrorResponse: fatal → the whole connection; PartitionNotFound → retrigger; else the channel fails. */
  protected decodeErrorResponse(error: ErrorResponse): void {
    const address = this.remoteAddress();
    if (error.isFatalError()) {
      this.notifyAllChannelsOfErrorAndClose(new RemoteTransportException(`Fatal error at remote task manager '${address}'.`, address, { cause: error.cause }));
      return;
    }
    const channel = this.inputChannels.get(error.receiverId!.key());
    if (channel === undefined) return;
    if (isPartitionNotFound(error.cause)) {
      channel.onFailedPartitionRequest();
    } else {
      channel.onError(new RemoteTransportException(`Error at remote task manager '${address}'.`, address, { cause: error.cause }));
    }
  }

  /** The registered, not released channel of `receiverId`, or undefined. */
  protected liveChannel(receiverId: InputChannelID): RemoteInputChannel | undefined {
    const channel = this.inputChannels.get(receiverId.key());
    return channel === undefined || channel.isReleased() ? undefined : channel;
  }

  /** `host:port` of the peer, or `unknown` before the connection is active. */
  protected remoteAddress(): string {
    if (this.ctx === null) return this.peer;
    const address = remoteAddressOf(this.ctx);
    return address === 'unknown' ? this.peer : address;
  }

  private checkError(): void {
    const error = this.channelError;
    if (error === null) return;
    if (error instanceof TransportException) throw error;
    const address = this.remoteAddress();
    throw new LocalTransportException(`There has been an error in the connection to '${address}': ${error.message}`, address, { cause: error });
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.netty.CreditBasedPartitionRequestClientHandler (Flink 1.20).
 * Differs: Flink's concurrent map, atomic error reference and volatile context are plain fields (one
 * JavaScript thread); at most one outbound client message is in flight (the next one is written from the
 * write's listener), where Flink may start a second one when the queue drains; cancel requests are
 * de-duplicated per receiver (Flink 1.4's `cancelled` map).
 *
 * The client end of a data connection, last in the pipeline after NettyMessageClientDecoderDelegate
 * (reference §3.1):
 * - **Inbound**: BufferResponses go to their {@link RemoteInputChannel} (`onBuffer`, `onEmptyBuffer`); a
 *   response for an unknown or released channel is dropped (its buffer released) and a
 *   CancelPartitionRequest is sent once. ErrorResponses fail their channel, or — fatal — the whole
 *   connection; a PartitionNotFound makes the channel retry with back-off. BacklogAnnouncements
 *   (zero-credit channels) are passed on as `onSenderBacklog`.
 * - **Outbound**: {@link ClientOutboundMessage}s arrive as user events from NettyPartitionRequestClient
 *   and are written one at a time, in order, while the channel is writable; an AddCredit is built at
 *   write time from `getAndResetUnannouncedCredit()`, so credit that accrued while it waited is
 *   coalesced into one AddCredit, and none is sent for a released channel or zero credit (§2 step 9).
 * - **Failure**: the first connection error (peer closed, reset, write failure, an exception in the
 *   pipeline or while decoding) goes to every channel and closes the connection; later channels cannot
 *   register.
 *
 * ## Threading
 * Event-loop only, except `addInputChannel`/`removeInputChannel`/`getInputChannel`, which the task side may
 * call (they only touch the map; one JavaScript thread).
 *
 * ## Ownership
 * A BufferResponse's buffer goes to its channel (`onBuffer` takes the reference) or is released here.
 *
 * @example
 * const handler = new CreditBasedPartitionRequestClientHandler();
 * pipeline.addLast(new NettyMessageEncoder(), new NettyMessageClientDecoderDelegate(handler), handler);
 */
export class CreditBasedPartitionRequestClientHandler extends AbstractPartitionRequestClientHandler {
  /** Messages waiting to be written, oldest first. */
  private readonly clientOutboundMessages: ClientOutboundMessage[] = [];
  private writeInFlight = false;
  private readonly writeListener = (future: ChannelFuture): void => this.onWriteComplete(future);

  override channelRead(_ctx: ChannelHandlerContext, msg: unknown): void {
    try {
      this.decodeMsg(msg);
    } catch (err) {
      this.notifyAllChannelsOfErrorAndClose(err);
    }
  }

  override userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
    if (evt instanceof ClientOutboundMessage) {
      if (this.channelError !== null) return;
      this.clientOutboundMessages.push(evt);
      this.writeAndFlushNextMessageIfPossible(ctx.channel());
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    this.writeAndFlushNextMessageIfPossible(ctx.channel());
    super.channelWritabilityChanged(ctx);
  }

  protected override onConnectionFailed(): void {
    this.clientOutboundMessages.length = 0;
  }

  // ---------------------------------------------------------------- inbound

  private decodeMsg(msg: unknown): void {
    if (msg instanceof BufferResponse) {
      const channel = this.liveChannel(msg.receiverId);
      if (channel === undefined) {
        msg.releaseBuffer();
        this.cancelRequestFor(msg.receiverId);
        return;
      }
      try {
        this.decodeBufferOrEvent(channel, msg);
      } catch (err) {
        channel.onError(err);
      }
    } else if (msg instanceof ErrorResponse) {
      this.decodeErrorResponse(msg);
    } else if (msg instanceof BacklogAnnouncement) {
      const channel = this.liveChannel(msg.receiverId);
      if (channel === undefined) {
        this.cancelRequestFor(msg.receiverId);
        return;
      }
      try {
        channel.onSenderBacklog(msg.backlog);
      } catch (err) {
        channel.onError(err);
      }
    } else {
      throw new IllegalStateException(`Received unknown message from producer: ${describe(msg)}`);
    }
  }

  private decodeBufferOrEvent(channel: RemoteInputChannel, msg: BufferResponse): void {
    const buffer = msg.buffer;
    if (msg.isBuffer() && msg.bufferSize === 0) {
      buffer?.recycleBuffer();
      channel.onEmptyBuffer(msg.sequenceNumber, msg.backlog);
    } else if (buffer !== null) {
      if (msg.partialBufferSizes.length > 0) this.decodePartialBuffers(channel, msg, buffer);
      else channel.onBuffer(buffer, msg.sequenceNumber, msg.backlog, msg.subpartitionId);
    } else {
      throw new IllegalStateException('The read buffer is null in credit-based input channel.');
    }
  }

  /**
   * Hybrid shuffle packs several buffers into one response: each part goes to the channel as its own
   * buffer (a slice sharing the received buffer's reference count) with consecutive sequence numbers;
   * only the last one carries the backlog.
   */
  private decodePartialBuffers(channel: RemoteInputChannel, msg: BufferResponse, buffer: NonNullable<BufferResponse['buffer']>): void {
    let offset = 0;
    let seq = msg.sequenceNumber;
    const sizes = msg.partialBufferSizes;
    try {
      for (let i = 0; i < sizes.length; i++) {
        const size = sizes[i]!;
        const part = buffer.readOnlySlice(offset, size).retainBuffer();
        channel.onBuffer(part, seq++, i === sizes.length - 1 ? msg.backlog : -1, msg.subpartitionId);
        offset += size;
      }
    } finally {
      buffer.recycleBuffer();
    }
  }

  // ---------------------------------------------------------------- outbound

  /**
   * Writes the next queued message unless one is in flight, the connection failed, or the channel is
   * not writable (then `channelWritabilityChanged` comes back here). Messages of released channels and
   * AddCredits without credit are skipped.
   */
  private writeAndFlushNextMessageIfPossible(channel: Channel): void {
    if (this.writeInFlight || this.channelError !== null || !channel.isWritable()) return;
    for (;;) {
      const outbound = this.clientOutboundMessages.shift();
      if (outbound === undefined) return;
      if (outbound.inputChannel.isReleased()) continue;
      const msg = outbound.buildMessage();
      if (msg === null) continue;
      this.writeInFlight = true;
      channel.writeAndFlush(msg).addListener(this.writeListener);
      return;
    }
  }

  private onWriteComplete(future: ChannelFuture): void {
    this.writeInFlight = false;
    try {
      if (future.isSuccess()) this.writeAndFlushNextMessageIfPossible(future.channel());
      else if (future.cause() !== null && !future.isCancelled()) this.notifyAllChannelsOfErrorAndClose(future.cause());
      else this.notifyAllChannelsOfErrorAndClose(new IllegalStateException('Sending cancelled by user.'));
    } catch (err) {
      this.notifyAllChannelsOfErrorAndClose(err);
    }
  }
}

// ---------------------------------------------------------------- shared helpers

/**
 * Flink's `exceptionCaught` mapping: a TransportException passes through; a reset by the peer becomes a
 * RemoteTransportException (the peer is probably gone); anything else happened here: a
 * LocalTransportException naming the connection.
 */
export function toTransportError(cause: unknown, address: string): TransportException {
  if (cause instanceof TransportException) return cause;
  const error = toError(cause);
  if (error instanceof ConnectionResetException || error.message.includes('Connection reset by peer')) {
    return new RemoteTransportException(
      `Lost connection to task manager '${address}'. This indicates that the remote task manager was lost.`,
      address,
      { cause: error },
    );
  }
  return new LocalTransportException(`${error.message} (connection to '${address}')`, address, { cause: error });
}

/** The peer of `ctx`'s channel as text (`host:port`), or `unknown`. */
export function remoteAddressOf(ctx: ChannelHandlerContext): string {
  const address = ctx.channel().remoteAddress();
  return address === null ? 'unknown' : address.toString();
}

function describe(msg: unknown): string {
  if (msg === null || typeof msg !== 'object') return String(msg);
  return (msg as { constructor?: { name?: string } }).constructor?.name ?? 'Object';
}
