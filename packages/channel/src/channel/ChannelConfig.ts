import { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import { IllegalArgumentException } from '../util/SluiceError';
import type { Channel } from './Channel';
import { AdaptiveRecvByteBufAllocator } from './AdaptiveRecvByteBufAllocator';
import { ChannelOption } from './ChannelOption';
import { DefaultMessageSizeEstimator, type MessageSizeEstimator } from './MessageSizeEstimator';
import type { RecvByteBufAllocator } from './RecvByteBufAllocator';
import { WriteBufferWaterMark } from './WriteBufferWaterMark';

/** Port of io.netty.channel.ChannelConfig: the options of a channel. */
export interface ChannelConfig {
  getOption<T>(option: ChannelOption<T>): T | undefined;
  /** Sets an option; returns false if this channel type does not know it. */
  setOption<T>(option: ChannelOption<T>, value: T): boolean;
  setOptions(options: ReadonlyMap<ChannelOption<unknown>, unknown>): boolean;
  getConnectTimeoutMillis(): number;
  setConnectTimeoutMillis(ms: number): this;
  getAllocator(): ByteBufAllocator;
  setAllocator(allocator: ByteBufAllocator): this;
  getRecvByteBufAllocator(): RecvByteBufAllocator;
  setRecvByteBufAllocator(allocator: RecvByteBufAllocator): this;
  isAutoRead(): boolean;
  /** Turning auto-read on issues a `read()`; turning it off stops reading after the current batch. */
  setAutoRead(autoRead: boolean): this;
  isAutoClose(): boolean;
  setAutoClose(autoClose: boolean): this;
  getWriteBufferHighWaterMark(): number;
  getWriteBufferLowWaterMark(): number;
  getWriteBufferWaterMark(): WriteBufferWaterMark;
  setWriteBufferWaterMark(mark: WriteBufferWaterMark): this;
  getMessageSizeEstimator(): MessageSizeEstimator;
  setMessageSizeEstimator(estimator: MessageSizeEstimator): this;
}

/**
 * Port of io.netty.channel.DefaultChannelConfig (Netty 4.1 defaults: connect timeout 30000 ms, autoRead
 * and autoClose on, water marks 32 KiB / 64 KiB, pooled allocator, adaptive read buffers). Transports extend it with their
 * socket options.
 */
export class DefaultChannelConfig implements ChannelConfig {
  // ByteBufAllocator.DEFAULT: pooled unless SLUICE_ALLOCATOR_TYPE=unpooled (Netty's io.netty.allocator.type).
  private allocator: ByteBufAllocator = ByteBufAllocator.DEFAULT;
  private rcvBufAllocator: RecvByteBufAllocator = AdaptiveRecvByteBufAllocator.DEFAULT;
  private connectTimeoutMillis = 30000;
  private autoRead = true;
  private autoClose = true;
  private waterMark = WriteBufferWaterMark.DEFAULT;
  private estimator: MessageSizeEstimator = DefaultMessageSizeEstimator.DEFAULT;
  private singleExecutorPerGroup = true;

  constructor(protected readonly channel: Channel) {}

  getOption<T>(option: ChannelOption<T>): T | undefined {
    const o = option as ChannelOption<unknown>;
    let v: unknown;
    if (o === ChannelOption.CONNECT_TIMEOUT_MILLIS) v = this.connectTimeoutMillis;
    else if (o === ChannelOption.ALLOCATOR) v = this.allocator;
    else if (o === ChannelOption.RCVBUF_ALLOCATOR) v = this.rcvBufAllocator;
    else if (o === ChannelOption.AUTO_READ) v = this.autoRead;
    else if (o === ChannelOption.AUTO_CLOSE) v = this.autoClose;
    else if (o === ChannelOption.WRITE_BUFFER_WATER_MARK) v = this.waterMark;
    else if (o === ChannelOption.MESSAGE_SIZE_ESTIMATOR) v = this.estimator;
    else if (o === ChannelOption.SINGLE_EVENTEXECUTOR_PER_GROUP) v = this.singleExecutorPerGroup;
    else return undefined;
    return v as T;
  }

  setOption<T>(option: ChannelOption<T>, value: T): boolean {
    option.validate(value);
    const o = option as ChannelOption<unknown>;
    if (o === ChannelOption.CONNECT_TIMEOUT_MILLIS) this.setConnectTimeoutMillis(value as number);
    else if (o === ChannelOption.ALLOCATOR) this.setAllocator(value as ByteBufAllocator);
    else if (o === ChannelOption.RCVBUF_ALLOCATOR) this.setRecvByteBufAllocator(value as RecvByteBufAllocator);
    else if (o === ChannelOption.AUTO_READ) this.setAutoRead(value as boolean);
    else if (o === ChannelOption.AUTO_CLOSE) this.setAutoClose(value as boolean);
    else if (o === ChannelOption.WRITE_BUFFER_WATER_MARK) this.setWriteBufferWaterMark(value as WriteBufferWaterMark);
    else if (o === ChannelOption.MESSAGE_SIZE_ESTIMATOR) this.setMessageSizeEstimator(value as MessageSizeEstimator);
    else if (o === ChannelOption.SINGLE_EVENTEXECUTOR_PER_GROUP) this.singleExecutorPerGroup = value as boolean;
    else return false;
    return true;
  }

  setOptions(options: ReadonlyMap<ChannelOption<unknown>, unknown>): boolean {
    let all = true;
    for (const [k, v] of options) if (!this.setOption(k, v)) all = false;
    return all;
  }

  getConnectTimeoutMillis(): number {
    return this.connectTimeoutMillis;
  }
  setConnectTimeoutMillis(ms: number): this {
    if (!(ms >= 0)) throw new IllegalArgumentException(`connectTimeoutMillis: ${ms} (expected: >= 0)`);
    this.connectTimeoutMillis = ms;
    return this;
  }
  getAllocator(): ByteBufAllocator {
    return this.allocator;
  }
  setAllocator(allocator: ByteBufAllocator): this {
    this.allocator = allocator;
    return this;
  }
  getRecvByteBufAllocator(): RecvByteBufAllocator {
    return this.rcvBufAllocator;
  }
  /** Takes effect for the handle a transport creates next (TCP: at connect). */
  setRecvByteBufAllocator(allocator: RecvByteBufAllocator): this {
    this.rcvBufAllocator = allocator;
    return this;
  }
  isAutoRead(): boolean {
    return this.autoRead;
  }
  setAutoRead(autoRead: boolean): this {
    const old = this.autoRead;
    this.autoRead = autoRead;
    if (autoRead && !old) this.channel.read();
    else if (!autoRead && old) this.autoReadCleared();
    return this;
  }
  /** Hook: auto-read was turned off (transports stop reading from the socket). */
  protected autoReadCleared(): void {}
  isAutoClose(): boolean {
    return this.autoClose;
  }
  setAutoClose(autoClose: boolean): this {
    this.autoClose = autoClose;
    return this;
  }
  getWriteBufferHighWaterMark(): number {
    return this.waterMark.high;
  }
  getWriteBufferLowWaterMark(): number {
    return this.waterMark.low;
  }
  getWriteBufferWaterMark(): WriteBufferWaterMark {
    return this.waterMark;
  }
  setWriteBufferWaterMark(mark: WriteBufferWaterMark): this {
    this.waterMark = mark;
    return this;
  }
  getMessageSizeEstimator(): MessageSizeEstimator {
    return this.estimator;
  }
  setMessageSizeEstimator(estimator: MessageSizeEstimator): this {
    this.estimator = estimator;
    return this;
  }
}
