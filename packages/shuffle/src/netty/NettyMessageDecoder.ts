import { LengthFieldBasedFrameDecoder, type ByteBuf, type ChannelHandlerContext } from '@sluice/channel';
import { ProtocolException } from './errors';
import { AckAllUserRecordsProcessed } from './message/AckAllUserRecordsProcessed';
import { AddCredit } from './message/AddCredit';
import { BacklogAnnouncement } from './message/BacklogAnnouncement';
import { BufferResponse } from './message/BufferResponse';
import { CancelPartitionRequest } from './message/CancelPartitionRequest';
import { CloseRequest } from './message/CloseRequest';
import { ErrorResponse } from './message/ErrorResponse';
import { NewBufferSize } from './message/NewBufferSize';
import { PartitionRequest } from './message/PartitionRequest';
import { ResumeConsumption } from './message/ResumeConsumption';
import { SegmentId } from './message/SegmentId';
import { TaskEventRequest } from './message/TaskEventRequest';
import { checkFrameLength, checkMagicNumber, checkMaxFrameLength } from './message/frame';
import { MessageId, NettyMessage } from './NettyMessage';

/** Options of {@link NettyMessageDecoder}. */
export interface NettyMessageDecoderOptions {
  /**
   * Decode the server → client messages (BufferResponse, ErrorResponse, BacklogAnnouncement) instead of
   * the client → server ones: the push-mode client (Flink 1.4 flow control) uses this decoder (default:
   * false, the server side).
   */
  clientSide?: boolean;
  /** Largest accepted frame in bytes, including the 9-byte header (default: 2^31 − 1, Flink's). */
  maxFrameLength?: number;
}

/**
 * Port of the server-side org.apache.flink.runtime.io.network.netty.NettyMessage.NettyMessageDecoder
 * (Flink 1.20). Differs: every framing error is a {@link ProtocolException} (Flink: IllegalStateException
 * for a wrong magic, ProtocolException for an unknown id; Netty's own frame exceptions for lengths) — the
 * length field is read as a signed int, so a negative length is reported as such rather than as a huge
 * frame; message bodies are checked for their exact length; after a protocol error the rest of the
 * connection's bytes are dropped; with `clientSide` it decodes the server → client messages (the
 * push-mode client, Flink 1.4) — a BufferResponse then carries its payload as a retained slice in
 * {@link BufferResponse.payload}.
 *
 * A length-field frame decoder configured as Flink's (maxFrame, lengthFieldOffset 0, lengthFieldLength 4,
 * lengthAdjustment −4, initialBytesToStrip 4): each frame's length counts the whole frame, the length is
 * stripped, then the magic number is checked and the body is decoded by the message id's `readFrom`.
 *
 * ## Threading
 * Per-connection state (the cumulation); called on the connection's event loop; not `@Sharable`.
 *
 * ## Ownership
 * Releases what it reads. Decoded messages own nothing, except a client-side BufferResponse's
 * `payload` (one reference, owned by the next handler).
 *
 * ## Pitfalls
 * Errors reach the next handlers' `exceptionCaught` as a `DecoderException` whose `cause` is the
 * ProtocolException; the server handler closes the connection on it.
 */
export class NettyMessageDecoder extends LengthFieldBasedFrameDecoder {
  private readonly clientSide: boolean;
  private readonly maxFrame: number;
  private corrupted = false;

  constructor(options: NettyMessageDecoderOptions = {}) {
    const max = checkMaxFrameLength(options.maxFrameLength);
    super(max, 0, 4, -4, 4);
    this.clientSide = options.clientSide ?? false;
    this.maxFrame = max;
  }

  protected override decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    if (this.corrupted) {
      input.skipBytes(input.readableBytes());
      return;
    }
    try {
      const frame = this.decodeFrame(ctx, input);
      if (frame === null) return;
      out.push(this.decodeMessage(frame));
    } catch (e) {
      this.corrupted = true;
      input.skipBytes(input.readableBytes());
      if (e instanceof ProtocolException) {
        const remote = ctx.channel().remoteAddress();
        throw new ProtocolException(`${e.message} (remote: ${remote === null ? 'unknown' : remote.toString()})`, { cause: e });
      }
      throw e;
    }
  }

  /**
   * Signed, and checked against Flink's rules before the frame decoder sees it. If the magic number
   * arrived with the length (it nearly always does; the frame decoder reads a length once per frame),
   * it is checked here too, not only once the whole frame is in as Flink does: a corrupt header fails
   * at once instead of after buffering up to `maxFrameLength` bytes.
   */
  protected override getUnadjustedFrameLength(buf: ByteBuf, offset: number): number {
    const length = buf.getInt(offset);
    checkFrameLength(length, this.maxFrame);
    if (buf.writerIndex() >= offset + 8) checkMagicNumber(buf.getInt(offset + 4));
    return length;
  }

  /** The frame is an unretained slice: it is decoded before the cumulation can change. */
  protected override extractFrame(_ctx: ChannelHandlerContext, buffer: ByteBuf, index: number, length: number): ByteBuf {
    return buffer.slice(index, length);
  }

  /** Decodes `magic | id | body` (the frame after its length field). */
  private decodeMessage(frame: ByteBuf): NettyMessage {
    checkMagicNumber(frame.readInt());
    const msgId = frame.readUnsignedByte();
    if (this.clientSide) {
      switch (msgId) {
        case MessageId.BUFFER_RESPONSE:
          return BufferResponse.readFromFrame(frame);
        case MessageId.ERROR_RESPONSE:
          return ErrorResponse.readFrom(frame);
        case MessageId.BACKLOG_ANNOUNCEMENT:
          return BacklogAnnouncement.readFrom(frame);
        default:
          throw new ProtocolException(`Received unknown message from producer: id ${msgId} (expected: 0, 1 or 9)`);
      }
    }
    switch (msgId) {
      case MessageId.PARTITION_REQUEST:
        return PartitionRequest.readFrom(frame);
      case MessageId.TASK_EVENT_REQUEST:
        return TaskEventRequest.readFrom(frame);
      case MessageId.CANCEL_PARTITION_REQUEST:
        return CancelPartitionRequest.readFrom(frame);
      case MessageId.CLOSE_REQUEST:
        return CloseRequest.readFrom(frame);
      case MessageId.ADD_CREDIT:
        return AddCredit.readFrom(frame);
      case MessageId.RESUME_CONSUMPTION:
        return ResumeConsumption.readFrom(frame);
      case MessageId.ACK_ALL_USER_RECORDS_PROCESSED:
        return AckAllUserRecordsProcessed.readFrom(frame);
      case MessageId.NEW_BUFFER_SIZE:
        return NewBufferSize.readFrom(frame);
      case MessageId.SEGMENT_ID:
        return SegmentId.readFrom(frame);
      default:
        throw new ProtocolException(`Received unknown message from consumer: id ${msgId} (expected: 2..8, 10 or 11)`);
    }
  }
}
