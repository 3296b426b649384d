import type { ByteBuf } from '../buffer/ByteBuf';
import type { ByteBufAllocator } from '../buffer/ByteBufAllocator';

/**
 * Port of io.netty.channel.RecvByteBufAllocator (Netty 4.1), reduced to what a Node transport drives.
 * Differs: Node performs each read itself, so the handle only sizes buffers and hears what each read
 * returned; there is no read loop to continue or stop (`continueReading`, `incMessagesRead`,
 * `maxMessagesPerRead`), and one read is one `channelRead` + `channelReadComplete`.
 *
 * Chooses the buffer a socket reads into. A transport asks its channel's allocator for a
 * {@link RecvByteBufAllocatorHandle} once and keeps it for the channel's life.
 */
export interface RecvByteBufAllocator {
  /** A fresh handle with its own sizing state (one per channel). */
  newHandle(): RecvByteBufAllocatorHandle;
}

/**
 * Port of io.netty.channel.RecvByteBufAllocator.Handle (see {@link RecvByteBufAllocator}).
 *
 * ## Threading
 * The channel's event loop.
 *
 * ## Ownership
 * {@link allocate} hands the caller (the transport) a buffer with a reference count of 1; the transport
 * passes it to the pipeline as the read's message or releases it.
 */
export interface RecvByteBufAllocatorHandle {
  /** A buffer of capacity {@link guess}, from `alloc`, for the next read. */
  allocate(alloc: ByteBufAllocator): ByteBuf;
  /** The capacity the next read buffer will have. */
  guess(): number;
  /** What the last read returned (in bytes); sizes the next {@link allocate}. */
  lastBytesRead(bytes: number): void;
}
