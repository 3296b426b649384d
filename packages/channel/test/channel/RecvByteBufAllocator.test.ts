import { describe, expect, it } from '@jest/globals';
import { PooledByteBufAllocator } from '../../src/buffer/PooledByteBufAllocator';
import { AdaptiveRecvByteBufAllocator } from '../../src/channel/AdaptiveRecvByteBufAllocator';
import { ChannelOption } from '../../src/channel/ChannelOption';
import { FixedRecvByteBufAllocator } from '../../src/channel/FixedRecvByteBufAllocator';
import { EmbeddedChannel } from '../../src/transport/embedded/EmbeddedChannel';
import { IllegalArgumentException } from '../../src/util/SluiceError';

describe('AdaptiveRecvByteBufAllocator', () => {
  it("starts at Netty's defaults (64 / 2048 / 65536)", () => {
    const handle = new AdaptiveRecvByteBufAllocator().newHandle();
    expect(handle.guess()).toBe(2048);
    expect(AdaptiveRecvByteBufAllocator.DEFAULT.newHandle().guess()).toBe(2048);
  });

  it('grows four steps of the size table after a read that filled its buffer, up to the maximum', () => {
    const handle = new AdaptiveRecvByteBufAllocator().newHandle();
    handle.lastBytesRead(2048);
    expect(handle.guess()).toBe(32768); // 2048 → 4096 → 8192 → 16384 → 32768
    handle.lastBytesRead(32768);
    expect(handle.guess()).toBe(65536);
    handle.lastBytesRead(65536);
    expect(handle.guess()).toBe(65536);
  });

  it('shrinks one step only after two reads in a row that fit a step lower, down to the minimum', () => {
    const handle = new AdaptiveRecvByteBufAllocator(64, 1024, 65536).newHandle();
    handle.lastBytesRead(10);
    expect(handle.guess()).toBe(1024); // the first small read only arms the decrease
    handle.lastBytesRead(10);
    expect(handle.guess()).toBe(512);
    handle.lastBytesRead(500); // above the step below (496), under the guess: neither grows nor shrinks
    expect(handle.guess()).toBe(512);
    for (let i = 0; i < 60; i++) handle.lastBytesRead(1);
    expect(handle.guess()).toBe(64);
  });

  it("rounds an initial size between two table entries down, as Netty does, but not below the minimum", () => {
    expect(new AdaptiveRecvByteBufAllocator(64, 1000, 65536).newHandle().guess()).toBe(512);
    expect(new AdaptiveRecvByteBufAllocator(64, 100, 65536).newHandle().guess()).toBe(96);
    expect(new AdaptiveRecvByteBufAllocator(100, 100, 65536).newHandle().guess()).toBe(112);
  });

  it('allocates from the given allocator with the guessed capacity', () => {
    const alloc = new PooledByteBufAllocator();
    const handle = new AdaptiveRecvByteBufAllocator(64, 256, 4096).newHandle();
    const buffer = handle.allocate(alloc);
    expect(buffer.capacity()).toBe(256);
    expect(buffer.alloc()).toBe(alloc);
    buffer.release();
  });

  it('rejects bounds out of order or out of range', () => {
    expect(() => new AdaptiveRecvByteBufAllocator(0, 1024, 65536)).toThrow(IllegalArgumentException);
    expect(() => new AdaptiveRecvByteBufAllocator(2048, 1024, 65536)).toThrow(/initial: 1024/);
    expect(() => new AdaptiveRecvByteBufAllocator(64, 1024, 512)).toThrow(/maximum: 512/);
    expect(() => new AdaptiveRecvByteBufAllocator(64, 1024, 2 ** 31)).toThrow(IllegalArgumentException);
  });
});

describe('FixedRecvByteBufAllocator', () => {
  it('always guesses its size', () => {
    const handle = new FixedRecvByteBufAllocator(100).newHandle();
    handle.lastBytesRead(100);
    handle.lastBytesRead(1);
    expect(handle.guess()).toBe(100);
    expect(() => new FixedRecvByteBufAllocator(0)).toThrow(IllegalArgumentException);
  });

  it('is a channel option (RCVBUF_ALLOCATOR), adaptive by default', () => {
    const channel = new EmbeddedChannel();
    expect(channel.config().getOption(ChannelOption.RCVBUF_ALLOCATOR)).toBe(AdaptiveRecvByteBufAllocator.DEFAULT);
    const fixed = new FixedRecvByteBufAllocator(512);
    expect(channel.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, fixed)).toBe(true);
    expect(channel.config().getRecvByteBufAllocator()).toBe(fixed);
    channel.close();
  });
});
