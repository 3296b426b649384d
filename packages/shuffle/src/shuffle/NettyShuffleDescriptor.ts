import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';
import type { ConnectionID } from '../network/ConnectionID';
import { ResultPartitionID } from '../partition/ResultPartitionID';
import {
  LocalExecutionPartitionConnectionInfo,
  NetworkPartitionConnectionInfo,
  type PartitionConnectionInfo,
} from './PartitionConnectionInfo';
import type { ShuffleDescriptor } from './ShuffleDescriptor';

/** The JSON form of a {@link NettyShuffleDescriptor} (shipped between processes). */
export interface NettyShuffleDescriptorJSON {
  readonly producerLocation: string;
  readonly resultPartitionId: string;
  readonly connection: { readonly host: string; readonly port: number; readonly connectionIndex: number } | 'local';
}

/**
 * Port of org.apache.flink.runtime.shuffle.NettyShuffleDescriptor (Flink 1.20). Differs: JSON instead of
 * Java serialization ({@link toJSON}/{@link fromJSON}, the partition id as its 60 wire bytes in hex); no
 * tier descriptors (no hybrid shuffle).
 *
 * The default shuffle's descriptor: which process produces the partition ({@link producerLocation}, a
 * ResourceID) and how to reach it. A consumer in the same process reads through a LocalInputChannel
 * ({@link isLocalTo}); any other consumer connects to the address with a RemoteInputChannel.
 */
export class NettyShuffleDescriptor implements ShuffleDescriptor {
  constructor(
    /** The producing process (Flink's ResourceID of the TaskExecutor). */
    readonly producerLocation: string,
    readonly connectionInfo: PartitionConnectionInfo,
    readonly resultPartitionId: ResultPartitionID,
  ) {}

  getResultPartitionID(): ResultPartitionID {
    return this.resultPartitionId;
  }

  isUnknown(): boolean {
    return false;
  }

  storesLocalResourcesOn(): string | null {
    return this.producerLocation;
  }

  /** True if a consumer in process `consumerLocation` reads this partition locally. */
  isLocalTo(consumerLocation: string): boolean {
    return this.producerLocation === consumerLocation;
  }

  /** True for local execution (no network address). */
  isLocalOnly(): boolean {
    return this.connectionInfo.kind === 'local';
  }

  /** The connection a remote consumer uses. Throws for local-only descriptors. */
  getConnectionId(): ConnectionID {
    if (this.connectionInfo.kind !== 'network') {
      throw new IllegalStateException(`${this.toString()} has no network address (local execution only)`);
    }
    return this.connectionInfo.getConnectionId(this.producerLocation);
  }

  toJSON(): NettyShuffleDescriptorJSON {
    const info = this.connectionInfo;
    return {
      producerLocation: this.producerLocation,
      resultPartitionId: this.resultPartitionId.toHex(),
      connection: info.kind === 'local' ? 'local' : { host: info.host, port: info.port, connectionIndex: info.connectionIndex },
    };
  }

  /** Parses {@link toJSON}'s output (also after `JSON.parse`). */
  static fromJSON(json: NettyShuffleDescriptorJSON): NettyShuffleDescriptor {
    if (typeof json !== 'object' || json === null || typeof json.producerLocation !== 'string' || typeof json.resultPartitionId !== 'string') {
      throw new IllegalArgumentException(`not a NettyShuffleDescriptor JSON: ${JSON.stringify(json)}`);
    }
    const c = json.connection;
    const info: PartitionConnectionInfo =
      c === 'local' ? LocalExecutionPartitionConnectionInfo.INSTANCE : new NetworkPartitionConnectionInfo(c.host, c.port, c.connectionIndex);
    return new NettyShuffleDescriptor(json.producerLocation, info, ResultPartitionID.fromHex(json.resultPartitionId));
  }

  toString(): string {
    return `NettyShuffleDescriptor{${this.resultPartitionId.toString()} at ${this.producerLocation} (${this.connectionInfo.toString()})}`;
  }
}
