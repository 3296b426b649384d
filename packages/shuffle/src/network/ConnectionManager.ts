import type { ConnectionID } from './ConnectionID';
import type { PartitionRequestClient } from './PartitionRequestClient';

/**
 * Port of org.apache.flink.runtime.io.network.ConnectionManager (Flink 1.20). Differs: asynchronous
 * `start`/`shutdown`/`createPartitionRequestClient` (Node cannot block).
 *
 * Owns this process's network connections: the server that producers' data leaves through, and the
 * clients that remote input channels read through (one per {@link ConnectionID}).
 */
export interface ConnectionManager {
  /** Starts the server; resolves with its data port (-1 if there is none). */
  start(): Promise<number>;
  /** The shared client for `connectionId`, connecting first if needed. */
  createPartitionRequestClient(connectionId: ConnectionID): Promise<PartitionRequestClient>;
  /** Closes the connection of `connectionId` if no channel uses it (a channel never got to request). */
  closeOpenChannelConnections(connectionId: ConnectionID): void;
  /** Open client connections. */
  getNumberOfActiveConnections(): number;
  /** Closes the server and every connection. */
  shutdown(): Promise<void>;
}
