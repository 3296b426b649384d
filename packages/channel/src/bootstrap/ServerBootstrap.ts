import type { AttributeKey } from '../channel/AttributeKey';
import type { Channel } from '../channel/Channel';
import type { ChannelHandler } from '../channel/ChannelHandler';
import type { ChannelHandlerContext } from '../channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../channel/ChannelInboundHandlerAdapter';
import type { ChannelOption } from '../channel/ChannelOption';
import type { EventLoopGroup } from '../concurrent/EventLoop';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { IllegalStateException, toError } from '../util/SluiceError';
import { AbstractBootstrap, setAttributes, setChannelOptions } from './AbstractBootstrap';
import { ChannelInitializer } from './ChannelInitializer';

const logger = InternalLoggerFactory.getInstance('ServerBootstrap');

/**
 * Port of io.netty.bootstrap.ServerBootstrap (Netty 4.1). Differs: `group(g)` alone uses `g` for both the
 * server channel and its children (Netty's `group(g)` does the same), and futures are awaited.
 *
 * Sets up a server channel and every connection it accepts. `bind()` creates the server channel, adds `handler()` (if any) and an acceptor; the acceptor
 * takes each accepted child channel (fired as `channelRead(child)` by the server channel), adds
 * `childHandler`, applies `childOption`s and `childAttr`s, and registers it with the child group —
 * force-closing it if that fails.
 *
 * ## Threading
 * The server channel runs on a loop of the parent group, each child on a loop of the child group (by
 * default the same group).
 *
 * ## Pitfalls
 * - `childHandler` is added to every accepted channel: make it a `ChannelInitializer` (or `@Sharable`).
 * - When the acceptor sees an exception (e.g. too many open files) it pauses accepting for one second by
 *   turning AUTO_READ off, as Netty does.
 *
 * @example
 * const group = new DefaultEventLoopGroup();
 * const server = (await new ServerBootstrap()
 *   .group(group)
 *   .channel(TcpServerSocketChannel)
 *   .childOption(ChannelOption.TCP_NODELAY, true)
 *   .childHandler(new (class extends ChannelInitializer {
 *     protected initChannel(ch: Channel) { ch.pipeline().addLast(null, new EchoHandler()); }
 *   })())
 *   .bind('127.0.0.1', 0)
 *   .sync()).channel();
 */
export class ServerBootstrap extends AbstractBootstrap<ServerBootstrap, Channel> {
  private childGroupRef: EventLoopGroup | null = null;
  private childHandlerRef: ChannelHandler | null = null;
  private readonly childOptionsRef = new Map<ChannelOption<unknown>, unknown>();
  private readonly childAttrsRef = new Map<AttributeKey<unknown>, unknown>();

  /** One group for the server channel and its children, or a parent (acceptor) and a child group. */
  override group(parentGroup: EventLoopGroup, childGroup: EventLoopGroup = parentGroup): this {
    super.group(parentGroup);
    if (this.childGroupRef !== null) throw new IllegalStateException('childGroup set already');
    this.childGroupRef = childGroup;
    return this;
  }

  /** The group accepted channels are registered with (null until `group()`). */
  childGroup(): EventLoopGroup | null {
    return this.childGroupRef;
  }

  /** Sets an option on every accepted channel; `null` removes it. */
  childOption<T>(option: ChannelOption<T>, value: T | null): this {
    if (value === null) this.childOptionsRef.delete(option as ChannelOption<unknown>);
    else this.childOptionsRef.set(option as ChannelOption<unknown>, value);
    return this;
  }

  /** Sets an attribute on every accepted channel; `null` removes it. */
  childAttr<T>(key: AttributeKey<T>, value: T | null): this {
    if (value === null) this.childAttrsRef.delete(key as AttributeKey<unknown>);
    else this.childAttrsRef.set(key as AttributeKey<unknown>, value);
    return this;
  }

  /** The handler added to every accepted channel. */
  childHandler(handler: ChannelHandler): this {
    this.childHandlerRef = handler;
    return this;
  }

  override validate(): this {
    super.validate();
    if (this.childHandlerRef === null) throw new IllegalStateException('childHandler not set');
    if (this.childGroupRef === null) {
      logger.warn('childGroup is not set. Using parentGroup instead.');
      this.childGroupRef = this.groupRef;
    }
    return this;
  }

  protected init(channel: Channel): void {
    setChannelOptions(channel, this.optionsRef, logger);
    setAttributes(channel, this.attrsRef);
    const handler = this.handlerRef;
    const childGroup = this.childGroupRef!;
    const childHandler = this.childHandlerRef!;
    const childOptions = new Map(this.childOptionsRef);
    const childAttrs = new Map(this.childAttrsRef);
    channel.pipeline().addLast(
      null,
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          const pipeline = ch.pipeline();
          if (handler !== null) pipeline.addLast(null, handler);
          // As Netty: added from a task, after the user handler's own handlerAdded work.
          ch.eventLoop().execute(() => {
            pipeline.addLast(null, new ServerBootstrapAcceptor(ch, childGroup, childHandler, childOptions, childAttrs));
          });
        }
      })(),
    );
  }

  clone(): ServerBootstrap {
    const copy = new ServerBootstrap();
    this.copyInto(copy);
    copy.childGroupRef = this.childGroupRef;
    copy.childHandlerRef = this.childHandlerRef;
    for (const [k, v] of this.childOptionsRef) copy.childOptionsRef.set(k, v);
    for (const [k, v] of this.childAttrsRef) copy.childAttrsRef.set(k, v);
    return copy;
  }
}

/**
 * Port of io.netty.bootstrap.ServerBootstrap.ServerBootstrapAcceptor (Netty 4.1), unchanged in behaviour:
 * the last handler of a server channel; turns
 * each accepted child channel into a registered, initialised channel of the child group.
 *
 * ## Threading
 * Runs on the server channel's loop; the child's registration continues on the child's loop.
 */
export class ServerBootstrapAcceptor extends ChannelInboundHandlerAdapter {
  constructor(
    private readonly server: Channel,
    private readonly childGroup: EventLoopGroup,
    private readonly childHandler: ChannelHandler,
    private readonly childOptions: ReadonlyMap<ChannelOption<unknown>, unknown>,
    private readonly childAttrs: ReadonlyMap<AttributeKey<unknown>, unknown>,
  ) {
    super();
  }

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    if (!isChannel(msg)) {
      ctx.fireChannelRead(msg);
      return;
    }
    const child = msg;
    try {
      child.pipeline().addLast(null, this.childHandler);
      setChannelOptions(child, this.childOptions, logger);
      setAttributes(child, this.childAttrs);
      this.childGroup.register(child).addListener((future) => {
        if (!future.isSuccess()) forceClose(child, future.cause());
      });
    } catch (err) {
      forceClose(child, err);
    }
  }

  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    const config = ctx.channel().config();
    if (config.isAutoRead()) {
      // Stop accepting for a second (e.g. too many open files), then try again: Netty's behaviour.
      config.setAutoRead(false);
      ctx.channel().eventLoop().schedule(() => {
        if (this.server.isOpen()) config.setAutoRead(true);
      }, 1000);
    }
    ctx.fireExceptionCaught(cause);
  }
}

function isChannel(msg: unknown): msg is Channel {
  return typeof msg === 'object' && msg !== null && typeof (msg as Channel).pipeline === 'function' && typeof (msg as Channel).unsafe === 'function';
}

function forceClose(child: Channel, cause: unknown): void {
  child.unsafe().closeForcibly();
  logger.warn(`Failed to register an accepted channel: ${String(child)}`, toError(cause));
}
