import { ConnectionID } from '../network/ConnectionID';

/**
 * Port of org.apache.flink.runtime.shuffle.NettyShuffleDescriptor.NetworkPartitionConnectionInfo (Flink 1.20).
 * Differs: host and port instead of an InetSocketAddress.
 *
 * Where a consumer in another process connects to read a partition: the producer's data address and the
 * connection index (channels with the same address and folded index share one TCP connection).
 */
export class NetworkPartitionConnectionInfo {
  readonly kind = 'network' as const;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly connectionIndex: number,
  ) {}

  /** The connection for a producer in process `resourceId`. */
  getConnectionId(resourceId: string | null): ConnectionID {
    return new ConnectionID(this.host, this.port, this.connectionIndex, resourceId);
  }

  toString(): string {
    return `${this.host}:${this.port}[${this.connectionIndex}]`;
  }
}

/**
 * Port of org.apache.flink.runtime.shuffle.NettyShuffleDescriptor.LocalExecutionPartitionConnectionInfo
 * (Flink 1.20): producer and consumers always run in one process (local execution); no network address.
 */
export class LocalExecutionPartitionConnectionInfo {
  readonly kind = 'local' as const;
  static readonly INSTANCE = new LocalExecutionPartitionConnectionInfo();

  private constructor() {}

  toString(): string {
    return 'local';
  }
}

export type PartitionConnectionInfo = NetworkPartitionConnectionInfo | LocalExecutionPartitionConnectionInfo;
