import { describe, expect, it, jest } from '@jest/globals';
import { ByteBuf } from '../../../src/buffer/ByteBuf';
import { PooledByteBufAllocator } from '../../../src/buffer/PooledByteBufAllocator';
import { Unpooled } from '../../../src/buffer/Unpooled';
import { ChannelOption } from '../../../src/channel/ChannelOption';
import { WriteBufferWaterMark } from '../../../src/channel/WriteBufferWaterMark';
import type { TcpSocketChannel } from '../../../src/transport/tcp/TcpSocketChannel';
import { MAX_COALESCE_CAPACITY } from '../../../src/transport/tcp/TcpWriteBatch';
import { connectClient, startServer } from './TcpTestFixtures';
import { sleep, TestEnv, waitFor } from './TransportTestSupport';

const env = new TestEnv();

/** Byte `i` of stream `seed`: every position differs from its neighbours and between streams. */
function streamByte(seed: number, i: number): number {
  return (i * 31 + seed * 101 + (i >>> 8)) & 0xff;
}

/** The next `n` bytes of stream `seed` from `at`, as a message of the given kind (all small: coalesced). */
function message(seed: number, at: number, n: number, kind: number): ByteBuf {
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) bytes[i] = streamByte(seed, at + i);
  switch (kind % 3) {
    case 0:
      return Unpooled.wrappedBuffer(bytes); // no DataView until copied twice
    case 1:
      return PooledByteBufAllocator.DEFAULT.buffer(n).writeBytes(bytes);
    default: {
      // A slice in the middle of a larger root.
      const root = Unpooled.buffer(n + 10).writeZero(5).writeBytes(bytes).writeZero(5);
      const slice = root.retainedSlice(5, n);
      root.release();
      return slice;
    }
  }
}

function expectStream(seed: number, got: Buffer, length: number): void {
  expect(got.length).toBe(length);
  for (let i = 0; i < length; i++) {
    if (got[i] !== streamByte(seed, i)) throw new Error(`stream ${seed}: byte ${i} is ${got[i]}, expected ${streamByte(seed, i)}`);
  }
}

describe('TcpWriteBatch', () => {
  env.installHooks();

  it('copies consecutive small flushes into the same staging memory while the kernel takes them at once', async () => {
    const server = await startServer(env);
    const { channel } = await connectClient(env, server.port);
    const write = jest.spyOn(channel.nodeSocket()!, 'write');
    for (let round = 0; round < 3; round++) {
      await channel.eventLoop().submit(() => {
        channel.write(message(1, round * 100, 40, 0), channel.voidPromise());
        channel.write(message(1, round * 100 + 40, 60, 1), channel.voidPromise());
        channel.flush();
      });
      await waitFor(() => server.recorders[0]?.receivedLength() === (round + 1) * 100, 'the flush to arrive');
    }
    const views = write.mock.calls.map((c) => c[0] as Buffer);
    expect(views.map((v) => v.length)).toEqual([100, 100, 100]);
    // The same memory every time (and, for the same range, the same view).
    expect(new Set(views.map((v) => v.buffer)).size).toBe(1);
    expect(views.every((v) => v.byteOffset === views[0]!.byteOffset)).toBe(true);
    expectStream(1, server.recorders[0]!.received(), 300);
  });

  it('never reuses staging bytes the kernel has not taken yet, with other channels flushing meanwhile', async () => {
    // Channel A writes to a peer that does not read: its batches queue inside Node and pin their staging
    // bytes. Channel B's peer reads everything: its batches complete at once and would like to reuse the
    // staging memory. Every byte of both streams must arrive intact.
    const stalled = await startServer(env, { childOptions: [[ChannelOption.AUTO_READ, false]] });
    const reading = await startServer(env);
    const group = env.group();
    const mark = new WriteBufferWaterMark(32 << 20, 64 << 20);
    const a = (await connectClient(env, stalled.port, { group, options: [[ChannelOption.WRITE_BUFFER_WATER_MARK, mark]] })).channel;
    const b = (await connectClient(env, reading.port, { group })).channel;
    await waitFor(() => stalled.children.length === 1 && reading.children.length === 1, 'both connections accepted');
    // First a large message (written as a view, not staged) that fills the kernel's socket buffers, so
    // that A's later batches wait inside Node.
    const head = 16 << 20;
    a.writeAndFlush(message(7, 0, head, 0), a.voidPromise());
    const sent = new Map<TcpSocketChannel, number>([
      [a, head],
      [b, 0],
    ]);
    const seedOf = (ch: TcpSocketChannel): number => (ch === a ? 7 : 8);
    const flushSome = (ch: TcpSocketChannel, round: number): void => {
      let at = sent.get(ch)!;
      // 1-13 messages of 1-700 bytes: runs that straddle staging buffers, odd lengths and offsets.
      const count = 1 + (round % 13);
      for (let i = 0; i < count; i++) {
        const n = 1 + ((round * 37 + i * 101) % 700);
        ch.write(message(seedOf(ch), at, n, round + i), ch.voidPromise());
        at += n;
      }
      sent.set(ch, at);
      ch.flush();
    };
    let aQueued = false;
    for (let round = 0; round < 600; round++) {
      await a.eventLoop().submit(() => {
        flushSome(a, round);
        flushSome(b, round + 1);
        if (a.nodeSocket()!.writableLength > 0) aQueued = true;
      });
      if (round % 50 === 0) await sleep(1);
    }
    expect(aQueued).toBe(true); // A's batches really were held back by the stalled peer
    await waitFor(() => reading.recorders[0]!.receivedLength() === sent.get(b), 'all of B', 10_000);
    expectStream(8, reading.recorders[0]!.received(), sent.get(b)!);
    // Now the stalled peer reads: A's queued batches go out from their (pinned) staging bytes.
    stalled.children[0]!.config().setAutoRead(true);
    await waitFor(() => stalled.recorders[0]!.receivedLength() === sent.get(a), 'all of A', 20_000);
    expectStream(7, stalled.recorders[0]!.received(), sent.get(a)!);
    expect(sent.get(a)!).toBeGreaterThan(2 * MAX_COALESCE_CAPACITY); // used more than one staging buffer
  });
});
