import type * as tls from 'node:tls';
import {
  ChannelInitializer,
  ChannelOption,
  DefaultEventLoopGroup,
  IllegalStateException,
  InetSocketAddress,
  InternalLoggerFactory,
  ServerBootstrap,
  TcpServerSocketChannel,
  WriteBufferWaterMark,
  type Channel,
  type ChannelHandler,
  type EventLoopGroup,
} from '@sluice/channel';
import type { NettyConfig } from './NettyConfig';

const logger = InternalLoggerFactory.getInstance('NettyServer');

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyServer (Flink 1.20). Differs: one event loop
 * group (Node accepts by itself; Flink's boss/worker split has no use) — the caller's, or a
 * `DefaultEventLoopGroup(1)` the server owns and shuts down; TLS is the TCP transport's `tls` option
 * (Node's TLS with mutual authentication when a CA is configured) rather than an SslHandler; accepted
 * connections are closed on {@link shutdown}.
 *
 * The data server of a process: accepts the connections of remote consumers and gives each the server
 * pipeline (`channelHandlers()`, from NettyProtocol). Child channels use TCP_NODELAY and write-buffer
 * water marks low = `segmentSize + 1`, high = `2 × segmentSize` (reference §2.1): one buffer in the
 * outbound buffer keeps a connection writable, a second one makes it unwritable, so the
 * PartitionRequestQueue never queues more than about one buffer per connection in user space.
 *
 * ## Threading
 * `init` and `shutdown` from anywhere (one JavaScript thread); connections live on the group's loops.
 *
 * @example
 * const server = new NettyServer(new NettyConfig({ serverPort: 0 }));
 * const port = await server.init(() => protocol.getServerChannelHandlers());
 * // ...
 * await server.shutdown();
 */
export class NettyServer {
  private readonly group: EventLoopGroup;
  private readonly ownsGroup: boolean;
  private serverChannel: Channel | null = null;
  private localAddress: { host: string; port: number } | null = null;
  private readonly children = new Set<Channel>();
  private isShutdown = false;

  constructor(
    private readonly config: NettyConfig,
    group?: EventLoopGroup,
  ) {
    this.ownsGroup = group === undefined;
    this.group = group ?? new DefaultEventLoopGroup(1);
  }

  /**
   * Binds `config.serverAddress:config.serverPort` (port 0: any free port) and resolves the bound port.
   * `channelHandlers` is called once per accepted connection for its pipeline (in order).
   */
  async init(channelHandlers: () => ChannelHandler[]): Promise<number> {
    if (this.isShutdown) throw new IllegalStateException('NettyServer has been shut down.');
    if (this.serverChannel !== null) throw new IllegalStateException('NettyServer has already been initialized.');
    const segmentSize = this.config.segmentSize;
    const tlsOptions = this.tlsOptions();
    const children = this.children;
    const bootstrap = new ServerBootstrap()
      .group(this.group)
      .channelFactory(() => new TcpServerSocketChannel(tlsOptions !== undefined ? { tls: tlsOptions } : {}))
      .childOption(ChannelOption.TCP_NODELAY, true)
      // Reference §2.1: low = segmentSize + 1, high = 2 × segmentSize.
      .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(segmentSize + 1, 2 * segmentSize))
      .childHandler(
        new (class extends ChannelInitializer {
          protected initChannel(ch: Channel): void {
            children.add(ch);
            void ch.closeFuture().addListener(() => children.delete(ch));
            for (const handler of channelHandlers()) ch.pipeline().addLast(handler);
          }
        })(),
      );
    const bindFuture = bootstrap.bind(this.config.serverAddress, this.config.serverPort);
    await bindFuture.sync();
    const channel = bindFuture.channel();
    this.serverChannel = channel;
    const address = channel.localAddress();
    if (!(address instanceof InetSocketAddress)) throw new IllegalStateException(`NettyServer bound to an unexpected address: ${String(address)}`);
    this.localAddress = { host: address.host, port: address.port };
    logger.info(`Successful initialization. Listening on ${address.host}:${address.port}${tlsOptions !== undefined ? ' (TLS)' : ''}.`);
    return address.port;
  }

  /** The bound address, or null before {@link init} / after {@link shutdown}. */
  getLocalAddress(): { host: string; port: number } | null {
    return this.localAddress;
  }

  /** Number of accepted connections still open. */
  getNumberOfOpenConnections(): number {
    return this.children.size;
  }

  /** Closes the listening socket and every accepted connection, and shuts the owned group down. Idempotent. */
  async shutdown(): Promise<void> {
    if (this.isShutdown) return;
    this.isShutdown = true;
    const start = Date.now();
    const closing: Promise<unknown>[] = [];
    if (this.serverChannel !== null) closing.push(this.serverChannel.close().awaitDone());
    for (const child of [...this.children]) closing.push(child.close().awaitDone());
    await Promise.all(closing);
    this.serverChannel = null;
    this.localAddress = null;
    if (this.ownsGroup) await this.group.shutdownGracefully(0, 0).awaitDone();
    logger.info(`Successful shutdown (took ${Date.now() - start} ms).`);
  }

  private tlsOptions(): tls.TlsOptions | undefined {
    const config = this.config;
    if (!config.sslEnabled) return undefined;
    // Flink's internal SSL authenticates both sides with the same material: require client certificates
    // signed by the configured CA.
    const mutual = config.sslCa !== undefined;
    return {
      key: config.sslKey,
      cert: config.sslCert,
      ...(mutual ? { ca: config.sslCa, requestCert: true, rejectUnauthorized: true } : {}),
    };
  }
}
