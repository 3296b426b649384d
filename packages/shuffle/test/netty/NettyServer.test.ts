// NettyServer over real TCP on 127.0.0.1, port 0: binding, the child pipeline, and the write-buffer water
// marks (scenario 82, Flink's NettyServerLowAndHighWatermarkTest).
import * as net from 'node:net';
import * as tls from 'node:tls';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ChannelInboundHandlerAdapter, Unpooled, type ByteBuf, type ChannelHandlerContext } from '@sluice/channel';
import { NettyConfig } from '../../src/netty/NettyConfig';
import { NettyServer } from '../../src/netty/NettyServer';
import { SelfSignedCertificate } from '../../../channel/test/transport/tcp/SelfSignedCertificate';

const servers: NettyServer[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => s.shutdown()));
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', reject);
    socket.resume(); // read and drop everything
    sockets.push(socket);
  });
}

interface WatermarkObservations {
  low: number;
  high: number;
  initially: boolean;
  afterFirst: boolean;
  afterSecond: boolean;
  afterFlush: boolean;
}

/** On activation: checks writability around two page-sized writes and a flush (as Flink's test does). */
class WatermarkProbe extends ChannelInboundHandlerAdapter {
  readonly result: Promise<WatermarkObservations>;
  private resolve!: (o: WatermarkObservations) => void;
  private observations: Partial<WatermarkObservations> = {};

  constructor(private readonly pageSize: number) {
    super();
    this.result = new Promise((resolve) => (this.resolve = resolve));
  }

  override channelActive(ctx: ChannelHandlerContext): void {
    const ch = ctx.channel();
    const config = ch.config();
    this.observations = { low: config.getWriteBufferLowWaterMark(), high: config.getWriteBufferHighWaterMark(), initially: ch.isWritable() };
    void ch.write(this.page());
    this.observations.afterFirst = ch.isWritable();
    void ch.write(this.page());
    this.observations.afterSecond = ch.isWritable();
    ch.flush();
    if (ch.isWritable()) this.done(true);
    ctx.fireChannelActive();
  }

  override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    if (ctx.channel().isWritable() && this.observations.afterSecond !== undefined) this.done(true);
    ctx.fireChannelWritabilityChanged();
  }

  private done(afterFlush: boolean): void {
    this.resolve({ ...(this.observations as WatermarkObservations), afterFlush });
  }

  private page(): ByteBuf {
    const buf = Unpooled.buffer(this.pageSize);
    buf.writerIndex(this.pageSize);
    return buf;
  }
}

describe('NettyServer', () => {
  it('binds port 0 on the configured address and resolves the bound port', async () => {
    const server = new NettyServer(new NettyConfig({ serverAddress: '127.0.0.1', serverPort: 0 }));
    servers.push(server);
    expect(server.getLocalAddress()).toBeNull();
    const port = await server.init(() => []);
    expect(port).toBeGreaterThan(0);
    expect(server.getLocalAddress()).toEqual({ host: '127.0.0.1', port });
    await server.shutdown();
    expect(server.getLocalAddress()).toBeNull();
    await server.shutdown(); // idempotent
  });

  it('uses low = segmentSize + 1 and high = 2 × segmentSize: one page stays writable, two do not, flushing recovers (scenario 82)', async () => {
    const pageSize = 65536;
    const probe = new WatermarkProbe(pageSize);
    const server = new NettyServer(new NettyConfig({ segmentSize: pageSize }));
    servers.push(server);
    const port = await server.init(() => [probe]);
    await connect(port);
    const observed = await probe.result;
    expect(observed).toEqual({ low: 65537, high: 131072, initially: true, afterFirst: true, afterSecond: false, afterFlush: true });
  });

  it('gives every accepted connection its own handlers and closes them on shutdown', async () => {
    let created = 0;
    const server = new NettyServer(new NettyConfig());
    servers.push(server);
    const port = await server.init(() => {
      created++;
      return [new (class extends ChannelInboundHandlerAdapter {})()];
    });
    const sockets = await Promise.all([connect(port), connect(port)]);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (server.getNumberOfOpenConnections() === 2) resolve();
        else setTimeout(check, 5);
      };
      check();
    });
    expect(created).toBe(2);
    const closed = sockets.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())));
    await server.shutdown();
    await Promise.all(closed);
    expect(server.getNumberOfOpenConnections()).toBe(0);
  });

  it('serves TLS with mutual authentication when sslEnabled', async () => {
    const certificate = new SelfSignedCertificate();
    const server = new NettyServer(new NettyConfig({ sslEnabled: true, sslKey: certificate.key, sslCert: certificate.cert, sslCa: certificate.cert }));
    servers.push(server);
    const port = await server.init(() => [
      new (class extends ChannelInboundHandlerAdapter {
        override channelActive(ctx: ChannelHandlerContext): void {
          void ctx.writeAndFlush(Unpooled.wrappedBuffer(Uint8Array.of(104, 105)));
          ctx.fireChannelActive();
        }
      })(),
    ]);
    const received = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', key: certificate.key, cert: certificate.cert, ca: certificate.cert });
      sockets.push(socket);
      socket.on('error', reject);
      socket.once('data', (data: Buffer) => resolve(data.toString('latin1')));
    });
    expect(received).toBe('hi');
  });
});
