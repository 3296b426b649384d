import type { Socket } from 'node:net';
import type { Channel } from '../../channel/Channel';
import { DefaultChannelConfig } from '../../channel/ChannelConfig';
import { ChannelOption } from '../../channel/ChannelOption';
import { IllegalArgumentException } from '../../util/SluiceError';

/** @internal What the config needs from its channel: the socket (null until connected) and a read stop. */
export interface TcpSocketConfigTarget extends Channel {
  /** @internal */
  nodeSocket(): Socket | null;
  /** @internal Auto-read was turned off: stop reading from the socket after the current chunk. */
  autoReadCleared(): void;
}

/**
 * Port of io.netty.channel.socket.DefaultSocketChannelConfig (Netty 4.1). Differs: SO_SNDBUF/SO_RCVBUF
 * are recorded only (Node has no setter), and SO_KEEPALIVE_INITIAL_DELAY is Node's extra.
 *
 * The options of a {@link TcpSocketChannel}, on top of {@link DefaultChannelConfig}'s.
 *
 * | Option | Default | Applied as |
 * |---|---|---|
 * | TCP_NODELAY | `true` (as Netty) | `socket.setNoDelay()` |
 * | SO_KEEPALIVE | `false` | `socket.setKeepAlive(enable, SO_KEEPALIVE_INITIAL_DELAY)` |
 * | SO_KEEPALIVE_INITIAL_DELAY | `0` ms (OS default) | second argument of `setKeepAlive` |
 * | SO_SNDBUF / SO_RCVBUF | `0` (OS default) | recorded only, see Pitfalls |
 * | ALLOW_HALF_CLOSURE | `false` | peer FIN closes the channel; `true` fires ChannelInputShutdownEvent instead |
 *
 * Differs: options are applied to the Node socket as soon as it exists (at connect, or at once for an
 * accepted channel); values set before that are remembered and applied then.
 *
 * ## Threading
 * Call on the channel's event loop (or before registration).
 *
 * ## Pitfalls
 * Node has no API for a TCP socket's kernel buffer sizes, so SO_SNDBUF and SO_RCVBUF are accepted (and
 * returned by `getOption`) for Netty compatibility but the OS default applies.
 *
 * @example
 * new Bootstrap().option(ChannelOption.SO_KEEPALIVE, true).option(ChannelOption.ALLOW_HALF_CLOSURE, true);
 * channel.config().setTcpNoDelay(false); // applied to the socket at once
 */
export class TcpSocketChannelConfig extends DefaultChannelConfig {
  private tcpNoDelay = true;
  private keepAlive = false;
  private keepAliveInitialDelay = 0;
  private sendBufferSize = 0;
  private receiveBufferSize = 0;
  private allowHalfClosure = false;

  constructor(private readonly target: TcpSocketConfigTarget) {
    super(target);
  }

  override getOption<T>(option: ChannelOption<T>): T | undefined {
    const o = option as ChannelOption<unknown>;
    let v: unknown;
    if (o === ChannelOption.TCP_NODELAY) v = this.tcpNoDelay;
    else if (o === ChannelOption.SO_KEEPALIVE) v = this.keepAlive;
    else if (o === ChannelOption.SO_KEEPALIVE_INITIAL_DELAY) v = this.keepAliveInitialDelay;
    else if (o === ChannelOption.SO_SNDBUF) v = this.sendBufferSize;
    else if (o === ChannelOption.SO_RCVBUF) v = this.receiveBufferSize;
    else if (o === ChannelOption.ALLOW_HALF_CLOSURE) v = this.allowHalfClosure;
    else return super.getOption(option);
    return v as T;
  }

  override setOption<T>(option: ChannelOption<T>, value: T): boolean {
    const o = option as ChannelOption<unknown>;
    if (o === ChannelOption.TCP_NODELAY) this.setTcpNoDelay(checkBoolean(o, value));
    else if (o === ChannelOption.SO_KEEPALIVE) this.setKeepAlive(checkBoolean(o, value));
    else if (o === ChannelOption.SO_KEEPALIVE_INITIAL_DELAY) this.setKeepAliveInitialDelay(checkNonNegative(o, value));
    else if (o === ChannelOption.SO_SNDBUF) this.setSendBufferSize(checkNonNegative(o, value));
    else if (o === ChannelOption.SO_RCVBUF) this.setReceiveBufferSize(checkNonNegative(o, value));
    else if (o === ChannelOption.ALLOW_HALF_CLOSURE) this.setAllowHalfClosure(checkBoolean(o, value));
    else return super.setOption(option, value);
    return true;
  }

  /** Whether Nagle's algorithm is disabled (default true). */
  isTcpNoDelay(): boolean {
    return this.tcpNoDelay;
  }
  setTcpNoDelay(noDelay: boolean): this {
    this.tcpNoDelay = noDelay;
    this.target.nodeSocket()?.setNoDelay(noDelay);
    return this;
  }
  /** Whether TCP keep-alive probes are sent (default false). */
  isKeepAlive(): boolean {
    return this.keepAlive;
  }
  setKeepAlive(keepAlive: boolean): this {
    this.keepAlive = keepAlive;
    this.target.nodeSocket()?.setKeepAlive(keepAlive, this.keepAliveInitialDelay);
    return this;
  }
  /** Milliseconds of idleness before the first keep-alive probe (default 0: the OS default). */
  getKeepAliveInitialDelay(): number {
    return this.keepAliveInitialDelay;
  }
  setKeepAliveInitialDelay(ms: number): this {
    this.keepAliveInitialDelay = ms;
    if (this.keepAlive) this.target.nodeSocket()?.setKeepAlive(true, ms);
    return this;
  }
  /** SO_SNDBUF in bytes (default 0 = OS default; recorded only, see the class comment). */
  getSendBufferSize(): number {
    return this.sendBufferSize;
  }
  setSendBufferSize(bytes: number): this {
    this.sendBufferSize = bytes;
    return this;
  }
  /** SO_RCVBUF in bytes (default 0 = OS default; recorded only, see the class comment). */
  getReceiveBufferSize(): number {
    return this.receiveBufferSize;
  }
  setReceiveBufferSize(bytes: number): this {
    this.receiveBufferSize = bytes;
    return this;
  }
  /** Keep the channel open when the peer shuts its output down (default false: close). */
  isAllowHalfClosure(): boolean {
    return this.allowHalfClosure;
  }
  setAllowHalfClosure(allow: boolean): this {
    this.allowHalfClosure = allow;
    return this;
  }

  /** @internal Applies every socket option to a freshly created or accepted socket. */
  applyTo(socket: Socket): void {
    socket.setNoDelay(this.tcpNoDelay);
    if (this.keepAlive) socket.setKeepAlive(true, this.keepAliveInitialDelay);
  }

  protected override autoReadCleared(): void {
    this.target.autoReadCleared();
  }
}

/** @internal */
export function checkBoolean(option: ChannelOption<unknown>, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new IllegalArgumentException(`${option.name}: ${String(value)} (expected: a boolean)`);
  return value;
}

/** @internal */
export function checkNonNegative(option: ChannelOption<unknown>, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new IllegalArgumentException(`${option.name}: ${String(value)} (expected: an integer >= 0)`);
  }
  return value;
}
