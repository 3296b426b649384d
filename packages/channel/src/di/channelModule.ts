import type { ContainerModule, ResolutionContext } from 'inversify';
import type { ChannelClass } from '../bootstrap/AbstractBootstrap';
import { Bootstrap } from '../bootstrap/Bootstrap';
import { ServerBootstrap } from '../bootstrap/ServerBootstrap';
import { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import { PooledByteBufAllocator } from '../buffer/PooledByteBufAllocator';
import { UnpooledByteBufAllocator } from '../buffer/UnpooledByteBufAllocator';
import { ChannelOption } from '../channel/ChannelOption';
import { DefaultEventLoopGroup } from '../concurrent/DefaultEventLoopGroup';
import type { EventLoopGroup } from '../concurrent/EventLoop';
import { TcpServerSocketChannel } from '../transport/tcp/TcpServerSocketChannel';
import { TcpSocketChannel } from '../transport/tcp/TcpSocketChannel';
import { IllegalArgumentException } from '../util/SluiceError';
import { type BootstrapFactory, type ChannelOptionEntry, ChannelTokens, type ServerBootstrapFactory } from './tokens';

/** Options of {@link channelModule}. */
export interface ChannelModuleOptions {
  /**
   * The allocator bound to `ChannelTokens.ByteBufAllocator` and set as every channel's ALLOCATOR:
   * `'pooled'` (`PooledByteBufAllocator.DEFAULT`), `'unpooled'` (`UnpooledByteBufAllocator.DEFAULT`),
   * `'shared'` (a new pooled allocator whose memory is `SharedArrayBuffer`, for buffers read by worker
   * threads), or an allocator instance (default: `ByteBufAllocator.DEFAULT` — pooled unless the
   * environment sets `SLUICE_ALLOCATOR_TYPE=unpooled`).
   */
  allocator?: 'pooled' | 'unpooled' | 'shared' | ByteBufAllocator;
  /** Event loops of the boss group, which runs listening channels (default: 1). */
  bossLoops?: number;
  /** Event loops of the worker group, which runs accepted and client channels (default: 1). */
  workerLoops?: number;
  /** Channel class of client bootstraps (default: `TcpSocketChannel`). */
  channel?: ChannelClass;
  /** Channel class of server bootstraps (default: `TcpServerSocketChannel`). */
  serverChannel?: ChannelClass;
  /**
   * Options of client channels and of accepted children, applied after ALLOCATOR (so an ALLOCATOR here
   * wins) (default: none).
   */
  channelOptions?: Iterable<ChannelOptionEntry>;
  /** Options of server channels, e.g. `[ChannelOption.SO_BACKLOG, 1024]` (default: none). */
  serverChannelOptions?: Iterable<ChannelOptionEntry>;
  /** Quiet period in ms of the groups' graceful shutdown when their bindings are removed (default: 2000, Netty's). */
  shutdownQuietPeriodMs?: number;
  /** Upper bound in ms of that shutdown; at least the quiet period (default: 15000, Netty's). */
  shutdownTimeoutMs?: number;
}

interface ResolvedOptions {
  readonly allocator: () => ByteBufAllocator;
  readonly bossLoops: number;
  readonly workerLoops: number;
  readonly channel: ChannelClass;
  readonly serverChannel: ChannelClass;
  readonly channelOptions: readonly ChannelOptionEntry[];
  readonly serverChannelOptions: readonly ChannelOptionEntry[];
  readonly shutdownQuietPeriodMs: number;
  readonly shutdownTimeoutMs: number;
}

function loadInversify(): typeof import('inversify') {
  // Loaded on first use, not at import: requiring inversify costs ~70-100 ms and installs the
  // reflect-metadata polyfill, which applications that do not use DI should not pay for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('inversify') as typeof import('inversify');
}

function isAllocator(value: unknown): value is ByteBufAllocator {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ByteBufAllocator).buffer === 'function' &&
    typeof (value as ByteBufAllocator).compositeBuffer === 'function'
  );
}

function allocatorSupplier(choice: ChannelModuleOptions['allocator']): () => ByteBufAllocator {
  if (choice === undefined) return () => ByteBufAllocator.DEFAULT;
  if (choice === 'pooled') return () => PooledByteBufAllocator.DEFAULT;
  if (choice === 'unpooled') return () => UnpooledByteBufAllocator.DEFAULT;
  if (choice === 'shared') return () => new PooledByteBufAllocator({ useSharedMemory: true });
  if (isAllocator(choice)) return () => choice;
  throw new IllegalArgumentException(
    `allocator: ${String(choice)} (expected: 'pooled', 'unpooled', 'shared' or a ByteBufAllocator instance)`,
  );
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new IllegalArgumentException(`${name}: ${String(v)} (expected: an integer >= 1)`);
  return v;
}

function channelClass(name: string, value: ChannelClass | undefined, fallback: ChannelClass): ChannelClass {
  const v = value ?? fallback;
  if (typeof v !== 'function') throw new IllegalArgumentException(`${name}: ${String(v)} (expected: a channel class)`);
  return v;
}

function optionEntries(name: string, entries: Iterable<ChannelOptionEntry> | undefined): ChannelOptionEntry[] {
  if (entries === undefined) return [];
  const list = [...entries];
  for (const entry of list) {
    if (!Array.isArray(entry) || !(entry[0] instanceof ChannelOption)) {
      throw new IllegalArgumentException(`${name}: ${String(entry)} (expected: [ChannelOption, value] pairs)`);
    }
    entry[0].validate(entry[1]);
  }
  return list;
}

function resolveOptions(options: ChannelModuleOptions): ResolvedOptions {
  const quiet = options.shutdownQuietPeriodMs ?? 2000;
  const timeout = options.shutdownTimeoutMs ?? Math.max(15000, quiet);
  if (!Number.isFinite(quiet) || quiet < 0) {
    throw new IllegalArgumentException(`shutdownQuietPeriodMs: ${String(quiet)} (expected: a number of ms >= 0)`);
  }
  if (!Number.isFinite(timeout) || timeout < quiet) {
    throw new IllegalArgumentException(`shutdownTimeoutMs: ${String(timeout)} (expected: a number of ms >= shutdownQuietPeriodMs (${quiet}))`);
  }
  return {
    allocator: allocatorSupplier(options.allocator),
    bossLoops: positiveInteger('bossLoops', options.bossLoops, 1),
    workerLoops: positiveInteger('workerLoops', options.workerLoops, 1),
    channel: channelClass('channel', options.channel, TcpSocketChannel),
    serverChannel: channelClass('serverChannel', options.serverChannel, TcpServerSocketChannel),
    channelOptions: optionEntries('channelOptions', options.channelOptions),
    serverChannelOptions: optionEntries('serverChannelOptions', options.serverChannelOptions),
    shutdownQuietPeriodMs: quiet,
    shutdownTimeoutMs: timeout,
  };
}

function optionMap(allocator: ByteBufAllocator, entries: readonly ChannelOptionEntry[]): ReadonlyMap<ChannelOption<unknown>, unknown> {
  const map = new Map<ChannelOption<unknown>, unknown>([[ChannelOption.ALLOCATOR as ChannelOption<unknown>, allocator]]);
  for (const [option, value] of entries) map.set(option, value);
  return map;
}

/**
 * The inversify `ContainerModule` of @sluice/channel: binds the {@link ChannelTokens} — an allocator, a
 * boss and a worker `DefaultEventLoopGroup` (singletons), the channel options, and factories of
 * `Bootstrap` and `ServerBootstrap` preconfigured with the groups, the channel classes and the options.
 *
 * No decorators and no `reflect-metadata` are involved: everything is bound with `toDynamicValue`,
 * `toConstantValue`-style suppliers and `toFactory`, and inversify itself is only loaded when this
 * function is first called.
 *
 * ## Lifecycle
 * The groups are created on first resolution and shut down gracefully (quiet period
 * `shutdownQuietPeriodMs`, bounded by `shutdownTimeoutMs`) by their deactivation hooks when their bindings
 * are removed: `await container.unbindAll()` (or `unload(module)`, or unbinding the group tokens) at
 * application shutdown closes every channel on them and resolves once the loops terminated. A group that
 * was never resolved is never created, so there is nothing to shut down.
 *
 * ## Threading
 * Resolve from the main JavaScript thread (where the loops run). Resolve the factories once and call them
 * per connection; do not go through the container on a hot path.
 *
 * ## Pitfalls
 * - `container.load()` is asynchronous in inversify 7; this module loads synchronously, so
 *   `container.loadSync(channelModule())` works as well.
 * - `unbindAllSync()` cannot wait for the asynchronous shutdown: use `await container.unbindAll()`.
 *
 * @example
 * import 'reflect-metadata'; // only if your own classes use inversify decorators
 * const container = new Container();
 * container.loadSync(channelModule({ allocator: 'pooled', workerLoops: 2 }));
 * const newServerBootstrap = getService(container, ChannelTokens.ServerBootstrapFactory);
 * const server = (await newServerBootstrap().childHandler(new EchoInitializer()).bind('127.0.0.1', 0)).channel();
 * // …
 * await server.close();
 * await container.unbindAll(); // shuts the event loop groups down
 */
export function channelModule(options: ChannelModuleOptions = {}): ContainerModule {
  const o = resolveOptions(options);
  const shutdown = async (group: EventLoopGroup): Promise<void> => {
    await group.shutdownGracefully(o.shutdownQuietPeriodMs, o.shutdownTimeoutMs);
  };
  const { ContainerModule: ContainerModuleClass } = loadInversify();
  return new ContainerModuleClass(({ bind }) => {
    bind<ByteBufAllocator>(ChannelTokens.ByteBufAllocator).toDynamicValue(o.allocator).inSingletonScope();

    bind<EventLoopGroup>(ChannelTokens.BossEventLoopGroup)
      .toDynamicValue(() => new DefaultEventLoopGroup(o.bossLoops))
      .inSingletonScope()
      .onDeactivation(shutdown);
    bind<EventLoopGroup>(ChannelTokens.WorkerEventLoopGroup)
      .toDynamicValue(() => new DefaultEventLoopGroup(o.workerLoops))
      .inSingletonScope()
      .onDeactivation(shutdown);

    bind<ReadonlyMap<ChannelOption<unknown>, unknown>>(ChannelTokens.ChannelOptions)
      .toDynamicValue((ctx) => optionMap(ctx.get<ByteBufAllocator>(ChannelTokens.ByteBufAllocator), o.channelOptions))
      .inSingletonScope();
    bind<ReadonlyMap<ChannelOption<unknown>, unknown>>(ChannelTokens.ServerChannelOptions)
      .toDynamicValue((ctx) => optionMap(ctx.get<ByteBufAllocator>(ChannelTokens.ByteBufAllocator), o.serverChannelOptions))
      .inSingletonScope();

    bind<BootstrapFactory>(ChannelTokens.BootstrapFactory).toFactory((ctx: ResolutionContext): BootstrapFactory => {
      const group = ctx.get<EventLoopGroup>(ChannelTokens.WorkerEventLoopGroup);
      const channelOptions = ctx.get<ReadonlyMap<ChannelOption<unknown>, unknown>>(ChannelTokens.ChannelOptions);
      return () => {
        const bootstrap = new Bootstrap().group(group).channel(o.channel);
        for (const [option, value] of channelOptions) bootstrap.option(option, value);
        return bootstrap;
      };
    });

    bind<ServerBootstrapFactory>(ChannelTokens.ServerBootstrapFactory).toFactory((ctx: ResolutionContext): ServerBootstrapFactory => {
      const boss = ctx.get<EventLoopGroup>(ChannelTokens.BossEventLoopGroup);
      const worker = ctx.get<EventLoopGroup>(ChannelTokens.WorkerEventLoopGroup);
      const serverOptions = ctx.get<ReadonlyMap<ChannelOption<unknown>, unknown>>(ChannelTokens.ServerChannelOptions);
      const childOptions = ctx.get<ReadonlyMap<ChannelOption<unknown>, unknown>>(ChannelTokens.ChannelOptions);
      return () => {
        const bootstrap = new ServerBootstrap().group(boss, worker).channel(o.serverChannel);
        for (const [option, value] of serverOptions) bootstrap.option(option, value);
        for (const [option, value] of childOptions) bootstrap.childOption(option, value);
        return bootstrap;
      };
    });
  });
}
