import type { ScheduledFuture } from '../concurrent/EventExecutor';
import type { EventLoop } from '../concurrent/EventLoop';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { IllegalStateException, toError } from '../util/SluiceError';
import type { AbstractChannel } from './AbstractChannel';
import { releaseQuietly } from './AbstractChannel';
import type { Unsafe } from './Channel';
import type { ChannelPromise } from './ChannelFuture';
import { ChannelOutboundBuffer } from './ChannelOutboundBuffer';
import { ClosedChannelException, ConnectException, ConnectTimeoutException, NotYetConnectedException } from './errors';
import type { SocketAddress } from './SocketAddress';
import { VoidChannelPromise } from './VoidChannelPromise';

const logger = InternalLoggerFactory.getInstance('AbstractUnsafe');

interface LoopWithChannelTracking {
  channelRegistered?(channel: AbstractChannel): void;
  channelDeregistered?(channel: AbstractChannel): void;
}

/**
 * Port of io.netty.channel.AbstractChannel.AbstractUnsafe (Netty 4.1): the transport-independent half of
 * every channel operation — register, bind, connect (with CONNECT_TIMEOUT_MILLIS), disconnect, the close
 * sequence, deregister, read, write and flush.
 *
 * The close sequence (Netty §2.1): the promise is made uncancellable; the outbound buffer is detached so
 * later writes fail at once with ClosedChannelException; `doClose()`; the close future completes; flushed
 * messages fail, unflushed ones are released; then, as a later task, `channelInactive` (if it was active),
 * `channelUnregistered`, and the pipeline is destroyed.
 *
 * ## Threading
 * Only ever called on the channel's event loop (the head context and transports call it).
 */
export class AbstractUnsafe implements Unsafe {
  private outbound: ChannelOutboundBuffer | null;
  private inFlush0 = false;
  private neverRegistered = true;
  private closeInitiated = false;
  private initialCloseCause: Error | null = null;
  private connectPromise: ChannelPromise | null = null;
  private connectTimeoutFuture: ScheduledFuture<void> | null = null;
  private readonly unsafeVoidPromise: VoidChannelPromise;

  constructor(protected readonly channel: AbstractChannel) {
    this.outbound = new ChannelOutboundBuffer(channel);
    this.unsafeVoidPromise = new VoidChannelPromise(channel, false);
  }

  outboundBuffer(): ChannelOutboundBuffer | null {
    return this.outbound;
  }
  localAddress(): SocketAddress | null {
    return this.channel.localAddress0();
  }
  remoteAddress(): SocketAddress | null {
    return this.channel.remoteAddress0();
  }
  voidPromise(): ChannelPromise {
    return this.unsafeVoidPromise;
  }

  register(eventLoop: EventLoop, promise: ChannelPromise): void {
    if (this.channel.isRegistered()) {
      promise.setFailure(new IllegalStateException('registered to an event loop already'));
      return;
    }
    if (!this.channel.isCompatible(eventLoop)) {
      promise.setFailure(new IllegalStateException(`incompatible event loop type: ${eventLoop.constructor.name}`));
      return;
    }
    this.channel.setEventLoop(eventLoop);
    if (eventLoop.inEventLoop()) {
      this.register0(promise);
      return;
    }
    try {
      eventLoop.execute(() => this.register0(promise));
    } catch (err) {
      logger.warn(`Force-closing a channel whose registration task was not accepted by an event loop: ${String(this.channel)}`, err);
      this.closeForcibly();
      this.channel.closeFutureInternal().setClosed();
      this.safeSetFailure(promise, err);
    }
  }

  private register0(promise: ChannelPromise): void {
    try {
      if (!promise.setUncancellable() || !this.ensureOpen(promise)) return;
      const firstRegistration = this.neverRegistered;
      this.channel.doRegister();
      this.neverRegistered = false;
      this.channel.registeredFlag = true;
      (this.channel.eventLoop() as LoopWithChannelTracking).channelRegistered?.(this.channel);
      // handlerAdded of handlers added before registration runs before the promise completes.
      this.channel.pipeline().invokeHandlerAddedIfNeeded();
      this.safeSetSuccess(promise);
      this.channel.pipeline().fireChannelRegistered();
      if (this.channel.isActive()) {
        if (firstRegistration) this.channel.pipeline().fireChannelActive();
        else if (this.channel.config().isAutoRead()) this.beginRead();
      }
    } catch (err) {
      this.closeForcibly();
      this.channel.closeFutureInternal().setClosed();
      this.safeSetFailure(promise, err);
    }
  }

  bind(localAddress: SocketAddress, promise: ChannelPromise): void {
    if (!promise.setUncancellable() || !this.ensureOpen(promise)) return;
    const wasActive = this.channel.isActive();
    try {
      this.channel.doBind(localAddress, (err) => {
        if (err !== null) {
          this.safeSetFailure(promise, err);
          this.closeIfClosed();
          return;
        }
        // Netty fires channelActive as a later task, after the bind promise completed.
        if (!wasActive && this.channel.isActive()) this.invokeLater(() => this.channel.pipeline().fireChannelActive());
        this.safeSetSuccess(promise);
      });
    } catch (err) {
      this.safeSetFailure(promise, err);
      this.closeIfClosed();
    }
  }

  connect(remoteAddress: SocketAddress, localAddress: SocketAddress | null, promise: ChannelPromise): void {
    if (!promise.setUncancellable() || !this.ensureOpen(promise)) return;
    if (this.connectPromise !== null) {
      promise.tryFailure(new IllegalStateException(`connection pending: ${String(this.channel)}`, { code: 'SLUICE_CONNECTION_PENDING' }));
      return;
    }
    if (this.channel.isActive()) {
      promise.tryFailure(new IllegalStateException(`already connected: ${String(this.channel)}`, { code: 'SLUICE_ALREADY_CONNECTED' }));
      return;
    }
    const wasActive = this.channel.isActive();
    this.connectPromise = promise;
    const timeoutMillis = this.channel.config().getConnectTimeoutMillis();
    if (timeoutMillis > 0) {
      this.connectTimeoutFuture = this.channel.eventLoop().schedule(() => {
        const p = this.connectPromise;
        if (p !== null && !p.isDone() && p.tryFailure(new ConnectTimeoutException(`connection timed out after ${timeoutMillis} ms: ${String(remoteAddress)}`))) {
          this.connectPromise = null;
          this.close(this.voidPromise());
        }
      }, timeoutMillis);
    }
    try {
      this.channel.doConnect(remoteAddress, localAddress, (err) => {
        if (err === null) this.fulfillConnectPromise(promise, wasActive);
        else this.fulfillConnectPromiseFailure(promise, remoteAddress, err);
      });
    } catch (err) {
      this.fulfillConnectPromiseFailure(promise, remoteAddress, toError(err));
    }
  }

  private clearConnectState(): void {
    this.connectTimeoutFuture?.cancel();
    this.connectTimeoutFuture = null;
    this.connectPromise = null;
  }

  private fulfillConnectPromise(promise: ChannelPromise, wasActive: boolean): void {
    if (this.connectPromise !== promise) return; // timed out meanwhile
    this.clearConnectState();
    const active = this.channel.isActive();
    const promiseSet = promise.trySuccess();
    if (!wasActive && active) this.channel.pipeline().fireChannelActive();
    // The user cancelled the connect or it timed out: close what connected anyway.
    if (!promiseSet) this.close(this.voidPromise());
  }

  private fulfillConnectPromiseFailure(promise: ChannelPromise, remoteAddress: SocketAddress, cause: Error): void {
    if (this.connectPromise !== promise) return;
    this.clearConnectState();
    // Netty annotates connect failures with the remote address.
    const annotated = cause instanceof ConnectException ? cause : new ConnectException(`${cause.message}: ${String(remoteAddress)}`, { cause });
    promise.tryFailure(annotated);
    this.closeIfClosed();
  }

  disconnect(promise: ChannelPromise): void {
    if (!promise.setUncancellable()) return;
    const wasActive = this.channel.isActive();
    try {
      this.channel.doDisconnect();
    } catch (err) {
      this.safeSetFailure(promise, err);
      this.closeIfClosed();
      return;
    }
    if (wasActive && !this.channel.isActive()) this.invokeLater(() => this.channel.pipeline().fireChannelInactive());
    this.safeSetSuccess(promise);
    this.closeIfClosed();
  }

  close(promise: ChannelPromise): void {
    this.close0(promise, new ClosedChannelException(), new ClosedChannelException(), false);
  }

  /**
   * Closes because of `cause` (a failed write, a reset): flushed messages fail with `cause` and later
   * operations with a ClosedChannelException whose cause is `cause`.
   */
  closeWithCause(cause: Error): void {
    if (this.initialCloseCause === null) this.initialCloseCause = cause;
    this.close0(this.voidPromise(), cause, this.newClosedChannelException(cause), false);
  }

  private close0(promise: ChannelPromise, cause: Error, closeCause: Error, notify: boolean): void {
    if (!promise.setUncancellable()) return;
    const closeFuture = this.channel.closeFutureInternal();
    if (this.closeInitiated) {
      if (closeFuture.isDone()) this.safeSetSuccess(promise);
      else if (!promise.isVoid()) closeFuture.addListener(() => this.safeSetSuccess(promise));
      return;
    }
    this.closeInitiated = true;
    const wasActive = this.channel.isActive();
    const outboundBuffer = this.outbound;
    this.outbound = null; // later writes fail at once
    try {
      this.channel.doClose();
      closeFuture.setClosed();
      this.safeSetSuccess(promise);
    } catch (err) {
      closeFuture.setClosed();
      this.safeSetFailure(promise, err);
    } finally {
      if (outboundBuffer !== null) {
        outboundBuffer.failFlushed(cause, notify);
        outboundBuffer.close(closeCause);
      }
    }
    if (this.inFlush0) this.invokeLater(() => this.fireChannelInactiveAndDeregister(wasActive));
    else this.fireChannelInactiveAndDeregister(wasActive);
  }

  private fireChannelInactiveAndDeregister(wasActive: boolean): void {
    this.deregister0(this.voidPromise(), wasActive && !this.channel.isActive());
  }

  closeForcibly(): void {
    try {
      this.channel.doClose();
    } catch (err) {
      logger.warn('Failed to close a channel.', err);
    }
  }

  deregister(promise: ChannelPromise): void {
    this.deregister0(promise, false);
  }

  private deregister0(promise: ChannelPromise, fireChannelInactive: boolean): void {
    if (!promise.setUncancellable()) return;
    if (!this.channel.isRegistered()) {
      this.safeSetSuccess(promise);
      return;
    }
    // Always a later task (Netty #4435): the caller may still be inside a handler of this pipeline.
    this.invokeLater(() => {
      try {
        this.channel.doDeregister();
      } catch (err) {
        logger.warn('Unexpected exception occurred while deregistering a channel.', err);
      } finally {
        if (fireChannelInactive) this.channel.pipeline().fireChannelInactive();
        if (this.channel.registeredFlag) {
          this.channel.registeredFlag = false;
          (this.channel.eventLoop() as LoopWithChannelTracking).channelDeregistered?.(this.channel);
          this.channel.pipeline().fireChannelUnregistered();
        }
        this.safeSetSuccess(promise);
      }
    });
  }

  beginRead(): void {
    if (!this.channel.isActive()) return;
    try {
      this.channel.doBeginRead();
    } catch (err) {
      this.invokeLater(() => this.channel.pipeline().fireExceptionCaught(toError(err)));
      this.close(this.voidPromise());
    }
  }

  write(msg: unknown, promise: ChannelPromise): void {
    const outboundBuffer = this.outbound;
    if (outboundBuffer === null) {
      // Closed: fail fast, no transport attempt (Netty's write to a closed channel).
      try {
        releaseQuietly(msg);
      } finally {
        this.safeSetFailure(promise, this.newClosedChannelException(this.initialCloseCause));
      }
      return;
    }
    let filtered: unknown;
    let size: number;
    try {
      filtered = this.channel.filterOutboundMessage(msg);
      size = this.channel.config().getMessageSizeEstimator().size(filtered);
    } catch (err) {
      try {
        releaseQuietly(msg);
      } finally {
        this.safeSetFailure(promise, err);
      }
      return;
    }
    outboundBuffer.addMessage(filtered, size, promise);
  }

  flush(): void {
    const outboundBuffer = this.outbound;
    if (outboundBuffer === null) return;
    outboundBuffer.addFlush();
    this.flush0();
  }

  /** Writes the flushed messages now (transports also call this when the socket drained). */
  flush0(): void {
    if (this.inFlush0) return;
    const outboundBuffer = this.outbound;
    if (outboundBuffer === null || outboundBuffer.isEmpty()) return;
    this.inFlush0 = true;
    try {
      if (!this.channel.isActive()) {
        if (this.channel.isOpen()) outboundBuffer.failFlushed(new NotYetConnectedException(), true);
        else outboundBuffer.failFlushed(this.newClosedChannelException(this.initialCloseCause), false);
        return;
      }
      this.channel.doWrite(outboundBuffer);
    } catch (err) {
      this.handleWriteError(toError(err));
    } finally {
      this.inFlush0 = false;
    }
  }

  /** A write failed: close (AUTO_CLOSE, default) or fail the flushed messages. */
  handleWriteError(cause: Error): void {
    if (this.channel.config().isAutoClose()) {
      this.closeWithCause(cause);
    } else {
      this.outbound?.failFlushed(cause, true);
    }
  }

  private ensureOpen(promise: ChannelPromise): boolean {
    if (this.channel.isOpen()) return true;
    this.safeSetFailure(promise, this.newClosedChannelException(this.initialCloseCause));
    return false;
  }

  private closeIfClosed(): void {
    if (!this.channel.isOpen()) this.close(this.voidPromise());
  }

  private newClosedChannelException(cause: Error | null): ClosedChannelException {
    return cause === null ? new ClosedChannelException() : new ClosedChannelException(`channel is closed: ${cause.message}`, { cause });
  }

  protected invokeLater(task: () => void): void {
    try {
      this.channel.eventLoop().execute(task);
    } catch (err) {
      logger.warn("Can't invoke task later as EventLoop rejected it", err);
    }
  }

  protected safeSetSuccess(promise: ChannelPromise): void {
    if (!promise.isVoid() && !promise.trySuccess() && !promise.isDone()) {
      logger.warn(`Failed to mark a promise as success: ${String(promise)}`);
    }
  }

  protected safeSetFailure(promise: ChannelPromise, cause: unknown): void {
    // A void promise "fails" by firing exceptionCaught (or not at all): tryFailure returns false for it.
    if (!promise.tryFailure(cause) && !promise.isVoid()) {
      logger.debug(`Failed to mark a promise as failure because it's done already: ${String(promise)}`);
    }
  }
}
