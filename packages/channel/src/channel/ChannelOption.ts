import type { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import { IllegalArgumentException } from '../util/SluiceError';
import type { MessageSizeEstimator } from './MessageSizeEstimator';
import type { RecvByteBufAllocator } from './RecvByteBufAllocator';
import type { WriteBufferWaterMark } from './WriteBufferWaterMark';

const pool = new Map<string, ChannelOption<unknown>>();

/**
 * Port of io.netty.channel.ChannelOption: a typed key of a channel configuration value. One instance per
 * name (`ChannelOption.valueOf(name)`), so options compare by identity.
 */
export class ChannelOption<T> {
  private constructor(readonly name: string) {}

  /** The option named `name`, created on first use. */
  static valueOf<T>(name: string): ChannelOption<T> {
    let option = pool.get(name);
    if (option === undefined) {
      option = new ChannelOption<unknown>(name);
      pool.set(name, option);
    }
    return option as ChannelOption<T>;
  }

  /** Throws if `value` is not acceptable (null or undefined). */
  validate(value: T): void {
    if (value === null || value === undefined) throw new IllegalArgumentException(`value of ${this.name} is null`);
  }

  toString(): string {
    return this.name;
  }

  /** Allocator of the channel's buffers (default: the pooled allocator). */
  static readonly ALLOCATOR = ChannelOption.valueOf<ByteBufAllocator>('ALLOCATOR');
  /**
   * Sizes the buffers a socket reads into (default: an `AdaptiveRecvByteBufAllocator`, 64 / 2048 /
   * 65536 bytes). Used by client TCP channels without TLS (see TcpSocketChannel).
   */
  static readonly RCVBUF_ALLOCATOR = ChannelOption.valueOf<RecvByteBufAllocator>('RCVBUF_ALLOCATOR');
  /** Estimates the pending bytes of an outbound message (default: ByteBuf readable bytes, else 8). */
  static readonly MESSAGE_SIZE_ESTIMATOR = ChannelOption.valueOf<MessageSizeEstimator>('MESSAGE_SIZE_ESTIMATOR');
  /** Milliseconds a connect may take before it fails with ConnectTimeoutException (default 30000; 0 = none). */
  static readonly CONNECT_TIMEOUT_MILLIS = ChannelOption.valueOf<number>('CONNECT_TIMEOUT_MILLIS');
  /** Read continuously (true, default) or only when `read()` is called. */
  static readonly AUTO_READ = ChannelOption.valueOf<boolean>('AUTO_READ');
  /** Close the channel when a write fails (default true). */
  static readonly AUTO_CLOSE = ChannelOption.valueOf<boolean>('AUTO_CLOSE');
  /** Water marks of the outbound buffer (default 32 KiB / 64 KiB). */
  static readonly WRITE_BUFFER_WATER_MARK = ChannelOption.valueOf<WriteBufferWaterMark>('WRITE_BUFFER_WATER_MARK');
  /** Keep the channel open when the peer shuts its output down (default false: close). */
  static readonly ALLOW_HALF_CLOSURE = ChannelOption.valueOf<boolean>('ALLOW_HALF_CLOSURE');
  /** Handlers added with the same executor group share one executor per channel (default true). */
  static readonly SINGLE_EVENTEXECUTOR_PER_GROUP = ChannelOption.valueOf<boolean>('SINGLE_EVENTEXECUTOR_PER_GROUP');
  /** Socket: disable Nagle's algorithm (TCP default true, as Netty). */
  static readonly TCP_NODELAY = ChannelOption.valueOf<boolean>('TCP_NODELAY');
  /** Socket: enable TCP keep-alive probes (default false). */
  static readonly SO_KEEPALIVE = ChannelOption.valueOf<boolean>('SO_KEEPALIVE');
  /** Socket: initial delay of keep-alive probes in milliseconds (Node-specific; default 0 = OS default). */
  static readonly SO_KEEPALIVE_INITIAL_DELAY = ChannelOption.valueOf<number>('SO_KEEPALIVE_INITIAL_DELAY');
  /** Socket: kernel send buffer size in bytes (default 0 = OS default). */
  static readonly SO_SNDBUF = ChannelOption.valueOf<number>('SO_SNDBUF');
  /** Socket: kernel receive buffer size in bytes (default 0 = OS default). */
  static readonly SO_RCVBUF = ChannelOption.valueOf<number>('SO_RCVBUF');
  /** Server socket: length of the accept queue (default 511, Node's). */
  static readonly SO_BACKLOG = ChannelOption.valueOf<number>('SO_BACKLOG');
  /** Server socket: allow several sockets to bind the same port (SO_REUSEPORT in Node; default false). */
  static readonly SO_REUSEADDR = ChannelOption.valueOf<boolean>('SO_REUSEADDR');
}
