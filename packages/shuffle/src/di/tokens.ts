import type { EventLoop, ServiceToken } from '@sluice/channel';
import type { Container } from 'inversify';
import type { SingleInputGate } from '../consumer/SingleInputGate';
import type { RecordWriterBuilder } from '../io/writer/RecordWriterBuilder';
import type { NetworkBufferPool } from '../memory/NetworkBufferPool';
import type { InputChannelMetrics } from '../metrics/InputChannelMetrics';
import type { ResultPartitionFactory } from '../partition/ResultPartitionFactory';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import type { ResultPartitionManager } from '../partition/ResultPartitionManager';
import type { ShuffleConfig } from './ShuffleConfig';
import type { NettyConfig } from '../netty/NettyConfig';
import type { ConnectionManager } from '../network/ConnectionManager';
import type { TaskEventDispatcher } from '../network/TaskEventDispatcher';
import type { NettyShuffleDescriptor } from '../shuffle/NettyShuffleDescriptor';
import type { NettyShuffleEnvironment } from '../shuffle/NettyShuffleEnvironment';
import type { ShuffleMaster } from '../shuffle/ShuffleMaster';

/** One subpartition an input gate consumes: the partition and the subpartition's index in it. */
export interface ConsumedSubpartition {
  /** The consumed partition (registered with the ResultPartitionManager by its producer's `setup()`). */
  readonly partitionId: ResultPartitionID;
  /** Index of the consumed subpartition (≥ 0, below the partition's number of subpartitions). */
  readonly subpartitionIndex: number;
}

/** Options of the gates an {@link InputGateFactory} makes. */
export interface InputGateCreateOptions {
  /** Index of the gate within its task (default: 0). */
  readonly gateIndex?: number;
  /** Name of the consuming task, for messages (default: `'unknown task'`). */
  readonly owningTaskName?: string;
  /** The task's channel counters; local channels count into `numBytesInLocal`/`numBuffersInLocal` (default: none). */
  readonly channelMetrics?: InputChannelMetrics;
}

/**
 * Creates a {@link SingleInputGate} with one `LocalInputChannel` per consumed subpartition, in the
 * order given (channel i reads `channels[i]`), with the configured floating pool, back-off and event loop.
 * The gate is not set up yet: `await gate.setup()` before reading.
 */
export type InputGateFactory = (channels: readonly ConsumedSubpartition[], options?: InputGateCreateOptions) => SingleInputGate;

/**
 * Creates a {@link RecordWriterBuilder} preconfigured with the configured buffer timeout
 * (`execution.buffer-timeout`) and the module's event loop (which runs the periodic flush); set the
 * serializer and the channel selector, then `build(partition)`.
 */
export type RecordWriterBuilderFactory = <T>() => RecordWriterBuilder<T>;

function token<T>(name: string): ServiceToken<T> {
  return Symbol.for(`@sluice/shuffle:${name}`) as ServiceToken<T>;
}

/**
 * The tokens `shuffleModule()` binds. Each is `Symbol.for('@sluice/shuffle:<Name>')`, so two copies of the
 * package (or code that only knows the string) still agree on them. They are `ServiceToken`s of
 * `@sluice/channel`: `getService` of either package resolves them typed.
 *
 * | Token | Service | Scope |
 * |---|---|---|
 * | `ShuffleConfig` | the resolved {@link ShuffleConfig} | constant |
 * | `NetworkBufferPool` | the global pool: `numberOfBuffers` segments of `segmentSize` bytes | singleton, destroyed on unbind |
 * | `ResultPartitionManager` | the registry of this process's partitions | singleton, shut down on unbind |
 * | `ResultPartitionFactory` | creates pipelined partitions with Flink's pool sizes | singleton |
 * | `InputGateFactory` | `(channels, options?) => SingleInputGate` of local channels | factory |
 * | `RecordWriterBuilderFactory` | `<T>() => RecordWriterBuilder<T>` with the buffer timeout and event loop | factory |
 * | `EventLoop` | runs the writers' periodic flush and the gates' request retries | singleton, shut down on unbind (unless given) |
 */
export const ShuffleTokens = Object.freeze({
  ShuffleConfig: token<ShuffleConfig>('ShuffleConfig'),
  NetworkBufferPool: token<NetworkBufferPool>('NetworkBufferPool'),
  ResultPartitionManager: token<ResultPartitionManager>('ResultPartitionManager'),
  ResultPartitionFactory: token<ResultPartitionFactory>('ResultPartitionFactory'),
  InputGateFactory: token<InputGateFactory>('InputGateFactory'),
  RecordWriterBuilderFactory: token<RecordWriterBuilderFactory>('RecordWriterBuilderFactory'),
  EventLoop: token<EventLoop>('EventLoop'),
  /** Bound by `networkModule`: the resolved network options. */
  NettyConfig: token<NettyConfig>('NettyConfig'),
  /** Bound by `networkModule`: this process's id (Flink's ResourceID). */
  ResourceId: token<string>('ResourceId'),
  /** Bound by `networkModule`: server + shared client connections. */
  ConnectionManager: token<ConnectionManager>('ConnectionManager'),
  /** Bound by `networkModule`: routes backward task events to producers. */
  TaskEventDispatcher: token<TaskEventDispatcher>('TaskEventDispatcher'),
  /** Bound by `networkModule`: the process's shuffle environment. */
  ShuffleEnvironment: token<NettyShuffleEnvironment>('ShuffleEnvironment'),
  /** Bound by `networkModule`: hands out shuffle descriptors (job side). */
  ShuffleMaster: token<ShuffleMaster<NettyShuffleDescriptor>>('ShuffleMaster'),
});

/**
 * Resolves `token` from `container`, typed by the token (the same as `getService` of @sluice/channel).
 *
 * @example
 * const newGate = getService(container, ShuffleTokens.InputGateFactory); // (channels, options?) => SingleInputGate
 */
export function getService<T>(container: Container, token: ServiceToken<T>): T {
  return container.get<T>(token);
}
