import type { EventExecutorGroup } from '../concurrent/EventExecutor';
import type { Channel } from './Channel';
import type { ChannelHandler } from './ChannelHandler';
import type { ChannelHandlerContext } from './ChannelHandlerContext';
import type { ChannelInboundInvoker, ChannelOutboundInvoker } from './ChannelInvokers';

/** A handler class, for look-ups by type (`pipeline.get(MyDecoder)`). */
export type HandlerType<T extends ChannelHandler> = abstract new (...args: never[]) => T;

/**
 * Port of io.netty.channel.ChannelPipeline: the ordered list of handlers of a channel.
 *
 * Inbound events start at the head and travel towards the tail; outbound operations start at the tail
 * and travel towards the head, which hands them to the transport.
 *
 * ```
 *                      I/O request (write, flush, close…)
 *  +----------------------------------------------+--------+
 *  |  ChannelPipeline                             |        |
 *  |                                             \|/       |
 *  |  tail  … [handler N] … [handler 1]  head  ---+--> transport (socket)
 *  |   /|\                                |               |
 *  +----+---------------------------------+---------------+
 *       |                                \|/
 *   fireChannelRead, …              inbound events from the transport
 * ```
 *
 * ## Pitfalls
 * A handler without `@Sharable` can be added once only, ever (Netty's rule). A name must be unique; pass
 * `null` to get a generated one (`ClassName#0`).
 */
export interface ChannelPipeline extends ChannelInboundInvoker, ChannelOutboundInvoker {
  channel(): Channel;

  /** Adds `handler` at the head with a generated name (Netty's `addFirst(ChannelHandler...)`). */
  addFirst(handler: ChannelHandler): this;
  addFirst(name: string | null, handler: ChannelHandler): this;
  addFirst(group: EventExecutorGroup | null, name: string | null, handler: ChannelHandler): this;
  /** Adds `handler` at the tail with a generated name (Netty's `addLast(ChannelHandler...)`). */
  addLast(handler: ChannelHandler): this;
  addLast(name: string | null, handler: ChannelHandler): this;
  addLast(group: EventExecutorGroup | null, name: string | null, handler: ChannelHandler): this;
  addBefore(baseName: string, name: string | null, handler: ChannelHandler): this;
  addBefore(group: EventExecutorGroup | null, baseName: string, name: string | null, handler: ChannelHandler): this;
  addAfter(baseName: string, name: string | null, handler: ChannelHandler): this;
  addAfter(group: EventExecutorGroup | null, baseName: string, name: string | null, handler: ChannelHandler): this;
  /** Adds handlers at the head so that they end up in the given order. */
  addFirstHandlers(...handlers: ChannelHandler[]): this;
  /** Adds handlers at the tail, in order, with generated names. */
  addLastHandlers(...handlers: ChannelHandler[]): this;

  remove(handler: ChannelHandler): this;
  remove(name: string): ChannelHandler;
  remove<T extends ChannelHandler>(type: HandlerType<T>): T;
  removeFirst(): ChannelHandler;
  removeLast(): ChannelHandler;
  replace(old: ChannelHandler | string | HandlerType<ChannelHandler>, newName: string | null, newHandler: ChannelHandler): ChannelHandler;

  first(): ChannelHandler | null;
  firstContext(): ChannelHandlerContext | null;
  last(): ChannelHandler | null;
  lastContext(): ChannelHandlerContext | null;
  get(name: string): ChannelHandler | null;
  get<T extends ChannelHandler>(type: HandlerType<T>): T | null;
  context(nameOrHandlerOrType: string | ChannelHandler | HandlerType<ChannelHandler>): ChannelHandlerContext | null;
  /** Names of the user handlers, head to tail. */
  names(): string[];
  /** Name → handler, head to tail. */
  toMap(): Map<string, ChannelHandler>;
}
