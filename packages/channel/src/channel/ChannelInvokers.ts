import type { Future } from '../concurrent/Future';
import type { ChannelFuture, ChannelPromise } from './ChannelFuture';
import type { SocketAddress } from './SocketAddress';

/** Port of io.netty.channel.ChannelInboundInvoker: the inbound events a pipeline or context can fire. */
export interface ChannelInboundInvoker {
  fireChannelRegistered(): this;
  fireChannelUnregistered(): this;
  fireChannelActive(): this;
  fireChannelInactive(): this;
  fireExceptionCaught(cause: Error): this;
  fireUserEventTriggered(event: unknown): this;
  fireChannelRead(msg: unknown): this;
  fireChannelReadComplete(): this;
  fireChannelWritabilityChanged(): this;
}

/**
 * Port of io.netty.channel.ChannelOutboundInvoker: the outbound operations. Each returns a future; pass a
 * promise to complete that one instead (or `voidPromise()` for writes whose result you do not need).
 */
export interface ChannelOutboundInvoker {
  bind(localAddress: SocketAddress, promise?: ChannelPromise): ChannelFuture;
  connect(remoteAddress: SocketAddress, localAddress?: SocketAddress | null, promise?: ChannelPromise): ChannelFuture;
  disconnect(promise?: ChannelPromise): ChannelFuture;
  close(promise?: ChannelPromise): ChannelFuture;
  deregister(promise?: ChannelPromise): ChannelFuture;
  /** Requests one batch of inbound data (see AUTO_READ). */
  read(): this;
  /** Queues `msg` in the outbound buffer; nothing is sent until {@link flush}. */
  write(msg: unknown, promise?: ChannelPromise): ChannelFuture;
  /** Sends everything written so far. */
  flush(): this;
  writeAndFlush(msg: unknown, promise?: ChannelPromise): ChannelFuture;
  newPromise(): ChannelPromise;
  newSucceededFuture(): ChannelFuture;
  newFailedFuture(cause: unknown): ChannelFuture;
  /** The shared promise for writes whose outcome the caller ignores (failures fire exceptionCaught). */
  voidPromise(): ChannelPromise;
}

/** Re-exported for handler authors who want the plain future type. */
export type { Future };
