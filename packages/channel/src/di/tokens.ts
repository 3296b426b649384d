import type { Container } from 'inversify';
import type { Bootstrap } from '../bootstrap/Bootstrap';
import type { ServerBootstrap } from '../bootstrap/ServerBootstrap';
import type { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import type { ChannelOption } from '../channel/ChannelOption';
import type { EventLoopGroup } from '../concurrent/EventLoop';

declare const serviceType: unique symbol;

/**
 * A dependency-injection token: a `Symbol.for('@sluice/channel:<Name>')` that also carries, for the type
 * checker only, the type of the service bound to it. Use it with {@link getService} to get the service
 * typed, or with `container.get<T>(token)`.
 */
export type ServiceToken<T> = symbol & { readonly [serviceType]?: T };

/** The service type a {@link ServiceToken} stands for. */
export type ServiceOf<K> = K extends ServiceToken<infer T> ? T : never;

/** One channel option and its value, as given to `Bootstrap.option`. */
export type ChannelOptionEntry = readonly [ChannelOption<unknown>, unknown];

/** Creates a client {@link Bootstrap} already set up with the worker group, channel class and options. */
export type BootstrapFactory = () => Bootstrap;

/**
 * Creates a {@link ServerBootstrap} already set up with the boss and worker groups, server channel class,
 * server channel options and child options.
 */
export type ServerBootstrapFactory = () => ServerBootstrap;

function token<T>(name: string): ServiceToken<T> {
  return Symbol.for(`@sluice/channel:${name}`) as ServiceToken<T>;
}

/**
 * The tokens `channelModule()` binds. Each is `Symbol.for('@sluice/channel:<Name>')`, so two copies of
 * the package (or code that only knows the string) still agree on them.
 *
 * | Token | Service | Scope |
 * |---|---|---|
 * | `ByteBufAllocator` | the allocator of every channel made by the bootstraps | singleton |
 * | `BossEventLoopGroup` | the group that runs server (listening) channels | singleton, shut down on unbind |
 * | `WorkerEventLoopGroup` | the group that runs accepted and client channels | singleton, shut down on unbind |
 * | `ChannelOptions` | options of client channels and of accepted children (`ALLOCATOR` included) | singleton |
 * | `ServerChannelOptions` | options of server channels (`ALLOCATOR` included) | singleton |
 * | `BootstrapFactory` | `() => Bootstrap`, preconfigured | factory |
 * | `ServerBootstrapFactory` | `() => ServerBootstrap`, preconfigured | factory |
 */
export const ChannelTokens = Object.freeze({
  ByteBufAllocator: token<ByteBufAllocator>('ByteBufAllocator'),
  BossEventLoopGroup: token<EventLoopGroup>('BossEventLoopGroup'),
  WorkerEventLoopGroup: token<EventLoopGroup>('WorkerEventLoopGroup'),
  ChannelOptions: token<ReadonlyMap<ChannelOption<unknown>, unknown>>('ChannelOptions'),
  ServerChannelOptions: token<ReadonlyMap<ChannelOption<unknown>, unknown>>('ServerChannelOptions'),
  BootstrapFactory: token<BootstrapFactory>('BootstrapFactory'),
  ServerBootstrapFactory: token<ServerBootstrapFactory>('ServerBootstrapFactory'),
});

/**
 * Resolves `token` from `container`, typed by the token.
 *
 * @example
 * const newBootstrap = getService(container, ChannelTokens.BootstrapFactory); // () => Bootstrap
 */
export function getService<T>(container: Container, token: ServiceToken<T>): T {
  return container.get<T>(token);
}
