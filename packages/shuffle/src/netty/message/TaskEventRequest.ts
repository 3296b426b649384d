import type { ByteBuf, ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import { TaskEvent } from '../../event/AbstractEvent';
import { EventSerializer } from '../../event/EventSerializer';
import { InputChannelID } from '../../consumer/InputChannelID';
import { ResultPartitionID } from '../../partition/ResultPartitionID';
import { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import { allocateFrame } from './frame';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.TaskEventRequest (Flink 1.20). Differs:
 * a top-level class.
 *
 * Client → server: deliver {@link event} backwards to the producer of {@link partitionId} (iterations).
 * Body: event length (4), event bytes (EventSerializer format), ResultPartitionID (60), receiverId (16).
 */
export class TaskEventRequest extends NettyMessage {
  override readonly id = MessageId.TASK_EVENT_REQUEST;
  readonly event: TaskEvent;
  readonly partitionId: ResultPartitionID;
  readonly receiverId: InputChannelID;

  constructor(event: TaskEvent, partitionId: ResultPartitionID, receiverId: InputChannelID) {
    super();
    this.event = event;
    this.partitionId = partitionId;
    this.receiverId = receiverId;
  }

  /**
   * Decodes the body (after the 9-byte frame header); `body`'s readable bytes must be exactly the body.
   * Throws {@link ProtocolException} for a wrong length or an event that cannot be decoded or is not a
   * TaskEvent (custom events must be registered with `EventSerializer.registerEventClass`).
   */
  static readFrom(body: ByteBuf): TaskEventRequest {
    const fixed = 4 + ResultPartitionID.SIZE + InputChannelID.SIZE;
    if (body.readableBytes() < fixed) {
      throw new ProtocolException(`TaskEventRequest: body of ${body.readableBytes()} bytes (expected: at least ${fixed})`);
    }
    const length = body.readInt();
    if (length < 0 || length !== body.readableBytes() - ResultPartitionID.SIZE - InputChannelID.SIZE) {
      throw new ProtocolException(
        `TaskEventRequest: event length ${length} (expected: ${body.readableBytes() - ResultPartitionID.SIZE - InputChannelID.SIZE}, the body minus the ids)`,
      );
    }
    let event: unknown;
    try {
      event = EventSerializer.fromSerializedEvent(body.slice(body.readerIndex(), length));
    } catch (e) {
      throw new ProtocolException(`TaskEventRequest: undecodable event of ${length} bytes`, { cause: e });
    }
    if (!(event instanceof TaskEvent)) {
      throw new ProtocolException(`TaskEventRequest: ${(event as object).constructor.name} is not a TaskEvent`);
    }
    body.skipBytes(length);
    const partitionId = ResultPartitionID.fromByteBuf(body);
    return new TaskEventRequest(event, partitionId, InputChannelID.fromByteBuf(body));
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    const bytes = EventSerializer.toSerializedEvent(this.event);
    const buf = allocateFrame(allocator, this.id, 4 + bytes.length + ResultPartitionID.SIZE + InputChannelID.SIZE);
    buf.writeInt(bytes.length);
    buf.writeBytes(bytes);
    this.partitionId.writeTo(buf);
    this.receiverId.writeTo(buf);
    out.write(buf, promise);
  }

  override toString(): string {
    return `TaskEventRequest{event=${this.event.constructor.name}, ${this.partitionId.toString()}, receiverId=${this.receiverId.toString()}}`;
  }
}
