import type { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import type { EventLoop } from '../concurrent/EventLoop';
import type { AttributeMap } from './AttributeKey';
import type { ChannelConfig } from './ChannelConfig';
import type { ChannelFuture, ChannelPromise } from './ChannelFuture';
import type { ChannelId } from './ChannelId';
import type { ChannelOutboundInvoker } from './ChannelInvokers';
import type { ChannelMetadata } from './ChannelMetadata';
import type { ChannelOutboundBuffer } from './ChannelOutboundBuffer';
import type { ChannelPipeline } from './ChannelPipeline';
import type { SocketAddress } from './SocketAddress';

/**
 * Port of io.netty.channel.Channel: a connection (or a listening socket) with a pipeline of handlers.
 *
 * Outbound calls on the channel (`write`, `close`, …) start at the tail of the pipeline, so every
 * outbound handler sees them. Each returns a future; `await` it to learn the outcome.
 *
 * ## Threading
 * All I/O events and handler callbacks run on `eventLoop()`. Calls from outside the loop are queued.
 *
 * ## Pitfalls
 * Check `isWritable()` (or handle `channelWritabilityChanged`) before writing more: the outbound buffer is
 * unbounded, writability is the back-pressure signal.
 */
export interface Channel extends AttributeMap, ChannelOutboundInvoker {
  id(): ChannelId;
  /** The loop this channel is registered to; throws IllegalStateException before registration. */
  eventLoop(): EventLoop;
  /** The server channel that accepted this one, or null. */
  parent(): Channel | null;
  config(): ChannelConfig;
  metadata(): ChannelMetadata;
  isOpen(): boolean;
  isRegistered(): boolean;
  isActive(): boolean;
  localAddress(): SocketAddress | null;
  remoteAddress(): SocketAddress | null;
  /** Completes (always successfully) once the channel is closed. */
  closeFuture(): ChannelFuture;
  isWritable(): boolean;
  bytesBeforeUnwritable(): number;
  bytesBeforeWritable(): number;
  unsafe(): Unsafe;
  pipeline(): ChannelPipeline;
  alloc(): ByteBufAllocator;
}

/**
 * Port of io.netty.channel.Channel.Unsafe: the transport operations behind the pipeline's head. Only the
 * head context and transports call these, always on the event loop.
 */
export interface Unsafe {
  localAddress(): SocketAddress | null;
  remoteAddress(): SocketAddress | null;
  register(eventLoop: EventLoop, promise: ChannelPromise): void;
  bind(localAddress: SocketAddress, promise: ChannelPromise): void;
  connect(remoteAddress: SocketAddress, localAddress: SocketAddress | null, promise: ChannelPromise): void;
  disconnect(promise: ChannelPromise): void;
  close(promise: ChannelPromise): void;
  closeForcibly(): void;
  deregister(promise: ChannelPromise): void;
  beginRead(): void;
  write(msg: unknown, promise: ChannelPromise): void;
  flush(): void;
  voidPromise(): ChannelPromise;
  outboundBuffer(): ChannelOutboundBuffer | null;
}
