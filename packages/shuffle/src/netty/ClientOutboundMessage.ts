import type { RemoteInputChannel } from '../consumer/RemoteInputChannel';
import type { NettyMessage } from './NettyMessage';
import { AckAllUserRecordsProcessed } from './message/AckAllUserRecordsProcessed';
import { AddCredit } from './message/AddCredit';
import { NewBufferSize } from './message/NewBufferSize';
import { ResumeConsumption } from './message/ResumeConsumption';
import { SegmentId } from './message/SegmentId';

/**
 * Port of org.apache.flink.runtime.io.network.netty.ClientOutboundMessage (Flink 1.20). Differs: the
 * subclasses live in this file (Flink nests them too).
 *
 * A message a {@link RemoteInputChannel} wants sent to its producer, queued in the client handler's
 * `clientOutboundMessages` and turned into a {@link NettyMessage} only when it is its turn to be written
 * ({@link buildMessage}). Building late is the point: an AddCredit reads the channel's unannounced credit
 * at that moment, so all credit that piled up while the message waited goes out as one AddCredit
 * (reference §2 step 9).
 *
 * The client ({@link NettyPartitionRequestClient}) hands these to the handler as user events on the
 * connection's event loop (`fireUserEventTriggered`), as Flink does.
 *
 * ## Threading
 * `buildMessage` runs on the connection's event loop.
 */
export abstract class ClientOutboundMessage {
  protected constructor(readonly inputChannel: RemoteInputChannel) {}

  /** The message to write now, or `null` if there is nothing to send any more (e.g. no credit left). */
  abstract buildMessage(): NettyMessage | null;
}

/** Port of Flink's AddCreditMessage: announces the channel's unannounced credit (nothing if 0). */
export class AddCreditMessage extends ClientOutboundMessage {
  constructor(inputChannel: RemoteInputChannel) {
    super(inputChannel);
  }

  buildMessage(): NettyMessage | null {
    const credit = this.inputChannel.getAndResetUnannouncedCredit();
    return credit > 0 ? new AddCredit(credit, this.inputChannel.getInputChannelId()) : null;
  }
}

/** Port of Flink's ResumeConsumptionMessage: unblocks the subpartition after an aligned barrier (§2.4). */
export class ResumeConsumptionMessage extends ClientOutboundMessage {
  constructor(inputChannel: RemoteInputChannel) {
    super(inputChannel);
  }

  buildMessage(): NettyMessage {
    return new ResumeConsumption(this.inputChannel.getInputChannelId());
  }
}

/** Port of Flink's AcknowledgeAllRecordsProcessedMessage: the consumer processed everything before EndOfData. */
export class AcknowledgeAllRecordsProcessedMessage extends ClientOutboundMessage {
  constructor(inputChannel: RemoteInputChannel) {
    super(inputChannel);
  }

  buildMessage(): NettyMessage {
    return new AckAllUserRecordsProcessed(this.inputChannel.getInputChannelId());
  }
}

/** Port of Flink's NewBufferSizeMessage: the producer should use buffers of `bufferSize` bytes (§2.5). */
export class NewBufferSizeMessage extends ClientOutboundMessage {
  constructor(
    inputChannel: RemoteInputChannel,
    readonly bufferSize: number,
  ) {
    super(inputChannel);
  }

  buildMessage(): NettyMessage {
    return new NewBufferSize(this.bufferSize, this.inputChannel.getInputChannelId());
  }
}

/** Port of Flink's SegmentIdMessage (hybrid shuffle): the consumer needs `segmentId` of `subpartitionId` next. */
export class SegmentIdMessage extends ClientOutboundMessage {
  constructor(
    inputChannel: RemoteInputChannel,
    readonly subpartitionId: number,
    readonly segmentId: number,
  ) {
    super(inputChannel);
  }

  buildMessage(): NettyMessage {
    return new SegmentId(this.subpartitionId, this.segmentId, this.inputChannel.getInputChannelId());
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.netty.ConnectionErrorMessage (Flink 1.20).
 *
 * A user event that fails the whole connection from outside the pipeline (a partition request or task
 * event could not be written): the client handler passes {@link cause} to every channel and closes.
 */
export class ConnectionErrorMessage {
  constructor(readonly cause: Error) {}
}
