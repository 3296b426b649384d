// Flink's NettyMessageClientDecoderDelegateTest (reference §10 scenarios 13, 14) and the delegate's
// protocol checks.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Unpooled, type ByteBuf } from '@sluice/channel';
import { EmbeddedChannel } from '@sluice/channel/testing';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';
import { EventSerializer } from '../../src/event/EventSerializer';
import { InputChannelID } from '../../src/consumer/InputChannelID';
import { DataType } from '../../src/memory/DataType';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import { ProtocolException } from '../../src/netty/errors';
import { BacklogAnnouncement, BufferResponse, ErrorResponse } from '../../src/netty/message';
import type { NettyMessage } from '../../src/netty/NettyMessage';
import { NettyMessageClientDecoderDelegate } from '../../src/netty/NettyMessageClientDecoderDelegate';
import { RemoteThrowable } from '../../src/netty/RemoteThrowable';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { encode, FakeInputChannel, FakeNetworkClientHandler, readAllInbound } from './NettyTestUtils';

installPoolChecks();

/** The bytes of `buf` (released). */
function bytesOf(buf: ByteBuf): Uint8Array {
  try {
    return Uint8Array.from(buf.nioBuffer());
  } finally {
    buf.release();
  }
}

/** Writes `bytes` cut at `cuts` (ascending offsets) as separate reads; returns what came out. */
function decodeInPieces(channel: EmbeddedChannel, bytes: Uint8Array, cuts: readonly number[]): unknown[] {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes.slice(from, cut)));
    from = cut;
  }
  return readAllInbound(channel);
}

function release(messages: unknown[]): void {
  for (const m of messages) if (m instanceof BufferResponse) m.releaseBuffer();
}

describe('NettyMessageClientDecoderDelegate', () => {
  let sendPool: LocalBufferPool;
  let receivePool: LocalBufferPool;
  let handler: FakeNetworkClientHandler;
  let live: FakeInputChannel;
  let released: FakeInputChannel;
  const unknown = InputChannelID.random();

  beforeEach(() => {
    const global = newGlobalPool(24, 256);
    sendPool = global.createBufferPool(8, 8);
    receivePool = global.createBufferPool(4, 4);
    handler = new FakeNetworkClientHandler();
    live = handler.add(new FakeInputChannel(InputChannelID.random(), receivePool));
    released = handler.add(new FakeInputChannel(InputChannelID.random(), receivePool));
    released.released = true;
  });

  afterEach(() => {
    sendPool.lazyDestroy();
    receivePool.lazyDestroy();
  });

  function data(size: number, seed: number): import('../../src/memory/Buffer').Buffer {
    const buffer = sendPool.requestBuffer()!;
    for (let i = 0; i < size; i++) buffer.asByteBuf().writeByte((seed + i) & 0xff);
    return buffer;
  }

  /** A stream of every kind of server → client message, including ones for gone channels. */
  function mixedStream(): Uint8Array {
    const messages: NettyMessage[] = [
      BufferResponse.forBuffer(data(100, 1), 0, live.id, 0, 3),
      new ErrorResponse(new Error('boom'), live.id),
      BufferResponse.forBuffer(data(77, 2), 0, unknown, 0, 0),
      new BacklogAnnouncement(4, live.id),
      BufferResponse.forBuffer(EventSerializer.toBuffer(EndOfPartitionEvent.INSTANCE, false), 1, live.id, 0, 2),
      BufferResponse.forBuffer(data(50, 3), 0, released.id, 0, 0),
      BufferResponse.forBuffer(sendPool.requestBuffer()!, 2, live.id, 0, 1),
      BufferResponse.forBuffer(data(256, 4), 3, live.id, 0, 0),
    ];
    return bytesOf(encode(...messages));
  }

  function checkMixed(out: unknown[]): void {
    expect(out.map((m) => (m as NettyMessage).constructor.name)).toEqual([
      'BufferResponse',
      'ErrorResponse',
      'BufferResponse',
      'BacklogAnnouncement',
      'BufferResponse',
      'BufferResponse',
      'BufferResponse',
      'BufferResponse',
    ]);
    const [first, error, skipped, backlog, event, gone, empty, last] = out as [
      BufferResponse,
      ErrorResponse,
      BufferResponse,
      BacklogAnnouncement,
      BufferResponse,
      BufferResponse,
      BufferResponse,
      BufferResponse,
    ];
    expect(first.buffer!.readableBytes()).toBe(100);
    expect(first.buffer!.asByteBuf().getUnsignedByte(99)).toBe(100);
    expect((error.cause as RemoteThrowable).message).toBe('boom');
    expect(skipped.buffer).toBeNull();
    expect(skipped.bufferSize).toBe(77);
    expect(backlog.backlog).toBe(4);
    expect(event.dataType).toBe(DataType.EVENT_BUFFER);
    expect(EventSerializer.fromBuffer(event.buffer!)).toBe(EndOfPartitionEvent.INSTANCE);
    expect(gone.buffer).toBeNull();
    expect(empty.buffer).toBeNull();
    expect(last.buffer!.readableBytes()).toBe(256);
    expect(last.buffer!.asByteBuf().getUnsignedByte(255)).toBe((4 + 255) & 0xff);
    expect(released.requests).toBe(0);
  }

  /** Decodes `bytes` cut at `cuts` with a fresh delegate and checks the mixed stream's messages. */
  function decodeAndCheckMixed(bytes: Uint8Array, cuts: number[]): void {
    const channel = new EmbeddedChannel(new NettyMessageClientDecoderDelegate(handler));
    const out = decodeInPieces(channel, bytes, cuts);
    try {
      checkMixed(out);
    } finally {
      release(out);
      channel.finishAndReleaseAll();
    }
  }

  it('decodes concatenated messages split in two at every byte boundary (scenario 13)', () => {
    const bytes = mixedStream();
    for (let cut = 0; cut <= bytes.length; cut++) {
      decodeAndCheckMixed(bytes, [cut]);
      expect(receivePool.bestEffortGetNumOfUsedBuffers()).toBe(0);
    }
  });

  it('decodes concatenated messages split at many random boundaries, down to single bytes (scenario 13)', () => {
    const bytes = mixedStream();
    for (let run = 0; run < 200; run++) {
      const pieces = run === 0 ? bytes.length - 1 : 1 + Math.floor(Math.random() * 40);
      const cuts =
        run === 0
          ? Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)
          : Array.from({ length: pieces }, () => Math.floor(Math.random() * bytes.length)).sort((a, b) => a - b);
      decodeAndCheckMixed(bytes, cuts);
    }
    expect(receivePool.bestEffortGetNumOfUsedBuffers()).toBe(0);
  });

  it('skips the payload for an unknown or released channel without taking a buffer (scenario 14)', () => {
    const bytes = bytesOf(
      encode(
        BufferResponse.forBuffer(data(200, 0), 0, unknown, 0, 0),
        BufferResponse.forBuffer(data(200, 0), 0, released.id, 0, 0),
        BufferResponse.forBuffer(EventSerializer.toBuffer(EndOfPartitionEvent.INSTANCE, false), 0, unknown, 0, 0),
        new BacklogAnnouncement(1, live.id),
      ),
    );
    const channel = new EmbeddedChannel(new NettyMessageClientDecoderDelegate(handler));
    const out = decodeInPieces(channel, bytes, [20, 60, 250]);
    expect(out).toHaveLength(4);
    expect((out.slice(0, 3) as BufferResponse[]).map((m) => m.buffer)).toEqual([null, null, null]);
    expect(out[3]).toBeInstanceOf(BacklogAnnouncement);
    expect(released.requests).toBe(0);
    expect(receivePool.bestEffortGetNumOfUsedBuffers()).toBe(0);
    channel.finishAndReleaseAll();
  });

  it('recycles a half-received payload buffer when the channel becomes inactive', () => {
    const bytes = bytesOf(encode(BufferResponse.forBuffer(data(200, 0), 0, live.id, 0, 0)));
    const channel = new EmbeddedChannel(new NettyMessageClientDecoderDelegate(handler));
    expect(decodeInPieces(channel, bytes.slice(0, 100), [])).toEqual([]);
    expect(receivePool.bestEffortGetNumOfUsedBuffers()).toBe(1);
    channel.close();
    expect(receivePool.bestEffortGetNumOfUsedBuffers()).toBe(0);
    channel.finishAndReleaseAll();
  });

  it('rejects an oversized payload for the receiving buffer and gives the buffer back', () => {
    const global = newGlobalPool(2, 512);
    const bigPool = global.createBufferPool(1, 1);
    const big = bigPool.requestBuffer()!;
    big.asByteBuf().writeZero(300);
    const bytes = bytesOf(encode(BufferResponse.forBuffer(big, 0, live.id, 0, 0)));
    const channel = new EmbeddedChannel(new NettyMessageClientDecoderDelegate(handler));
    expect(() => channel.writeInbound(Unpooled.wrappedBuffer(bytes))).toThrow(/exceeds the receiving buffer's 256 bytes/);
    expect(receivePool.bestEffortGetNumOfUsedBuffers()).toBe(0);
    channel.finishAndReleaseAll();
    bigPool.lazyDestroy();
  });

  describe('protocol errors name the remote address', () => {
    const frame = (length: number, magic: number, id: number, body: number[] = []): Uint8Array => {
      const buf = Unpooled.buffer(9 + body.length);
      buf.writeInt(length).writeInt(magic).writeByte(id);
      for (const b of body) buf.writeByte(b);
      return bytesOf(buf);
    };

    it.each([
      ['a wrong magic number', frame(29, 0xcafebabe | 0, 9), /incorrect magic number 0xcafebabe/],
      ['a negative frame length', frame(-1, 0xbadc0ffe | 0, 9), /frame length -1/],
      ['a frame length below the header size', frame(8, 0xbadc0ffe | 0, 9), /frame length 8/],
      ['an unknown message id', frame(29, 0xbadc0ffe | 0, 6, new Array<number>(20).fill(0)), /unknown message from producer: id 6/],
      ['a BufferResponse shorter than its header', frame(20, 0xbadc0ffe | 0, 0, new Array<number>(11).fill(0)), /BufferResponse: body of 11 bytes/],
    ])('throws a ProtocolException for %s', (_name, bytes, pattern) => {
      const channel = new EmbeddedChannel(new NettyMessageClientDecoderDelegate(handler));
      let error: unknown;
      try {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProtocolException);
      expect((error as Error).message).toMatch(pattern);
      expect((error as Error).message).toMatch(/\(remote: embedded\)/);
      // The stream position is lost: what follows is dropped, not misread.
      channel.writeInbound(Unpooled.wrappedBuffer(bytesOf(encode(new BacklogAnnouncement(1, live.id)))));
      expect(readAllInbound(channel)).toEqual([]);
      channel.finishAndReleaseAll();
    });

    it('rejects a BufferResponse whose header sizes do not add up to the frame length', () => {
      const bytes = bytesOf(encode(BufferResponse.forBuffer(data(10, 0), 0, live.id, 0, 0)));
      new DataView(bytes.buffer).setInt32(0, bytes.length + 1); // frame claims one more byte
      const channel = new EmbeddedChannel(new NettyMessageClientDecoderDelegate(handler));
      expect(() => channel.writeInbound(Unpooled.wrappedBuffer(bytes))).toThrow(/header announces 48 body bytes, but the frame has 49/);
      expect(live.requests).toBe(0);
      channel.finishAndReleaseAll();
    });
  });
});
