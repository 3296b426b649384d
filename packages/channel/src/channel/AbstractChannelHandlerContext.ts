import type { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import { ReferenceCountUtil } from '../buffer/ReferenceCountUtil';
import type { EventExecutor } from '../concurrent/EventExecutor';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { IllegalArgumentException, toError } from '../util/SluiceError';
import type { Attribute, AttributeKey } from './AttributeKey';
import type { Channel } from './Channel';
import type { ChannelFuture, ChannelPromise } from './ChannelFuture';
import type { ChannelHandler, ChannelInboundHandler, ChannelOutboundHandler } from './ChannelHandler';
import type { ChannelHandlerContext } from './ChannelHandlerContext';
import * as M from './ChannelHandlerMask';
import type { DefaultChannelPipeline } from './DefaultChannelPipeline';
import { DefaultChannelPromise } from './DefaultChannelPromise';
import { VoidChannelPromise } from './VoidChannelPromise';
import type { SocketAddress } from './SocketAddress';
import { succeededChannelFuture, failedChannelFuture } from './CompleteChannelFuture';

const logger = InternalLoggerFactory.getInstance('AbstractChannelHandlerContext');

/** Netty's handler states: events reach a handler only once its handlerAdded ran (ADD_COMPLETE). */
export const enum HandlerState {
  Init = 0,
  AddPending = 1,
  AddComplete = 2,
  RemoveComplete = 3,
}

/** Depth of exceptionCaught calls on the stack: an inbound error raised inside one is only logged. */
let exceptionCaughtDepth = 0;

/** Bytes a queued cross-executor write counts for before it runs (Netty's writeTaskSizeOverhead). */
const WRITE_TASK_OVERHEAD = 32;

/**
 * Port of io.netty.channel.AbstractChannelHandlerContext (Netty 4.1, with ChannelHandlerMask): a node of
 * the pipeline's doubly linked list and the dispatcher of events between handlers.
 *
 * ## Threading
 * Dispatch calls the next handler directly when the caller is on that handler's executor, and queues the
 * call on the executor otherwise. Skip masks are consulted on every hop; a context on a *different*
 * executor that lacks the method is not skipped, to keep ordering across executors (Netty #10067).
 */
export class AbstractChannelHandlerContext implements ChannelHandlerContext {
  next!: AbstractChannelHandlerContext;
  prev!: AbstractChannelHandlerContext;
  handlerState: HandlerState = HandlerState.Init;
  readonly executionMask: number;

  constructor(
    readonly pipelineImpl: DefaultChannelPipeline,
    /** Explicit executor (a handler added with an executor group), or null for the channel's loop. */
    readonly childExecutor: EventExecutor | null,
    private readonly handlerName: string,
    private readonly handlerImpl: ChannelHandler,
  ) {
    this.executionMask = M.mask(handlerImpl);
  }

  channel(): Channel {
    return this.pipelineImpl.channel();
  }
  pipeline(): DefaultChannelPipeline {
    return this.pipelineImpl;
  }
  executor(): EventExecutor {
    return this.childExecutor ?? this.pipelineImpl.channel().eventLoop();
  }
  name(): string {
    return this.handlerName;
  }
  handler(): ChannelHandler {
    return this.handlerImpl;
  }
  alloc(): ByteBufAllocator {
    return this.channel().config().getAllocator();
  }
  isRemoved(): boolean {
    return this.handlerState === HandlerState.RemoveComplete;
  }
  attr<T>(key: AttributeKey<T>): Attribute<T> {
    return this.channel().attr(key);
  }
  hasAttr<T>(key: AttributeKey<T>): boolean {
    return this.channel().hasAttr(key);
  }

  // ---- lifecycle (called by the pipeline) ----

  setAddPending(): void {
    this.handlerState = HandlerState.AddPending;
  }
  /** Marks ADD_COMPLETE unless already removed; returns whether it did. */
  setAddComplete(): boolean {
    if (this.handlerState === HandlerState.RemoveComplete) return false;
    this.handlerState = HandlerState.AddComplete;
    return true;
  }
  setRemoved(): void {
    this.handlerState = HandlerState.RemoveComplete;
  }
  callHandlerAdded(): void {
    if (this.setAddComplete()) this.handler().handlerAdded?.(this);
  }
  callHandlerRemoved(): void {
    try {
      // Netty #8676: handlerRemoved only if handlerAdded ran.
      if (this.handlerState === HandlerState.AddComplete) this.handler().handlerRemoved?.(this);
    } finally {
      this.setRemoved();
    }
  }

  /** Events reach the handler only after its handlerAdded ran; until then they pass through. */
  private invokeHandler(): boolean {
    return this.handlerState === HandlerState.AddComplete;
  }

  // ---- finding the next context ----

  // The next context whose handler has `bit` (the tail and the head have them all). A handler of the
  // same direction without it is skipped only when it runs on this context's executor, which is looked up
  // only then: the common hop (the next handler has the method) reads one mask and nothing else.
  private findContextInbound(bit: number): AbstractChannelHandlerContext {
    let ctx: AbstractChannelHandlerContext = this;
    let current: EventExecutor | null = null;
    for (;;) {
      ctx = ctx.next;
      const m = ctx.executionMask;
      if ((m & bit) !== 0) return ctx;
      if ((m & M.MASK_ONLY_INBOUND) === 0) continue;
      if (current === null) current = this.executor();
      if (ctx.executor() !== current) return ctx;
    }
  }

  private findContextOutbound(bit: number): AbstractChannelHandlerContext {
    let ctx: AbstractChannelHandlerContext = this;
    let current: EventExecutor | null = null;
    for (;;) {
      ctx = ctx.prev;
      const m = ctx.executionMask;
      if ((m & bit) !== 0) return ctx;
      if ((m & M.MASK_ONLY_OUTBOUND) === 0) continue;
      if (current === null) current = this.executor();
      if (ctx.executor() !== current) return ctx;
    }
  }

  // ---- inbound ----

  fireChannelRegistered(): this {
    invokeChannelRegistered(this.findContextInbound(M.MASK_CHANNEL_REGISTERED));
    return this;
  }
  fireChannelUnregistered(): this {
    invokeChannelUnregistered(this.findContextInbound(M.MASK_CHANNEL_UNREGISTERED));
    return this;
  }
  fireChannelActive(): this {
    invokeChannelActive(this.findContextInbound(M.MASK_CHANNEL_ACTIVE));
    return this;
  }
  fireChannelInactive(): this {
    invokeChannelInactive(this.findContextInbound(M.MASK_CHANNEL_INACTIVE));
    return this;
  }
  fireExceptionCaught(cause: Error): this {
    invokeExceptionCaught(this.findContextInbound(M.MASK_EXCEPTION_CAUGHT), cause);
    return this;
  }
  fireUserEventTriggered(event: unknown): this {
    if (event === null || event === undefined) throw new IllegalArgumentException('event');
    invokeUserEventTriggered(this.findContextInbound(M.MASK_USER_EVENT_TRIGGERED), event);
    return this;
  }
  fireChannelRead(msg: unknown): this {
    if (msg === null || msg === undefined) throw new IllegalArgumentException('msg');
    invokeChannelRead(this.findContextInbound(M.MASK_CHANNEL_READ), msg);
    return this;
  }
  fireChannelReadComplete(): this {
    invokeChannelReadComplete(this.findContextInbound(M.MASK_CHANNEL_READ_COMPLETE));
    return this;
  }
  fireChannelWritabilityChanged(): this {
    invokeChannelWritabilityChanged(this.findContextInbound(M.MASK_CHANNEL_WRITABILITY_CHANGED));
    return this;
  }

  invokeChannelRegistered(): void {
    const h = this.handler() as ChannelInboundHandler;
    if (!this.invokeHandler() || h.channelRegistered === undefined) {
      this.fireChannelRegistered();
      return;
    }
    try {
      h.channelRegistered(this);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }
  invokeChannelUnregistered(): void {
    const h = this.handler() as ChannelInboundHandler;
    if (!this.invokeHandler() || h.channelUnregistered === undefined) {
      this.fireChannelUnregistered();
      return;
    }
    try {
      h.channelUnregistered(this);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }
  invokeChannelActive(): void {
    const h = this.handler() as ChannelInboundHandler;
    if (!this.invokeHandler() || h.channelActive === undefined) {
      this.fireChannelActive();
      return;
    }
    try {
      h.channelActive(this);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }
  invokeChannelInactive(): void {
    const h = this.handler() as ChannelInboundHandler;
    if (!this.invokeHandler() || h.channelInactive === undefined) {
      this.fireChannelInactive();
      return;
    }
    try {
      h.channelInactive(this);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }
  invokeExceptionCaught(cause: Error): void {
    const h = this.handler();
    if (!this.invokeHandler() || h.exceptionCaught === undefined) {
      this.fireExceptionCaught(cause);
      return;
    }
    exceptionCaughtDepth++;
    try {
      h.exceptionCaught(this, cause);
    } catch (err) {
      logger.warn(
        `An exception '${String(err)}' was thrown by a user handler's exceptionCaught() method while handling the following exception:`,
        cause,
      );
    } finally {
      exceptionCaughtDepth--;
    }
  }
  invokeUserEventTriggered(event: unknown): void {
    const h = this.handler() as ChannelInboundHandler;
    if (!this.invokeHandler() || h.userEventTriggered === undefined) {
      this.fireUserEventTriggered(event);
      return;
    }
    try {
      h.userEventTriggered(this, event);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }
  invokeChannelRead(msg: unknown): void {
    const h = this.handler() as ChannelInboundHandler;
    if (!this.invokeHandler() || h.channelRead === undefined) {
      this.fireChannelRead(msg);
      return;
    }
    try {
      h.channelRead(this, msg);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }
  invokeChannelReadComplete(): void {
    const h = this.handler() as ChannelInboundHandler;
    if (!this.invokeHandler() || h.channelReadComplete === undefined) {
      this.fireChannelReadComplete();
      return;
    }
    try {
      h.channelReadComplete(this);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }
  invokeChannelWritabilityChanged(): void {
    const h = this.handler() as ChannelInboundHandler;
    if (!this.invokeHandler() || h.channelWritabilityChanged === undefined) {
      this.fireChannelWritabilityChanged();
      return;
    }
    try {
      h.channelWritabilityChanged(this);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }

  /** An inbound handler method threw: its own exceptionCaught gets the error (Netty's rule). */
  private invokeExceptionCaughtFromHandler(thrown: unknown): void {
    const cause = toError(thrown);
    if (exceptionCaughtDepth > 0) {
      // Loop protection: the error came out of code running inside an exceptionCaught handler.
      logger.warn('An exception was thrown by a user handler while handling an exceptionCaught event', cause);
      return;
    }
    this.invokeExceptionCaught(cause);
  }

  // ---- outbound ----

  bind(localAddress: SocketAddress, promise: ChannelPromise = this.newPromise()): ChannelFuture {
    if (this.isNotValidPromise(promise, false)) return promise;
    const next = this.findContextOutbound(M.MASK_BIND);
    const executor = next.executor();
    if (executor.inEventLoop()) next.invokeBind(localAddress, promise);
    else safeExecute(executor, () => next.invokeBind(localAddress, promise), promise, null);
    return promise;
  }

  connect(remoteAddress: SocketAddress, localAddress: SocketAddress | null = null, promise: ChannelPromise = this.newPromise()): ChannelFuture {
    if (this.isNotValidPromise(promise, false)) return promise;
    const next = this.findContextOutbound(M.MASK_CONNECT);
    const executor = next.executor();
    if (executor.inEventLoop()) next.invokeConnect(remoteAddress, localAddress, promise);
    else safeExecute(executor, () => next.invokeConnect(remoteAddress, localAddress, promise), promise, null);
    return promise;
  }

  disconnect(promise: ChannelPromise = this.newPromise()): ChannelFuture {
    if (!this.channel().metadata().hasDisconnect) {
      // Transports like TCP have no disconnect distinct from close (Netty routes it to close).
      return this.close(promise);
    }
    if (this.isNotValidPromise(promise, false)) return promise;
    const next = this.findContextOutbound(M.MASK_DISCONNECT);
    const executor = next.executor();
    if (executor.inEventLoop()) next.invokeDisconnect(promise);
    else safeExecute(executor, () => next.invokeDisconnect(promise), promise, null);
    return promise;
  }

  close(promise: ChannelPromise = this.newPromise()): ChannelFuture {
    if (this.isNotValidPromise(promise, false)) return promise;
    const next = this.findContextOutbound(M.MASK_CLOSE);
    const executor = next.executor();
    if (executor.inEventLoop()) next.invokeClose(promise);
    else safeExecute(executor, () => next.invokeClose(promise), promise, null);
    return promise;
  }

  deregister(promise: ChannelPromise = this.newPromise()): ChannelFuture {
    if (this.isNotValidPromise(promise, false)) return promise;
    const next = this.findContextOutbound(M.MASK_DEREGISTER);
    const executor = next.executor();
    if (executor.inEventLoop()) next.invokeDeregister(promise);
    else safeExecute(executor, () => next.invokeDeregister(promise), promise, null);
    return promise;
  }

  read(): this {
    const next = this.findContextOutbound(M.MASK_READ);
    const executor = next.executor();
    if (executor.inEventLoop()) next.invokeRead();
    else executor.execute(() => next.invokeRead());
    return this;
  }

  write(msg: unknown, promise: ChannelPromise = this.newPromise()): ChannelFuture {
    this.writeImpl(msg, false, promise);
    return promise;
  }

  writeAndFlush(msg: unknown, promise: ChannelPromise = this.newPromise()): ChannelFuture {
    this.writeImpl(msg, true, promise);
    return promise;
  }

  flush(): this {
    const next = this.findContextOutbound(M.MASK_FLUSH);
    const executor = next.executor();
    if (executor.inEventLoop()) next.invokeFlush();
    else executor.execute(() => next.invokeFlush());
    return this;
  }

  private writeImpl(msg: unknown, flush: boolean, promise: ChannelPromise): void {
    if (msg === null || msg === undefined) throw new IllegalArgumentException('msg');
    try {
      if (this.isNotValidPromise(promise, true)) {
        ReferenceCountUtil.release(msg);
        return;
      }
    } catch (err) {
      ReferenceCountUtil.release(msg);
      throw err;
    }
    const next = this.findContextOutbound(flush ? M.MASK_WRITE | M.MASK_FLUSH : M.MASK_WRITE);
    const executor = next.executor();
    if (executor.inEventLoop()) {
      if (flush) next.invokeWriteAndFlush(msg, promise);
      else next.invokeWrite(msg, promise);
      return;
    }
    // Netty #1697: a write queued from outside the loop counts towards writability while it waits.
    const outbound = this.channel().unsafe().outboundBuffer();
    const size = WRITE_TASK_OVERHEAD + this.channel().config().getMessageSizeEstimator().size(msg);
    outbound?.incrementPendingOutboundBytes(size, true);
    safeExecute(
      executor,
      () => {
        outbound?.decrementPendingOutboundBytes(size, true);
        if (flush) next.invokeWriteAndFlush(msg, promise);
        else next.invokeWrite(msg, promise);
      },
      promise,
      msg,
    );
  }

  invokeBind(localAddress: SocketAddress, promise: ChannelPromise): void {
    const h = this.handler() as ChannelOutboundHandler;
    if (!this.invokeHandler() || h.bind === undefined) {
      this.bind(localAddress, promise);
      return;
    }
    try {
      h.bind(this, localAddress, promise);
    } catch (t) {
      notifyOutboundHandlerException(t, promise);
    }
  }
  invokeConnect(remoteAddress: SocketAddress, localAddress: SocketAddress | null, promise: ChannelPromise): void {
    const h = this.handler() as ChannelOutboundHandler;
    if (!this.invokeHandler() || h.connect === undefined) {
      this.connect(remoteAddress, localAddress, promise);
      return;
    }
    try {
      h.connect(this, remoteAddress, localAddress, promise);
    } catch (t) {
      notifyOutboundHandlerException(t, promise);
    }
  }
  invokeDisconnect(promise: ChannelPromise): void {
    const h = this.handler() as ChannelOutboundHandler;
    if (!this.invokeHandler() || h.disconnect === undefined) {
      this.disconnect(promise);
      return;
    }
    try {
      h.disconnect(this, promise);
    } catch (t) {
      notifyOutboundHandlerException(t, promise);
    }
  }
  invokeClose(promise: ChannelPromise): void {
    const h = this.handler() as ChannelOutboundHandler;
    if (!this.invokeHandler() || h.close === undefined) {
      this.close(promise);
      return;
    }
    try {
      h.close(this, promise);
    } catch (t) {
      notifyOutboundHandlerException(t, promise);
    }
  }
  invokeDeregister(promise: ChannelPromise): void {
    const h = this.handler() as ChannelOutboundHandler;
    if (!this.invokeHandler() || h.deregister === undefined) {
      this.deregister(promise);
      return;
    }
    try {
      h.deregister(this, promise);
    } catch (t) {
      notifyOutboundHandlerException(t, promise);
    }
  }
  invokeRead(): void {
    const h = this.handler() as ChannelOutboundHandler;
    if (!this.invokeHandler() || h.read === undefined) {
      this.read();
      return;
    }
    try {
      h.read(this);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }
  invokeWrite(msg: unknown, promise: ChannelPromise): void {
    const h = this.handler() as ChannelOutboundHandler;
    if (!this.invokeHandler() || h.write === undefined) {
      this.write(msg, promise);
      return;
    }
    try {
      h.write(this, msg, promise);
    } catch (t) {
      notifyOutboundHandlerException(t, promise);
    }
  }
  invokeFlush(): void {
    const h = this.handler() as ChannelOutboundHandler;
    if (!this.invokeHandler() || h.flush === undefined) {
      this.flush();
      return;
    }
    try {
      h.flush(this);
    } catch (t) {
      this.invokeExceptionCaughtFromHandler(t);
    }
  }
  invokeWriteAndFlush(msg: unknown, promise: ChannelPromise): void {
    if (!this.invokeHandler()) {
      this.writeAndFlush(msg, promise);
      return;
    }
    this.invokeWrite(msg, promise);
    // This context was found for its write (or flush). A flush it only passes on (skip-marked, like
    // MessageToMessageEncoder's) goes straight to the next flush handler, as from any other context.
    if ((this.executionMask & M.MASK_FLUSH) !== 0) this.invokeFlush();
    else this.flush();
  }

  newPromise(): ChannelPromise {
    return new DefaultChannelPromise(this.channel(), this.executor());
  }
  newSucceededFuture(): ChannelFuture {
    return succeededChannelFuture(this.channel(), this.executor());
  }
  newFailedFuture(cause: unknown): ChannelFuture {
    return failedChannelFuture(this.channel(), this.executor(), cause);
  }
  voidPromise(): ChannelPromise {
    return this.channel().voidPromise();
  }

  /**
   * Netty's isNotValidPromise: true (skip the operation) for a cancelled promise; throws for a promise
   * that is already done, of another channel, void where not allowed, or the close future.
   */
  private isNotValidPromise(promise: ChannelPromise, allowVoidPromise: boolean): boolean {
    if (promise === null || promise === undefined) throw new IllegalArgumentException('promise');
    if (promise instanceof VoidChannelPromise) {
      // Fast path for the per-message `write(msg, voidPromise())`: a void promise is never done, so only
      // its channel and whether it is allowed matter (same checks, same order as below).
      if (promise.channel() !== this.channel()) {
        throw new IllegalArgumentException(`promise.channel does not match: ${String(promise.channel())} (expected: ${String(this.channel())})`);
      }
      if (!allowVoidPromise) throw new IllegalArgumentException('VoidChannelPromise not allowed for this operation');
      return false;
    }
    if (promise.isDone()) {
      if (promise.isCancelled()) return true;
      throw new IllegalArgumentException(`promise already done: ${String(promise)}`);
    }
    if (promise.channel() !== this.channel()) {
      throw new IllegalArgumentException(`promise.channel does not match: ${String(promise.channel())} (expected: ${String(this.channel())})`);
    }
    if (promise === (this.channel().closeFuture() as unknown)) {
      throw new IllegalArgumentException('CloseFuture not allowed in a pipeline');
    }
    return false;
  }

  toString(): string {
    return `ChannelHandlerContext(${this.handlerName}, ${String(this.channel())})`;
  }
}

function invokeChannelRegistered(next: AbstractChannelHandlerContext): void {
  const executor = next.executor();
  if (executor.inEventLoop()) next.invokeChannelRegistered();
  else executor.execute(() => next.invokeChannelRegistered());
}
function invokeChannelUnregistered(next: AbstractChannelHandlerContext): void {
  const executor = next.executor();
  if (executor.inEventLoop()) next.invokeChannelUnregistered();
  else executor.execute(() => next.invokeChannelUnregistered());
}
function invokeChannelActive(next: AbstractChannelHandlerContext): void {
  const executor = next.executor();
  if (executor.inEventLoop()) next.invokeChannelActive();
  else executor.execute(() => next.invokeChannelActive());
}
function invokeChannelInactive(next: AbstractChannelHandlerContext): void {
  const executor = next.executor();
  if (executor.inEventLoop()) next.invokeChannelInactive();
  else executor.execute(() => next.invokeChannelInactive());
}
/** @internal Used by the pipeline to start inbound events at the head. */
export function invokeExceptionCaught(next: AbstractChannelHandlerContext, cause: Error): void {
  const executor = next.executor();
  if (executor.inEventLoop()) {
    next.invokeExceptionCaught(cause);
    return;
  }
  try {
    executor.execute(() => next.invokeExceptionCaught(cause));
  } catch (err) {
    logger.warn('Failed to submit an exceptionCaught() event.', err);
    logger.warn('The exceptionCaught() event that was failed to submit was:', cause);
  }
}
function invokeUserEventTriggered(next: AbstractChannelHandlerContext, event: unknown): void {
  const executor = next.executor();
  if (executor.inEventLoop()) next.invokeUserEventTriggered(event);
  else executor.execute(() => next.invokeUserEventTriggered(event));
}
function invokeChannelRead(next: AbstractChannelHandlerContext, msg: unknown): void {
  const executor = next.executor();
  if (executor.inEventLoop()) next.invokeChannelRead(msg);
  else executor.execute(() => next.invokeChannelRead(msg));
}
function invokeChannelReadComplete(next: AbstractChannelHandlerContext): void {
  const executor = next.executor();
  if (executor.inEventLoop()) next.invokeChannelReadComplete();
  else executor.execute(() => next.invokeChannelReadComplete());
}
function invokeChannelWritabilityChanged(next: AbstractChannelHandlerContext): void {
  const executor = next.executor();
  if (executor.inEventLoop()) next.invokeChannelWritabilityChanged();
  else executor.execute(() => next.invokeChannelWritabilityChanged());
}

export const Invoke = {
  channelRegistered: invokeChannelRegistered,
  channelUnregistered: invokeChannelUnregistered,
  channelActive: invokeChannelActive,
  channelInactive: invokeChannelInactive,
  exceptionCaught: invokeExceptionCaught,
  userEventTriggered: invokeUserEventTriggered,
  channelRead: invokeChannelRead,
  channelReadComplete: invokeChannelReadComplete,
  channelWritabilityChanged: invokeChannelWritabilityChanged,
};

/** An outbound handler threw: fail its promise, never fire exceptionCaught (Netty's rule). */
function notifyOutboundHandlerException(thrown: unknown, promise: ChannelPromise): void {
  const cause = toError(thrown);
  if (!promise.tryFailure(cause) && !promise.isVoid()) {
    logger.warn(`Failed to fail the promise because it's done already: ${String(promise)}`, cause);
  }
}

function safeExecute(executor: EventExecutor, task: () => void, promise: ChannelPromise, msg: unknown): void {
  try {
    executor.execute(task);
  } catch (cause) {
    try {
      if (msg !== null) ReferenceCountUtil.release(msg);
    } finally {
      promise.tryFailure(cause);
    }
  }
}
