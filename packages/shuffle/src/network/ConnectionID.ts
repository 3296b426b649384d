import { IllegalArgumentException } from '@sluice/channel';

/**
 * Port of org.apache.flink.runtime.io.network.ConnectionID (Flink 1.20). Differs: the address is a host
 * and a port instead of an InetSocketAddress; the producer's ResourceID is an optional text.
 *
 * Identifies one TCP connection to a producer process: its data address plus a connection index. All
 * remote input channels of this process that read from the same ConnectionID share one connection
 * (PartitionRequestClientFactory); the index lets a job spread its channels over several connections
 * (`taskmanager.network.max-num-tcp-connections`).
 *
 * Immutable; {@link key} is the identity used in maps.
 */
export class ConnectionID {
  readonly host: string;
  readonly port: number;
  readonly connectionIndex: number;
  /** The producer process (Flink's ResourceID), for messages only. */
  readonly resourceId: string | null;

  constructor(host: string, port: number, connectionIndex: number, resourceId: string | null = null) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new IllegalArgumentException(`port: ${port} (expected: an integer in [0, 65535])`);
    }
    if (!Number.isInteger(connectionIndex) || connectionIndex < 0) {
      throw new IllegalArgumentException(`connectionIndex: ${connectionIndex} (expected: an integer >= 0)`);
    }
    this.host = host;
    this.port = port;
    this.connectionIndex = connectionIndex;
    this.resourceId = resourceId;
  }

  /** `host:port`. */
  getAddress(): string {
    return `${this.host}:${this.port}`;
  }

  /** The same address with `connectionIndex % maxNumberOfConnections` (Flink folds the index so). */
  withFoldedIndex(maxNumberOfConnections: number): ConnectionID {
    const index = this.connectionIndex % maxNumberOfConnections;
    return index === this.connectionIndex ? this : new ConnectionID(this.host, this.port, index, this.resourceId);
  }

  /** Map key: address and connection index. */
  key(): string {
    return `${this.host}:${this.port}#${this.connectionIndex}`;
  }

  equals(other: unknown): boolean {
    return other instanceof ConnectionID && other.key() === this.key();
  }

  toString(): string {
    return `${this.resourceId !== null ? `${this.resourceId} ` : ''}(${this.host}:${this.port}) [${this.connectionIndex}]`;
  }
}
