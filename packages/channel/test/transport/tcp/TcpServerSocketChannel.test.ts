import { describe, expect, it } from '@jest/globals';
import * as net from 'node:net';
import { ServerBootstrap } from '../../../src/bootstrap/ServerBootstrap';
import type { Channel } from '../../../src/channel/Channel';
import { ChannelOption } from '../../../src/channel/ChannelOption';
import { ConnectException } from '../../../src/channel/errors';
import { BindException } from '../../../src/transport/tcp/errors';
import { TcpServerSocketChannel } from '../../../src/transport/tcp/TcpServerSocketChannel';
import { SelfSignedCertificate } from './SelfSignedCertificate';
import { connectClient, startServer } from './TcpTestFixtures';
import { buf, EchoHandler, Recorder, sleep, TestEnv, waitFor } from './TransportTestSupport';

const env = new TestEnv();

function rawConnect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
    env.onCleanup(() => void s.destroy());
  });
}

describe('TcpServerSocketChannel', () => {
  env.installHooks();

  it('reports the address it listens on and fires channelRead(child) per accepted connection', async () => {
    const serverRecorder = new Recorder(true);
    const f = new ServerBootstrap()
      .group(env.group())
      .channel(TcpServerSocketChannel)
      .handler(serverRecorder)
      .childHandler(new EchoHandler())
      .bind('127.0.0.1', 0);
    await f.sync();
    const server = env.track(f.channel() as TcpServerSocketChannel);
    expect(server.isActive()).toBe(true);
    expect(server.localAddress()!.host).toBe('127.0.0.1');
    expect(server.localAddress()!.port).toBeGreaterThan(0);
    expect(String(server)).toBe(`[id: 0x${server.id().asShortText()}, L:127.0.0.1:${server.localAddress()!.port}]`);
    await rawConnect(server.localAddress()!.port);
    await waitFor(() => serverRecorder.reads === 1, 'the accepted child');
    // The Recorder sits before the acceptor and keeps the message, so the child never gets registered.
    expect(serverRecorder.messages[0]).toBeInstanceOf(Object);
    expect(serverRecorder.events).toEqual(['registered', 'active', 'read', 'readComplete']);
    expect(serverRecorder.outsideLoop).toBe(0);
    const child = serverRecorder.messages[0] as Channel;
    expect(child.parent()).toBe(server);
    expect(child.isActive()).toBe(true);
    child.unsafe().closeForcibly(); // never registered: nothing but the socket to close
  });

  it('fails bind with BindException naming the address when the port is in use, and closes the channel', async () => {
    const first = await startServer(env);
    const f = new ServerBootstrap()
      .group(env.group())
      .channel(TcpServerSocketChannel)
      .childHandler(new EchoHandler())
      .bind('127.0.0.1', first.port);
    await f.awaitDone();
    expect(f.cause()).toBeInstanceOf(BindException);
    expect(f.cause()!.message).toBe(`Address already in use (EADDRINUSE): 127.0.0.1:${first.port}`);
    await f.channel().closeFuture();
    expect(f.channel().isOpen()).toBe(false);
  });

  it('holds accepted connections while AUTO_READ is off and hands them out on read()', async () => {
    const server = await startServer(env, { options: [[ChannelOption.AUTO_READ, false]] });
    await rawConnect(server.port);
    await rawConnect(server.port);
    await waitFor(() => server.channel.pendingConnections() === 2, 'two waiting connections');
    await sleep(30);
    expect(server.recorders).toHaveLength(0);
    server.channel.read();
    await waitFor(() => server.recorders.length === 2, 'both connections handed out by one read()');
    expect(server.channel.pendingConnections()).toBe(0);
    await waitFor(() => server.recorders.every((r) => r.events.includes('active')), 'children active');
    await rawConnect(server.port);
    await sleep(50);
    expect(server.recorders).toHaveLength(2);
    server.channel.config().setAutoRead(true);
    await waitFor(() => server.recorders.length === 3, 'the third connection after auto-read is back on');
  });

  it('stops accepting once closed, leaving accepted channels open', async () => {
    const server = await startServer(env, { childHandlers: () => [new EchoHandler()] });
    const { channel, recorder } = await connectClient(env, server.port);
    await server.channel.close();
    expect(server.channel.isActive()).toBe(false);
    await channel.writeAndFlush(buf('still here'));
    await waitFor(() => recorder.received().toString() === 'still here', 'echo over the accepted channel');
    const f = connectClient(env, server.port);
    await expect(f).rejects.toBeInstanceOf(ConnectException);
  });

  it('accepts TLS connections and echoes over TLS with a self-signed certificate', async () => {
    const cert = new SelfSignedCertificate();
    const server = await startServer(env, { tls: { key: cert.key, cert: cert.cert }, childHandlers: () => [new EchoHandler()] });
    const { channel, recorder } = await connectClient(env, server.port, { tls: { ca: cert.cert, servername: 'localhost' } });
    expect(channel.isTls()).toBe(true);
    expect(channel.isActive()).toBe(true);
    await channel.writeAndFlush(buf('secret hello'));
    await waitFor(() => recorder.received().toString() === 'secret hello', 'the TLS echo');
    expect(server.children[0]!.isTls()).toBe(true);
    await channel.close();
    await waitFor(() => server.recorders[0]!.events.includes('unregistered'), 'server side closed');
  });

  it('fails a TLS connect whose certificate is not trusted', async () => {
    const cert = new SelfSignedCertificate();
    const server = await startServer(env, { tls: { key: cert.key, cert: cert.cert } });
    const f = connectClient(env, server.port, { tls: { servername: 'localhost' } });
    await expect(f).rejects.toBeInstanceOf(ConnectException);
    await expect(f).rejects.toThrow(/self.signed certificate|unable to verify/i);
  });
});
