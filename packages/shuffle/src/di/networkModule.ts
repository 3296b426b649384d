import { randomUUID } from 'node:crypto';
import type { ContainerModule, ResolutionContext } from 'inversify';
import type { EventLoop } from '@sluice/channel';
import type { NetworkBufferPool } from '../memory/NetworkBufferPool';
import { NettyConfig, type NettyConfigOptions } from '../netty/NettyConfig';
import { NettyConnectionManager } from '../netty/NettyConnectionManager';
import type { ConnectionManager } from '../network/ConnectionManager';
import { TaskEventDispatcher } from '../network/TaskEventDispatcher';
import type { ResultPartitionFactory } from '../partition/ResultPartitionFactory';
import type { ResultPartitionManager } from '../partition/ResultPartitionManager';
import type { NettyShuffleDescriptor } from '../shuffle/NettyShuffleDescriptor';
import { NettyShuffleEnvironment } from '../shuffle/NettyShuffleEnvironment';
import { NettyShuffleMaster } from '../shuffle/NettyShuffleMaster';
import type { ShuffleMaster } from '../shuffle/ShuffleMaster';
import type { ShuffleConfig } from './ShuffleConfig';
import { ShuffleTokens } from './tokens';

/** Options of {@link networkModule} that are not network configuration. */
export interface NetworkModuleOptions {
  /** This process's id, Flink's ResourceID (default: a random UUID). Decides local versus remote channels. */
  resourceId?: string;
}

function loadInversify(): typeof import('inversify') {
  // Loaded on first use, as in shuffleModule: applications without DI do not pay for inversify.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('inversify') as typeof import('inversify');
}

/**
 * The network half of the default shuffle service, on top of {@link shuffleModule}'s bindings (buffer
 * pools, partition manager, partition factory, event loop): binds the resolved {@link NettyConfig}
 * (field names or Flink's keys: server host/port, connect timeout, retries, max TCP connections,
 * flow-control mode, frame limit, TLS), the {@link TaskEventDispatcher}, a {@link NettyConnectionManager},
 * the process's {@link NettyShuffleEnvironment} and a {@link NettyShuffleMaster}.
 *
 * The segment size of the network config always follows the shuffle config (the server's watermarks are
 * derived from it, and so is the frame limit unless one is given). Unbinding closes the environment
 * (connections, then partitions) before shuffleModule's resources destroy the pools.
 *
 * @example
 * const container = new Container();
 * container.load(shuffleModule({ 'taskmanager.memory.segment-size': '32kb' }), networkModule({ 'taskmanager.data.port': 0 }));
 * const env = container.get(ShuffleTokens.ShuffleEnvironment);
 * const port = await env.start();
 */
export function networkModule(
  config: NettyConfigOptions | Readonly<Record<string, unknown>> = {},
  options: NetworkModuleOptions = {},
): ContainerModule {
  const given = NettyConfig.resolve(config);
  const resourceId = options.resourceId ?? randomUUID();
  const { ContainerModule: ContainerModuleClass } = loadInversify();
  return new ContainerModuleClass(({ bind }) => {
    bind<NettyConfig>(ShuffleTokens.NettyConfig)
      .toDynamicValue((ctx) => given.withSegmentSize(ctx.get<ShuffleConfig>(ShuffleTokens.ShuffleConfig).segmentSize))
      .inSingletonScope();
    bind<string>(ShuffleTokens.ResourceId).toConstantValue(resourceId);
    bind<TaskEventDispatcher>(ShuffleTokens.TaskEventDispatcher).toConstantValue(new TaskEventDispatcher());
    bind<ConnectionManager>(ShuffleTokens.ConnectionManager)
      .toDynamicValue(
        (ctx: ResolutionContext) =>
          new NettyConnectionManager(
            ctx.get<ResultPartitionManager>(ShuffleTokens.ResultPartitionManager),
            ctx.get<TaskEventDispatcher>(ShuffleTokens.TaskEventDispatcher),
            ctx.get<NettyConfig>(ShuffleTokens.NettyConfig),
          ),
      )
      .inSingletonScope();
    bind<NettyShuffleEnvironment>(ShuffleTokens.ShuffleEnvironment)
      .toDynamicValue(
        (ctx: ResolutionContext) =>
          new NettyShuffleEnvironment({
            resourceId,
            config: ctx.get<ShuffleConfig>(ShuffleTokens.ShuffleConfig),
            nettyConfig: ctx.get<NettyConfig>(ShuffleTokens.NettyConfig),
            networkBufferPool: ctx.get<NetworkBufferPool>(ShuffleTokens.NetworkBufferPool),
            connectionManager: ctx.get<ConnectionManager>(ShuffleTokens.ConnectionManager),
            resultPartitionManager: ctx.get<ResultPartitionManager>(ShuffleTokens.ResultPartitionManager),
            taskEventDispatcher: ctx.get<TaskEventDispatcher>(ShuffleTokens.TaskEventDispatcher),
            resultPartitionFactory: ctx.get<ResultPartitionFactory>(ShuffleTokens.ResultPartitionFactory),
            eventLoop: ctx.get<EventLoop>(ShuffleTokens.EventLoop),
          }),
      )
      .inSingletonScope()
      .onDeactivation((env) => env.close());
    bind<ShuffleMaster<NettyShuffleDescriptor>>(ShuffleTokens.ShuffleMaster).toConstantValue(new NettyShuffleMaster());
  });
}
