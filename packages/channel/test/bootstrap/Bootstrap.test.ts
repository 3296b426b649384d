import { describe, expect, it } from '@jest/globals';
import { Bootstrap } from '../../src/bootstrap/Bootstrap';
import { ChannelInitializer } from '../../src/bootstrap/ChannelInitializer';
import { FailedChannel } from '../../src/bootstrap/FailedChannel';
import { ServerBootstrap } from '../../src/bootstrap/ServerBootstrap';
import { AttributeKey } from '../../src/channel/AttributeKey';
import type { Channel } from '../../src/channel/Channel';
import type { ChannelHandlerContext } from '../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../src/channel/ChannelInboundHandlerAdapter';
import { ChannelOption } from '../../src/channel/ChannelOption';
import { ConnectException } from '../../src/channel/errors';
import { InetSocketAddress } from '../../src/channel/SocketAddress';
import { LocalAddress } from '../../src/transport/local/LocalAddress';
import { LocalChannel } from '../../src/transport/local/LocalChannel';
import { LocalServerChannel } from '../../src/transport/local/LocalServerChannel';
import { EmbeddedEventLoop } from '../../src/transport/embedded/EmbeddedEventLoop';
import { TcpServerSocketChannel } from '../../src/transport/tcp/TcpServerSocketChannel';
import { TcpSocketChannel } from '../../src/transport/tcp/TcpSocketChannel';
import { buf, EchoHandler, Recorder, TestEnv, waitFor } from '../transport/tcp/TransportTestSupport';

const env = new TestEnv();

const NAME = AttributeKey.valueOf<string>('bootstrap-test-name');
let nextId = 0;
const newAddress = (): LocalAddress => new LocalAddress(`bootstrap-${process.pid}-${nextId++}`);

async function localServer(b: ServerBootstrap): Promise<{ server: LocalServerChannel; address: LocalAddress }> {
  const address = newAddress();
  const f = b.bind(address);
  await f;
  return { server: env.track(f.channel() as LocalServerChannel), address };
}

describe('Bootstrap', () => {
  env.installHooks();

  it("validates with Netty's messages", () => {
    expect(() => new Bootstrap().validate()).toThrow('group not set');
    expect(() => new Bootstrap().group(env.group()).validate()).toThrow('channel or channelFactory not set');
    expect(() => new Bootstrap().group(env.group()).channel(LocalChannel).validate()).toThrow('handler not set');
    expect(() => new Bootstrap().group(env.group()).group(env.group())).toThrow('group set already');
    expect(() => new Bootstrap().channel(LocalChannel).channel(LocalChannel)).toThrow('channelFactory set already');
    expect(() => new Bootstrap().group(env.group()).channel(LocalChannel).handler(new Recorder()).connect()).toThrow('remoteAddress not set');
  });

  it('connects and returns an awaitable ChannelFuture whose channel() is the connected channel', async () => {
    const group = env.group();
    const { address } = await localServer(new ServerBootstrap().group(group).channel(LocalServerChannel).childHandler(new EchoHandler()));
    const recorder = new Recorder();
    const b = new Bootstrap().group(group).channel(LocalChannel).handler(recorder).remoteAddress(address);
    const ch = (await b.connect().sync()).channel();
    env.track(ch);
    expect(ch.isActive()).toBe(true);
    const f = b.connect(address);
    await f; // the plain await form
    env.track(f.channel());
    expect(f.channel()).not.toBe(ch);
    await ch.writeAndFlush('ping');
    await waitFor(() => recorder.messages.includes('ping'), 'echo');
  });

  it('applies options and attributes before registration and adds the handler', async () => {
    const group = env.group();
    const { address } = await localServer(new ServerBootstrap().group(group).channel(LocalServerChannel).childHandler(new EchoHandler()));
    const seen: { name?: string | undefined; autoRead?: boolean; timeout?: number } = {};
    class Inspect extends ChannelInboundHandlerAdapter {
      override channelRegistered(ctx: ChannelHandlerContext): void {
        seen.name = ctx.channel().attr(NAME).get();
        seen.autoRead = ctx.channel().config().isAutoRead();
        seen.timeout = ctx.channel().config().getConnectTimeoutMillis();
        ctx.fireChannelRegistered();
      }
    }
    const f = new Bootstrap()
      .group(group)
      .channel(LocalChannel)
      .option(ChannelOption.AUTO_READ, false)
      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1234)
      .option(ChannelOption.SO_BACKLOG, 7) // unknown to LocalChannel: logged, not fatal
      .attr(NAME, 'client-1')
      .handler(new Inspect())
      .connect(address);
    await f;
    env.track(f.channel());
    expect(seen).toEqual({ name: 'client-1', autoRead: false, timeout: 1234 });
  });

  it('closes the channel when the connect fails', async () => {
    const f = new Bootstrap().group(env.group()).channel(LocalChannel).handler(new Recorder()).connect(newAddress());
    await expect(f).rejects.toBeInstanceOf(ConnectException);
    await f.channel().closeFuture();
    expect(f.channel().isOpen()).toBe(false);
  });

  it('fails with the factory error and a FailedChannel when the channel cannot be created', async () => {
    const f = new Bootstrap()
      .group(env.group())
      .channelFactory(() => {
        throw new Error('no channel today');
      })
      .handler(new Recorder())
      .connect(newAddress());
    await expect(f).rejects.toThrow('no channel today');
    expect(f.channel()).toBeInstanceOf(FailedChannel);
  });

  it('fails with the registration error when the loop does not fit the channel', async () => {
    const loop = new EmbeddedEventLoop();
    const f = new Bootstrap().group(loop).channel(TcpSocketChannel).handler(new Recorder()).register();
    await expect(f).rejects.toThrow('incompatible event loop type: EmbeddedEventLoop');
  });

  it('registers without connecting on register()', async () => {
    const f = new Bootstrap().group(env.group()).channelFactory({ newChannel: () => new LocalChannel() }).handler(new Recorder()).register();
    await f;
    const ch = env.track(f.channel());
    expect(ch.isRegistered()).toBe(true);
    expect(ch.isActive()).toBe(false);
  });

  it('clones the settings', async () => {
    const group = env.group();
    const { address } = await localServer(new ServerBootstrap().group(group).channel(LocalServerChannel).childHandler(new EchoHandler()));
    const recorder = new Recorder();
    const original = new Bootstrap().group(group).channel(LocalChannel).handler(recorder).attr(NAME, 'x').remoteAddress(address);
    const f = original.clone().connect();
    await f;
    env.track(f.channel());
    expect(f.channel().attr(NAME).get()).toBe('x');
    expect(String(original)).toContain(`remoteAddress: ${String(address)}`);
  });
});

describe('ServerBootstrap', () => {
  env.installHooks();

  it("validates with Netty's messages", () => {
    expect(() => new ServerBootstrap().validate()).toThrow('group not set');
    expect(() => new ServerBootstrap().group(env.group()).validate()).toThrow('channel or channelFactory not set');
    expect(() => new ServerBootstrap().group(env.group()).channel(LocalServerChannel).validate()).toThrow('childHandler not set');
    expect(() => new ServerBootstrap().group(env.group()).channel(LocalServerChannel).childHandler(new Recorder()).bind()).toThrow('localAddress not set');
  });

  it('defaults the child group to the parent group', () => {
    const group = env.group();
    expect(new ServerBootstrap().group(group).childGroup()).toBe(group);
  });

  it('initialises each accepted channel with childHandler, childOption and childAttr on the child group', async () => {
    const parent = env.group();
    const child = env.group();
    const serverHandler = new Recorder(true);
    const childSeen: { name?: string | undefined; autoClose?: boolean; loopIsChild?: boolean } = {};
    const { address } = await localServer(
      new ServerBootstrap()
        .group(parent, child)
        .channel(LocalServerChannel)
        .handler(
          new (class extends ChannelInboundHandlerAdapter {
            override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
              serverHandler.messages.push(msg); // sees the child, then hands it on to the acceptor
              ctx.fireChannelRead(msg);
            }
          })(),
        )
        .childOption(ChannelOption.AUTO_CLOSE, false)
        .childAttr(NAME, 'accepted')
        .childHandler(
          new (class extends ChannelInitializer {
            protected initChannel(ch: Channel): void {
              childSeen.name = ch.attr(NAME).get();
              childSeen.autoClose = ch.config().isAutoClose();
              childSeen.loopIsChild = child.loops().includes(ch.eventLoop());
              ch.pipeline().addLast(null, new EchoHandler());
            }
          })(),
        ),
    );
    const recorder = new Recorder();
    const f = new Bootstrap().group(parent).channel(LocalChannel).handler(recorder).connect(address);
    await f;
    env.track(f.channel());
    await f.channel().writeAndFlush('hello');
    await waitFor(() => recorder.messages.includes('hello'), 'echo');
    expect(childSeen).toEqual({ name: 'accepted', autoClose: false, loopIsChild: true });
    expect(serverHandler.messages).toHaveLength(1);
    expect(serverHandler.messages[0]).toBeInstanceOf(LocalChannel);
  });

  it('force-closes an accepted channel whose registration fails', async () => {
    const parent = env.group();
    const { address } = await localServer(
      new ServerBootstrap().group(parent, new EmbeddedEventLoop()).channel(LocalServerChannel).childHandler(new EchoHandler()),
    );
    const f = new Bootstrap().group(parent).channel(LocalChannel).handler(new Recorder()).connect(address);
    // The server end cannot register with an EmbeddedEventLoop: the acceptor closes it, which closes the client.
    await expect(f).rejects.toThrow(`channel closed before the connection was established: ${String(address)}`);
    await f.channel().closeFuture();
  });

  it('binds a TCP server with host and port and accepts a TCP client', async () => {
    const group = env.group();
    const f = new ServerBootstrap().group(group).channel(TcpServerSocketChannel).childHandler(new EchoHandler()).bind('127.0.0.1', 0);
    const server = env.track((await f.sync()).channel());
    const port = (server.localAddress() as InetSocketAddress).port;
    const recorder = new Recorder();
    const c = new Bootstrap().group(group).channel(TcpSocketChannel).handler(recorder).connect(new InetSocketAddress('127.0.0.1', port));
    const ch = env.track((await c.sync()).channel());
    await ch.writeAndFlush(buf('tcp via bootstrap'));
    await waitFor(() => recorder.received().toString() === 'tcp via bootstrap', 'echo');
  });
});
