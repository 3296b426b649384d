import { DefaultEventLoopGroup, IllegalStateException, type EventLoopGroup } from '@sluice/channel';
import type { ConnectionID } from '../network/ConnectionID';
import type { ConnectionManager } from '../network/ConnectionManager';
import type { PartitionRequestClient } from '../network/PartitionRequestClient';
import type { TaskEventPublisher } from '../network/TaskEventPublisher';
import type { ResultPartitionProvider } from '../partition/ResultPartitionProvider';
import type { NettyConfig } from './NettyConfig';
import { NettyClient } from './NettyClient';
import { NettyProtocol } from './NettyProtocol';
import { NettyServer } from './NettyServer';
import { PartitionRequestClientFactory } from './PartitionRequestClientFactory';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyConnectionManager (Flink 1.20). Differs: server
 * and client share one event-loop group (default: one loop, as every loop is the same JavaScript thread);
 * start/shutdown are asynchronous.
 *
 * The default {@link ConnectionManager}: a {@link NettyServer} serving this process's partitions to remote
 * consumers, and a {@link PartitionRequestClientFactory} giving this process's remote input channels one
 * shared connection per producer address and connection index.
 */
export class NettyConnectionManager implements ConnectionManager {
  private readonly config: NettyConfig;
  private readonly protocol: NettyProtocol;
  private readonly givenGroup: EventLoopGroup | undefined;
  private group: EventLoopGroup | null = null;
  private server: NettyServer | null = null;
  private client: NettyClient | null = null;
  private factory: PartitionRequestClientFactory | null = null;
  private shutDown = false;

  constructor(partitionProvider: ResultPartitionProvider, taskEventPublisher: TaskEventPublisher | null, config: NettyConfig, group?: EventLoopGroup) {
    this.config = config;
    this.protocol = new NettyProtocol(partitionProvider, taskEventPublisher, config.isCreditBased(), config.maxFrameLength);
    this.givenGroup = group;
  }

  async start(): Promise<number> {
    if (this.shutDown) throw new IllegalStateException('The connection manager was shut down.');
    if (this.server !== null) throw new IllegalStateException('The connection manager was already started.');
    const group = this.givenGroup ?? (this.group = new DefaultEventLoopGroup(1));
    this.client = new NettyClient(this.config, group);
    this.client.init(() => this.protocol.getClientChannelHandlers());
    this.factory = new PartitionRequestClientFactory(this.client, this.config.connectionRetries, this.config.maxNumberOfConnections);
    this.server = new NettyServer(this.config, group);
    return this.server.init(() => this.protocol.getServerChannelHandlers());
  }

  createPartitionRequestClient(connectionId: ConnectionID): Promise<PartitionRequestClient> {
    if (this.factory === null) {
      return Promise.reject(new IllegalStateException(`The connection manager is ${this.shutDown ? 'shut down' : 'not started'}: cannot connect to ${connectionId.toString()}.`));
    }
    return this.factory.createPartitionRequestClient(connectionId);
  }

  closeOpenChannelConnections(connectionId: ConnectionID): void {
    this.factory?.closeOpenChannelConnections(connectionId);
  }

  getNumberOfActiveConnections(): number {
    return this.factory?.getNumberOfActiveClients() ?? 0;
  }

  /** The server's bound port (-1 before start). */
  getDataPort(): number {
    return this.server?.getLocalAddress()?.port ?? -1;
  }

  async shutdown(): Promise<void> {
    if (this.shutDown) return;
    this.shutDown = true;
    try {
      await this.client?.shutdown();
    } finally {
      try {
        await this.server?.shutdown();
      } finally {
        if (this.group !== null) await this.group.shutdownGracefully(0, 1000);
      }
    }
  }
}
