import type { ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import type { Buffer } from '../../memory/Buffer';
import { DataType } from '../../memory/DataType';
import { InputChannelID } from '../../consumer/InputChannelID';
import { MessageId, NettyMessage } from '../NettyMessage';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.BufferResponse (Flink 1.20, "current"
 * layout). Differs: a top-level class.
 *
 * Server → client: one buffer of a subpartition for the channel {@link receiverId}, with the sequence
 * number, the sender's backlog after it, and the buffer's data type and compression flag.
 * Header after the frame header (38 + 4 × partials bytes): receiverId (16), subpartitionId (4),
 * numOfPartialBuffers (4), sequenceNumber (4), backlog (4), dataType (1), isCompressed (1),
 * bufferSize (4), [partial buffer sizes (4 each)]; then `bufferSize` payload bytes.
 *
 * ## Ownership
 * Sending: the message owns one reference to {@link buffer}; `write` hands it to the pipeline (released
 * when the socket write completes) — or releases it if the write cannot start. Receiving: {@link buffer}
 * is the buffer the payload was read into (taken from the target channel), or `null` if the channel is
 * gone or the buffer is empty; whoever takes the message takes that reference.
 */
export class BufferResponse extends NettyMessage {
  /** Header bytes after the frame header, without partial buffer sizes. */
  static readonly MESSAGE_HEADER_LENGTH = InputChannelID.SIZE + 4 + 4 + 4 + 4 + 1 + 1 + 4;
  override readonly id = MessageId.BUFFER_RESPONSE;
  /** The payload (see Ownership), or `null`. */
  readonly buffer: Buffer | null;
  readonly dataType: DataType;
  readonly isCompressed: boolean;
  readonly sequenceNumber: number;
  readonly receiverId: InputChannelID;
  readonly subpartitionId: number;
  /** Data buffers still queued at the sender after this one. */
  readonly backlog: number;
  /** Payload bytes. */
  readonly bufferSize: number;
  /** Sizes of the partial buffers the payload consists of (hybrid shuffle); empty normally. */
  readonly partialBufferSizes: readonly number[];

  constructor(
    buffer: Buffer | null,
    dataType: DataType,
    isCompressed: boolean,
    sequenceNumber: number,
    receiverId: InputChannelID,
    subpartitionId: number,
    backlog: number,
    bufferSize: number,
    partialBufferSizes: readonly number[] = [],
  ) {
    super();
    this.buffer = buffer;
    this.dataType = dataType;
    this.isCompressed = isCompressed;
    this.sequenceNumber = sequenceNumber;
    this.receiverId = receiverId;
    this.subpartitionId = subpartitionId;
    this.backlog = backlog;
    this.bufferSize = bufferSize;
    this.partialBufferSizes = partialBufferSizes;
  }

  /** The sending side's constructor: type, compression and size come from `buffer` (one reference, owned by the message). */
  static forBuffer(buffer: Buffer, sequenceNumber: number, receiverId: InputChannelID, subpartitionId: number, backlog: number): BufferResponse {
    return new BufferResponse(
      buffer,
      buffer.getDataType(),
      buffer.isCompressed(),
      sequenceNumber,
      receiverId,
      subpartitionId,
      backlog,
      buffer.readableBytes(),
    );
  }

  /** True for a data buffer (Flink's `isBuffer()`). */
  isBuffer(): boolean {
    return this.dataType.isBuffer();
  }

  /** Releases {@link buffer} if there is one (error paths). */
  releaseBuffer(): void {
    if (this.buffer !== null) this.buffer.recycleBuffer();
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    throw new Error(`not yet implemented ${String(out)} ${String(promise)} ${String(allocator)} ${DataType.NONE.name}`);
  }

  override toString(): string {
    return (
      `BufferResponse{receiverId=${this.receiverId.toString()}, subpartition=${this.subpartitionId}, seq=${this.sequenceNumber}, ` +
      `backlog=${this.backlog}, ${this.dataType.name}${this.isCompressed ? ' compressed' : ''}, size=${this.bufferSize}}`
    );
  }
}
