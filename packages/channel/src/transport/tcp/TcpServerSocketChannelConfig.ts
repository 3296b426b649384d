import type { Channel } from '../../channel/Channel';
import { DefaultChannelConfig } from '../../channel/ChannelConfig';
import { ChannelOption } from '../../channel/ChannelOption';
import { checkBoolean, checkNonNegative } from './TcpSocketChannelConfig';

/** @internal What the server config needs from its channel. */
export interface TcpServerConfigTarget extends Channel {
  /** @internal Auto-read was turned off: stop handing out accepted connections. */
  autoReadCleared(): void;
}

/**
 * Port of io.netty.channel.socket.DefaultServerSocketChannelConfig (Netty 4.1). Differs: SO_REUSEADDR
 * maps to Node's `reusePort`, and SO_BACKLOG also bounds the queue of connections held while AUTO_READ
 * is off.
 *
 * The options of a {@link TcpServerSocketChannel}.
 *
 * | Option | Default | Applied as |
 * |---|---|---|
 * | SO_BACKLOG | `511` (Node's) | `backlog` of `server.listen()`; also bounds the connections waiting while AUTO_READ is off |
 * | SO_REUSEADDR | `false` | `reusePort` of `server.listen()` (Node ≥ 22.12 / 23.1; ignored before) |
 * | SO_RCVBUF | `0` (OS default) | recorded only |
 *
 * ## Threading
 * Set before `bind()`: the listen options are read once, when the server starts listening.
 *
 * ## Pitfalls
 * libuv always sets SO_REUSEADDR on listening TCP sockets on Unix, so a restarted server can re-bind a
 * port in TIME_WAIT whatever this option says; SO_REUSEADDR here asks for port sharing (SO_REUSEPORT).
 *
 * @example
 * new ServerBootstrap().option(ChannelOption.SO_BACKLOG, 1024).childOption(ChannelOption.TCP_NODELAY, true);
 */
export class TcpServerSocketChannelConfig extends DefaultChannelConfig {
  private backlog = 511;
  private reuseAddress = false;
  private receiveBufferSize = 0;

  constructor(private readonly target: TcpServerConfigTarget) {
    super(target);
  }

  override getOption<T>(option: ChannelOption<T>): T | undefined {
    const o = option as ChannelOption<unknown>;
    let v: unknown;
    if (o === ChannelOption.SO_BACKLOG) v = this.backlog;
    else if (o === ChannelOption.SO_REUSEADDR) v = this.reuseAddress;
    else if (o === ChannelOption.SO_RCVBUF) v = this.receiveBufferSize;
    else return super.getOption(option);
    return v as T;
  }

  override setOption<T>(option: ChannelOption<T>, value: T): boolean {
    const o = option as ChannelOption<unknown>;
    if (o === ChannelOption.SO_BACKLOG) this.setBacklog(checkNonNegative(o, value));
    else if (o === ChannelOption.SO_REUSEADDR) this.setReuseAddress(checkBoolean(o, value));
    else if (o === ChannelOption.SO_RCVBUF) this.setReceiveBufferSize(checkNonNegative(o, value));
    else return super.setOption(option, value);
    return true;
  }

  /** Length of the accept queue (default 511). */
  getBacklog(): number {
    return this.backlog;
  }
  setBacklog(backlog: number): this {
    this.backlog = backlog;
    return this;
  }
  /** Ask for a shareable port (SO_REUSEPORT where Node supports it; default false). */
  isReuseAddress(): boolean {
    return this.reuseAddress;
  }
  setReuseAddress(reuse: boolean): this {
    this.reuseAddress = reuse;
    return this;
  }
  /** SO_RCVBUF of accepted sockets in bytes (default 0 = OS default; recorded only). */
  getReceiveBufferSize(): number {
    return this.receiveBufferSize;
  }
  setReceiveBufferSize(bytes: number): this {
    this.receiveBufferSize = bytes;
    return this;
  }

  protected override autoReadCleared(): void {
    this.target.autoReadCleared();
  }
}
