import type { AttributeKey } from '../channel/AttributeKey';
import type { Channel } from '../channel/Channel';
import type { ChannelFuture } from '../channel/ChannelFuture';
import { ChannelFutureListeners } from '../channel/ChannelFuture';
import type { ChannelHandler } from '../channel/ChannelHandler';
import type { ChannelOption } from '../channel/ChannelOption';
import { DefaultChannelPromise } from '../channel/DefaultChannelPromise';
import { InetSocketAddress, SocketAddress } from '../channel/SocketAddress';
import type { EventLoopGroup } from '../concurrent/EventLoop';
import type { InternalLogger } from '../util/InternalLogger';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { IllegalArgumentException, IllegalStateException } from '../util/SluiceError';
import { FailedChannel } from './FailedChannel';

const logger = InternalLoggerFactory.getInstance('AbstractBootstrap');

/** Port of io.netty.channel.ChannelFactory: makes the channel a bootstrap sets up (a function or an object). */
export type ChannelFactory<C extends Channel = Channel> = (() => C) | { newChannel(): C };

/** A channel class constructible without arguments, for {@link AbstractBootstrap.channel}. */
export type ChannelClass<C extends Channel = Channel> = new () => C;

/**
 * Port of io.netty.bootstrap.AbstractBootstrap (Netty 4.1). Differs: nothing blocks — every operation
 * returns a ChannelFuture to await (`await f` throws the cause on failure; `(await f.sync()).channel()`
 * yields the channel); `channel(type)` takes a class constructible without arguments.
 *
 * The shared half of {@link Bootstrap} and {@link ServerBootstrap}: event loop group, channel factory,
 * options, attributes, handler and local address; `register()` and `bind()`.
 *
 * ## Threading
 * Configure from one place before the first `bind`/`connect`/`register`; the bootstrap itself is not an
 * event-loop object. Channel setup (options, attributes, handlers) happens before registration, and
 * the bind/connect runs as a task on the channel's loop.
 *
 * ## Pitfalls
 * - The handler instance is added to every channel the bootstrap makes: it must be `@Sharable`, or a
 *   `ChannelInitializer` that creates per-channel handlers.
 * - A failed bind or connect closes the channel (Netty's CLOSE_ON_FAILURE).
 */
export abstract class AbstractBootstrap<B extends AbstractBootstrap<B, C>, C extends Channel = Channel> {
  protected groupRef: EventLoopGroup | null = null;
  protected factoryRef: (() => C) | null = null;
  protected localAddressRef: SocketAddress | null = null;
  protected handlerRef: ChannelHandler | null = null;
  protected readonly optionsRef = new Map<ChannelOption<unknown>, unknown>();
  protected readonly attrsRef = new Map<AttributeKey<unknown>, unknown>();

  protected self(): B {
    return this as unknown as B;
  }

  /** The loops that will run the channel (for a ServerBootstrap: the acceptor's). */
  group(group: EventLoopGroup): B {
    if (this.groupRef !== null) throw new IllegalStateException('group set already');
    this.groupRef = group;
    return this.self();
  }

  /** Channels are made with `new type()`. */
  channel(type: ChannelClass<C>): B {
    return this.channelFactory(() => new type());
  }

  /** Channels are made by `factory` (use it for constructor arguments, e.g. TLS options). */
  channelFactory(factory: ChannelFactory<C>): B {
    if (this.factoryRef !== null) throw new IllegalStateException('channelFactory set already');
    this.factoryRef = typeof factory === 'function' ? factory : () => factory.newChannel();
    return this.self();
  }

  /** The address `bind()` without arguments uses (a port alone binds every interface: `0.0.0.0`). */
  localAddress(address: SocketAddress): B;
  localAddress(port: number): B;
  localAddress(host: string, port: number): B;
  localAddress(a: SocketAddress | number | string, port?: number): B {
    this.localAddressRef = toAddress(a, port);
    return this.self();
  }

  /** Sets a channel option on every channel made; `null` removes it. */
  option<T>(option: ChannelOption<T>, value: T | null): B {
    if (value === null) this.optionsRef.delete(option as ChannelOption<unknown>);
    else this.optionsRef.set(option as ChannelOption<unknown>, value);
    return this.self();
  }

  /** Sets an attribute on every channel made; `null` removes it. */
  attr<T>(key: AttributeKey<T>, value: T | null): B {
    if (value === null) this.attrsRef.delete(key as AttributeKey<unknown>);
    else this.attrsRef.set(key as AttributeKey<unknown>, value);
    return this.self();
  }

  /** The handler added to every channel made (for a ServerBootstrap: the server channel's). */
  handler(handler: ChannelHandler): B {
    this.handlerRef = handler;
    return this.self();
  }

  /** Throws IllegalStateException if a mandatory setting is missing. */
  validate(): B {
    if (this.groupRef === null) throw new IllegalStateException('group not set');
    if (this.factoryRef === null) throw new IllegalStateException('channel or channelFactory not set');
    return this.self();
  }

  /** A copy with the same settings (handlers are shared, not copied). */
  abstract clone(): B;

  /** Creates a channel and registers it with the group, without binding or connecting. */
  register(): ChannelFuture {
    this.validate();
    return this.initAndRegister();
  }

  /** Creates a channel, registers it and binds it to `localAddress` (or the configured one). */
  bind(): ChannelFuture;
  bind(port: number): ChannelFuture;
  bind(host: string, port: number): ChannelFuture;
  bind(localAddress: SocketAddress): ChannelFuture;
  bind(a?: SocketAddress | number | string, port?: number): ChannelFuture {
    this.validate();
    const local = a === undefined ? this.localAddressRef : toAddress(a, port);
    if (local === null) throw new IllegalStateException('localAddress not set');
    return this.doBind(local);
  }

  private doBind(localAddress: SocketAddress): ChannelFuture {
    const regFuture = this.initAndRegister();
    const channel = regFuture.channel();
    if (regFuture.isDone() && !regFuture.isSuccess()) return regFuture;
    const promise = new DefaultChannelPromise(channel);
    const bind0 = (): void => {
      if (!regFuture.isSuccess()) {
        promise.tryFailure(regFuture.cause());
        return;
      }
      // On the loop, after registration: Netty's doBind0.
      channel.eventLoop().execute(() => {
        channel.bind(localAddress, promise).addListener(ChannelFutureListeners.CLOSE_ON_FAILURE);
      });
    };
    if (regFuture.isDone()) bind0();
    else regFuture.addListener(bind0);
    return promise;
  }

  /** Creates the channel, sets it up ({@link init}) and registers it; a failure closes it. */
  protected initAndRegister(): ChannelFuture {
    let channel: C | null = null;
    try {
      channel = this.factoryRef!();
      this.init(channel);
    } catch (err) {
      if (channel !== null) {
        channel.unsafe().closeForcibly();
        return new DefaultChannelPromise(channel, null).setFailure(err);
      }
      return new DefaultChannelPromise(new FailedChannel(), null).setFailure(err);
    }
    const regFuture = this.groupRef!.register(channel);
    if (regFuture.isDone() && regFuture.cause() !== null) {
      if (channel.isRegistered()) channel.close();
      else channel.unsafe().closeForcibly();
    }
    return regFuture;
  }

  /** Sets up a new channel before registration: options, attributes, handlers. */
  protected abstract init(channel: C): void;

  /** @internal Copies the common settings into `target` (for clone()). */
  protected copyInto(target: AbstractBootstrap<B, C>): void {
    target.groupRef = this.groupRef;
    target.factoryRef = this.factoryRef;
    target.localAddressRef = this.localAddressRef;
    target.handlerRef = this.handlerRef;
    for (const [k, v] of this.optionsRef) target.optionsRef.set(k, v);
    for (const [k, v] of this.attrsRef) target.attrsRef.set(k, v);
  }

  toString(): string {
    const parts: string[] = [];
    if (this.groupRef !== null) parts.push(`group: ${this.groupRef.constructor.name}`);
    if (this.localAddressRef !== null) parts.push(`localAddress: ${String(this.localAddressRef)}`);
    if (this.optionsRef.size > 0) parts.push(`options: {${[...this.optionsRef].map(([k, v]) => `${k.name}=${String(v)}`).join(', ')}}`);
    if (this.handlerRef !== null) parts.push(`handler: ${this.handlerRef.constructor.name}`);
    return `${this.constructor.name}(${parts.join(', ')})`;
  }
}

/** @internal Applies options; an unknown or rejected option is logged, as Netty does. */
export function setChannelOptions(channel: Channel, options: ReadonlyMap<ChannelOption<unknown>, unknown>, log: InternalLogger = logger): void {
  for (const [option, value] of options) {
    try {
      if (!channel.config().setOption(option, value)) log.warn(`Unknown channel option '${option.name}' for channel '${String(channel)}'`);
    } catch (err) {
      log.warn(`Failed to set channel option '${option.name}' with value '${String(value)}' for channel '${String(channel)}'`, err);
    }
  }
}

/** @internal */
export function setAttributes(channel: Channel, attrs: ReadonlyMap<AttributeKey<unknown>, unknown>): void {
  for (const [key, value] of attrs) channel.attr(key).set(value);
}

/** @internal `(address)`, `(port)` or `(host, port)` → a SocketAddress. */
export function toAddress(a: SocketAddress | number | string, port?: number): SocketAddress {
  if (a instanceof SocketAddress) return a;
  if (typeof a === 'number') return new InetSocketAddress('0.0.0.0', a);
  if (typeof a === 'string' && typeof port === 'number') return new InetSocketAddress(a, port);
  throw new IllegalArgumentException(`not an address: ${String(a)}${port !== undefined ? `, ${String(port)}` : ''} (expected: SocketAddress, port, or host and port)`);
}

