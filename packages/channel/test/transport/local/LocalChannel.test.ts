import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Bootstrap } from '../../../src/bootstrap/Bootstrap';
import { ChannelInitializer } from '../../../src/bootstrap/ChannelInitializer';
import { ServerBootstrap } from '../../../src/bootstrap/ServerBootstrap';
import type { Channel } from '../../../src/channel/Channel';
import type { ChannelHandler } from '../../../src/channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../../src/channel/ChannelInboundHandlerAdapter';
import { ChannelOption } from '../../../src/channel/ChannelOption';
import { ClosedChannelException, ConnectException } from '../../../src/channel/errors';
import type { EventLoopGroup } from '../../../src/concurrent/EventLoop';
import { LocalAddress } from '../../../src/transport/local/LocalAddress';
import { LocalChannel } from '../../../src/transport/local/LocalChannel';
import { LocalServerChannel } from '../../../src/transport/local/LocalServerChannel';
import { buf, EchoHandler, Recorder, sleep, TestEnv, waitFor } from '../tcp/TransportTestSupport';

const env = new TestEnv();
beforeEach(() => env.begin());
afterEach(() => env.cleanup());

let nextId = 0;
function newAddress(): LocalAddress {
  return new LocalAddress(`test-${process.pid}-${nextId++}`);
}

interface LocalServer {
  channel: LocalServerChannel;
  address: LocalAddress;
  recorders: Recorder[];
  children: LocalChannel[];
}

async function startServer(group: EventLoopGroup, childHandlers: () => ChannelHandler[] = () => [], options: [ChannelOption<unknown>, unknown][] = []): Promise<LocalServer> {
  const recorders: Recorder[] = [];
  const children: LocalChannel[] = [];
  const address = newAddress();
  const b = new ServerBootstrap()
    .group(group)
    .channel(LocalServerChannel)
    .childHandler(
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          const r = new Recorder();
          recorders.push(r);
          children.push(env.track(ch as LocalChannel));
          for (const h of childHandlers()) ch.pipeline().addLast(null, h);
          ch.pipeline().addLast(null, r);
        }
      })(),
    );
  for (const [o, v] of options) b.option(o, v);
  const f = b.bind(address);
  await f.sync();
  return { channel: env.track(f.channel() as LocalServerChannel), address, recorders, children };
}

async function connect(group: EventLoopGroup, address: LocalAddress, handlers: ChannelHandler[] = [], options: [ChannelOption<unknown>, unknown][] = []): Promise<{ channel: LocalChannel; recorder: Recorder }> {
  const recorder = new Recorder();
  const b = new Bootstrap()
    .group(group)
    .channel(LocalChannel)
    .handler(
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          for (const h of handlers) ch.pipeline().addLast(null, h);
          ch.pipeline().addLast(null, recorder);
        }
      })(),
    );
  for (const [o, v] of options) b.option(o, v);
  const f = b.connect(address);
  env.track(f.channel());
  const channel = (await f.sync()).channel() as LocalChannel;
  return { channel, recorder };
}

describe('LocalChannel', () => {
  it('passes messages of any type to the peer as they are, and ByteBufs without copying', async () => {
    const group = env.group();
    const server = await startServer(group, () => [new EchoHandler()]);
    const { channel, recorder } = await connect(group, server.address);
    const object = { kind: 'plain object' };
    await channel.writeAndFlush('a string');
    await channel.writeAndFlush(object);
    await channel.writeAndFlush(buf('bytes'));
    await waitFor(() => recorder.reads === 3, 'three echoes');
    expect(recorder.messages).toEqual(['a string', object]);
    expect(recorder.messages[1]).toBe(object); // the same instance, twice across
    expect(recorder.received().toString()).toBe('bytes');
    expect(channel.remoteAddress()!.equals(server.address)).toBe(true);
    const child = server.children[0]!;
    expect(child.localAddress()!.equals(server.address)).toBe(true);
    expect(child.remoteAddress()!.equals(channel.localAddress())).toBe(true);
    expect(String(channel)).toMatch(/^\[id: 0x[0-9a-f]{8}, L:local:e[0-9a-f]{8} - R:local:test-/);
  });

  it('fires the lifecycle in order on both ends and makes the peer inactive when one end closes', async () => {
    const group = env.group(2); // client and server on different loops
    const server = await startServer(group);
    const { channel, recorder } = await connect(group, server.address);
    await waitFor(() => server.recorders[0]?.events.includes('active') === true, 'server end active');
    expect(server.children[0]!.eventLoop()).not.toBe(channel.eventLoop());
    await channel.close();
    await waitFor(() => server.recorders[0]!.events.includes('unregistered'), 'server end closed by the peer');
    const expected = ['registered', 'active', 'inactive', 'unregistered'];
    await waitFor(() => recorder.events.includes('unregistered'), 'client unregistered');
    expect(recorder.lifecycle()).toEqual(expected);
    expect(server.recorders[0]!.lifecycle()).toEqual(expected);
    expect(recorder.outsideLoop + server.recorders[0]!.outsideLoop).toBe(0);
    expect(server.children[0]!.isOpen()).toBe(false);
  });

  // Netty LocalChannelTest.testWriteFailsFastOnClosedChannel (scenario 85).
  it('fails a write after close().sync() with ClosedChannelException from AbstractUnsafe, without a transport attempt', async () => {
    const group = env.group();
    const server = await startServer(group);
    const { channel } = await connect(group, server.address);
    await channel.close().sync();
    const doWrite = jest.spyOn(LocalChannel.prototype, 'doWrite');
    const msg = buf('late');
    const f = channel.writeAndFlush(msg);
    await f.awaitDone();
    expect(f.cause()).toBeInstanceOf(ClosedChannelException);
    expect(f.cause()!.stack).toContain('AbstractUnsafe');
    expect(doWrite).not.toHaveBeenCalled();
    expect(msg.refCnt()).toBe(0);
    doWrite.mockRestore();
  });

  // Netty LocalChannelTest.testServerCloseChannelSameEventLoop (scenario 86).
  it('lets the server end close itself in channelRead when both ends share one loop', async () => {
    const group = env.group(1);
    class CloseOnRead extends ChannelInboundHandlerAdapter {
      override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
        ctx.fireChannelRead(msg);
        ctx.close();
      }
    }
    const server = await startServer(group, () => [new CloseOnRead()]);
    const { channel, recorder } = await connect(group, server.address);
    expect(server.children.length === 0 || server.children[0]!.eventLoop() === channel.eventLoop()).toBe(true);
    await channel.writeAndFlush(buf('bye'));
    await channel.closeFuture();
    expect(server.recorders[0]!.received().toString()).toBe('bye');
    expect(recorder.lifecycle()).toEqual(['registered', 'active', 'inactive', 'unregistered']);
  });

  // Netty LocalChannelTest.testCloseInWritePromiseCompletePreservesOrder (scenario 88).
  it('delivers the data before channelInactive when the writer closes from the write listener', async () => {
    const group = env.group(2);
    const server = await startServer(group);
    const { channel } = await connect(group, server.address);
    await channel.eventLoop().submit(() => {
      channel.writeAndFlush(buf('last words')).addListener(() => void channel.close());
    });
    await channel.closeFuture();
    const peer = server.recorders[0]!;
    await waitFor(() => peer.events.includes('inactive'), 'peer inactive');
    expect(peer.received().toString()).toBe('last words');
    expect(peer.events.indexOf('read')).toBeLessThan(peer.events.indexOf('inactive'));
    expect(channel.isOpen()).toBe(false);
  });

  // Netty LocalChannelTest.testWriteInWritePromiseCompletePreservesOrder (scenario 89).
  it('delivers a write issued from the previous write listener in order', async () => {
    const group = env.group(2);
    const server = await startServer(group);
    const { channel } = await connect(group, server.address);
    const second = await channel.eventLoop().submit(() => {
      let inner: ReturnType<Channel['writeAndFlush']> | null = null;
      channel.writeAndFlush(buf('first;')).addListener(() => {
        inner = channel.writeAndFlush(buf('second;'));
      });
      return () => inner;
    });
    await waitFor(() => server.recorders[0]?.received().toString() === 'first;second;', 'both messages in order');
    await second()!;
    expect(server.recorders[0]!.reads).toBe(2);
  });

  it('fails connect with ConnectException when nothing is bound to the address, and closes the channel', async () => {
    const group = env.group();
    const f = new Bootstrap().group(group).channel(LocalChannel).handler(new Recorder()).connect(new LocalAddress('nobody-home'));
    await f.awaitDone();
    expect(f.cause()).toBeInstanceOf(ConnectException);
    expect(f.cause()!.message).toBe('connection refused: local:nobody-home');
    await f.channel().closeFuture();
  });

  it('refuses a second server on a bound address, and frees the address on close', async () => {
    const group = env.group();
    const server = await startServer(group);
    const f = new ServerBootstrap().group(group).channel(LocalServerChannel).childHandler(new Recorder()).bind(server.address);
    await f.awaitDone();
    expect(f.cause()!.message).toBe(`address already in use by: ${String(server.channel)}`);
    await f.channel().closeFuture();
    await server.channel.close();
    const again = new ServerBootstrap().group(group).channel(LocalServerChannel).childHandler(new Recorder()).bind(server.address);
    await again;
    env.track(again.channel());
  });

  it('binds LocalAddress.ANY to a generated address', async () => {
    const group = env.group();
    const f = new ServerBootstrap().group(group).channel(LocalServerChannel).childHandler(new EchoHandler()).bind(LocalAddress.ANY);
    await f;
    const server = env.track(f.channel() as LocalServerChannel);
    expect(server.localAddress()!.id).toMatch(/^e[0-9a-f]{8}$/);
    const { channel, recorder } = await connect(group, server.localAddress()!);
    await channel.writeAndFlush('ping');
    await waitFor(() => recorder.reads === 1, 'echo');
  });

  it('queues messages while AUTO_READ is off and delivers them all on read()', async () => {
    const group = env.group();
    const server = await startServer(group, () => [new EchoHandler()]);
    const { channel, recorder } = await connect(group, server.address, [], [[ChannelOption.AUTO_READ, false]]);
    await channel.writeAndFlush('one');
    await channel.writeAndFlush('two');
    await sleep(30);
    expect(recorder.reads).toBe(0);
    channel.read();
    await waitFor(() => recorder.reads === 2, 'both queued messages');
    expect(recorder.messages).toEqual(['one', 'two']);
    expect(recorder.events.filter((e) => e === 'readComplete')).toHaveLength(1); // one read batch
  });

  it('releases ByteBufs the peer never read when it closes', async () => {
    const group = env.group();
    const server = await startServer(group, () => [], []);
    const { channel } = await connect(group, server.address, [], [[ChannelOption.AUTO_READ, false]]);
    const child = server.children[0]!;
    const msg = buf('never read');
    await child.writeAndFlush(msg);
    expect(msg.refCnt()).toBe(1); // now owned by the client's queue
    await channel.close();
    expect(msg.refCnt()).toBe(0);
  });
});
