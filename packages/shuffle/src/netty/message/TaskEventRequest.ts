import type { ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import type { TaskEvent } from '../../event/AbstractEvent';
import { EventSerializer } from '../../event/EventSerializer';
import { InputChannelID } from '../../consumer/InputChannelID';
import { ResultPartitionID } from '../../partition/ResultPartitionID';
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
