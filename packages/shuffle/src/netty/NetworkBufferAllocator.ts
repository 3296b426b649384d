import type { InputChannelID } from '../consumer/InputChannelID';
import type { Buffer } from '../memory/Buffer';
import type { DataType } from '../memory/DataType';
import { FreeingBufferRecycler } from '../memory/FreeingBufferRecycler';
import { MemorySegmentFactory } from '../memory/MemorySegmentFactory';
import { NetworkBuffer } from '../memory/NetworkBuffer';

/**
 * What the client decoder needs of an input channel: a buffer to receive into. `RemoteInputChannel`
 * implements it; tests use fakes.
 */
export interface BufferReceiver {
  /** A buffer for the next data payload (credit mode: floating first, then exclusive), or `null`. */
  requestBuffer(): Buffer | null;
  /** True once the channel was released; it receives nothing any more. */
  isReleased(): boolean;
}

/** Finds the channel a message is for (a `NetworkClientHandler` is one). */
export interface BufferReceiverLookup {
  /** The registered channel with this id, or `undefined`. */
  getInputChannel(inputChannelId: InputChannelID): BufferReceiver | undefined;
}

/**
 * Port of org.apache.flink.runtime.io.network.netty.NetworkBufferAllocator (Flink 1.20). Differs: looks
 * channels up through the narrow {@link BufferReceiverLookup}; a released channel gets no buffer (Flink
 * relies on `requestBuffer()` returning null); events for an unknown or released channel get no buffer
 * either ({@link isChannelReceiving}), so their bytes are skipped instead of copied and thrown away.
 *
 * Gives the client decoder the buffer a BufferResponse's payload is copied into, before the payload
 * arrives (reference §1.5): data → one of the target channel's buffers (the one its announced credit
 * promised); events → a fresh heap buffer of exactly the event's size (events take no credit).
 *
 * ## Threading
 * Only ever called on the connection's event loop.
 *
 * ## Ownership
 * The caller owns the returned buffer (one reference).
 */
export class NetworkBufferAllocator {
  private readonly networkClientHandler: BufferReceiverLookup;

  constructor(networkClientHandler: BufferReceiverLookup) {
    this.networkClientHandler = networkClientHandler;
  }

  /** A buffer of the channel `receiverId`, or `null` if that channel is unknown, released or has none. */
  allocatePooledNetworkBuffer(receiverId: InputChannelID): Buffer | null {
    const channel = this.networkClientHandler.getInputChannel(receiverId);
    if (channel === undefined || channel.isReleased()) return null;
    return channel.requestBuffer();
  }

  /** A fresh heap buffer of exactly `size` (> 0) bytes for an event, freed when recycled. */
  allocateUnPooledNetworkBuffer(size: number, dataType: DataType): Buffer {
    return allocateUnpooledNetworkBuffer(size, dataType);
  }

  /** True if `receiverId` is registered and not released (worth receiving an event for). */
  isChannelReceiving(receiverId: InputChannelID): boolean {
    const channel = this.networkClientHandler.getInputChannel(receiverId);
    return channel !== undefined && !channel.isReleased();
  }
}

/**
 * A fresh heap buffer of exactly `size` (> 0) bytes for an event, freed when recycled: events take no
 * credit, so they never come from a channel's buffers (also used by push mode's client handler).
 */
export function allocateUnpooledNetworkBuffer(size: number, dataType: DataType): Buffer {
  return new NetworkBuffer(MemorySegmentFactory.allocateUnpooledSegment(size), FreeingBufferRecycler.INSTANCE, dataType);
}
