import {
  IllegalArgumentException,
  InternalLoggerFactory,
  SimpleChannelInboundHandler,
  UnsupportedOperationException,
  type ChannelHandlerContext,
} from '@sluice/channel';
import type { InputChannelID } from '../consumer/InputChannelID';
import type { TaskEventPublisher } from '../network/TaskEventPublisher';
import type { ResultPartitionProvider } from '../partition/ResultPartitionProvider';
import { CreditBasedSequenceNumberingViewReader } from './CreditBasedSequenceNumberingViewReader';
import { ProtocolException } from './errors';
import { AckAllUserRecordsProcessed } from './message/AckAllUserRecordsProcessed';
import { AddCredit } from './message/AddCredit';
import { CancelPartitionRequest } from './message/CancelPartitionRequest';
import { CloseRequest } from './message/CloseRequest';
import { ErrorResponse } from './message/ErrorResponse';
import { NewBufferSize } from './message/NewBufferSize';
import { PartitionRequest } from './message/PartitionRequest';
import { ResumeConsumption } from './message/ResumeConsumption';
import { SegmentId } from './message/SegmentId';
import { TaskEventRequest } from './message/TaskEventRequest';
import { NettyMessage } from './NettyMessage';
import type { NetworkSequenceViewReader } from './NetworkSequenceViewReader';
import type { PartitionRequestQueue } from './PartitionRequestQueue';
import { SequenceNumberingViewReader } from './SequenceNumberingViewReader';

const logger = InternalLoggerFactory.getInstance('PartitionRequestServerHandler');

/**
 * Port of org.apache.flink.runtime.io.network.netty.PartitionRequestServerHandler (Flink 1.20). Differs:
 * creates Flink 1.4's push-mode reader when `creditBased` is false; a failure while handling a message
 * of one channel is answered with an ErrorResponse for that channel (Flink answers a fatal one), while
 * protocol errors — a message a server never receives, a credit or resume for a receiver that has no
 * reader — fail the whole connection (fatal ErrorResponse, then close, by the queue); SegmentId (hybrid
 * shuffle) is answered "unsupported".
 *
 * The server's inbound handler (reference §2): turns each client request into an action on the
 * {@link PartitionRequestQueue} — PartitionRequest creates a reader with the request's initial credit
 * and requests its subpartition view (or leaves it waiting for the partition to register, answered
 * PartitionNotFound after the provider's timeout), AddCredit / ResumeConsumption / NewBufferSize /
 * AckAllUserRecordsProcessed reach the reader of the receiver id, CancelPartitionRequest releases it,
 * CloseRequest closes the connection; TaskEventRequest is published to the producer.
 *
 * ## Threading
 * The channel's event loop.
 *
 * ## Ownership
 * Messages are released after handling (SimpleChannelInboundHandler); client messages carry no buffers.
 *
 * @example
 * const queue = new PartitionRequestQueue();
 * pipeline.addLast(new NettyMessageEncoder(), new NettyMessageDecoder(), new PartitionRequestServerHandler(manager, publisher, queue), queue);
 */
export class PartitionRequestServerHandler extends SimpleChannelInboundHandler<unknown> {
  constructor(
    private readonly partitionProvider: ResultPartitionProvider,
    private readonly taskEventPublisher: TaskEventPublisher | null,
    private readonly outboundQueue: PartitionRequestQueue,
    private readonly creditBased = true,
  ) {
    super((msg: unknown): msg is unknown => true);
  }

  protected channelRead0(ctx: ChannelHandlerContext, msg: unknown): void {
    if (msg instanceof PartitionRequest) {
      logger.debug(`Read channel on ${String(ctx.channel().localAddress())}: ${msg.toString()}.`);
      this.handle(ctx, msg.receiverId, () => this.onPartitionRequest(msg));
    } else if (msg instanceof TaskEventRequest) {
      this.handle(ctx, msg.receiverId, () => {
        if (this.taskEventPublisher === null || !this.taskEventPublisher.publish(msg.partitionId, msg.event)) {
          throw new IllegalArgumentException(`Task event receiver not found: no producer of ${msg.partitionId.toString()} is registered for task events.`);
        }
      });
    } else if (msg instanceof CancelPartitionRequest) {
      this.outboundQueue.cancel(msg.receiverId);
    } else if (msg instanceof CloseRequest) {
      this.outboundQueue.closeAndReleaseAll();
    } else if (msg instanceof AddCredit) {
      this.onReaderOperation(ctx, msg.receiverId, () => this.outboundQueue.addCreditOrResumeConsumption(msg.receiverId, (reader) => reader.addCredit(msg.credit)));
    } else if (msg instanceof ResumeConsumption) {
      this.onReaderOperation(ctx, msg.receiverId, () => this.outboundQueue.addCreditOrResumeConsumption(msg.receiverId, (reader) => reader.resumeConsumption()));
    } else if (msg instanceof AckAllUserRecordsProcessed) {
      this.onReaderOperation(ctx, msg.receiverId, () => this.outboundQueue.acknowledgeAllRecordsProcessed(msg.receiverId));
    } else if (msg instanceof NewBufferSize) {
      this.handle(ctx, msg.receiverId, () => this.outboundQueue.notifyNewBufferSize(msg.receiverId, msg.bufferSize));
    } else if (msg instanceof SegmentId) {
      this.respondWithError(
        ctx,
        new UnsupportedOperationException(
          `SegmentId (segment ${msg.segmentId} of subpartition ${msg.subpartitionId}): hybrid shuffle / tiered storage is not supported by this server.`,
        ),
        msg.receiverId,
      );
    } else {
      const what = msg instanceof NettyMessage ? msg.toString() : describe(msg);
      logger.warn(`Received unexpected client request: ${what}`);
      ctx.fireExceptionCaught(new ProtocolException(`Unexpected message from the client: ${what} (a server only receives client → server messages).`));
    }
  }

  private onPartitionRequest(request: PartitionRequest): void {
    if (request.startIndex !== request.endIndex) {
      throw new UnsupportedOperationException(
        `Subpartition range ${request.startIndex}..${request.endIndex} requested; this server serves one subpartition per request.`,
      );
    }
    const reader: NetworkSequenceViewReader = this.creditBased
      ? new CreditBasedSequenceNumberingViewReader(request.receiverId, request.credit, this.outboundQueue)
      : new SequenceNumberingViewReader(request.receiverId, this.outboundQueue);
    reader.requestSubpartitionViewOrRegisterListener(this.partitionProvider, request.partitionId, request.startIndex);
  }

  // An operation on an existing reader: an unknown receiver is a protocol error (the client never
  // requested that channel on this connection, or it was cancelled); fails the connection.
  private onReaderOperation(ctx: ChannelHandlerContext, receiverId: InputChannelID, operation: () => void): void {
    try {
      operation();
    } catch (err) {
      const cause = err instanceof Error ? err : new Error(String(err));
      if (!this.outboundQueue.hasReader(receiverId)) ctx.fireExceptionCaught(cause);
      else this.respondWithError(ctx, cause, receiverId);
    }
  }

  private handle(ctx: ChannelHandlerContext, receiverId: InputChannelID, action: () => void): void {
    try {
      action();
    } catch (err) {
      this.respondWithError(ctx, err instanceof Error ? err : new Error(String(err)), receiverId);
    }
  }

  private respondWithError(ctx: ChannelHandlerContext, error: Error, receiverId: InputChannelID): void {
    logger.debug(`Responding with error to ${receiverId.toString()}: ${error.name}: ${error.message}`);
    void ctx.writeAndFlush(new ErrorResponse(error, receiverId));
  }
}

function describe(msg: unknown): string {
  if (typeof msg === 'object' && msg !== null) return (msg as { constructor?: { name?: string } }).constructor?.name ?? 'object';
  return typeof msg;
}
