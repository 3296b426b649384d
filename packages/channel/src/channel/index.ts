export * from './errors';
export { AbstractChannel, type TransportCallback } from './AbstractChannel';
export { AdaptiveRecvByteBufAllocator } from './AdaptiveRecvByteBufAllocator';
export { AbstractUnsafe } from './AbstractUnsafe';
export { AbstractChannelHandlerContext } from './AbstractChannelHandlerContext';
export { AttributeKey, DefaultAttributeMap, type Attribute, type AttributeMap } from './AttributeKey';
export type { Channel, Unsafe } from './Channel';
export { DefaultChannelConfig, type ChannelConfig } from './ChannelConfig';
export { ChannelDuplexHandler } from './ChannelDuplexHandler';
export { ChannelInputShutdownEvent, ChannelInputShutdownReadComplete, ChannelOutputShutdownEvent } from './ChannelEvents';
export { ChannelFutureListeners, type ChannelFuture, type ChannelFutureListener, type ChannelPromise } from './ChannelFuture';
export {
  Sharable,
  isSharableHandler,
  type ChannelHandler,
  type ChannelInboundHandler,
  type ChannelOutboundHandler,
  type ChannelDuplexHandlerLike,
} from './ChannelHandler';
export { ChannelHandlerAdapter } from './ChannelHandlerAdapter';
export type { ChannelHandlerContext } from './ChannelHandlerContext';
export { ChannelId } from './ChannelId';
export { ChannelInboundHandlerAdapter } from './ChannelInboundHandlerAdapter';
export type { ChannelInboundInvoker, ChannelOutboundInvoker } from './ChannelInvokers';
export { ChannelMetadata } from './ChannelMetadata';
export { ChannelOption } from './ChannelOption';
export { ChannelOutboundBuffer } from './ChannelOutboundBuffer';
export { ChannelOutboundHandlerAdapter } from './ChannelOutboundHandlerAdapter';
export type { ChannelPipeline, HandlerType } from './ChannelPipeline';
export { CloseFuture } from './CloseFuture';
export { DefaultChannelPipeline } from './DefaultChannelPipeline';
export { DefaultChannelPromise } from './DefaultChannelPromise';
export { DefaultMessageSizeEstimator, type MessageSizeEstimator } from './MessageSizeEstimator';
export { FixedRecvByteBufAllocator } from './FixedRecvByteBufAllocator';
export type { RecvByteBufAllocator, RecvByteBufAllocatorHandle } from './RecvByteBufAllocator';
export { SimpleChannelInboundHandler } from './SimpleChannelInboundHandler';
export { InetSocketAddress, SocketAddress } from './SocketAddress';
export { VoidChannelPromise } from './VoidChannelPromise';
export { WriteBufferWaterMark } from './WriteBufferWaterMark';
