import { describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { Bootstrap } from '../../../src/bootstrap/Bootstrap';
import { ByteBuf } from '../../../src/buffer/ByteBuf';
import { PooledByteBufAllocator } from '../../../src/buffer/PooledByteBufAllocator';
import { UnpooledByteBufAllocator } from '../../../src/buffer/UnpooledByteBufAllocator';
import { Unpooled } from '../../../src/buffer/Unpooled';
import { ChannelInputShutdownEvent, ChannelInputShutdownReadComplete, ChannelOutputShutdownEvent } from '../../../src/channel/ChannelEvents';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../../src/channel/ChannelInboundHandlerAdapter';
import { ChannelOption } from '../../../src/channel/ChannelOption';
import { FixedRecvByteBufAllocator } from '../../../src/channel/FixedRecvByteBufAllocator';
import { ClosedChannelException, ConnectException, ConnectTimeoutException } from '../../../src/channel/errors';
import { WriteBufferWaterMark } from '../../../src/channel/WriteBufferWaterMark';
import { ChannelOutputShutdownException, ConnectionResetException, UnsupportedMessageTypeException } from '../../../src/transport/tcp/errors';
import { TcpSocketChannel } from '../../../src/transport/tcp/TcpSocketChannel';
import { connectClient, freePort, rawServer, startServer } from './TcpTestFixtures';
import { buf, EchoHandler, Recorder, sleep, TestEnv, waitFor } from './TransportTestSupport';

const env = new TestEnv();

describe('TcpSocketChannel', () => {
  env.installHooks();

  it('echoes bytes between a client and a server on 127.0.0.1', async () => {
    const server = await startServer(env, { childHandlers: () => [new EchoHandler()] });
    const { channel, recorder } = await connectClient(env, server.port);
    await channel.writeAndFlush(buf('hello, sluice'));
    await waitFor(() => recorder.received().toString() === 'hello, sluice', 'the echo');
    expect(channel.isActive()).toBe(true);
    expect(channel.remoteAddress()!.port).toBe(server.port);
    expect(channel.localAddress()!.host).toBe('127.0.0.1');
    expect(String(channel)).toMatch(/^\[id: 0x[0-9a-f]{8}, L:127\.0\.0\.1:\d+ - R:127\.0\.0\.1:\d+\]$/);
    expect(channel.isTls()).toBe(false);
  });

  it('fires registered, active, inactive, unregistered in order on both ends, inside the event loop', async () => {
    const server = await startServer(env);
    const { channel, recorder } = await connectClient(env, server.port);
    await waitFor(() => server.recorders.length === 1 && server.recorders[0]!.events.includes('active'), 'server child active');
    await channel.close();
    await waitFor(() => recorder.events.includes('unregistered'), 'client unregistered');
    await waitFor(() => server.recorders[0]!.events.includes('unregistered'), 'server child unregistered');
    const expected = ['registered', 'active', 'inactive', 'unregistered'];
    expect(recorder.lifecycle()).toEqual(expected);
    expect(server.recorders[0]!.lifecycle()).toEqual(expected);
    expect(recorder.outsideLoop).toBe(0);
    expect(server.recorders[0]!.outsideLoop).toBe(0);
    expect(String(channel)).toContain(' ! R:'); // inactive form
  });

  it('fails a write after close with ClosedChannelException and releases the message', async () => {
    const server = await startServer(env);
    const { channel } = await connectClient(env, server.port);
    await channel.close();
    const msg = buf('too late');
    const f = channel.writeAndFlush(msg);
    await f.awaitDone();
    expect(f.cause()).toBeInstanceOf(ClosedChannelException);
    expect(msg.refCnt()).toBe(0);
  });

  it('rejects a message that is not a ByteBuf with UnsupportedMessageTypeException', async () => {
    const server = await startServer(env);
    const { channel } = await connectClient(env, server.port);
    const f = channel.writeAndFlush('a string');
    await f.awaitDone();
    expect(f.cause()).toBeInstanceOf(UnsupportedMessageTypeException);
    expect(f.cause()!.message).toContain('unsupported message type: string (expected: ByteBuf)');
    expect(channel.isActive()).toBe(true);
  });

  it('surfaces a peer reset once as ConnectionResetException naming both ends, then channelInactive', async () => {
    // Reset a little after accepting: a reset racing the handshake fails the connect instead.
    const raw = await rawServer(env, (s) => void setTimeout(() => s.resetAndDestroy(), 50));
    const { channel, recorder } = await connectClient(env, raw.port);
    const local = String(channel.localAddress());
    await waitFor(() => recorder.events.includes('unregistered'), 'unregistered after the reset');
    expect(recorder.exceptions).toHaveLength(1);
    const cause = recorder.exceptions[0]!;
    expect(cause).toBeInstanceOf(ConnectionResetException);
    expect((cause as ConnectionResetException).code).toBe('SLUICE_CONNECTION_RESET');
    expect((cause as ConnectionResetException).errno).toBe('ECONNRESET');
    expect(cause.message).toContain(`L:${local}`);
    expect(cause.message).toContain(`R:127.0.0.1:${raw.port}`);
    expect(recorder.lifecycle()).toEqual(['registered', 'active', 'exception:ConnectionResetException', 'inactive', 'unregistered']);
  });

  it('surfaces a reset while writing once and fails the writes that were not done with it', async () => {
    // The peer never reads and resets after 100 ms: 32 MiB cannot all have left by then.
    const raw = await rawServer(env, (s) => {
      s.pause();
      setTimeout(() => s.resetAndDestroy(), 100);
    });
    const { channel, recorder } = await connectClient(env, raw.port);
    const chunk = Buffer.alloc(256 * 1024, 7);
    const futures = await channel.eventLoop().submit(() =>
      Array.from({ length: 128 }, () => channel.writeAndFlush(Unpooled.wrappedBuffer(chunk))),
    );
    await waitFor(() => recorder.events.includes('unregistered'), 'unregistered after the reset');
    await Promise.all(futures.map((f) => f.awaitDone()));
    expect(recorder.exceptions).toHaveLength(1);
    const cause = recorder.exceptions[0]!;
    expect(cause.name).toMatch(/ConnectionResetException|TransportIOException/);
    const failed = futures.filter((f) => !f.isSuccess());
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f.cause()).toBe(cause);
    const lifecycle = recorder.lifecycle().filter((e) => !e.startsWith('writable:'));
    expect(lifecycle).toEqual(['registered', 'active', `exception:${cause.name}`, 'inactive', 'unregistered']);
  });

  it('fails writes still inside the socket with ClosedChannelException on close, and ignores their late completion', async () => {
    const raw = await rawServer(env, (s) => s.pause()); // never reads: the write cannot complete
    const { channel, recorder } = await connectClient(env, raw.port);
    const socket = channel.nodeSocket()!;
    const msg = Unpooled.wrappedBuffer(Buffer.alloc(32 * 1024 * 1024));
    const f = channel.writeAndFlush(msg);
    await waitFor(() => socket.writableLength > 0, 'bytes queued inside Node');
    expect(f.isDone()).toBe(false);
    await channel.close();
    expect(f.cause()).toBeInstanceOf(ClosedChannelException);
    expect(msg.refCnt()).toBe(0);
    await sleep(20); // Node's callback for the destroyed write arrives now and must change nothing
    expect(recorder.exceptions).toEqual([]);
    expect(recorder.lifecycle().filter((e) => !e.startsWith('writable:'))).toEqual(['registered', 'active', 'inactive', 'unregistered']);
  });

  it('fails connect with ConnectException naming the address when nothing listens', async () => {
    const port = await freePort();
    const recorder = new Recorder();
    const f = new Bootstrap().group(env.group()).channel(TcpSocketChannel).handler(recorder).connect('127.0.0.1', port);
    await f.awaitDone();
    expect(f.cause()).toBeInstanceOf(ConnectException);
    expect(f.cause()!.message).toBe(`Connection refused: 127.0.0.1:${port}`);
    expect(((f.cause() as ConnectException).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    await f.channel().closeFuture();
    expect(f.channel().isOpen()).toBe(false);
    expect(recorder.lifecycle()).toEqual(['registered', 'unregistered']);
  });

  it('fails connect with ConnectTimeoutException after CONNECT_TIMEOUT_MILLIS', async () => {
    // A peer that never accepts: a child process busy-loops after listen() with a backlog of 1, so once
    // its accept queue is full the kernel drops further SYNs and a connect hangs.
    const child: ChildProcess = spawn(
      process.execPath,
      ['-e', "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{console.log(s.address().port);const t=Date.now();while(Date.now()-t<15000){}})"],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    env.onCleanup(() => void child.kill('SIGKILL'));
    const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    const fillers: net.Socket[] = [];
    env.onCleanup(() => fillers.forEach((s) => s.destroy()));
    for (;;) {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      fillers.push(s);
      const connected = await Promise.race([new Promise<boolean>((r) => s.once('connect', () => r(true))), sleep(200).then(() => false)]);
      if (!connected) break;
      if (fillers.length > 16) throw new Error('the accept queue never filled');
    }
    const started = Date.now();
    const f = new Bootstrap()
      .group(env.group())
      .channel(TcpSocketChannel)
      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 150)
      .handler(new Recorder())
      .connect('127.0.0.1', port);
    await f.awaitDone();
    expect(f.cause()).toBeInstanceOf(ConnectTimeoutException);
    expect(f.cause()!.message).toBe(`connection timed out after 150 ms: 127.0.0.1:${port}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await f.channel().closeFuture();
  });

  it('keeps a half-closed channel open with ALLOW_HALF_CLOSURE, and closes once both directions are shut', async () => {
    class ReplyOnShutdown extends ChannelInboundHandlerAdapter {
      activeAtShutdown: boolean | null = null;
      override userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
        if (evt === ChannelInputShutdownEvent.INSTANCE) {
          const ch = ctx.channel() as TcpSocketChannel;
          this.activeAtShutdown = ch.isActive() && ch.isInputShutdown() && !ch.isOutputShutdown();
          // Answer after the peer's FIN, then shut our side too.
          ctx.writeAndFlush(buf('reply after FIN')).addListener(() => void ch.shutdownOutput());
        }
        ctx.fireUserEventTriggered(evt);
      }
    }
    const replier = new ReplyOnShutdown();
    const server = await startServer(env, { childOptions: [[ChannelOption.ALLOW_HALF_CLOSURE, true]], childHandlers: () => [replier] });
    const { channel, recorder } = await connectClient(env, server.port, { options: [[ChannelOption.ALLOW_HALF_CLOSURE, true]] });
    await channel.writeAndFlush(buf('request'));
    await channel.shutdownOutput();
    expect(channel.isOutputShutdown()).toBe(true);
    expect(channel.isInputShutdown()).toBe(false);
    const late = channel.writeAndFlush(buf('after shutdown'));
    await late.awaitDone();
    expect(late.cause()).toBeInstanceOf(ChannelOutputShutdownException);
    expect(channel.isActive()).toBe(true);
    await waitFor(() => recorder.received().toString() === 'reply after FIN', 'the reply');
    const child = server.recorders[0]!;
    expect(replier.activeAtShutdown).toBe(true);
    expect(child.received().toString()).toBe('request');
    // Both directions shut down on both ends: Node closes the sockets and the channels close.
    await waitFor(() => recorder.events.includes('unregistered') && child.events.includes('unregistered'), 'both ends closed');
    expect(child.userEvents).toEqual([
      ChannelInputShutdownEvent.INSTANCE,
      ChannelInputShutdownReadComplete.INSTANCE,
      ChannelOutputShutdownEvent.INSTANCE,
    ]);
    expect(recorder.userEvents).toEqual([
      ChannelOutputShutdownEvent.INSTANCE,
      ChannelInputShutdownEvent.INSTANCE,
      ChannelInputShutdownReadComplete.INSTANCE,
    ]);
    expect(recorder.exceptions).toEqual([]);
    expect(child.exceptions).toEqual([]);
  });

  it('closes when the peer shuts its output down without ALLOW_HALF_CLOSURE', async () => {
    const server = await startServer(env);
    const { channel, recorder } = await connectClient(env, server.port);
    await channel.shutdownOutput();
    await waitFor(() => server.recorders[0]?.events.includes('unregistered') === true, 'server child closed on FIN');
    expect(server.recorders[0]!.userEvents).toEqual([]);
    // The server's close reaches the client as FIN, which closes the client too.
    await waitFor(() => recorder.events.includes('inactive'), 'client inactive');
    expect(channel.isOpen()).toBe(false);
  });

  it('reads once per read() when AUTO_READ is off, taking what the kernel holds (as Netty NIO)', async () => {
    let peer: net.Socket | null = null;
    const raw = await rawServer(env, (s) => (peer = s));
    const { channel, recorder } = await connectClient(env, raw.port, { options: [[ChannelOption.AUTO_READ, false]] });
    await waitFor(() => peer !== null, 'the raw server to accept');
    const p = peer as unknown as net.Socket;
    p.write('A');
    await sleep(50);
    expect(recorder.reads).toBe(0);
    channel.read();
    await waitFor(() => recorder.reads === 1, 'first read');
    p.write('B');
    await sleep(40);
    p.write('C');
    await sleep(60);
    expect(recorder.reads).toBe(1);
    // Not reading means not reading from the socket: both writes wait in the kernel for one read.
    channel.read();
    await waitFor(() => recorder.reads === 2, 'second read');
    // A read() with nothing to read waits for data, and still delivers one read.
    channel.read();
    await sleep(60);
    expect(recorder.reads).toBe(2);
    p.write('D');
    await waitFor(() => recorder.reads === 3, 'third read');
    await sleep(40);
    p.write('E');
    await sleep(60);
    expect(recorder.reads).toBe(3);
    expect(recorder.chunks.map((c) => c.toString())).toEqual(['A', 'BC', 'D']);
    expect(recorder.events.filter((e) => e === 'readComplete')).toHaveLength(3);
  });

  it("reads into buffers of the channel's allocator, sized by RCVBUF_ALLOCATOR, and releases the pending one on close", async () => {
    let peer: net.Socket | null = null;
    const raw = await rawServer(env, (s) => (peer = s));
    const alloc = new PooledByteBufAllocator();
    const reads: { capacity: number; size: number; fromAlloc: boolean }[] = [];
    class Sizes extends ChannelInboundHandlerAdapter {
      override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
        const b = msg as ByteBuf;
        reads.push({ capacity: b.capacity(), size: b.readableBytes(), fromAlloc: b.alloc() === alloc });
        ctx.fireChannelRead(msg);
      }
    }
    const { channel, recorder } = await connectClient(env, raw.port, {
      options: [
        [ChannelOption.ALLOCATOR, alloc],
        [ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(16)],
      ],
      handlers: [new Sizes()],
    });
    await waitFor(() => peer !== null, 'the raw server to accept');
    const payload = randomBytes(100);
    (peer as unknown as net.Socket).write(payload);
    await waitFor(() => recorder.chunks.reduce((n, c) => n + c.length, 0) === 100, 'all 100 bytes');
    expect(Buffer.concat(recorder.chunks).equals(payload)).toBe(true);
    expect(reads.length).toBeGreaterThanOrEqual(7);
    expect(reads.every((r) => r.capacity === 16 && r.size <= 16 && r.fromAlloc)).toBe(true);
    // One buffer waits for the next read; closing hands it back (the pool's count drops to zero).
    expect(alloc.metric().activeAllocations).toBe(1);
    await channel.close();
    expect(alloc.metric().activeAllocations).toBe(0);
  });

  it("reads into a heap buffer of the same size when the allocator's buffers have no backing array", async () => {
    let peer: net.Socket | null = null;
    const raw = await rawServer(env, (s) => (peer = s));
    // io buffers that are composites of two components: no single backing array for Node to read into.
    const alloc = new (class extends UnpooledByteBufAllocator {
      override ioBuffer(initialCapacity = 256): ByteBuf {
        const half = Math.ceil(initialCapacity / 2);
        const composite = this.compositeBuffer();
        composite.addComponent(true, this.heapBuffer(half).writeZero(half)).addComponent(true, this.heapBuffer(half).writeZero(half));
        return composite.clear();
      }
    })();
    const { recorder } = await connectClient(env, raw.port, {
      options: [
        [ChannelOption.ALLOCATOR, alloc],
        [ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(32)],
      ],
    });
    await waitFor(() => peer !== null, 'the raw server to accept');
    const payload = randomBytes(200);
    (peer as unknown as net.Socket).write(payload);
    await waitFor(() => recorder.chunks.reduce((n, c) => n + c.length, 0) === 200, 'all 200 bytes');
    expect(Buffer.concat(recorder.chunks).equals(payload)).toBe(true);
    expect(recorder.chunks.every((c) => c.length <= 32)).toBe(true);
  });

  it('turns unwritable while a paused reader holds data back, and writable again once it drains', async () => {
    const server = await startServer(env, { childOptions: [[ChannelOption.AUTO_READ, false]] });
    const pattern = Buffer.alloc(16 * 1024 + 256);
    for (let i = 0; i < pattern.length; i++) pattern[i] = i & 0xff;
    class Flooder extends ChannelInboundHandlerAdapter {
      written = 0;
      stop = false;
      stopWhenWritable = false;
      override channelActive(ctx: ChannelHandlerContext): void {
        this.pump(ctx);
        ctx.fireChannelActive();
      }
      override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
        if (ctx.channel().isWritable()) {
          if (this.stopWhenWritable) this.stop = true;
          this.pump(ctx);
        }
        ctx.fireChannelWritabilityChanged();
      }
      pump(ctx: ChannelHandlerContext): void {
        while (!this.stop && ctx.channel().isWritable()) {
          const b = ctx.alloc().buffer(16 * 1024);
          b.writeBytes(pattern, this.written & 0xff, 16 * 1024);
          this.written += 16 * 1024;
          ctx.writeAndFlush(b, ctx.voidPromise());
        }
      }
    }
    const flooder = new Flooder();
    const { channel, recorder } = await connectClient(env, server.port, {
      options: [[ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024)]],
      handlers: [flooder],
    });
    // The kernel buffers fill up; after that the writer is held back.
    let last = -1;
    await waitFor(() => {
      const stalled = !channel.isWritable() && flooder.written === last;
      last = flooder.written;
      return stalled;
    }, 'the writer to stall', 10_000);
    await sleep(100);
    expect(channel.isWritable()).toBe(false);
    expect(flooder.written).toBe(last);
    expect(flooder.written).toBeLessThan(64 * 1024 * 1024); // bounded by socket buffers, not by the writer
    const unwritableEvents = recorder.events.filter((e) => e === 'writable:false').length;
    expect(unwritableEvents).toBeGreaterThan(0);
    // The reader starts reading: the writer drains and turns writable again.
    const child = server.children[0]!;
    flooder.stopWhenWritable = true;
    child.config().setAutoRead(true);
    await waitFor(() => flooder.stop, 'writable again');
    expect(recorder.events[recorder.events.length - 1]).toBe('writable:true');
    const total = flooder.written;
    await waitFor(() => server.recorders[0]!.receivedLength() === total, 'every byte to arrive', 10_000);
    const got = server.recorders[0]!.received();
    for (let i = 0; i < got.length; i += 4099) expect(got[i]).toBe(i & 0xff);
  });

  it('hands 1000 small writes and one flush to the socket as one write, intact and in order', async () => {
    const server = await startServer(env);
    const { channel } = await connectClient(env, server.port);
    const socket = channel.nodeSocket()!;
    const write = jest.spyOn(socket, 'write');
    const cork = jest.spyOn(socket, 'cork');
    const expected: string[] = [];
    const messages: ByteBuf[] = [];
    await channel.eventLoop().submit(() => {
      for (let i = 0; i < 1000; i++) {
        const text = `msg-${String(i).padStart(4, '0')};`;
        expected.push(text);
        const m = buf(text);
        messages.push(m);
        channel.write(m, channel.voidPromise());
      }
      channel.flush();
    });
    const whole = expected.join('');
    await waitFor(() => server.recorders[0]?.receivedLength() === whole.length, 'all bytes');
    expect(server.recorders[0]!.received().toString()).toBe(whole);
    expect(write).toHaveBeenCalledTimes(1); // coalesced into one pooled buffer: one write, no cork needed
    expect(cork).not.toHaveBeenCalled();
    await waitFor(() => messages.every((m) => m.refCnt() === 0), 'messages released after the write completed');
  });

  it('writes small and large buffers of one flush in a single corked batch, large ones without copying', async () => {
    const server = await startServer(env);
    const { channel } = await connectClient(env, server.port);
    const socket = channel.nodeSocket()!;
    const write = jest.spyOn(socket, 'write');
    const cork = jest.spyOn(socket, 'cork');
    const uncork = jest.spyOn(socket, 'uncork');
    const big = randomBytes(100_000);
    const parts = [buf('a'), buf('b'), Unpooled.wrappedBuffer(big), buf('c'), buf('d')];
    const futures = await channel.eventLoop().submit(() => {
      const fs = parts.map((p) => channel.write(p));
      channel.flush();
      return fs;
    });
    await Promise.all(futures);
    const expected = Buffer.concat([Buffer.from('ab'), big, Buffer.from('cd')]);
    await waitFor(() => server.recorders[0]?.receivedLength() === expected.length, 'all bytes');
    expect(server.recorders[0]!.received().equals(expected)).toBe(true);
    expect(cork).toHaveBeenCalledTimes(1);
    expect(uncork).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledTimes(3); // "ab" coalesced, the big view, "cd" coalesced
    const bigView = write.mock.calls[1]![0] as Buffer;
    expect(bigView.buffer).toBe(big.buffer); // the caller's memory, not a copy
    // Only the last write of the batch carries a callback.
    expect(write.mock.calls.map((c) => typeof c[1] === 'function')).toEqual([false, false, true]);
  });

  it('writes each component of a CompositeByteBuf as its own view, and coalesces a small composite', async () => {
    const server = await startServer(env);
    const { channel } = await connectClient(env, server.port);
    const socket = channel.nodeSocket()!;
    const write = jest.spyOn(socket, 'write');
    const a = randomBytes(5000);
    const b = randomBytes(7000);
    const big = Unpooled.compositeBuffer().addComponent(true, Unpooled.wrappedBuffer(a)).addComponent(true, Unpooled.wrappedBuffer(b));
    const small = Unpooled.compositeBuffer().addComponent(true, buf('x')).addComponent(true, buf('y'));
    await channel.eventLoop().submit(() => {
      channel.write(buf('<'), channel.voidPromise());
      channel.write(small, channel.voidPromise());
      channel.write(big, channel.voidPromise());
      channel.flush();
    });
    const expected = Buffer.concat([Buffer.from('<xy'), a, b]);
    await waitFor(() => server.recorders[0]?.receivedLength() === expected.length, 'all bytes');
    expect(server.recorders[0]!.received().equals(expected)).toBe(true);
    // "<" and the small composite coalesced, then one view per component of the big one.
    expect(write.mock.calls.map((c) => (c[0] as Buffer).length)).toEqual([3, 5000, 7000]);
    await waitFor(() => big.refCnt() === 0 && small.refCnt() === 0, 'composites released');
  });

  it('transfers a 16 MiB message byte-exact', async () => {
    const server = await startServer(env);
    const { channel } = await connectClient(env, server.port);
    const payload = randomBytes(16 * 1024 * 1024);
    await channel.writeAndFlush(Unpooled.wrappedBuffer(payload));
    await waitFor(() => server.recorders[0]?.receivedLength() === payload.length, '16 MiB', 20_000);
    const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    expect(digest(server.recorders[0]!.received())).toBe(digest(payload));
  });

  it('applies TCP_NODELAY (default true), SO_KEEPALIVE and ALLOW_HALF_CLOSURE through ChannelOption', async () => {
    const server = await startServer(env);
    const { channel } = await connectClient(env, server.port, { options: [[ChannelOption.SO_KEEPALIVE, true]] });
    const config = channel.config();
    expect(config.getOption(ChannelOption.TCP_NODELAY)).toBe(true);
    expect(config.getOption(ChannelOption.SO_KEEPALIVE)).toBe(true);
    expect(config.getOption(ChannelOption.ALLOW_HALF_CLOSURE)).toBe(false);
    const socket = channel.nodeSocket()!;
    const setNoDelay = jest.spyOn(socket, 'setNoDelay');
    expect(config.setOption(ChannelOption.TCP_NODELAY, false)).toBe(true);
    expect(setNoDelay).toHaveBeenCalledWith(false);
    expect(config.setOption(ChannelOption.SO_SNDBUF, 1 << 20)).toBe(true);
    expect(config.getOption(ChannelOption.SO_SNDBUF)).toBe(1 << 20);
    expect(config.setOption(ChannelOption.SO_BACKLOG, 5)).toBe(false); // a server option
    expect(() => config.setOption(ChannelOption.TCP_NODELAY, 1 as unknown as boolean)).toThrow('TCP_NODELAY: 1 (expected: a boolean)');
  });
});
