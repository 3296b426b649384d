import { IllegalStateException, type ChannelHandlerContext } from '@sluice/channel';
import type { RemoteInputChannel } from '../consumer/RemoteInputChannel';
import type { Buffer } from '../memory/Buffer';
import { AbstractPartitionRequestClientHandler } from './CreditBasedPartitionRequestClientHandler';
import { BufferResponse } from './message/BufferResponse';
import { ErrorResponse } from './message/ErrorResponse';
import { allocateUnpooledNetworkBuffer } from './NetworkBufferAllocator';

/** Attempts to get a buffer or a listener registration before giving up on one response. */
const MAX_BUFFER_ATTEMPTS = 16;

/**
 * Port of org.apache.flink.runtime.io.network.netty.PartitionRequestClientHandler (Flink 1.4, the
 * handler before credit-based flow control). Differs: the channel's `addBufferAvailabilityListener` only
 * says "try again" (Flink 1.4's BufferListener handed over the buffer itself); the staged-message task
 * and the buffer-listener task are one method; a channel removed while the connection waits for its
 * buffer un-stalls the connection (its responses are then dropped).
 *
 * The client end of a **push-mode** data connection (see the flow-control modes in docs/protocol.md):
 * the producer sends whenever it has data, without credit, so the consumer must find a buffer for
 * every BufferResponse when it arrives. The frame decoder hands over the payload as a ByteBuf
 * (`BufferResponse.payload`); this handler copies it into `channel.requestBuffer()`. If the channel has
 * no buffer, the response is *staged*, reading from the socket stops for the whole connection
 * (`autoRead = false`) and the handler waits for the channel's buffer-availability callback; then it
 * decodes the staged responses in order and turns reading back on. Responses that arrive meanwhile
 * (already read from the socket) are staged behind. This head-of-line blocking of every channel on the
 * connection by one slow consumer is exactly what credit-based flow control removed.
 *
 * Events are copied into an unpooled buffer and never stall. Errors are routed as in the credit-based
 * handler; no AddCredit is ever sent.
 *
 * ## Threading
 * Event-loop only (the availability callback hops onto it), except the registry methods.
 *
 * ## Ownership
 * Each BufferResponse's payload is released here once copied or dropped; staged responses keep theirs
 * until then, and are released when the connection fails or closes.
 *
 * @example
 * pipeline.addLast(new NettyMessageEncoder(), new NettyMessageDecoder({ clientSide: true }), new PartitionRequestClientHandler());
 */
export class PartitionRequestClientHandler extends AbstractPartitionRequestClientHandler {
  /** Responses not yet decoded, oldest first; the head waits for a buffer of its channel. */
  private readonly stagedMessages: unknown[] = [];
  /** The channel whose buffer the connection waits for, or null. */
  private waitingFor: RemoteInputChannel | null = null;
  /** Identifies the current wait; callbacks of an older one are ignored. */
  private waitToken = 0;

  override channelRead(_ctx: ChannelHandlerContext, msg: unknown): void {
    try {
      if (this.stagedMessages.length > 0) {
        this.stagedMessages.push(msg);
      } else if (!this.decodeMsg(msg)) {
        this.stagedMessages.push(msg);
      }
    } catch (err) {
      this.notifyAllChannelsOfErrorAndClose(err);
    }
  }

  override removeInputChannel(inputChannel: RemoteInputChannel): void {
    super.removeInputChannel(inputChannel);
    // Its buffer may never come now: retry the staged responses (they are dropped for a removed channel).
    if (this.waitingFor === inputChannel && this.ctx !== null) this.scheduleDecodeStaged(++this.waitToken);
  }

  override channelInactive(ctx: ChannelHandlerContext): void {
    super.channelInactive(ctx);
    this.releaseStaged();
  }

  override handlerRemoved(_ctx: ChannelHandlerContext): void {
    this.releaseStaged();
  }

  protected override onConnectionFailed(): void {
    this.releaseStaged();
  }

  /** Number of staged responses (for tests and snapshots). */
  numberOfStagedMessages(): number {
    return this.stagedMessages.length;
  }

  // ---------------------------------------------------------------- decoding

  /** Decodes `msg`; false if it must wait for a buffer (a listener is registered, reading is off). */
  private decodeMsg(msg: unknown): boolean {
    if (msg instanceof BufferResponse) {
      const channel = this.liveChannel(msg.receiverId);
      if (channel === undefined) {
        msg.releaseBuffer(); // and its payload
        this.cancelRequestFor(msg.receiverId);
        return true;
      }
      try {
        return this.decodeBufferOrEvent(channel, msg);
      } catch (err) {
        channel.onError(err);
        return true;
      }
    }
    if (msg instanceof ErrorResponse) {
      this.decodeErrorResponse(msg);
      return true;
    }
    throw new IllegalStateException(`Received unknown message from producer: ${msg === null || typeof msg !== 'object' ? String(msg) : msg.constructor.name}`);
  }

  /** Decodes one response for a live channel; the payload is released here unless the response is staged. */
  private decodeBufferOrEvent(channel: RemoteInputChannel, msg: BufferResponse): boolean {
    let staged = false;
    try {
      staged = !this.decodeBufferOrEvent0(channel, msg);
      return !staged;
    } finally {
      if (!staged) releasePayload(msg);
    }
  }

  private decodeBufferOrEvent0(channel: RemoteInputChannel, msg: BufferResponse): boolean {
    // Push mode has no credit, hence no backlog for the channel to act on (Flink 1.4 had none on the wire).
    if (msg.buffer !== null) {
      channel.onBuffer(msg.buffer, msg.sequenceNumber, -1, msg.subpartitionId);
      return true;
    }
    if (msg.isBuffer() && msg.bufferSize === 0) {
      channel.onEmptyBuffer(msg.sequenceNumber, -1);
      return true;
    }
    if (!msg.isBuffer()) {
      // Events never wait: an unpooled buffer of their size, freed when recycled.
      this.deliver(channel, msg, allocateUnpooledNetworkBuffer(Math.max(msg.bufferSize, 1), msg.dataType));
      return true;
    }
    for (let attempt = 0; attempt < MAX_BUFFER_ATTEMPTS; attempt++) {
      const buffer = channel.requestBuffer();
      if (buffer !== null) {
        this.deliver(channel, msg, buffer);
        return true;
      }
      if (channel.isReleased()) {
        this.cancelRequestFor(msg.receiverId);
        return true;
      }
      const token = ++this.waitToken;
      if (channel.addBufferAvailabilityListener(() => this.scheduleDecodeStaged(token))) {
        this.waitingFor = channel;
        const config = this.ctx?.channel().config();
        if (config?.isAutoRead() === true) config.setAutoRead(false);
        return false;
      }
      // A buffer became available between the request and the registration: try again.
    }
    throw new IllegalStateException(
      `${channel.toString()}: no buffer for a ${msg.bufferSize}-byte response after ${MAX_BUFFER_ATTEMPTS} attempts, and the buffer pool refuses a listener.`,
    );
  }

  /** Copies the payload into `buffer` and hands the buffer to the channel (which takes the reference). */
  private deliver(channel: RemoteInputChannel, msg: BufferResponse, buffer: Buffer): void {
    try {
      const payload = msg.payload;
      if (payload === null) throw new IllegalStateException(`${msg.toString()}: no payload to copy (push mode needs the frame decoder's payload)`);
      if (msg.bufferSize > buffer.getMaxCapacity()) {
        throw new IllegalStateException(`${msg.toString()}: ${msg.bufferSize} payload bytes do not fit a ${buffer.getMaxCapacity()}-byte buffer`);
      }
      buffer.asByteBuf().writeBytes(payload, payload.readerIndex(), msg.bufferSize);
      buffer.setDataType(msg.dataType);
      buffer.setCompressed(msg.isCompressed);
    } catch (err) {
      buffer.recycleBuffer();
      throw err;
    }
    channel.onBuffer(buffer, msg.sequenceNumber, -1, msg.subpartitionId);
  }

  // ---------------------------------------------------------------- staging

  private scheduleDecodeStaged(token: number): void {
    const ctx = this.ctx;
    if (ctx === null) return;
    // Always a task: the callback may come from inside a recycle() on the task side.
    ctx.executor().execute(() => {
      if (token === this.waitToken) this.decodeStagedMessages();
    });
  }

  /** Decodes staged responses in order until one has to wait again; with none left, reading resumes. */
  private decodeStagedMessages(): void {
    this.waitingFor = null;
    if (this.channelError !== null) {
      this.releaseStaged();
      return;
    }
    try {
      while (this.stagedMessages.length > 0) {
        // Off the queue while it is decoded: a failure must not release it a second time.
        const msg = this.stagedMessages.shift();
        if (!this.decodeMsg(msg)) {
          this.stagedMessages.unshift(msg);
          return;
        }
      }
      this.ctx?.channel().config().setAutoRead(true);
    } catch (err) {
      this.notifyAllChannelsOfErrorAndClose(err);
    }
  }

  private releaseStaged(): void {
    this.waitingFor = null;
    this.waitToken++;
    const staged = this.stagedMessages.splice(0);
    for (const msg of staged) if (msg instanceof BufferResponse) msg.releaseBuffer(); // and its payload
  }
}

function releasePayload(msg: BufferResponse): void {
  msg.payload?.release();
}

