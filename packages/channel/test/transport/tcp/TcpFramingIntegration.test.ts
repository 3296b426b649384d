import { describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import type { ByteBuf } from '../../../src/buffer/ByteBuf';
import { ResourceLeakDetector } from '../../../src/buffer/ResourceLeakDetector';
import { Unpooled } from '../../../src/buffer/Unpooled';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../../src/channel/ChannelInboundHandlerAdapter';
import { ChannelOption } from '../../../src/channel/ChannelOption';
import { WriteBufferWaterMark } from '../../../src/channel/WriteBufferWaterMark';
import { LengthFieldBasedFrameDecoder } from '../../../src/handler/codec/LengthFieldBasedFrameDecoder';
import { LengthFieldPrepender } from '../../../src/handler/codec/LengthFieldPrepender';
import { connectClient, startServer } from './TcpTestFixtures';
import { TestEnv, waitFor } from './TransportTestSupport';

const env = new TestEnv();

/** Frame `i` of a run: its size (mostly small, some up to 8 KiB) and content are a function of `i`. */
function frameSize(i: number): number {
  const h = Math.imul(i + 1, 0x9e3779b1) >>> 0;
  return h % 20 === 0 ? 256 + (h >>> 8) % 8192 : (h >>> 8) % 257;
}
function fillFrame(target: ByteBuf, i: number, size: number): void {
  for (let j = 0; j < size; j++) target.writeByte((i * 31 + j) & 0xff);
}
function frameMatches(frame: ByteBuf, i: number): boolean {
  const size = frameSize(i);
  if (frame.readableBytes() !== size) return false;
  const view = frame.nioBuffer();
  for (let j = 0; j < size; j++) if (view[j] !== ((i * 31 + j) & 0xff)) return false;
  return true;
}

/** Writes the frames 0..total-1 while the channel is writable, flushing every `batch`. */
class FrameWriter extends ChannelInboundHandlerAdapter {
  next = 0;
  maxPending = 0;
  constructor(private readonly total: number, private readonly batch = 64, private readonly make: (ctx: ChannelHandlerContext, i: number) => ByteBuf) {
    super();
  }
  override channelActive(ctx: ChannelHandlerContext): void {
    this.pump(ctx);
    ctx.fireChannelActive();
  }
  override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    if (ctx.channel().isWritable()) this.pump(ctx);
    ctx.fireChannelWritabilityChanged();
  }
  private pump(ctx: ChannelHandlerContext): void {
    const ch = ctx.channel();
    const out = ch.unsafe().outboundBuffer();
    while (this.next < this.total && ch.isWritable()) {
      for (let n = 0; n < this.batch && this.next < this.total; n++) ctx.write(this.make(ctx, this.next++), ctx.voidPromise());
      ctx.flush();
      if (out !== null) this.maxPending = Math.max(this.maxPending, out.totalPendingWriteBytes());
    }
  }
}

/** Checks each arriving frame against the expected sequence and releases it. */
class FrameChecker extends ChannelInboundHandlerAdapter {
  received = 0;
  bad = -1;
  constructor(private readonly check: (frame: ByteBuf, i: number) => boolean) {
    super();
  }
  override channelRead(_ctx: ChannelHandlerContext, msg: unknown): void {
    const frame = msg as ByteBuf;
    try {
      if (this.bad < 0 && !this.check(frame, this.received)) this.bad = this.received;
      this.received++;
    } finally {
      frame.release();
    }
  }
}

/** Echoes every decoded frame (re-framed by the prepender), flushing once per read. */
class FrameEcho extends ChannelInboundHandlerAdapter {
  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    ctx.write(msg, ctx.voidPromise());
  }
  override channelReadComplete(ctx: ChannelHandlerContext): void {
    ctx.flush();
  }
}

/**
 * Runs a bulk test with sampled (SIMPLE) leak detection: PARANOID captures a stack per buffer, which makes
 * ~500k buffers take minutes instead of seconds (60% of the time in captureStack). The smaller tests in
 * this folder cover leak-freedom of the same paths at PARANOID.
 */
async function withSampledLeakDetection(body: () => Promise<void>): Promise<void> {
  const level = ResourceLeakDetector.getLevel();
  if (level !== 'PARANOID') return body();
  ResourceLeakDetector.setLevel('SIMPLE');
  try {
    await body();
  } finally {
    ResourceLeakDetector.setLevel(level);
  }
}

const codec = (maxFrame: number) => [new LengthFieldBasedFrameDecoder(maxFrame, 0, 4, 0, 4), new LengthFieldPrepender(4)];

describe('TCP with LengthFieldPrepender / LengthFieldBasedFrameDecoder', () => {
  env.installHooks();

  it('echoes 100k random-size frames byte-exact and in order', () => withSampledLeakDetection(async () => {
    const total = 100_000;
    const server = await startServer(env, { childHandlers: () => [...codec(1 << 16), new FrameEcho()] });
    const checker = new FrameChecker(frameMatches);
    const writer = new FrameWriter(total, 256, (ctx, i) => {
      const size = frameSize(i);
      const b = ctx.alloc().buffer(size);
      fillFrame(b, i, size);
      return b;
    });
    await connectClient(env, server.port, { handlers: [...codec(1 << 16), writer, checker] });
    await waitFor(() => checker.received === total || checker.bad >= 0, '100k echoed frames', 30_000);
    expect(checker.bad).toBe(-1);
    expect(checker.received).toBe(total);
  }), 60_000);

  it('echoes 16 MiB frames byte-exact', async () => {
    const frames = [randomBytes(16 * 1024 * 1024), randomBytes(16 * 1024 * 1024), randomBytes(1234)];
    const digests = frames.map((f) => createHash('sha256').update(f).digest('hex'));
    const server = await startServer(env, { childHandlers: () => [...codec(32 << 20), new FrameEcho()] });
    const checker = new FrameChecker((frame, i) => createHash('sha256').update(frame.nioBuffer()).digest('hex') === digests[i]);
    const writer = new FrameWriter(frames.length, 1, (_ctx, i) => Unpooled.wrappedBuffer(frames[i]!));
    await connectClient(env, server.port, { handlers: [...codec(32 << 20), writer, checker] });
    await waitFor(() => checker.received === frames.length, 'the echoed 16 MiB frames', 30_000);
    expect(checker.bad).toBe(-1);
  }, 60_000);

  it('lets a slow reader hold back a fast writer with bounded memory', async () => {
    // The server reads one chunk every 2 ms (AUTO_READ off, read() from a timer).
    class SlowReader extends ChannelInboundHandlerAdapter {
      override channelActive(ctx: ChannelHandlerContext): void {
        ctx.read();
        ctx.fireChannelActive();
      }
      override channelReadComplete(ctx: ChannelHandlerContext): void {
        ctx.fireChannelReadComplete();
        // On the channel's loop: the timer is cancelled when the loop shuts down after the test, and a
        // read on a closed channel is a no-op.
        ctx.executor().schedule(() => void ctx.read(), 2);
      }
    }
    const total = 2048; // 4 KiB frames: 8 MiB
    const frameBytes = 4096;
    const checker = new FrameChecker((frame, i) => frame.readableBytes() === frameBytes && frame.getInt(0) === i);
    const server = await startServer(env, {
      childOptions: [[ChannelOption.AUTO_READ, false]],
      childHandlers: () => [new SlowReader(), ...codec(1 << 16), checker],
    });
    const high = 64 * 1024;
    const writer = new FrameWriter(total, 8, (ctx, i) => {
      const b = ctx.alloc().buffer(frameBytes);
      b.writeInt(i);
      b.writeZero(frameBytes - 4);
      return b;
    });
    const { channel } = await connectClient(env, server.port, {
      options: [[ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, high)]],
      handlers: [...codec(1 << 16), writer],
    });
    let sawUnwritable = false;
    await waitFor(() => {
      if (!channel.isWritable()) sawUnwritable = true;
      return checker.received === total || checker.bad >= 0;
    }, 'every frame through the slow reader', 30_000);
    expect(checker.bad).toBe(-1);
    expect(sawUnwritable).toBe(true);
    // Pending bytes (which include what Node's socket still queues) never exceed the high water mark by
    // more than one flush of the writer: 8 frames with headers and per-entry overhead.
    expect(writer.maxPending).toBeLessThanOrEqual(high + 8 * (frameBytes + 4 + 2 * 96));
  }, 60_000);
});
