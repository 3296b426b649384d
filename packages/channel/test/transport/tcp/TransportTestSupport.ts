import { afterEach, beforeEach } from '@jest/globals';
import { ByteBuf } from '../../../src/buffer/ByteBuf';
import { Unpooled } from '../../../src/buffer/Unpooled';
import type { Channel } from '../../../src/channel/Channel';
import { Sharable } from '../../../src/channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../../src/channel/ChannelInboundHandlerAdapter';
import { DefaultEventLoopGroup } from '../../../src/concurrent/DefaultEventLoopGroup';
import { ReferenceCountUtil } from '../../../src/buffer/ReferenceCountUtil';
import { assertNoLeaks, markLeakCheckpoint } from '../../../src/testing/LeakAssertions';

/**
 * Tracks loops and channels of a test; `cleanup()` closes every channel, shuts every loop down, then
 * asserts that no buffer allocated since `begin()` leaked (every buffer is checked at PARANOID).
 */
export class TestEnv {
  private readonly groups: DefaultEventLoopGroup[] = [];
  private readonly channels: Channel[] = [];
  private readonly cleanups: (() => void | Promise<void>)[] = [];

  group(nLoops = 1): DefaultEventLoopGroup {
    const g = new DefaultEventLoopGroup(nLoops);
    this.groups.push(g);
    return g;
  }

  track<C extends Channel>(ch: C): C {
    this.channels.push(ch);
    return ch;
  }

  onCleanup(fn: () => void | Promise<void>): void {
    this.cleanups.push(fn);
  }

  /**
   * Registers {@link begin} and {@link cleanup} as the enclosing describe's beforeEach and afterEach. Call
   * it inside the describe, not at the file's top: setup.ts's leak check is a root afterEach, and root
   * hooks run after a block's own, so the channels are closed before it (an open client channel holds
   * its pending read buffer).
   */
  installHooks(): void {
    beforeEach(() => this.begin());
    afterEach(() => this.cleanup());
  }

  /** Call in beforeEach: the leak check covers buffers allocated from here on. */
  begin(): void {
    markLeakCheckpoint();
  }

  /** Call in afterEach. */
  async cleanup(): Promise<void> {
    for (const ch of this.channels.splice(0)) {
      if (ch.isOpen()) await ch.close().awaitDone();
    }
    for (const fn of this.cleanups.splice(0)) await fn();
    await Promise.all(this.groups.splice(0).map((g) => g.shutdownGracefully(0, 0)));
    await assertNoLeaks();
  }
}

/** Resolves once `condition()` holds; rejects after `timeoutMs` with `what`. */
export async function waitFor(condition: () => boolean, what = 'condition', timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A ByteBuf over `text` (UTF-8) or a copy of `bytes`. */
export function buf(content: string | Uint8Array): ByteBuf {
  return Unpooled.wrappedBuffer(typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content));
}

/** Copies the readable bytes of `b` out and releases it. */
export function takeBytes(b: ByteBuf): Buffer {
  try {
    return Buffer.from(b.nioBuffer());
  } finally {
    b.release();
  }
}

/**
 * Records inbound events as strings (`registered`, `active`, `read`, `readComplete`, `inactive`,
 * `unregistered`, `user:<event>`, `exception:<name>`, `writable:<bool>`), collects received bytes
 * (releasing each buffer) and checks that every callback ran inside the event loop.
 */
@Sharable
export class Recorder extends ChannelInboundHandlerAdapter {
  readonly events: string[] = [];
  readonly exceptions: Error[] = [];
  readonly userEvents: unknown[] = [];
  readonly chunks: Buffer[] = [];
  readonly messages: unknown[] = [];
  outsideLoop = 0;
  reads = 0;
  ctx: ChannelHandlerContext | null = null;

  constructor(private readonly keepMessages = false) {
    super();
  }

  private note(ctx: ChannelHandlerContext, event: string): void {
    if (!ctx.channel().eventLoop().inEventLoop()) this.outsideLoop++;
    this.events.push(event);
  }

  override handlerAdded(ctx: ChannelHandlerContext): void {
    this.ctx = ctx;
  }
  override channelRegistered(ctx: ChannelHandlerContext): void {
    this.note(ctx, 'registered');
    ctx.fireChannelRegistered();
  }
  override channelUnregistered(ctx: ChannelHandlerContext): void {
    this.note(ctx, 'unregistered');
    ctx.fireChannelUnregistered();
  }
  override channelActive(ctx: ChannelHandlerContext): void {
    this.note(ctx, 'active');
    ctx.fireChannelActive();
  }
  override channelInactive(ctx: ChannelHandlerContext): void {
    this.note(ctx, 'inactive');
    ctx.fireChannelInactive();
  }
  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    this.note(ctx, 'read');
    this.reads++;
    if (this.keepMessages) {
      this.messages.push(msg);
    } else if (msg instanceof ByteBuf) {
      this.chunks.push(takeBytes(msg));
    } else {
      this.messages.push(msg);
      ReferenceCountUtil.release(msg);
    }
  }
  override channelReadComplete(ctx: ChannelHandlerContext): void {
    this.note(ctx, 'readComplete');
    ctx.fireChannelReadComplete();
  }
  override userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
    this.note(ctx, `user:${String(evt)}`);
    this.userEvents.push(evt);
    ctx.fireUserEventTriggered(evt);
  }
  override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    this.note(ctx, `writable:${String(ctx.channel().isWritable())}`);
    ctx.fireChannelWritabilityChanged();
  }
  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    this.note(ctx, `exception:${cause.name}`);
    this.exceptions.push(cause);
  }

  /** Bytes received so far, concatenated. */
  received(): Buffer {
    return Buffer.concat(this.chunks);
  }
  receivedLength(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }
  /** Events other than read/readComplete (the lifecycle), in order. */
  lifecycle(): string[] {
    return this.events.filter((e) => e !== 'read' && e !== 'readComplete');
  }
}

/** Writes every inbound message back (flushing on readComplete). */
@Sharable
export class EchoHandler extends ChannelInboundHandlerAdapter {
  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    ctx.write(msg, ctx.voidPromise());
  }
  override channelReadComplete(ctx: ChannelHandlerContext): void {
    ctx.flush();
  }
  override exceptionCaught(ctx: ChannelHandlerContext): void {
    ctx.close();
  }
}
