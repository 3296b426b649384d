import {
  Bootstrap,
  ChannelInitializer,
  ChannelOption,
  DefaultEventLoopGroup,
  IllegalStateException,
  InternalLoggerFactory,
  TcpSocketChannel,
  type Channel,
  type ChannelHandler,
  type EventLoopGroup,
} from '@sluice/channel';
import type { ConnectionOptions } from 'node:tls';
import { RemoteTransportException } from './errors';
import type { NettyConfig } from './NettyConfig';

const logger = InternalLoggerFactory.getInstance('NettyClient');

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyClient (Flink 1.20). Differs: one event-loop
 * group, by default a {@link DefaultEventLoopGroup} of one loop owned by the client (every loop runs on
 * the same JavaScript thread); TLS is the TCP channel's `tls` option (`node:tls`) rather than an
 * SslHandler; `connect` resolves with the channel or rejects with a RemoteTransportException.
 *
 * Opens the data connections of this process to producers: each `connect` creates a
 * {@link TcpSocketChannel} with TCP_NODELAY and SO_KEEPALIVE, the connect timeout of
 * `config.clientConnectTimeoutSeconds`, and the pipeline that `init`'s factory returns (NettyProtocol's
 * client handlers). With `config.sslEnabled` the connection is TLS with `config.sslKey`/`sslCert` as the
 * client's identity and `config.sslCa` as the trust anchor; like Flink's internal SSL, the peer is
 * authenticated by the CA only, not by host name.
 *
 * ## Threading
 * Call from anywhere; connects run on the group's loops.
 *
 * @example
 * const client = new NettyClient(new NettyConfig());
 * client.init(() => protocol.getClientChannelHandlers());
 * const channel = await client.connect('127.0.0.1', 36217);
 */
export class NettyClient {
  private readonly config: NettyConfig;
  private readonly group: EventLoopGroup;
  private readonly ownsGroup: boolean;
  private bootstrap: Bootstrap | null = null;
  private readonly openChannels = new Set<Channel>();
  private shutDown = false;

  /**
   * @param config connect timeout and TLS settings
   * @param group the loops to run connections on (default: a new one-loop group, shut down by {@link shutdown})
   */
  constructor(config: NettyConfig, group?: EventLoopGroup) {
    this.config = config;
    this.ownsGroup = group === undefined;
    this.group = group ?? new DefaultEventLoopGroup(1);
  }

  /** Sets up the bootstrap; `channelHandlers` is called once per connection for its pipeline, in order. */
  init(channelHandlers: () => ChannelHandler[]): void {
    if (this.bootstrap !== null) throw new IllegalStateException('NettyClient: init() was called already');
    const tlsOptions = this.tlsOptions();
    this.bootstrap = new Bootstrap()
      .group(this.group)
      .channelFactory(() => new TcpSocketChannel(tlsOptions === undefined ? {} : { tls: tlsOptions }))
      .option(ChannelOption.TCP_NODELAY, true)
      .option(ChannelOption.SO_KEEPALIVE, true)
      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, this.config.clientConnectTimeoutSeconds * 1000)
      .handler(
        new (class extends ChannelInitializer {
          protected initChannel(ch: Channel): void {
            ch.pipeline().addLastHandlers(...channelHandlers());
          }
        })(),
      );
    logger.debug(`Successful initialization. Configuration: ${this.config.toString()}`);
  }

  /**
   * Connects to `host:port`; resolves with the active channel. Rejects with a RemoteTransportException
   * (the producer may be gone) whose cause is the connect error.
   */
  async connect(host: string, port: number): Promise<Channel> {
    const bootstrap = this.bootstrap;
    if (bootstrap === null) throw new IllegalStateException('NettyClient: connect() before init()');
    if (this.shutDown) throw new IllegalStateException('NettyClient: connect() after shutdown()');
    const address = `${host}:${port}`;
    const future = bootstrap.connect(host, port);
    const channel = future.channel();
    try {
      await future;
    } catch (err) {
      throw new RemoteTransportException(
        `Connecting to remote task manager '${address}' has failed. This might indicate that the remote task manager has been lost.`,
        address,
        { cause: err },
      );
    }
    if (this.shutDown) {
      channel.close();
      throw new IllegalStateException(`NettyClient: shut down while connecting to '${address}'`);
    }
    this.openChannels.add(channel);
    channel.closeFuture().addListener(() => this.openChannels.delete(channel));
    return channel;
  }

  /** Open connections. */
  getNumberOfOpenChannels(): number {
    return this.openChannels.size;
  }

  /** Closes every connection; shuts the group down if the client created it. */
  async shutdown(): Promise<void> {
    if (this.shutDown) return;
    this.shutDown = true;
    const closing = [...this.openChannels].map((channel) => channel.close().awaitDone());
    await Promise.all(closing);
    if (this.ownsGroup) await this.group.shutdownGracefully(0, 1000).awaitDone();
  }

  private tlsOptions(): ConnectionOptions | undefined {
    if (!this.config.sslEnabled) return undefined;
    return {
      key: this.config.sslKey,
      cert: this.config.sslCert,
      ...(this.config.sslCa !== undefined ? { ca: this.config.sslCa } : {}),
      // Flink's internal SSL trusts the configured CA and does not verify host names.
      checkServerIdentity: () => undefined,
    };
  }
}
