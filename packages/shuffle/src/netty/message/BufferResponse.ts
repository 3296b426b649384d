import { IllegalStateException, type ByteBuf, type ByteBufAllocator, type ChannelOutboundInvoker, type ChannelPromise } from '@sluice/channel';
import type { Buffer } from '../../memory/Buffer';
import { DataType } from '../../memory/DataType';
import { InputChannelID } from '../../consumer/InputChannelID';
import { ProtocolException } from '../errors';
import { MessageId, NettyMessage } from '../NettyMessage';
import type { NetworkBufferAllocator } from '../NetworkBufferAllocator';

/** Offset of numOfPartialBuffers in the message header. */
const NUM_PARTIALS_OFFSET = InputChannelID.SIZE + 4;
/** Offset of the dataType byte in the message header. */
const DATA_TYPE_OFFSET = InputChannelID.SIZE + 16;
/** Offset of bufferSize in the message header. */
const BUFFER_SIZE_OFFSET = InputChannelID.SIZE + 18;
const NO_PARTIALS: readonly number[] = Object.freeze([]);

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
 * gone or the buffer is empty; whoever takes the message takes that reference. Push mode (Flink 1.4
 * flow control): the client's length-field decoder leaves {@link buffer} `null` and puts the payload
 * bytes in {@link payload}, a retained slice of the socket read, owned by whoever takes the message
 * ({@link releaseBuffer} releases it).
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
  /** Push mode only: the payload bytes as a retained slice of the received frame, or `null` (see Ownership). */
  readonly payload: ByteBuf | null;

  constructor(
    buffer: Buffer | null,
    dataType: DataType,
    isCompressed: boolean,
    sequenceNumber: number,
    receiverId: InputChannelID,
    subpartitionId: number,
    backlog: number,
    bufferSize: number,
    partialBufferSizes: readonly number[] = NO_PARTIALS,
    payload: ByteBuf | null = null,
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
    this.payload = payload;
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

  /** Releases {@link buffer} and {@link payload}, whichever there is (error paths, dropped messages). */
  releaseBuffer(): void {
    if (this.buffer !== null) this.buffer.recycleBuffer();
    if (this.payload !== null) this.payload.release();
  }

  /**
   * Zero copy (reference §1.4): allocates only the header (frame header + 38 + 4 × partials bytes), then
   * writes the header and the network buffer itself (`buffer.asByteBuf()`), `promise` on the second write.
   * The transport releases the buffer when the socket write completes. If the header cannot be made,
   * it is released, the buffer is recycled and the error rethrown; once a write was issued, that object
   * belongs to the pipeline (Flink releases both in any case, which would double-release a header the
   * pipeline already owns). A received message ({@link payload} set, no buffer) is written the same way.
   */
  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    let content: ByteBuf | null = this.buffer !== null ? this.buffer.asByteBuf() : this.payload;
    let header: ByteBuf | null = null;
    try {
      if (content === null && this.bufferSize !== 0) {
        throw new IllegalStateException(`${this.toString()}: no buffer to write`);
      }
      const partials = this.partialBufferSizes;
      const headerLength = NettyMessage.FRAME_HEADER_LENGTH + BufferResponse.MESSAGE_HEADER_LENGTH + 4 * partials.length;
      header = allocator.buffer(headerLength, headerLength);
      header.writeInt(headerLength + this.bufferSize);
      header.writeInt(NettyMessage.MAGIC_NUMBER);
      header.writeByte(this.id);
      this.receiverId.writeTo(header);
      header.writeInt(this.subpartitionId);
      header.writeInt(partials.length);
      header.writeInt(this.sequenceNumber);
      header.writeInt(this.backlog);
      header.writeByte(this.dataType.ordinal);
      header.writeBoolean(this.isCompressed);
      header.writeInt(this.bufferSize);
      for (let i = 0; i < partials.length; i++) header.writeInt(partials[i]!);
      const h = header;
      header = null;
      if (content === null) {
        out.write(h, promise);
      } else {
        out.write(h);
        const c = content;
        content = null;
        out.write(c, promise);
      }
    } catch (e) {
      if (header !== null) header.release();
      if (content !== null) content.release();
      throw e;
    }
  }

  /**
   * Flink's `BufferResponse.readFrom(messageHeader, allocator)`: parses the message header (38 + 4 ×
   * partials bytes at `header`'s reader index) and obtains the buffer the payload will be copied into —
   * from the target channel for data (`null` if the channel is unknown or released, or has no buffer),
   * a fresh unpooled buffer of exactly `bufferSize` for an event of a live channel. A buffer obtained for
   * an empty payload is recycled at once (so a credit-backed buffer goes back) and `buffer` is `null`.
   * The payload is NOT read. Throws {@link ProtocolException} for an unknown data type, negative sizes
   * or a payload larger than the channel's buffer.
   */
  static readFrom(header: ByteBuf, allocator: NetworkBufferAllocator): BufferResponse {
    const { receiverId, subpartitionId, sequenceNumber, backlog, dataType, isCompressed, bufferSize, partialBufferSizes } = readHeader(header);
    let buffer: Buffer | null;
    if (dataType.isBuffer()) {
      buffer = allocator.allocatePooledNetworkBuffer(receiverId);
      if (buffer !== null) {
        if (bufferSize > buffer.getMaxCapacity()) {
          const capacity = buffer.getMaxCapacity();
          buffer.recycleBuffer();
          throw new ProtocolException(
            `BufferResponse: payload of ${bufferSize} bytes for ${receiverId.toString()} exceeds the receiving buffer's ${capacity} bytes ` +
              '(sender and receiver must use the same memory segment size)',
          );
        }
        buffer.setDataType(dataType);
      }
    } else {
      buffer = bufferSize > 0 && allocator.isChannelReceiving(receiverId) ? allocator.allocateUnPooledNetworkBuffer(bufferSize, dataType) : null;
    }
    if (bufferSize === 0 && buffer !== null) {
      // Flink: recycle the empty buffer directly, so the credit it stood for is given back.
      buffer.recycleBuffer();
      buffer = null;
    }
    if (buffer !== null) buffer.setCompressed(isCompressed);
    return new BufferResponse(buffer, dataType, isCompressed, sequenceNumber, receiverId, subpartitionId, backlog, bufferSize, partialBufferSizes);
  }

  /**
   * Decodes a whole BufferResponse body (header and payload, after the 9-byte frame header) as the push-mode
   * client's length-field decoder sees it: {@link buffer} is `null` and {@link payload} is a retained slice
   * of `body` holding the payload (`null` if empty). `body`'s readable bytes must be exactly the body.
   */
  static readFromFrame(body: ByteBuf): BufferResponse {
    const available = body.readableBytes();
    if (available < BufferResponse.MESSAGE_HEADER_LENGTH) {
      throw new ProtocolException(`BufferResponse: body of ${available} bytes (expected: at least ${BufferResponse.MESSAGE_HEADER_LENGTH})`);
    }
    const expected = BufferResponse.bodyLength(body, body.readerIndex());
    if (expected !== available) {
      throw new ProtocolException(`BufferResponse: body of ${available} bytes, but its header announces ${expected}`);
    }
    const { receiverId, subpartitionId, sequenceNumber, backlog, dataType, isCompressed, bufferSize, partialBufferSizes } = readHeader(body);
    const payload = bufferSize > 0 ? body.readRetainedSlice(bufferSize) : null;
    return new BufferResponse(
      null,
      dataType,
      isCompressed,
      sequenceNumber,
      receiverId,
      subpartitionId,
      backlog,
      bufferSize,
      partialBufferSizes,
      payload,
    );
  }

  /**
   * The body length (message header + partial sizes + payload) announced by the 38-byte message header at
   * `index` of `buf` (indices not moved), or -1 if its counts are negative. Lets a decoder check a frame
   * before it allocates anything.
   */
  static bodyLength(buf: ByteBuf, index: number): number {
    const partials = buf.getInt(index + NUM_PARTIALS_OFFSET);
    const size = buf.getInt(index + BUFFER_SIZE_OFFSET);
    if (partials < 0 || size < 0) return -1;
    return BufferResponse.MESSAGE_HEADER_LENGTH + 4 * partials + size;
  }

  /** The number of partial buffer sizes announced by the message header at `index` (not validated). */
  static numOfPartialBuffers(buf: ByteBuf, index: number): number {
    return buf.getInt(index + NUM_PARTIALS_OFFSET);
  }

  /** The data type ordinal in the message header at `index`. */
  static dataTypeOrdinal(buf: ByteBuf, index: number): number {
    return buf.getUnsignedByte(index + DATA_TYPE_OFFSET);
  }

  override toString(): string {
    return (
      `BufferResponse{receiverId=${this.receiverId.toString()}, subpartition=${this.subpartitionId}, seq=${this.sequenceNumber}, ` +
      `backlog=${this.backlog}, ${this.dataType.name}${this.isCompressed ? ' compressed' : ''}, size=${this.bufferSize}}`
    );
  }
}

/** The fields of a BufferResponse's message header, partial buffer sizes included. */
interface MessageHeader {
  readonly receiverId: InputChannelID;
  readonly subpartitionId: number;
  readonly sequenceNumber: number;
  readonly backlog: number;
  readonly dataType: DataType;
  readonly isCompressed: boolean;
  readonly bufferSize: number;
  readonly partialBufferSizes: readonly number[];
}

/**
 * Reads the 38-byte message header and the partial buffer sizes at `buf`'s reader index (the payload
 * stays unread); throws {@link ProtocolException} for an unknown data type or a negative field.
 */
function readHeader(buf: ByteBuf): MessageHeader {
  const receiverId = InputChannelID.fromByteBuf(buf);
  const subpartitionId = buf.readInt();
  const numOfPartialBuffers = buf.readInt();
  const sequenceNumber = buf.readInt();
  const backlog = buf.readInt();
  const ordinal = buf.readUnsignedByte();
  const isCompressed = buf.readBoolean();
  const bufferSize = buf.readInt();
  const values = DataType.values();
  if (ordinal >= values.length) {
    throw new ProtocolException(`BufferResponse: data type ordinal ${ordinal} (expected: 0..${values.length - 1})`);
  }
  if (subpartitionId < 0) throw new ProtocolException(`BufferResponse: subpartitionId ${subpartitionId} (expected: >= 0)`);
  if (numOfPartialBuffers < 0) throw new ProtocolException(`BufferResponse: numOfPartialBuffers ${numOfPartialBuffers} (expected: >= 0)`);
  if (bufferSize < 0) throw new ProtocolException(`BufferResponse: bufferSize ${bufferSize} (expected: >= 0)`);
  const partialBufferSizes = readPartials(buf, numOfPartialBuffers);
  return { receiverId, subpartitionId, sequenceNumber, backlog, dataType: values[ordinal]!, isCompressed, bufferSize, partialBufferSizes };
}

function readPartials(buf: ByteBuf, count: number): readonly number[] {
  if (count === 0) return NO_PARTIALS;
  if (buf.readableBytes() < 4 * count) {
    throw new ProtocolException(`BufferResponse: ${count} partial buffer sizes announced, only ${buf.readableBytes()} header bytes left`);
  }
  const sizes = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const size = buf.readInt();
    if (size < 0) throw new ProtocolException(`BufferResponse: partial buffer size ${size} (expected: >= 0)`);
    sizes[i] = size;
  }
  return sizes;
}
