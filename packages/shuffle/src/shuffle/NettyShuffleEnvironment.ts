import { IllegalArgumentException, IllegalStateException, InternalLoggerFactory, type EventLoop } from '@sluice/channel';
import type { InputChannel } from '../consumer/InputChannel';
import { LocalInputChannel } from '../consumer/LocalInputChannel';
import { RemoteInputChannel } from '../consumer/RemoteInputChannel';
import { SingleInputGate } from '../consumer/SingleInputGate';
import type { ShuffleConfig } from '../di/ShuffleConfig';
import type { NetworkBufferPool } from '../memory/NetworkBufferPool';
import { InputChannelMetrics } from '../metrics/InputChannelMetrics';
import type { NettyConfig } from '../netty/NettyConfig';
import type { ConnectionManager } from '../network/ConnectionManager';
import type { TaskEventDispatcher } from '../network/TaskEventDispatcher';
import type { PipelinedResultPartition } from '../partition/PipelinedResultPartition';
import type { ResultPartitionFactory } from '../partition/ResultPartitionFactory';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import type { ResultPartitionManager } from '../partition/ResultPartitionManager';
import { NettyShuffleDescriptor } from './NettyShuffleDescriptor';
import type {
  InputGateDeploymentDescriptor,
  ResultPartitionDeploymentDescriptor,
  ShuffleEnvironment,
  ShuffleIOOwnerContext,
} from './ShuffleEnvironment';

const logger = InternalLoggerFactory.getInstance('NettyShuffleEnvironment');

/** The parts a {@link NettyShuffleEnvironment} is made of (bound by `networkModule` + `shuffleModule`). */
export interface NettyShuffleEnvironmentParts {
  /** This process's id (Flink's ResourceID): decides local versus remote channels. */
  readonly resourceId: string;
  readonly config: ShuffleConfig;
  readonly nettyConfig: NettyConfig;
  readonly networkBufferPool: NetworkBufferPool;
  readonly connectionManager: ConnectionManager;
  readonly resultPartitionManager: ResultPartitionManager;
  readonly taskEventDispatcher: TaskEventDispatcher;
  readonly resultPartitionFactory: ResultPartitionFactory;
  /** Runs the gates' partition-request retries. */
  readonly eventLoop: EventLoop;
}

/**
 * Port of org.apache.flink.runtime.io.network.NettyShuffleEnvironment (Flink 1.20) with its
 * SingleInputGateFactory's channel choice. Differs: no metrics registration here (the task passes its
 * InputChannelMetrics), no partition-info updates, asynchronous `start`/`close`.
 *
 * The default shuffle service of a process: the network buffer pool, the result partition manager, and
 * the connection manager (server + clients). {@link createResultPartitionWriters} makes pipelined
 * partitions registered for consumers; {@link createInputGates} makes gates whose channel for each
 * consumed partition is a LocalInputChannel when the producer runs in this process
 * (`descriptor.isLocalTo(resourceId)`) and a RemoteInputChannel over the shared connection to the
 * producer's address otherwise.
 *
 * Life cycle: `start()` (binds the data port) → create writers and gates; each task calls
 * `partition.setup()`, `await gate.setup()`, `gate.requestPartitions()` → … → `close()`, which shuts the
 * connections and releases every partition.
 */
export class NettyShuffleEnvironment implements ShuffleEnvironment<PipelinedResultPartition, SingleInputGate, NettyShuffleDescriptor> {
  private readonly parts: NettyShuffleEnvironmentParts;
  private started = false;
  private closed = false;

  constructor(parts: NettyShuffleEnvironmentParts) {
    this.parts = parts;
  }

  getResourceId(): string {
    return this.parts.resourceId;
  }

  getNetworkBufferPool(): NetworkBufferPool {
    return this.parts.networkBufferPool;
  }

  getResultPartitionManager(): ResultPartitionManager {
    return this.parts.resultPartitionManager;
  }

  getConnectionManager(): ConnectionManager {
    return this.parts.connectionManager;
  }

  getTaskEventDispatcher(): TaskEventDispatcher {
    return this.parts.taskEventDispatcher;
  }

  getConfig(): ShuffleConfig {
    return this.parts.config;
  }

  getNettyConfig(): NettyConfig {
    return this.parts.nettyConfig;
  }

  async start(): Promise<number> {
    if (this.closed) throw new IllegalStateException('The shuffle environment is closed.');
    if (this.started) throw new IllegalStateException('The shuffle environment was already started.');
    this.started = true;
    const port = await this.parts.connectionManager.start();
    logger.debug(`Shuffle environment of ${this.parts.resourceId} started, data port ${port}.`);
    return port;
  }

  createResultPartitionWriters(
    owner: ShuffleIOOwnerContext,
    descriptors: readonly ResultPartitionDeploymentDescriptor<NettyShuffleDescriptor>[],
  ): PipelinedResultPartition[] {
    this.checkOpen();
    return descriptors.map((d, index) => {
      if (!(d.shuffleDescriptor instanceof NettyShuffleDescriptor)) {
        throw new IllegalArgumentException(`descriptors[${index}].shuffleDescriptor: expected a NettyShuffleDescriptor, got ${String(d.shuffleDescriptor)}`);
      }
      if (!d.shuffleDescriptor.isLocalTo(this.parts.resourceId)) {
        throw new IllegalArgumentException(
          `descriptors[${index}]: ${d.shuffleDescriptor.toString()} is produced by ${d.shuffleDescriptor.producerLocation}, not by this process (${this.parts.resourceId})`,
        );
      }
      const partition = this.parts.resultPartitionFactory.create({
        numberOfSubpartitions: d.numberOfSubpartitions,
        partitionId: d.shuffleDescriptor.getResultPartitionID(),
        partitionIndex: index,
        owningTaskName: owner.ownerName,
        ...(d.partitionType !== undefined ? { partitionType: d.partitionType } : {}),
      });
      if (owner.ioMetrics !== undefined) partition.setMetricGroup(owner.ioMetrics);
      return partition;
    });
  }

  createInputGates(owner: ShuffleIOOwnerContext, descriptors: readonly InputGateDeploymentDescriptor<NettyShuffleDescriptor>[]): SingleInputGate[] {
    this.checkOpen();
    const io = owner.ioMetrics;
    const channelMetrics = owner.inputChannelMetrics ?? (io !== undefined ? new InputChannelMetrics() : undefined);
    if (io !== undefined && channelMetrics !== undefined) {
      io.reuseBytesInputCounter(channelMetrics.numBytesInLocal);
      io.reuseBytesInputCounter(channelMetrics.numBytesInRemote);
    }
    return descriptors.map((d, gateIndex) => this.createInputGate(owner, channelMetrics, d, gateIndex));
  }

  private createInputGate(
    owner: ShuffleIOOwnerContext,
    metrics: InputChannelMetrics | undefined,
    d: InputGateDeploymentDescriptor<NettyShuffleDescriptor>,
    gateIndex: number,
  ): SingleInputGate {
    const { config, nettyConfig, networkBufferPool, connectionManager, resultPartitionManager, eventLoop, resourceId } = this.parts;
    if (d.shuffleDescriptors.length === 0) {
      throw new IllegalArgumentException(`input gate ${gateIndex} of ${owner.ownerName}: no shuffle descriptors (expected at least one consumed partition)`);
    }
    const range = typeof d.consumedSubpartitionIndex === 'number' ? { start: d.consumedSubpartitionIndex, end: d.consumedSubpartitionIndex } : d.consumedSubpartitionIndex;
    if (!Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end) || range.start < 0 || range.end < range.start) {
      throw new IllegalArgumentException(
        `input gate ${gateIndex} of ${owner.ownerName}: consumedSubpartitionIndex ${JSON.stringify(d.consumedSubpartitionIndex)} (expected: an index >= 0 or a range with 0 <= start <= end)`,
      );
    }
    const perPartition = range.end - range.start + 1;
    const gate = new SingleInputGate({
      numberOfInputChannels: d.shuffleDescriptors.length * perPartition,
      gateIndex,
      owningTaskName: owner.ownerName,
      ...config.inputGateOptions(networkBufferPool, eventLoop),
    });
    const base = config.inputChannelOptions();
    const channels: InputChannel[] = [];
    for (const sd of d.shuffleDescriptors) {
      const partitionId = sd.getResultPartitionID();
      const local = sd.isLocalTo(resourceId);
      const connectionId = local ? null : sd.getConnectionId();
      for (let subpartition = range.start; subpartition <= range.end; subpartition++) {
        const i = channels.length;
        channels.push(
          connectionId === null
            ? new LocalInputChannel(gate, i, partitionId, subpartition, resultPartitionManager, { ...base, ...(metrics?.localOptions() ?? {}) })
            : new RemoteInputChannel(gate, i, partitionId, subpartition, connectionId, connectionManager, {
                ...base,
                ...(metrics?.remoteOptions() ?? {}),
                networkBuffersPerChannel: config.buffersPerChannel,
                partitionRequestListenerTimeoutMs: config.partitionRequestListenerTimeoutMs,
                creditBased: nettyConfig.isCreditBased(),
              }),
        );
      }
    }
    gate.setInputChannels(...channels);
    return gate;
  }

  getPartitionsOccupyingLocalResources(): ResultPartitionID[] {
    return this.parts.resultPartitionManager.getUnreleasedPartitions();
  }

  /**
   * Flink's order: connections first (no more requests arrive), then every partition, then the pools.
   * Buffers still held by a gate that was not closed make the pool's destroy throw (SegmentsInUseException).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.parts.connectionManager.shutdown();
    } finally {
      this.parts.resultPartitionManager.shutdown();
      this.parts.taskEventDispatcher.clearAll();
    }
  }

  isClosed(): boolean {
    return this.closed;
  }

  private checkOpen(): void {
    if (this.closed) throw new IllegalStateException('The shuffle environment is closed.');
  }

  toString(): string {
    return `NettyShuffleEnvironment{${this.parts.resourceId}, ${this.parts.nettyConfig.toString()}}`;
  }
}
