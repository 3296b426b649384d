import type { ByteBufAllocator, ChannelOutboundInvoker, ChannelPromise } from '@sluice/channel';
import type { InputChannelID } from '../../consumer/InputChannelID';
import { MessageId, NettyMessage } from '../NettyMessage';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyMessage.ErrorResponse (Flink 1.20). Differs:
 * the error is written in Sluice's language-neutral form, not Java serialization (docs/protocol.md); a
 * Java-serialized one from a Java peer is still recognised when read.
 *
 * Server → client: {@link cause} failed the channel {@link receiverId}, or — without a receiver — the
 * whole connection (a fatal error).
 */
export class ErrorResponse extends NettyMessage {
  override readonly id = MessageId.ERROR_RESPONSE;
  readonly cause: Error;
  /** The failed channel, or `null` for a fatal (connection-wide) error. */
  readonly receiverId: InputChannelID | null;

  constructor(cause: Error, receiverId: InputChannelID | null = null) {
    super();
    this.cause = cause;
    this.receiverId = receiverId;
  }

  /** True if the error concerns the whole connection. */
  isFatalError(): boolean {
    return this.receiverId === null;
  }

  override write(out: ChannelOutboundInvoker, promise: ChannelPromise, allocator: ByteBufAllocator): void {
    throw new Error(`not yet implemented ${String(out)} ${String(promise)} ${String(allocator)}`);
  }

  override toString(): string {
    return `ErrorResponse{${this.receiverId === null ? 'fatal' : `receiverId=${this.receiverId.toString()}`}, cause=${this.cause.name}: ${this.cause.message}}`;
  }
}
