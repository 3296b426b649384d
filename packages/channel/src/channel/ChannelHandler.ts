import type { ChannelHandlerContext } from './ChannelHandlerContext';
import type { ChannelPromise } from './ChannelFuture';
import type { SocketAddress } from './SocketAddress';

/**
 * Port of io.netty.channel.ChannelHandler: the unit of work in a {@link ChannelPipeline}.
 *
 * A handler implements only the methods it cares about. A method that is absent (or inherited unchanged
 * from an adapter, which marks its pass-through methods as skippable) is never called: the pipeline
 * routes the event straight to the next handler that has it — Netty's skip masks, computed once per
 * handler class.
 *
 * ## Threading
 * Every method runs on the channel's event loop (or the executor given when the handler was added), never
 * concurrently and never re-entrantly from outside the loop.
 */
export interface ChannelHandler {
  /** Called once the handler is in the pipeline and ready to receive events. */
  handlerAdded?(ctx: ChannelHandlerContext): void;
  /** Called once the handler was removed and receives no more events. */
  handlerRemoved?(ctx: ChannelHandlerContext): void;
  /** An error was raised in this or a previous handler. */
  exceptionCaught?(ctx: ChannelHandlerContext, cause: Error): void;
  /** Whether one instance may be added to several pipelines (see {@link Sharable}). */
  isSharable?(): boolean;
}

/**
 * Port of io.netty.channel.ChannelInboundHandler: receives events travelling from the transport (head)
 * towards the application (tail).
 *
 * ## Ownership
 * `channelRead` receives the reference of a reference-counted message: forward it
 * (`ctx.fireChannelRead(msg)`) or release it. `SimpleChannelInboundHandler` releases for you.
 */
export interface ChannelInboundHandler extends ChannelHandler {
  channelRegistered?(ctx: ChannelHandlerContext): void;
  channelUnregistered?(ctx: ChannelHandlerContext): void;
  channelActive?(ctx: ChannelHandlerContext): void;
  channelInactive?(ctx: ChannelHandlerContext): void;
  channelRead?(ctx: ChannelHandlerContext, msg: unknown): void;
  channelReadComplete?(ctx: ChannelHandlerContext): void;
  userEventTriggered?(ctx: ChannelHandlerContext, evt: unknown): void;
  channelWritabilityChanged?(ctx: ChannelHandlerContext): void;
}

/**
 * Port of io.netty.channel.ChannelOutboundHandler: intercepts operations travelling from the application
 * (tail) towards the transport (head).
 *
 * ## Ownership
 * `write` receives the message's reference and its promise: pass both on, or release the message and
 * complete the promise.
 */
export interface ChannelOutboundHandler extends ChannelHandler {
  bind?(ctx: ChannelHandlerContext, localAddress: SocketAddress, promise: ChannelPromise): void;
  connect?(ctx: ChannelHandlerContext, remoteAddress: SocketAddress, localAddress: SocketAddress | null, promise: ChannelPromise): void;
  disconnect?(ctx: ChannelHandlerContext, promise: ChannelPromise): void;
  close?(ctx: ChannelHandlerContext, promise: ChannelPromise): void;
  deregister?(ctx: ChannelHandlerContext, promise: ChannelPromise): void;
  read?(ctx: ChannelHandlerContext): void;
  write?(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void;
  flush?(ctx: ChannelHandlerContext): void;
}

/** A handler that may handle both directions (Netty's ChannelDuplexHandler contract). */
export type ChannelDuplexHandlerLike = ChannelInboundHandler & ChannelOutboundHandler;

const SHARABLE = Symbol.for('@sluice/channel:Sharable');

/**
 * Class decorator: Netty's `@Sharable`. A sharable handler instance may be added to many pipelines (or
 * several times to one); it must then keep no per-channel state. Inherited by subclasses, as in Netty.
 *
 * @example
 * @Sharable
 * class CountingHandler extends ChannelInboundHandlerAdapter { ... }
 */
export function Sharable<T extends abstract new (...args: never[]) => object>(target: T): T {
  Object.defineProperty(target, SHARABLE, { value: true, enumerable: false });
  return target;
}

/** Is the handler's class marked {@link Sharable} (or does the handler say so itself)? */
export function isSharableHandler(handler: ChannelHandler): boolean {
  if (typeof handler.isSharable === 'function') return handler.isSharable();
  const ctor = (handler as { constructor?: unknown }).constructor as Record<symbol, unknown> | undefined;
  return ctor !== undefined && ctor[SHARABLE] === true;
}

/** @internal Whether a constructor carries the Sharable mark. */
export function classIsSharable(ctor: unknown): boolean {
  return typeof ctor === 'function' && (ctor as unknown as Record<symbol, unknown>)[SHARABLE] === true;
}
