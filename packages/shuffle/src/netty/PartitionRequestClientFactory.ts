import { IllegalStateException, InternalLoggerFactory, type Channel } from '@sluice/channel';
import type { ConnectionID } from '../network/ConnectionID';
import { AbstractPartitionRequestClientHandler } from './CreditBasedPartitionRequestClientHandler';
import { RemoteTransportException } from './errors';
import type { NettyClient } from './NettyClient';
import { NettyPartitionRequestClient } from './NettyPartitionRequestClient';
import type { NetworkClientHandler } from './NetworkClientHandler';

const logger = InternalLoggerFactory.getInstance('PartitionRequestClientFactory');

/** One connection (being set up or set up) in the factory's map. */
interface ClientEntry {
  readonly connectionId: ConnectionID;
  /** Resolves with the client once connected; rejects (and the entry is removed) if connecting failed. */
  readonly promise: Promise<NettyPartitionRequestClient>;
  client: NettyPartitionRequestClient | null;
  /** closeOpenChannelConnections ran while connecting: dispose the client when it arrives, if unused. */
  disposeWhenConnected: boolean;
}

/**
 * Port of org.apache.flink.runtime.io.network.netty.PartitionRequestClientFactory (Flink 1.20). Differs:
 * Flink's map of CompletableFutures is a map of promises (callers await instead of blocking); no
 * connection reuse across jobs; `closeOpenChannelConnections` also disposes an established client that
 * nobody holds (Flink 1.4's `disposeIfNotUsed`).
 *
 * Gives every remote input channel of this process the {@link NettyPartitionRequestClient} of its
 * {@link ConnectionID}, folded to `connectionIndex % maxNumberOfConnections` — by default one TCP
 * connection per producer address, shared by all channels (reference §3.2):
 * - The first caller for an id connects (`connectWithRetries`: up to `connectionRetries` more attempts
 *   after a failed one); callers arriving meanwhile await the same promise, so concurrent requests open
 *   one connection.
 * - A failed connect rejects every waiting caller with the RemoteTransportException and forgets the id;
 *   the next request tries again. (RemoteInputChannel wraps it as a PartitionConnectionException.)
 * - Each handed-out client counts one more holder; a disposed client (its last holder closed it, or its
 *   connection failed) is never handed out: it is forgotten and the loop connects anew.
 *
 * ## Threading
 * Called from the task side; one JavaScript thread, so the map needs no lock.
 *
 * @example
 * const factory = new PartitionRequestClientFactory(nettyClient, config.connectionRetries, config.maxNumberOfConnections);
 * const client = await factory.createPartitionRequestClient(new ConnectionID('10.0.0.7', 36217, 0));
 */
export class PartitionRequestClientFactory {
  private readonly nettyClient: NettyClient;
  private readonly connectionRetries: number;
  private readonly maxNumberOfConnections: number;
  private readonly clientHandlerOf: (channel: Channel) => NetworkClientHandler;
  /** Connections by folded `ConnectionID.key()`. */
  private readonly clients = new Map<string, ClientEntry>();

  /**
   * @param nettyClient opens the connections (initialised with the client pipeline)
   * @param connectionRetries extra connect attempts after a failure (default 0, `taskmanager.network.retries`)
   * @param maxNumberOfConnections connections per producer address (default 1, `taskmanager.network.max-num-tcp-connections`)
   * @param clientHandlerOf finds the connection's NetworkClientHandler (default: the client handler in the pipeline)
   */
  constructor(
    nettyClient: NettyClient,
    connectionRetries = 0,
    maxNumberOfConnections = 1,
    clientHandlerOf: (channel: Channel) => NetworkClientHandler = findClientHandler,
  ) {
    if (!Number.isInteger(connectionRetries) || connectionRetries < 0) {
      throw new IllegalStateException(`connectionRetries: ${connectionRetries} (expected: an integer >= 0)`);
    }
    if (!Number.isInteger(maxNumberOfConnections) || maxNumberOfConnections < 1) {
      throw new IllegalStateException(`maxNumberOfConnections: ${maxNumberOfConnections} (expected: an integer >= 1)`);
    }
    this.nettyClient = nettyClient;
    this.connectionRetries = connectionRetries;
    this.maxNumberOfConnections = maxNumberOfConnections;
    this.clientHandlerOf = clientHandlerOf;
  }

  /**
   * The shared client for `connectionId` (connecting first if needed), with one more holder counted.
   * Rejects with the RemoteTransportException of the last failed attempt.
   */
  async createPartitionRequestClient(connectionId: ConnectionID): Promise<NettyPartitionRequestClient> {
    const id = connectionId.withFoldedIndex(this.maxNumberOfConnections);
    for (;;) {
      const entry = this.clients.get(id.key()) ?? this.startConnecting(id);
      const client = await entry.promise;
      // Count the holder before handing the client out, so that a concurrent close cannot dispose it.
      if (client.validateClientAndIncrementReferenceCounter()) return client;
      // Disposed (or its connection failed): forget it and connect anew.
      this.destroyPartitionRequestClient(id, client);
      if (client.getReferenceCount() <= 0) client.closeConnection();
    }
  }

  /**
   * A channel was released before it got its client: if the connection for `connectionId` is still being
   * set up, or is set up but held by nobody, it is closed and forgotten.
   */
  closeOpenChannelConnections(connectionId: ConnectionID): void {
    const id = connectionId.withFoldedIndex(this.maxNumberOfConnections);
    const entry = this.clients.get(id.key());
    if (entry === undefined) return;
    if (entry.client === null) {
      entry.disposeWhenConnected = true;
      this.clients.delete(id.key());
    } else if (entry.client.disposeIfNotUsed()) {
      this.destroyPartitionRequestClient(id, entry.client);
    }
  }

  /** Connections being set up or set up. */
  getNumberOfActiveClients(): number {
    return this.clients.size;
  }

  /** Forgets `client` if it is still the one for `connectionId` (called when it is disposed). */
  destroyPartitionRequestClient(connectionId: ConnectionID, client: NettyPartitionRequestClient): void {
    const key = connectionId.withFoldedIndex(this.maxNumberOfConnections).key();
    const entry = this.clients.get(key);
    if (entry !== undefined && entry.client === client) this.clients.delete(key);
  }

  // ---------------------------------------------------------------- connecting

  private startConnecting(id: ConnectionID): ClientEntry {
    const entry: ClientEntry = {
      connectionId: id,
      client: null,
      disposeWhenConnected: false,
      promise: this.connectWithRetries(id).then(
        (client) => {
          entry.client = client;
          // Runs before any waiter continues: nobody holds the client yet.
          if (entry.disposeWhenConnected) client.disposeIfNotUsed();
          return client;
        },
        (err: unknown) => {
          if (this.clients.get(id.key()) === entry) this.clients.delete(id.key());
          throw err;
        },
      ),
    };
    this.clients.set(id.key(), entry);
    return entry;
  }

  private async connectWithRetries(id: ConnectionID): Promise<NettyPartitionRequestClient> {
    for (let tried = 0; ; ) {
      try {
        return await this.connect(id);
      } catch (err) {
        tried++;
        if (!(err instanceof RemoteTransportException) || tried > this.connectionRetries) throw err;
        logger.warn(`Failed ${tried} times to connect to ${id.getAddress()}; retrying.`, err);
      }
    }
  }

  private async connect(id: ConnectionID): Promise<NettyPartitionRequestClient> {
    const channel = await this.nettyClient.connect(id.host, id.port);
    try {
      return new NettyPartitionRequestClient(channel, this.clientHandlerOf(channel), id, this);
    } catch (err) {
      channel.close();
      throw err;
    }
  }
}

/** The NetworkClientHandler in `channel`'s pipeline (NettyProtocol puts it last). */
function findClientHandler(channel: Channel): NetworkClientHandler {
  for (const handler of channel.pipeline().toMap().values()) {
    if (handler instanceof AbstractPartitionRequestClientHandler) return handler;
  }
  throw new IllegalStateException(`No NetworkClientHandler in the pipeline of ${String(channel)}: ${channel.pipeline().names().join(', ')}`);
}
