import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  ChannelInboundHandlerAdapter,
  ChannelInitializer,
  ChannelOutboundHandlerAdapter,
  DefaultEventLoopGroup,
  InetSocketAddress,
  LengthFieldBasedFrameDecoder,
  ServerBootstrap,
  TcpServerSocketChannel,
  type ByteBuf,
  type Channel,
  type ChannelHandlerContext,
  type ChannelPromise,
} from '@sluice/channel';
import { InputChannelID } from '../../src/consumer/InputChannelID';
import type { RemoteInputChannel } from '../../src/consumer/RemoteInputChannel';
import { ConnectionID } from '../../src/network/ConnectionID';
import { CreditBasedPartitionRequestClientHandler } from '../../src/netty/CreditBasedPartitionRequestClientHandler';
import { RemoteTransportException } from '../../src/netty/errors';
import { MessageId, NettyMessage } from '../../src/netty/NettyMessage';
import { NettyClient } from '../../src/netty/NettyClient';
import { NettyConfig } from '../../src/netty/NettyConfig';
import { PartitionRequestClientFactory } from '../../src/netty/PartitionRequestClientFactory';
import { SelfSignedCertificate } from '../../../channel/test/transport/tcp/SelfSignedCertificate';

/** Writes NettyMessages as frames (what NettyMessageEncoder does), so this test needs no codec. */
class TestEncoder extends ChannelOutboundHandlerAdapter {
  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    if (msg instanceof NettyMessage) msg.write(ctx, promise, ctx.alloc());
    else ctx.write(msg, promise);
  }
}

/** One accepted connection of {@link TestServer}: the message ids it received, and whether it closed. */
interface ServerConnection {
  ids: number[];
  closed: boolean;
  channel: Channel;
}

/** A plain TCP server that records the message id of every frame per connection. */
class TestServer {
  readonly connections: ServerConnection[] = [];
  private channel: Channel | null = null;

  /** @param tls accept TLS connections with these server options (default: plain TCP) */
  constructor(private readonly tls?: ConstructorParameters<typeof TcpServerSocketChannel>[0]) {}

  async start(group: DefaultEventLoopGroup): Promise<number> {
    const connections = this.connections;
    const options = this.tls ?? {};
    const future = new ServerBootstrap()
      .group(group)
      .channelFactory(() => new TcpServerSocketChannel(options))
      .childHandler(
        new (class extends ChannelInitializer {
          protected initChannel(ch: Channel): void {
            const connection: ServerConnection = { ids: [], closed: false, channel: ch };
            connections.push(connection);
            void ch.closeFuture().addListener(() => (connection.closed = true));
            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, -4, 0));
            ch.pipeline().addLast(
              new (class extends ChannelInboundHandlerAdapter {
                override channelRead(_ctx: ChannelHandlerContext, msg: unknown): void {
                  const frame = msg as ByteBuf;
                  connection.ids.push(frame.getByte(8));
                  frame.release();
                }
              })(),
            );
          }
        })(),
      )
      .bind('127.0.0.1', 0);
    await future.sync();
    this.channel = future.channel();
    return (this.channel.localAddress() as InetSocketAddress).port;
  }

  /** Closes every accepted connection (the producer "dies"). */
  async closeConnections(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.channel.close().awaitDone()));
  }

  async stop(): Promise<void> {
    await this.channel?.close().awaitDone();
  }
}

/** Polls (without timing assertions) until `condition` holds. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** Just enough of a RemoteInputChannel for `client.close(channel)`. */
function fakeChannel(): RemoteInputChannel {
  const id = InputChannelID.random();
  return { getInputChannelId: () => id } as unknown as RemoteInputChannel;
}

describe('PartitionRequestClientFactory', () => {
  let group: DefaultEventLoopGroup;
  let server: TestServer;
  let port: number;
  let nettyClient: NettyClient;

  beforeEach(async () => {
    group = new DefaultEventLoopGroup(1);
    server = new TestServer();
    port = await server.start(group);
    nettyClient = new NettyClient(new NettyConfig({ clientConnectTimeoutSeconds: 5 }), group);
    nettyClient.init(() => [new TestEncoder(), new CreditBasedPartitionRequestClientHandler()]);
  });

  afterEach(async () => {
    await nettyClient.shutdown();
    await server.stop();
    await group.shutdownGracefully(0, 1000).awaitDone();
  });

  it('§10 scenario 38: concurrent requests for one ConnectionID share one TCP connection and one client', async () => {
    const factory = new PartitionRequestClientFactory(nettyClient);
    const id = new ConnectionID('127.0.0.1', port, 0);
    // Index 7 folds onto 0 with one connection per address.
    const clients = await Promise.all([
      factory.createPartitionRequestClient(id),
      factory.createPartitionRequestClient(id),
      factory.createPartitionRequestClient(new ConnectionID('127.0.0.1', port, 7)),
    ]);

    expect(new Set(clients).size).toBe(1);
    expect(clients[0]!.getReferenceCount()).toBe(3);
    expect(factory.getNumberOfActiveClients()).toBe(1);
    await eventually(() => server.connections.length === 1, 'one accepted connection');
    expect(nettyClient.getNumberOfOpenChannels()).toBe(1);
  });

  it('opens one connection per folded index with maxNumberOfConnections > 1', async () => {
    const factory = new PartitionRequestClientFactory(nettyClient, 0, 2);
    const [a, b, c] = await Promise.all([0, 1, 2].map((i) => factory.createPartitionRequestClient(new ConnectionID('127.0.0.1', port, i))));
    expect(a).toBe(c);
    expect(a).not.toBe(b);
    expect(factory.getNumberOfActiveClients()).toBe(2);
  });

  it('the last close sends CloseRequest after the earlier CancelPartitionRequest and closes the connection', async () => {
    const factory = new PartitionRequestClientFactory(nettyClient);
    const id = new ConnectionID('127.0.0.1', port, 0);
    const client = await factory.createPartitionRequestClient(id);
    expect(await factory.createPartitionRequestClient(id)).toBe(client);

    client.close(fakeChannel());
    client.close(fakeChannel());

    await eventually(() => server.connections[0]?.closed === true, 'the connection to close');
    expect(server.connections[0]!.ids).toEqual([MessageId.CANCEL_PARTITION_REQUEST, MessageId.CLOSE_REQUEST]);
    expect(client.isDisposed()).toBe(true);
    expect(factory.getNumberOfActiveClients()).toBe(0);
  });

  it('§10 scenario 40: a disposed client is never handed out; a new connection is made', async () => {
    const factory = new PartitionRequestClientFactory(nettyClient);
    const id = new ConnectionID('127.0.0.1', port, 0);
    const first = await factory.createPartitionRequestClient(id);
    first.close(fakeChannel());
    expect(first.isDisposed()).toBe(true);

    const second = await factory.createPartitionRequestClient(id);
    expect(second).not.toBe(first);
    expect(second.isDisposed()).toBe(false);
    await eventually(() => server.connections.length === 2, 'a second connection');
  });

  it('forgets a disposed client that is still in the map and connects anew', async () => {
    const factory = new PartitionRequestClientFactory(nettyClient);
    const id = new ConnectionID('127.0.0.1', port, 0);
    const first = await factory.createPartitionRequestClient(id);
    // Disposed without telling the factory (as a failed connection would leave it).
    jest.spyOn(first, 'validateClientAndIncrementReferenceCounter').mockReturnValue(false);

    const second = await factory.createPartitionRequestClient(id);
    expect(second).not.toBe(first);
    expect(factory.getNumberOfActiveClients()).toBe(1);
  });

  it('retries a failed connect connectionRetries times, then rejects every caller and forgets the id', async () => {
    const closed = new TestServer();
    const closedPort = await closed.start(group);
    await closed.stop();
    const connect = jest.spyOn(nettyClient, 'connect');
    const factory = new PartitionRequestClientFactory(nettyClient, 2);
    const id = new ConnectionID('127.0.0.1', closedPort, 0);

    const results = await Promise.allSettled([factory.createPartitionRequestClient(id), factory.createPartitionRequestClient(id)]);

    expect(connect).toHaveBeenCalledTimes(3);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as RemoteTransportException;
      expect(error).toBeInstanceOf(RemoteTransportException);
      expect(error.message).toBe(
        `Connecting to remote task manager '127.0.0.1:${closedPort}' has failed. This might indicate that the remote task manager has been lost.`,
      );
    }
    expect(factory.getNumberOfActiveClients()).toBe(0);
  });

  it('closeOpenChannelConnections while connecting disposes the new client; later callers get a fresh one', async () => {
    const factory = new PartitionRequestClientFactory(nettyClient);
    const id = new ConnectionID('127.0.0.1', port, 0);
    const pending = factory.createPartitionRequestClient(id);
    factory.closeOpenChannelConnections(id);
    expect(factory.getNumberOfActiveClients()).toBe(0);

    const client = await pending;
    expect(client.isDisposed()).toBe(false);
    await eventually(() => server.connections.length === 2 && server.connections[0]!.closed, 'the first connection closed, a second opened');
  });

  it('connects over TLS with config.sslEnabled (client certificate, CA-only verification)', async () => {
    const certificate = new SelfSignedCertificate();
    const tlsServer = new TestServer({ tls: { key: certificate.key, cert: certificate.cert, ca: certificate.cert, requestCert: true, rejectUnauthorized: true } });
    const tlsPort = await tlsServer.start(group);
    const tlsClient = new NettyClient(
      new NettyConfig({ sslEnabled: true, sslKey: certificate.key, sslCert: certificate.cert, sslCa: certificate.cert }),
      group,
    );
    tlsClient.init(() => [new TestEncoder(), new CreditBasedPartitionRequestClientHandler()]);
    try {
      const factory = new PartitionRequestClientFactory(tlsClient);
      const client = await factory.createPartitionRequestClient(new ConnectionID('127.0.0.1', tlsPort, 0));
      client.close(fakeChannel());
      await eventually(() => tlsServer.connections[0]?.closed === true, 'the TLS connection to close');
      expect(tlsServer.connections[0]!.ids).toEqual([MessageId.CLOSE_REQUEST]);
    } finally {
      await tlsClient.shutdown();
      await tlsServer.stop();
    }
  });

  it('fails the registered channels when the server closes the connection', async () => {
    const factory = new PartitionRequestClientFactory(nettyClient);
    const client = await factory.createPartitionRequestClient(new ConnectionID('127.0.0.1', port, 0));
    const handler = client.getChannel().pipeline().get(CreditBasedPartitionRequestClientHandler)!;
    const errors: unknown[] = [];
    const id = InputChannelID.random();
    const input = { getInputChannelId: () => id, isReleased: () => false, onError: (e: unknown) => errors.push(e) } as unknown as RemoteInputChannel;
    handler.addInputChannel(input);

    await eventually(() => server.connections.length === 1, 'the connection');
    await server.closeConnections();

    await eventually(() => errors.length > 0, 'the channel to fail');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RemoteTransportException);
    expect((errors[0] as Error).message).toBe(
      `Connection unexpectedly closed by remote task manager '127.0.0.1:${port}'. This might indicate that the remote task manager was lost.`,
    );
    expect(client.validateClientAndIncrementReferenceCounter()).toBe(false);
  });
});
