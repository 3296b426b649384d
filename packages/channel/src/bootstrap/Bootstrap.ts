import type { Channel } from '../channel/Channel';
import type { ChannelFuture } from '../channel/ChannelFuture';
import { ChannelFutureListeners } from '../channel/ChannelFuture';
import { DefaultChannelPromise } from '../channel/DefaultChannelPromise';
import type { SocketAddress } from '../channel/SocketAddress';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { IllegalStateException } from '../util/SluiceError';
import { AbstractBootstrap, setAttributes, setChannelOptions, toAddress } from './AbstractBootstrap';

const logger = InternalLoggerFactory.getInstance('Bootstrap');

/**
 * Port of io.netty.bootstrap.Bootstrap (Netty 4.1). Differs: host names are resolved by Node's socket (no
 * pluggable AddressResolverGroup), and futures are awaited instead of blocking in `sync()`.
 *
 * Sets up client channels: `connect()` creates a channel, applies the options and attributes, adds the
 * handler, registers it with the group and connects it from the channel's event loop. A failed connect
 * closes the channel.
 *
 * ## Threading
 * Call from anywhere; the connect itself runs on the channel's event loop.
 *
 * ## Pitfalls
 * `await bootstrap.connect(…)` resolves to nothing: keep the future to get the channel, or use
 * `(await bootstrap.connect(…).sync()).channel()`.
 *
 * @example
 * const group = new DefaultEventLoopGroup();
 * const ch = (await new Bootstrap()
 *   .group(group)
 *   .channel(TcpSocketChannel)
 *   .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
 *   .handler(new (class extends ChannelInitializer {
 *     protected initChannel(ch: Channel) { ch.pipeline().addLast(null, new ClientHandler()); }
 *   })())
 *   .connect('127.0.0.1', 8080)
 *   .sync()).channel();
 */
export class Bootstrap extends AbstractBootstrap<Bootstrap, Channel> {
  private remoteAddressRef: SocketAddress | null = null;

  /** The address `connect()` without arguments uses. */
  remoteAddress(address: SocketAddress): this;
  remoteAddress(host: string, port: number): this;
  remoteAddress(a: SocketAddress | string, port?: number): this {
    this.remoteAddressRef = toAddress(a, port);
    return this;
  }

  override validate(): this {
    super.validate();
    if (this.handlerRef === null) throw new IllegalStateException('handler not set');
    return this;
  }

  /**
   * Creates, registers and connects a channel. Returns the connect future; its `channel()` is the new
   * channel (also when the connect failed, then closed).
   */
  connect(): ChannelFuture;
  connect(host: string, port: number): ChannelFuture;
  connect(remoteAddress: SocketAddress, localAddress?: SocketAddress | null): ChannelFuture;
  connect(a?: SocketAddress | string, b?: number | SocketAddress | null): ChannelFuture {
    let remote: SocketAddress;
    let local: SocketAddress | null = this.localAddressRef;
    if (a === undefined) {
      if (this.remoteAddressRef === null) throw new IllegalStateException('remoteAddress not set');
      remote = this.remoteAddressRef;
    } else if (typeof a === 'string') {
      remote = toAddress(a, b as number);
    } else {
      remote = a;
      if (b !== undefined && b !== null && typeof b !== 'number') local = b;
    }
    this.validate();
    return this.doConnect(remote, local);
  }

  private doConnect(remote: SocketAddress, local: SocketAddress | null): ChannelFuture {
    const regFuture = this.initAndRegister();
    const channel = regFuture.channel();
    if (regFuture.isDone() && !regFuture.isSuccess()) return regFuture;
    const promise = new DefaultChannelPromise(channel);
    const connect0 = (): void => {
      if (!regFuture.isSuccess()) {
        promise.tryFailure(regFuture.cause());
        return;
      }
      // Netty's Bootstrap.doConnect: always a task on the channel's loop.
      channel.eventLoop().execute(() => {
        channel.connect(remote, local, promise);
        promise.addListener(ChannelFutureListeners.CLOSE_ON_FAILURE);
      });
    };
    if (regFuture.isDone()) connect0();
    else regFuture.addListener(connect0);
    return promise;
  }

  protected init(channel: Channel): void {
    channel.pipeline().addLast(null, this.handlerRef!);
    setChannelOptions(channel, this.optionsRef, logger);
    setAttributes(channel, this.attrsRef);
  }

  clone(): Bootstrap {
    const copy = new Bootstrap();
    this.copyInto(copy);
    copy.remoteAddressRef = this.remoteAddressRef;
    return copy;
  }

  override toString(): string {
    const base = super.toString();
    return this.remoteAddressRef === null ? base : `${base.slice(0, -1)}, remoteAddress: ${String(this.remoteAddressRef)})`;
  }
}
