import type { ByteBufAllocator } from '../buffer/ByteBufAllocator';
import type { EventExecutor } from '../concurrent/EventExecutor';
import type { AttributeKey, Attribute } from './AttributeKey';
import type { Channel } from './Channel';
import type { ChannelHandler } from './ChannelHandler';
import type { ChannelInboundInvoker, ChannelOutboundInvoker } from './ChannelInvokers';
import type { ChannelPipeline } from './ChannelPipeline';

/**
 * Port of io.netty.channel.ChannelHandlerContext: a handler's place in a pipeline.
 *
 * `ctx.fireX()` sends an inbound event to the *next* inbound handler after this one; `ctx.write()` sends
 * an operation to the *previous* outbound handler before this one. `channel().write()` and
 * `pipeline().write()` start from the tail instead, so every outbound handler sees them.
 *
 * ## Threading
 * Call from the handler's executor (`executor()`); calls from elsewhere are queued onto it.
 */
export interface ChannelHandlerContext extends ChannelInboundInvoker, ChannelOutboundInvoker {
  channel(): Channel;
  executor(): EventExecutor;
  /** The unique name of this handler in its pipeline. */
  name(): string;
  handler(): ChannelHandler;
  /** True once the handler was removed; a decoder checks this after calling user code. */
  isRemoved(): boolean;
  pipeline(): ChannelPipeline;
  alloc(): ByteBufAllocator;
  attr<T>(key: AttributeKey<T>): Attribute<T>;
  hasAttr<T>(key: AttributeKey<T>): boolean;
}
