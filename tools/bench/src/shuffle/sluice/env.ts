/**
 * Pieces shared by the Sluice endpoints of the `shuffle` suite: one shuffle environment per
 * process (shuffleModule + networkModule in an inversify container, as an application would build it),
 * partition ids both processes can compute without talking to each other, the descriptors of those
 * partitions, and remote input gates shaped like Flink's StreamNetworkBenchmarkEnvironment.
 *
 * ## Why deterministic partition ids
 * The harness hands the second process nothing but the first one's port. Flink's job master would ship
 * the shuffle descriptors; here both sides derive partition `n`'s ResultPartitionID from `n` alone
 * ({@link partitionIdOf}) and the producer's address from the port, so no descriptor has to travel.
 *
 * ## Pitfalls
 * Import `../shuffle-local/productionLeakDetection` before this module (and before anything that loads
 * `@sluice/channel`): the children measure the leak detector at its production default.
 */
import { Container } from 'inversify';
import {
  NettyShuffleDescriptor,
  NetworkPartitionConnectionInfo,
  RemoteInputChannel,
  ResultPartitionID,
  ShuffleTokens,
  SingleInputGate,
  networkModule,
  shuffleModule,
  type NettyShuffleEnvironment,
  type PipelinedResultPartition,
} from '@sluice/shuffle';
import type { EventLoop } from '@sluice/channel';
import type { Worker } from '../../harness/worker';

/** ResourceID of the producing process (every data partition of the suite lives there). */
export const PRODUCER_RESOURCE_ID = 'bench-producer';
/** ResourceID of the consuming process. */
export const CONSUMER_RESOURCE_ID = 'bench-consumer';

export interface BenchEnv {
  readonly container: Container;
  readonly env: NettyShuffleEnvironment;
  readonly port: number;
  readonly loop: EventLoop;
}

/**
 * Starts a NettyShuffleEnvironment (inversify: shuffleModule + networkModule, server on 127.0.0.1, an
 * ephemeral port) with the benchmark's pool parameters (`segmentSize`, `networkBuffers`,
 * `buffersPerChannel`, `floatingBuffersPerGate`, `maxBuffersPerChannel`) and the given buffer timeout
 * (−1, 0 or N ms: execution.buffer-timeout) and flow-control mode.
 */
export async function startEnv(
  worker: Worker,
  resourceId: string,
  bufferTimeoutMs: number,
  flowControlMode: 'credit' | 'push' = 'credit',
): Promise<BenchEnv> {
  const container = new Container();
  container.loadSync(
    shuffleModule({
      segmentSize: worker.param('segmentSize'),
      numberOfBuffers: worker.param('networkBuffers'),
      buffersPerChannel: worker.param('buffersPerChannel'),
      floatingBuffersPerGate: worker.param('floatingBuffersPerGate'),
      maxBuffersPerChannel: worker.param('maxBuffersPerChannel'),
      bufferTimeoutMs,
    }),
    networkModule({ serverAddress: '127.0.0.1', serverPort: 0, flowControlMode }, { resourceId }),
  );
  const env = container.get<NettyShuffleEnvironment>(ShuffleTokens.ShuffleEnvironment);
  const port = await env.start();
  return { container, env, port, loop: container.get<EventLoop>(ShuffleTokens.EventLoop) };
}

/** Partition `n`'s id, the same in every process: 60 fixed bytes with `n` in the last four. */
export function partitionIdOf(n: number): ResultPartitionID {
  return ResultPartitionID.fromHex('5a'.repeat(56) + (n >>> 0).toString(16).padStart(8, '0'));
}

/**
 * Creates the partition `descriptor` names (`numberOfSubpartitions`, owned by `ownerName`) in this
 * process's environment and sets it up: the producing side of every Sluice endpoint.
 */
export function createPartition(bench: BenchEnv, ownerName: string, descriptor: NettyShuffleDescriptor, numberOfSubpartitions: number): PipelinedResultPartition {
  const [partition] = bench.env.createResultPartitionWriters({ ownerName }, [{ shuffleDescriptor: descriptor, numberOfSubpartitions }]);
  partition!.setup();
  return partition!;
}

/**
 * The one partition `flink-peer.sh consume` requests (FlinkPeer.java, Client): data set (0x0DA7A5E7, 1)
 * number 0, produced by execution graph (0x6EA9, 1), vertex (0x7E27E, 1), subtask 0, attempt 0.
 */
export function flinkPeerConsumerPartitionId(): ResultPartitionID {
  const word = (n: number): string => n.toString(16).padStart(16, '0');
  const int = (n: number): string => n.toString(16).padStart(8, '0');
  return ResultPartitionID.fromHex(word(0x0da7a5e7) + word(1) + int(0) + word(0x6ea9) + word(1) + word(0x7e27e) + word(1) + int(0) + int(0));
}

/** The descriptor of partition `n`, produced by `producerResourceId` with its data port at `host:port`. */
export function descriptorOf(n: number, host: string, port: number, producerResourceId = PRODUCER_RESOURCE_ID, connectionIndex = 0): NettyShuffleDescriptor {
  return new NettyShuffleDescriptor(producerResourceId, new NetworkPartitionConnectionInfo(host, port, connectionIndex), partitionIdOf(n));
}

/**
 * Flink's StreamNetworkBenchmarkEnvironment receiver, one gate: gate `gateIndex` reads partition `n`
 * with `channels` RemoteInputChannels, channel c consuming subpartition c (Flink's
 * TestRemoteInputChannel uses the channel index as subpartition), each with connection index c — folded
 * onto the one TCP connection by max-num-tcp-connections = 1, as in Flink 1.20. Built directly because
 * an InputGateDeploymentDescriptor consumes one subpartition index of several partitions, the transposed
 * shape.
 */
export function createRemoteGate(bench: BenchEnv, n: number, gateIndex: number, channels: number, host: string, port: number, owner: string): SingleInputGate {
  const { env } = bench;
  const config = env.getConfig();
  const pool = env.getNetworkBufferPool();
  const gate = new SingleInputGate({
    numberOfInputChannels: channels,
    bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(pool, Math.max(1, config.floatingBuffersPerGate)),
    gateIndex,
    owningTaskName: owner,
    memorySegmentProvider: pool,
    executor: bench.loop,
  });
  const partitionId = partitionIdOf(n);
  const options = {
    ...config.inputChannelOptions(),
    networkBuffersPerChannel: config.buffersPerChannel,
    partitionRequestListenerTimeoutMs: config.partitionRequestListenerTimeoutMs,
    creditBased: env.getNettyConfig().isCreditBased(),
  };
  const inputs: RemoteInputChannel[] = [];
  for (let c = 0; c < channels; c++) {
    const connectionId = descriptorOf(n, host, port, PRODUCER_RESOURCE_ID, c).getConnectionId();
    inputs.push(new RemoteInputChannel(gate, c, partitionId, c, connectionId, env.getConnectionManager(), options));
  }
  gate.setInputChannels(...inputs);
  return gate;
}

