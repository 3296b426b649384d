import { DefaultEventLoop, IllegalArgumentException, type EventLoop } from '@sluice/channel';
import type { ContainerModule, ResolutionContext } from 'inversify';
import { LocalInputChannel } from '../consumer/LocalInputChannel';
import { SingleInputGate } from '../consumer/SingleInputGate';
import { RecordWriterBuilder } from '../io/writer/RecordWriterBuilder';
import { NetworkBufferPool } from '../memory/NetworkBufferPool';
import { ResultPartitionFactory } from '../partition/ResultPartitionFactory';
import { ResultPartitionID } from '../partition/ResultPartitionID';
import { ResultPartitionManager } from '../partition/ResultPartitionManager';
import { ShuffleConfig, type ShuffleConfigInput } from './ShuffleConfig';
import {
  ShuffleTokens,
  type ConsumedSubpartition,
  type InputGateCreateOptions,
  type InputGateFactory,
  type RecordWriterBuilderFactory,
} from './tokens';

/** Options of {@link shuffleModule} that are not shuffle configuration. */
export interface ShuffleModuleOptions {
  /**
   * The event loop bound to `ShuffleTokens.EventLoop`: it runs the record writers' periodic flush and the
   * gates' partition-request retries. Given here, it is not shut down by the module (default: a daemon
   * `DefaultEventLoop`, created on first use and shut down when the bindings are removed).
   */
  eventLoop?: EventLoop;
}

/** Internal: the module's resources, closed together in Flink's order (NettyShuffleEnvironment.close()). */
const RESOURCES = Symbol.for('@sluice/shuffle:ShuffleModuleResources');

/**
 * What one container's shuffle owns, created on first use: the global pool, the partition manager and
 * (unless given) the event loop. `close()` is Flink's `NettyShuffleEnvironment.close()` order: release
 * every registered partition, destroy every local pool, destroy the global pool — then stop the loop.
 */
class ShuffleModuleResources {
  private pool: NetworkBufferPool | null = null;
  private manager: ResultPartitionManager | null = null;
  private loop: EventLoop | null = null;

  constructor(
    private readonly config: ShuffleConfig,
    private readonly givenLoop: EventLoop | undefined,
  ) {}

  networkBufferPool(): NetworkBufferPool {
    return (this.pool ??= new NetworkBufferPool(this.config.numberOfBuffers, this.config.segmentSize, this.config.networkBufferPoolOptions()));
  }

  partitionManager(): ResultPartitionManager {
    return (this.manager ??= new ResultPartitionManager());
  }

  eventLoop(): EventLoop {
    return this.givenLoop ?? (this.loop ??= new DefaultEventLoop(null, { daemon: true }));
  }

  async close(): Promise<void> {
    try {
      this.manager?.shutdown();
      if (this.pool !== null) {
        this.pool.destroyAllBufferPools();
        // Throws SegmentsInUseException if buffers are still out (a partition not closed, a reader not closed).
        this.pool.destroy();
      }
    } finally {
      if (this.loop !== null) await this.loop.shutdownGracefully(0, 1000);
    }
  }
}

function loadInversify(): typeof import('inversify') {
  // Loaded on first use, not at import: requiring inversify costs ~70-100 ms, which applications that do
  // not use DI should not pay for (as in @sluice/channel's channelModule).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('inversify') as typeof import('inversify');
}

/** Builds a gate of local channels (the body of the bound {@link InputGateFactory}). */
function createLocalInputGate(
  config: ShuffleConfig,
  pool: NetworkBufferPool,
  manager: ResultPartitionManager,
  loop: EventLoop,
  channels: readonly ConsumedSubpartition[],
  options: InputGateCreateOptions,
): SingleInputGate {
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new IllegalArgumentException(`channels: ${String(channels)} (expected: a non-empty array of { partitionId, subpartitionIndex })`);
  }
  const seen = new Set<string>();
  channels.forEach((channel, i) => {
    if (typeof channel !== 'object' || channel === null || !(channel.partitionId instanceof ResultPartitionID)) {
      throw new IllegalArgumentException(`channels[${i}]: ${String(channel)} (expected: { partitionId: ResultPartitionID, subpartitionIndex: number })`);
    }
    const index = channel.subpartitionIndex;
    if (!Number.isSafeInteger(index) || index < 0) {
      throw new IllegalArgumentException(`channels[${i}].subpartitionIndex: ${String(index)} (expected: an integer >= 0)`);
    }
    const key = `${channel.partitionId.key()}/${index}`;
    if (seen.has(key)) {
      throw new IllegalArgumentException(
        `channels[${i}]: subpartition ${index} of ${channel.partitionId.toString()} is listed twice (a pipelined subpartition has one reader)`,
      );
    }
    seen.add(key);
  });
  const gate = new SingleInputGate({
    numberOfInputChannels: channels.length,
    gateIndex: options.gateIndex ?? 0,
    owningTaskName: options.owningTaskName ?? 'unknown task',
    ...config.inputGateOptions(pool, loop),
  });
  const channelOptions = { ...config.inputChannelOptions(), ...(options.channelMetrics?.localOptions() ?? {}) };
  gate.setInputChannels(
    ...channels.map((c, i) => new LocalInputChannel(gate, i, c.partitionId, c.subpartitionIndex, manager, channelOptions)),
  );
  return gate;
}

/**
 * The inversify `ContainerModule` of @sluice/shuffle: binds the {@link ShuffleTokens} for an in-process
 * shuffle — the resolved {@link ShuffleConfig}, the global {@link NetworkBufferPool} (`numberOfBuffers`
 * segments of `segmentSize` bytes), the {@link ResultPartitionManager}, a {@link ResultPartitionFactory}
 * with Flink's pool sizes, a factory of input gates over local channels, a factory of preconfigured
 * record-writer builders, and the event loop they use.
 *
 * The configuration is resolved when the module is created (a bad one throws `ShuffleConfigException`
 * here, not at first use). No decorators and no `reflect-metadata` are involved, and inversify itself is
 * loaded only when this function is first called.
 *
 * ## Lifecycle
 * The pool, the manager and the event loop are created on first resolution. `await container.unbindAll()`
 * (or `unload(module)`) closes them in Flink's order (`NettyShuffleEnvironment.close()`): the manager
 * releases every registered partition, every local pool is destroyed, the global pool is destroyed, and
 * the module's own event loop is shut down. Destroying the global pool throws `SegmentsInUseException` —
 * and `unbindAll()` rejects with it — if buffers are still held: close every writer and partition
 * (`partition.close()`) and every reader or gate (`reader.close()`) first.
 *
 * ## Threading
 * Resolve from the main JavaScript thread. Resolve the factories once and call them per task; do not go
 * through the container on a hot path.
 *
 * ## Pitfalls
 * - The default configuration allocates 64 MiB of network buffers (Flink's minimum network memory) when
 *   the pool is first resolved; give `numberOfBuffers` (or `networkMemorySize`) for a small process.
 * - `container.load()` is asynchronous in inversify 7; this module loads synchronously, so
 *   `container.loadSync(shuffleModule())` works as well. `unbindAllSync()` cannot wait for the event
 *   loop's shutdown: use `await container.unbindAll()`.
 *
 * @example
 * const container = new Container();
 * container.loadSync(shuffleModule({ 'taskmanager.memory.segment-size': '4kb', numberOfBuffers: 64, bufferTimeoutMs: 5 }));
 * const partition = getService(container, ShuffleTokens.ResultPartitionFactory).create({ numberOfSubpartitions: 1 });
 * partition.setup();
 * const writer = getService(container, ShuffleTokens.RecordWriterBuilderFactory)<number>()
 *   .setSerializer(LongSerializer.INSTANCE).build(partition);
 * const gate = getService(container, ShuffleTokens.InputGateFactory)([{ partitionId: partition.getPartitionId(), subpartitionIndex: 0 }]);
 * await gate.setup();
 * // … write, finish, read with a RecordReader, close writer, partition and reader …
 * await container.unbindAll();
 */
export function shuffleModule(
  config: ShuffleConfigInput | ReadonlyMap<string, unknown> | ShuffleConfig = {},
  options: ShuffleModuleOptions = {},
): ContainerModule {
  const resolved = ShuffleConfig.resolve(config);
  const givenLoop = options.eventLoop;
  const { ContainerModule: ContainerModuleClass } = loadInversify();
  return new ContainerModuleClass(({ bind }) => {
    const resources = (ctx: ResolutionContext): ShuffleModuleResources => ctx.get<ShuffleModuleResources>(RESOURCES);

    bind<ShuffleConfig>(ShuffleTokens.ShuffleConfig).toConstantValue(resolved);

    bind<ShuffleModuleResources>(RESOURCES)
      .toDynamicValue(() => new ShuffleModuleResources(resolved, givenLoop))
      .inSingletonScope()
      .onDeactivation((r) => r.close()); // a failure (SegmentsInUseException) rejects unbindAll()

    bind<NetworkBufferPool>(ShuffleTokens.NetworkBufferPool)
      .toDynamicValue((ctx) => resources(ctx).networkBufferPool())
      .inSingletonScope();
    bind<ResultPartitionManager>(ShuffleTokens.ResultPartitionManager)
      .toDynamicValue((ctx) => resources(ctx).partitionManager())
      .inSingletonScope();
    bind<EventLoop>(ShuffleTokens.EventLoop)
      .toDynamicValue((ctx) => resources(ctx).eventLoop())
      .inSingletonScope();

    bind<ResultPartitionFactory>(ShuffleTokens.ResultPartitionFactory)
      .toDynamicValue(
        (ctx) =>
          new ResultPartitionFactory(
            ctx.get<ResultPartitionManager>(ShuffleTokens.ResultPartitionManager),
            resolved.resultPartitionFactoryOptions(ctx.get<NetworkBufferPool>(ShuffleTokens.NetworkBufferPool)),
          ),
      )
      .inSingletonScope();

    bind<InputGateFactory>(ShuffleTokens.InputGateFactory).toFactory((ctx: ResolutionContext): InputGateFactory => {
      const pool = ctx.get<NetworkBufferPool>(ShuffleTokens.NetworkBufferPool);
      const manager = ctx.get<ResultPartitionManager>(ShuffleTokens.ResultPartitionManager);
      const loop = ctx.get<EventLoop>(ShuffleTokens.EventLoop);
      return (channels, gateOptions = {}) => createLocalInputGate(resolved, pool, manager, loop, channels, gateOptions);
    });

    bind<RecordWriterBuilderFactory>(ShuffleTokens.RecordWriterBuilderFactory).toFactory(
      (ctx: ResolutionContext): RecordWriterBuilderFactory => {
        const loop = ctx.get<EventLoop>(ShuffleTokens.EventLoop);
        return <T>() => new RecordWriterBuilder<T>().setTimeout(resolved.bufferTimeoutMs).setEventLoop(loop);
      },
    );
  });
}
