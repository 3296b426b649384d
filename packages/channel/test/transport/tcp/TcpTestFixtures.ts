import * as net from 'node:net';
import { Bootstrap } from '../../../src/bootstrap/Bootstrap';
import { ChannelInitializer } from '../../../src/bootstrap/ChannelInitializer';
import { ServerBootstrap } from '../../../src/bootstrap/ServerBootstrap';
import type { Channel } from '../../../src/channel/Channel';
import type { ChannelHandler } from '../../../src/channel/ChannelHandler';
import type { ChannelOption } from '../../../src/channel/ChannelOption';
import type { EventLoopGroup } from '../../../src/concurrent/EventLoop';
import { TcpServerSocketChannel, type TcpServerSocketChannelOptions } from '../../../src/transport/tcp/TcpServerSocketChannel';
import { TcpSocketChannel, type TcpSocketChannelOptions } from '../../../src/transport/tcp/TcpSocketChannel';
import { Recorder, type TestEnv } from './TransportTestSupport';

export type OptionList = [ChannelOption<unknown>, unknown][];

/** A server whose every accepted channel gets a fresh Recorder (plus optional handlers before it). */
export interface RecordingServer {
  channel: TcpServerSocketChannel;
  port: number;
  /** One Recorder per accepted connection, in accept order. */
  recorders: Recorder[];
  /** The accepted channels, in accept order. */
  children: TcpSocketChannel[];
}

export interface ServerSetup {
  group?: EventLoopGroup;
  childOptions?: OptionList;
  /** Handlers added before the child's Recorder (a new set per child). */
  childHandlers?: () => ChannelHandler[];
  tls?: TcpServerSocketChannelOptions['tls'];
  options?: OptionList;
}

export async function startServer(env: TestEnv, setup: ServerSetup = {}): Promise<RecordingServer> {
  const recorders: Recorder[] = [];
  const children: TcpSocketChannel[] = [];
  const group = setup.group ?? env.group();
  const b = new ServerBootstrap()
    .group(group)
    .channelFactory(() => new TcpServerSocketChannel(setup.tls !== undefined ? { tls: setup.tls } : {}))
    .childHandler(
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          const recorder = new Recorder();
          recorders.push(recorder);
          children.push(env.track(ch as TcpSocketChannel));
          for (const h of setup.childHandlers?.() ?? []) ch.pipeline().addLast(null, h);
          ch.pipeline().addLast(null, recorder);
        }
      })(),
    );
  for (const [o, v] of setup.childOptions ?? []) b.childOption(o, v);
  for (const [o, v] of setup.options ?? []) b.option(o, v);
  const f = b.bind('127.0.0.1', 0);
  await f.sync();
  const channel = env.track(f.channel() as TcpServerSocketChannel);
  return { channel, port: channel.localAddress()!.port, recorders, children };
}

export interface ClientSetup {
  group?: EventLoopGroup;
  options?: OptionList;
  handlers?: ChannelHandler[];
  tls?: TcpSocketChannelOptions['tls'];
}

/** Connects a client whose pipeline ends with the returned Recorder. */
export async function connectClient(env: TestEnv, port: number, setup: ClientSetup = {}): Promise<{ channel: TcpSocketChannel; recorder: Recorder }> {
  const recorder = new Recorder();
  const b = new Bootstrap()
    .group(setup.group ?? env.group())
    .channelFactory(() => new TcpSocketChannel(setup.tls !== undefined ? { tls: setup.tls } : {}))
    .handler(
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          for (const h of setup.handlers ?? []) ch.pipeline().addLast(null, h);
          ch.pipeline().addLast(null, recorder);
        }
      })(),
    );
  for (const [o, v] of setup.options ?? []) b.option(o, v);
  const f = b.connect('127.0.0.1', port);
  env.track(f.channel());
  await f.sync();
  return { channel: f.channel() as TcpSocketChannel, recorder };
}

/** A plain node:net server for tests that need a misbehaving peer; closed (with its sockets) by cleanup. */
export async function rawServer(env: TestEnv, onConnection: (socket: net.Socket) => void): Promise<{ server: net.Server; port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env.onCleanup(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, port: (server.address() as net.AddressInfo).port, sockets };
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
