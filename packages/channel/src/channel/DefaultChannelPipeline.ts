import { ReferenceCountUtil } from '../buffer/ReferenceCountUtil';
import type { EventExecutor, EventExecutorGroup } from '../concurrent/EventExecutor';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { IllegalArgumentException, NoSuchElementException } from '../util/SluiceError';
import { AbstractChannelHandlerContext, Invoke } from './AbstractChannelHandlerContext';
import type { Channel } from './Channel';
import type { ChannelFuture, ChannelPromise } from './ChannelFuture';
import type { ChannelHandler } from './ChannelHandler';
import { isSharableHandler } from './ChannelHandler';
import { ChannelHandlerAdapter } from './ChannelHandlerAdapter';
import type { ChannelHandlerContext } from './ChannelHandlerContext';
import { ChannelOption } from './ChannelOption';
import type { ChannelPipeline, HandlerType } from './ChannelPipeline';
import { ChannelPipelineException } from './errors';
import { HeadHandler, TailHandler } from './HeadTailHandlers';
import type { SocketAddress } from './SocketAddress';
import { VoidChannelPromise } from './VoidChannelPromise';

const logger = InternalLoggerFactory.getInstance('DefaultChannelPipeline');

/** A handlerAdded/handlerRemoved callback waiting for the channel's first registration. */
interface PendingHandlerCallback {
  ctx: AbstractChannelHandlerContext;
  added: boolean;
  next: PendingHandlerCallback | null;
}

const nameCaches = new WeakMap<object, string>();

/**
 * Port of io.netty.channel.DefaultChannelPipeline (Netty 4.1).
 *
 * Handlers added before the channel is registered are linked at once (visible to `get`/`names`) and their
 * `handlerAdded` runs at registration, in order, before the register promise completes; afterwards,
 * `handlerAdded`/`handlerRemoved` run synchronously when called on the handler's executor, and are queued
 * on it otherwise. `replace` runs the new handler's `handlerAdded` before the old one's `handlerRemoved`.
 * When the channel is closed and deregistered the pipeline is destroyed: handlers are removed from the
 * tail back to the head, each seeing `handlerRemoved`.
 *
 * ## Threading
 * Mutations may be called from anywhere (Node: one thread, so no lock is needed); the callbacks run on
 * each handler's executor.
 *
 * ## Ownership
 * A message that reaches the tail unhandled is released (and logged at debug); an exception that reaches
 * the tail is logged at warn. Subclasses override {@link onUnhandledInboundMessage} and
 * {@link onUnhandledInboundException} (EmbeddedChannel keeps them instead).
 */
export class DefaultChannelPipeline implements ChannelPipeline {
  readonly head: AbstractChannelHandlerContext;
  readonly tail: AbstractChannelHandlerContext;
  private registered = false;
  private firstRegistration = true;
  private pendingHandlerCallbackHead: PendingHandlerCallback | null = null;
  private childExecutors: Map<EventExecutorGroup, EventExecutor> | null = null;
  private readonly voidPromiseImpl: VoidChannelPromise;

  constructor(private readonly ch: Channel) {
    this.voidPromiseImpl = new VoidChannelPromise(ch, true);
    this.tail = new AbstractChannelHandlerContext(this, null, 'TailContext#0', new TailHandler(this));
    this.head = new AbstractChannelHandlerContext(this, null, 'HeadContext#0', new HeadHandler(this));
    this.head.next = this.tail;
    this.tail.prev = this.head;
    this.head.setAddComplete();
    this.tail.setAddComplete();
  }

  channel(): Channel {
    return this.ch;
  }

  // ---- adding ----

  addFirst(
    ...args: [ChannelHandler] | [string | null, ChannelHandler] | [EventExecutorGroup | null, string | null, ChannelHandler]
  ): this {
    const [group, name, handler] = normalizeAddArgs(args);
    const ctx = this.prepare(group, name, handler);
    const next = this.head.next;
    ctx.prev = this.head;
    ctx.next = next;
    this.head.next = ctx;
    next.prev = ctx;
    return this.afterAdd(ctx);
  }

  addLast(
    ...args: [ChannelHandler] | [string | null, ChannelHandler] | [EventExecutorGroup | null, string | null, ChannelHandler]
  ): this {
    const [group, name, handler] = normalizeAddArgs(args);
    const ctx = this.prepare(group, name, handler);
    const prev = this.tail.prev;
    ctx.prev = prev;
    ctx.next = this.tail;
    prev.next = ctx;
    this.tail.prev = ctx;
    return this.afterAdd(ctx);
  }

  addBefore(
    ...args: [string, string | null, ChannelHandler] | [EventExecutorGroup | null, string, string | null, ChannelHandler]
  ): this {
    const [group, baseName, name, handler] = args.length === 3 ? [null, args[0], args[1], args[2]] : args;
    const base = this.getContextOrDie(baseName);
    const ctx = this.prepare(group, name, handler);
    ctx.prev = base.prev;
    ctx.next = base;
    base.prev.next = ctx;
    base.prev = ctx;
    return this.afterAdd(ctx);
  }

  addAfter(
    ...args: [string, string | null, ChannelHandler] | [EventExecutorGroup | null, string, string | null, ChannelHandler]
  ): this {
    const [group, baseName, name, handler] = args.length === 3 ? [null, args[0], args[1], args[2]] : args;
    const base = this.getContextOrDie(baseName);
    const ctx = this.prepare(group, name, handler);
    ctx.prev = base;
    ctx.next = base.next;
    base.next.prev = ctx;
    base.next = ctx;
    return this.afterAdd(ctx);
  }

  addFirstHandlers(...handlers: ChannelHandler[]): this {
    for (let i = handlers.length - 1; i >= 0; i--) this.addFirst(null, handlers[i]!);
    return this;
  }

  addLastHandlers(...handlers: ChannelHandler[]): this {
    for (const h of handlers) {
      if (h === null || h === undefined) break;
      this.addLast(null, h);
    }
    return this;
  }

  private prepare(group: EventExecutorGroup | null, name: string | null, handler: ChannelHandler): AbstractChannelHandlerContext {
    checkMultiplicity(handler);
    const uniqueName = name === null ? this.generateName(handler) : (this.checkDuplicateName(name), name);
    return new AbstractChannelHandlerContext(this, this.childExecutor(group), uniqueName, handler);
  }

  private afterAdd(ctx: AbstractChannelHandlerContext): this {
    if (!this.registered) {
      ctx.setAddPending();
      this.callHandlerCallbackLater(ctx, true);
      return this;
    }
    const executor = ctx.executor();
    if (!executor.inEventLoop()) {
      ctx.setAddPending();
      executor.execute(() => this.callHandlerAdded0(ctx));
      return this;
    }
    this.callHandlerAdded0(ctx);
    return this;
  }

  private childExecutor(group: EventExecutorGroup | null): EventExecutor | null {
    if (group === null) return null;
    const pinned = this.ch.config().getOption(ChannelOption.SINGLE_EVENTEXECUTOR_PER_GROUP);
    if (pinned === false) return group.next();
    if (this.childExecutors === null) this.childExecutors = new Map();
    let executor = this.childExecutors.get(group);
    if (executor === undefined) {
      executor = group.next();
      this.childExecutors.set(group, executor);
    }
    return executor;
  }

  private generateName(handler: ChannelHandler): string {
    const ctor = (handler as { constructor?: { name?: string } }).constructor;
    const key = (ctor ?? Object) as object;
    let base = nameCaches.get(key);
    if (base === undefined) {
      base = `${ctor?.name && ctor.name !== 'Object' ? ctor.name : 'Handler'}#0`;
      nameCaches.set(key, base);
    }
    if (this.context0(base) === null) return base;
    const prefix = base.slice(0, base.length - 1);
    for (let i = 1; ; i++) {
      const candidate = prefix + i;
      if (this.context0(candidate) === null) return candidate;
    }
  }

  private checkDuplicateName(name: string): void {
    if (this.context0(name) !== null) throw new IllegalArgumentException(`Duplicate handler name: ${name}`);
  }

  private callHandlerAdded0(ctx: AbstractChannelHandlerContext): void {
    try {
      ctx.callHandlerAdded();
    } catch (t) {
      let removed = false;
      try {
        this.unlink(ctx);
        ctx.callHandlerRemoved();
        removed = true;
      } catch (t2) {
        logger.warn(`Failed to remove a handler: ${ctx.name()}`, t2);
      }
      const cls = ctx.handler().constructor.name;
      this.fireExceptionCaught(
        new ChannelPipelineException(
          removed
            ? `${cls}.handlerAdded() has thrown an exception; removed.`
            : `${cls}.handlerAdded() has thrown an exception; also failed to remove.`,
          { cause: t },
        ),
      );
    }
  }

  private callHandlerRemoved0(ctx: AbstractChannelHandlerContext): void {
    try {
      ctx.callHandlerRemoved();
    } catch (t) {
      this.fireExceptionCaught(
        new ChannelPipelineException(`${ctx.handler().constructor.name}.handlerRemoved() has thrown an exception.`, { cause: t }),
      );
    }
  }

  private callHandlerCallbackLater(ctx: AbstractChannelHandlerContext, added: boolean): void {
    const task: PendingHandlerCallback = { ctx, added, next: null };
    let pending = this.pendingHandlerCallbackHead;
    if (pending === null) {
      this.pendingHandlerCallbackHead = task;
      return;
    }
    while (pending.next !== null) pending = pending.next;
    pending.next = task;
  }

  /**
   * @internal Runs the handlerAdded callbacks queued before the first registration; the transport calls
   * this from register, before completing the register promise.
   */
  invokeHandlerAddedIfNeeded(): void {
    if (!this.firstRegistration) return;
    this.firstRegistration = false;
    this.registered = true;
    let task = this.pendingHandlerCallbackHead;
    this.pendingHandlerCallbackHead = null;
    while (task !== null) {
      const { ctx, added } = task;
      const executor = ctx.executor();
      if (executor.inEventLoop()) {
        if (added) this.callHandlerAdded0(ctx);
        else this.callHandlerRemoved0(ctx);
      } else {
        executor.execute(() => (added ? this.callHandlerAdded0(ctx) : this.callHandlerRemoved0(ctx)));
      }
      task = task.next;
    }
  }

  // ---- removing ----

  remove(handler: ChannelHandler): this;
  remove(name: string): ChannelHandler;
  remove<T extends ChannelHandler>(type: HandlerType<T>): T;
  remove(what: ChannelHandler | string | HandlerType<ChannelHandler>): this | ChannelHandler {
    const ctx = this.getContextOrDie(what);
    this.remove0(ctx);
    return typeof what === 'string' || typeof what === 'function' ? ctx.handler() : this;
  }

  removeFirst(): ChannelHandler {
    if (this.head.next === this.tail) throw new NoSuchElementException('pipeline is empty');
    return this.remove0(this.head.next).handler();
  }

  removeLast(): ChannelHandler {
    if (this.head.next === this.tail) throw new NoSuchElementException('pipeline is empty');
    return this.remove0(this.tail.prev).handler();
  }

  private remove0(ctx: AbstractChannelHandlerContext): AbstractChannelHandlerContext {
    this.unlink(ctx);
    if (!this.registered) {
      this.callHandlerCallbackLater(ctx, false);
      return ctx;
    }
    const executor = ctx.executor();
    if (!executor.inEventLoop()) {
      executor.execute(() => this.callHandlerRemoved0(ctx));
      return ctx;
    }
    this.callHandlerRemoved0(ctx);
    return ctx;
  }

  /** Unlinks `ctx`; it keeps its own prev/next so a handler still running can forward events. */
  private unlink(ctx: AbstractChannelHandlerContext): void {
    const prev = ctx.prev;
    const next = ctx.next;
    prev.next = next;
    next.prev = prev;
  }

  replace(old: ChannelHandler | string | HandlerType<ChannelHandler>, newName: string | null, newHandler: ChannelHandler): ChannelHandler {
    const ctx = this.getContextOrDie(old);
    checkMultiplicity(newHandler);
    let name = newName;
    if (name === null) name = this.generateName(newHandler);
    else if (name !== ctx.name()) this.checkDuplicateName(name);
    const newCtx = new AbstractChannelHandlerContext(this, ctx.childExecutor, name, newHandler);
    const prev = ctx.prev;
    const next = ctx.next;
    newCtx.prev = prev;
    newCtx.next = next;
    prev.next = newCtx;
    next.prev = newCtx;
    // Anything the old handler forwards from handlerRemoved reaches the new one.
    ctx.prev = newCtx;
    ctx.next = newCtx;
    if (!this.registered) {
      newCtx.setAddPending();
      this.callHandlerCallbackLater(newCtx, true);
      this.callHandlerCallbackLater(ctx, false);
      return ctx.handler();
    }
    const executor = ctx.executor();
    if (!executor.inEventLoop()) {
      executor.execute(() => {
        this.callHandlerAdded0(newCtx);
        this.callHandlerRemoved0(ctx);
      });
      return ctx.handler();
    }
    this.callHandlerAdded0(newCtx);
    this.callHandlerRemoved0(ctx);
    return ctx.handler();
  }

  /**
   * @internal Removes every handler from the tail back to the head (HeadContext calls this on
   * channelUnregistered of a closed channel).
   */
  destroy(): void {
    this.destroyDown(this.tail.prev);
  }

  private destroyDown(from: AbstractChannelHandlerContext): void {
    let ctx = from;
    while (ctx !== this.head) {
      const executor = ctx.executor();
      if (!executor.inEventLoop()) {
        const resume = ctx;
        executor.execute(() => this.destroyDown(resume));
        return;
      }
      const prev = ctx.prev;
      this.unlink(ctx);
      this.callHandlerRemoved0(ctx);
      ctx = prev;
    }
  }

  // ---- look-ups ----

  first(): ChannelHandler | null {
    return this.firstContext()?.handler() ?? null;
  }
  firstContext(): ChannelHandlerContext | null {
    return this.head.next === this.tail ? null : this.head.next;
  }
  last(): ChannelHandler | null {
    return this.lastContext()?.handler() ?? null;
  }
  lastContext(): ChannelHandlerContext | null {
    return this.tail.prev === this.head ? null : this.tail.prev;
  }

  get(name: string): ChannelHandler | null;
  get<T extends ChannelHandler>(type: HandlerType<T>): T | null;
  get(what: string | HandlerType<ChannelHandler>): ChannelHandler | null {
    return this.context(what)?.handler() ?? null;
  }

  context(what: string | ChannelHandler | HandlerType<ChannelHandler>): AbstractChannelHandlerContext | null {
    if (typeof what === 'string') return this.context0(what);
    for (let ctx = this.head.next; ctx !== this.tail; ctx = ctx.next) {
      const h = ctx.handler();
      if (typeof what === 'function' ? h instanceof what : h === what) return ctx;
    }
    return null;
  }

  private context0(name: string): AbstractChannelHandlerContext | null {
    for (let ctx = this.head.next; ctx !== this.tail; ctx = ctx.next) if (ctx.name() === name) return ctx;
    return null;
  }

  private getContextOrDie(what: string | ChannelHandler | HandlerType<ChannelHandler>): AbstractChannelHandlerContext {
    const ctx = this.context(what);
    if (ctx === null) {
      throw new NoSuchElementException(typeof what === 'string' ? what : typeof what === 'function' ? what.name : what.constructor.name);
    }
    return ctx;
  }

  names(): string[] {
    const names: string[] = [];
    for (let ctx = this.head.next; ctx !== this.tail; ctx = ctx.next) names.push(ctx.name());
    return names;
  }

  toMap(): Map<string, ChannelHandler> {
    const map = new Map<string, ChannelHandler>();
    for (let ctx = this.head.next; ctx !== this.tail; ctx = ctx.next) map.set(ctx.name(), ctx.handler());
    return map;
  }

  // ---- inbound events start at the head ----

  fireChannelRegistered(): this {
    Invoke.channelRegistered(this.head);
    return this;
  }
  fireChannelUnregistered(): this {
    Invoke.channelUnregistered(this.head);
    return this;
  }
  fireChannelActive(): this {
    Invoke.channelActive(this.head);
    return this;
  }
  fireChannelInactive(): this {
    Invoke.channelInactive(this.head);
    return this;
  }
  fireExceptionCaught(cause: Error): this {
    Invoke.exceptionCaught(this.head, cause);
    return this;
  }
  fireUserEventTriggered(event: unknown): this {
    Invoke.userEventTriggered(this.head, event);
    return this;
  }
  fireChannelRead(msg: unknown): this {
    Invoke.channelRead(this.head, msg);
    return this;
  }
  fireChannelReadComplete(): this {
    Invoke.channelReadComplete(this.head);
    return this;
  }
  fireChannelWritabilityChanged(): this {
    Invoke.channelWritabilityChanged(this.head);
    return this;
  }

  // ---- outbound operations start at the tail ----

  bind(localAddress: SocketAddress, promise?: ChannelPromise): ChannelFuture {
    return this.tail.bind(localAddress, promise);
  }
  connect(remoteAddress: SocketAddress, localAddress?: SocketAddress | null, promise?: ChannelPromise): ChannelFuture {
    return this.tail.connect(remoteAddress, localAddress, promise);
  }
  disconnect(promise?: ChannelPromise): ChannelFuture {
    return this.tail.disconnect(promise);
  }
  close(promise?: ChannelPromise): ChannelFuture {
    return this.tail.close(promise);
  }
  deregister(promise?: ChannelPromise): ChannelFuture {
    return this.tail.deregister(promise);
  }
  read(): this {
    this.tail.read();
    return this;
  }
  write(msg: unknown, promise?: ChannelPromise): ChannelFuture {
    return this.tail.write(msg, promise);
  }
  flush(): this {
    this.tail.flush();
    return this;
  }
  writeAndFlush(msg: unknown, promise?: ChannelPromise): ChannelFuture {
    return this.tail.writeAndFlush(msg, promise);
  }
  newPromise(): ChannelPromise {
    return this.tail.newPromise();
  }
  newSucceededFuture(): ChannelFuture {
    return this.tail.newSucceededFuture();
  }
  newFailedFuture(cause: unknown): ChannelFuture {
    return this.tail.newFailedFuture(cause);
  }
  voidPromise(): ChannelPromise {
    return this.voidPromiseImpl;
  }

  // ---- what reaches the tail ----

  /** A message nobody handled: logged at debug and released. Override to keep it (EmbeddedChannel). */
  onUnhandledInboundMessage(_ctx: ChannelHandlerContext, msg: unknown): void {
    try {
      if (logger.isEnabled('debug')) {
        logger.debug(
          `Discarded inbound message ${String(msg)} that reached at the tail of the pipeline. Please check your pipeline configuration. Discarded message pipeline : ${JSON.stringify(this.names())}. Channel : ${String(this.ch)}.`,
        );
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** An exception nobody handled: logged at warn. Override to record it (EmbeddedChannel). */
  onUnhandledInboundException(cause: Error): void {
    try {
      logger.warn(
        'An exceptionCaught() event was fired, and it reached at the tail of the pipeline. It usually means the last handler in the pipeline did not handle the exception.',
        cause,
      );
    } finally {
      ReferenceCountUtil.release(cause);
    }
  }

  /** A user event nobody handled: released if reference-counted, not logged. */
  onUnhandledInboundUserEventTriggered(evt: unknown): void {
    ReferenceCountUtil.release(evt);
  }

  /** Hooks of the other tail events; no-ops. */
  onUnhandledInboundChannelActive(): void {}
  onUnhandledInboundChannelInactive(): void {}
  onUnhandledInboundReadComplete(): void {}
  onUnhandledChannelWritabilityChanged(): void {}

  toString(): string {
    return `DefaultChannelPipeline{${this.names().map((n) => `(${n} = ${this.get(n)?.constructor.name})`).join(', ')}}`;
  }
}

function normalizeAddArgs(
  args: [ChannelHandler] | [string | null, ChannelHandler] | [EventExecutorGroup | null, string | null, ChannelHandler],
): [EventExecutorGroup | null, string | null, ChannelHandler] {
  if (args.length === 1) return [null, null, args[0]];
  if (args.length === 2) return [null, args[0], args[1]];
  return args;
}

/** Netty's @Sharable rule: a non-sharable adapter instance may be added once, ever. */
function checkMultiplicity(handler: ChannelHandler): void {
  if (handler instanceof ChannelHandlerAdapter) {
    if (!isSharableHandler(handler) && handler.added) {
      throw new ChannelPipelineException(
        `${handler.constructor.name} is not a @Sharable handler, so can't be added or removed multiple times.`,
      );
    }
    handler.added = true;
  }
}
