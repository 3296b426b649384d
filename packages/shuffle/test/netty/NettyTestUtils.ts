// Shared test helpers of the netty tests (read-only for other helpers): encode messages through the real
// encoder, decode them through the server decoder or the client delegate, fake channels backed by real
// buffer pools.
import { Unpooled, type ByteBuf, type ChannelHandler } from '@sluice/channel';
import { EmbeddedChannel } from '@sluice/channel/testing';
import type { InputChannelID } from '../../src/consumer/InputChannelID';
import type { Buffer } from '../../src/memory/Buffer';
import type { BufferPool } from '../../src/memory/BufferPool';
import type { NettyMessage } from '../../src/netty/NettyMessage';
import type { NettyPartitionRequestClient } from '../../src/netty/NettyPartitionRequestClient';
import type { ConnectionID } from '../../src/network/ConnectionID';
import type { ConnectionManager } from '../../src/network/ConnectionManager';
import type { PartitionRequestClient } from '../../src/network/PartitionRequestClient';
import { NettyMessageClientDecoderDelegate } from '../../src/netty/NettyMessageClientDecoderDelegate';
import { NettyMessageDecoder } from '../../src/netty/NettyMessageDecoder';
import { NettyMessageEncoder } from '../../src/netty/NettyMessageEncoder';
import type { BufferReceiver, BufferReceiverLookup } from '../../src/netty/NetworkBufferAllocator';

/**
 * A stand-in for RemoteInputChannel as the client decoder sees it: buffers come from `pool` (a real
 * LocalBufferPool), `released` turns requests off.
 */
export class FakeInputChannel implements BufferReceiver {
  released = false;
  requests = 0;
  /** Buffers handed out so far (to check where decoded payloads came from). */
  readonly handedOut: Buffer[] = [];

  constructor(
    readonly id: InputChannelID,
    readonly pool: BufferPool,
  ) {}

  requestBuffer(): Buffer | null {
    this.requests++;
    const buffer = this.pool.requestBuffer();
    if (buffer !== null) this.handedOut.push(buffer);
    return buffer;
  }

  isReleased(): boolean {
    return this.released;
  }
}

/** A stand-in for NetworkClientHandler as the client decoder sees it: a map of channels. */
export class FakeNetworkClientHandler implements BufferReceiverLookup {
  private readonly channels = new Map<string, BufferReceiver>();

  add(channel: FakeInputChannel): FakeInputChannel {
    this.channels.set(channel.id.key(), channel);
    return channel;
  }

  remove(id: InputChannelID): void {
    this.channels.delete(id.key());
  }

  getInputChannel(inputChannelId: InputChannelID): BufferReceiver | undefined {
    return this.channels.get(inputChannelId.key());
  }
}

/**
 * Encodes `messages` with the real NettyMessageEncoder and returns the bytes as one heap ByteBuf (the
 * caller releases it). Every outbound piece (header, network buffer) is released after copying, so a
 * sender's buffer is recycled once this returns.
 */
export function encode(...messages: NettyMessage[]): ByteBuf {
  const channel = new EmbeddedChannel(new NettyMessageEncoder());
  const out = Unpooled.buffer(256);
  try {
    for (const message of messages) channel.writeOutbound(message);
    for (let piece = channel.readOutbound<ByteBuf>(); piece !== null; piece = channel.readOutbound<ByteBuf>()) {
      try {
        out.writeBytes(piece, piece.readerIndex(), piece.readableBytes());
      } finally {
        piece.release();
      }
    }
    channel.finishAndReleaseAll();
    return out;
  } catch (e) {
    out.release();
    throw e;
  }
}

/** The encoded bytes of `message` as a hex string (for byte-exact checks). */
export function encodeToHex(message: NettyMessage): string {
  const buf = encode(message);
  try {
    return Buffer.from(buf.nioBuffer()).toString('hex');
  } finally {
    buf.release();
  }
}

/** Feeds `bytes` (released by the pipeline) to `channel` in pieces cut at `cuts` (ascending offsets). */
export function writeInPieces(channel: EmbeddedChannel, bytes: ByteBuf, cuts: readonly number[] = []): void {
  try {
    let from = bytes.readerIndex();
    const end = bytes.writerIndex();
    for (const cut of [...cuts.map((c) => bytes.readerIndex() + c), end]) {
      if (cut < from) continue;
      const piece = Unpooled.buffer(Math.max(cut - from, 1));
      piece.writeBytes(bytes, from, cut - from);
      channel.writeInbound(piece);
      from = cut;
    }
  } finally {
    bytes.release();
  }
}

/** Reads every inbound message of `channel`. */
export function readAllInbound(channel: EmbeddedChannel): unknown[] {
  const messages: unknown[] = [];
  for (let m = channel.readInbound(); m !== null; m = channel.readInbound()) messages.push(m);
  return messages;
}

/** Encodes `message` and decodes it with the server-side NettyMessageDecoder. */
export function serverRoundTrip<T extends NettyMessage>(message: NettyMessage): T {
  return roundTrip(new NettyMessageDecoder(), message);
}

/** Encodes `message` and decodes it with the client delegate over `handler`. */
export function clientRoundTrip<T extends NettyMessage>(message: NettyMessage, handler: BufferReceiverLookup = new FakeNetworkClientHandler()): T {
  return roundTrip(new NettyMessageClientDecoderDelegate(handler), message);
}

/** Encodes `message`, feeds it to `decoder` in pieces and returns the one message decoded. */
function roundTrip<T extends NettyMessage>(decoder: ChannelHandler, message: NettyMessage): T {
  const channel = new EmbeddedChannel(decoder);
  try {
    writeInPieces(channel, encode(message));
    const decoded = readAllInbound(channel);
    expectOne(decoded);
    return decoded[0] as T;
  } finally {
    channel.finishAndReleaseAll();
  }
}

/** A ConnectionManager that hands out one fixed client, counting the holder as the factory does. */
export class SingleClientConnectionManager implements ConnectionManager {
  readonly closedConnections: ConnectionID[] = [];
  constructor(private readonly client: NettyPartitionRequestClient | null) {}
  start(): Promise<number> {
    return Promise.resolve(-1);
  }
  createPartitionRequestClient(): Promise<PartitionRequestClient> {
    if (this.client === null || !this.client.validateClientAndIncrementReferenceCounter()) return Promise.reject(new Error('no client'));
    return Promise.resolve(this.client);
  }
  closeOpenChannelConnections(connectionId: ConnectionID): void {
    this.closedConnections.push(connectionId);
  }
  getNumberOfActiveConnections(): number {
    return this.client === null ? 0 : 1;
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function expectOne(decoded: unknown[]): void {
  if (decoded.length !== 1) throw new Error(`expected one decoded message, got ${decoded.length}`);
}

/** Writes the longs 0, 8, 16, … into `buffer` until `bytes` bytes are written (Flink's scenario 10). */
export function fillWithLongs(buffer: Buffer, bytes: number): Buffer {
  const buf = buffer.asByteBuf();
  for (let i = 0; i < bytes / 8; i++) buf.writeLongNumber(i * 8);
  return buffer;
}
