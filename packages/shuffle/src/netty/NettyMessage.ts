import type { ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';

/**
 * Message ids of Flink's wire protocol (reference §1.3). Server → client: 0, 1, 9; client → server: the
 * rest.
 */
export const MessageId = Object.freeze({
  BUFFER_RESPONSE: 0,
  ERROR_RESPONSE: 1,
  PARTITION_REQUEST: 2,
  TASK_EVENT_REQUEST: 3,
  CANCEL_PARTITION_REQUEST: 4,
  CLOSE_REQUEST: 5,
  ADD_CREDIT: 6,
  RESUME_CONSUMPTION: 7,
  ACK_ALL_USER_RECORDS_PROCESSED: 8,
  BACKLOG_ANNOUNCEMENT: 9,
  NEW_BUFFER_SIZE: 10,
  SEGMENT_ID: 11,
} as const);

export type MessageIdValue = (typeof MessageId)[keyof typeof MessageId];

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage (Flink 1.20). Differs: each message is
 * a top-level class in `message/` instead of a nested class.
 *
 * A message of Flink's network protocol. Every frame starts with the 9-byte frame header: the frame
 * length (int, including itself), the magic number `0xBADC0FFE` and the message id; the body follows
 * (reference §1). All integers are big-endian.
 */
export abstract class NettyMessage {
  /** Frame length (4) + magic number (4) + message id (1). */
  static readonly FRAME_HEADER_LENGTH = 9;
  /** `0xBADC0FFE` as the signed 32-bit int that `readInt()` returns. */
  static readonly MAGIC_NUMBER = 0xbadc0ffe | 0;

  /** This message's id ({@link MessageId}). */
  abstract readonly id: MessageIdValue;

  /**
   * Writes the framed message to `out` with `promise` (Flink's `write(ChannelOutboundInvoker,
   * ChannelPromise, ByteBufAllocator)`). A BufferResponse writes its header and then the network buffer
   * itself (no payload copy); every other message writes one ByteBuf.
   */
  abstract write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void;
}
