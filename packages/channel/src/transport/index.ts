export { EmbeddedChannel, EmbeddedSocketAddress, type EmbeddedChannelOptions } from './embedded/EmbeddedChannel';
export { EmbeddedEventLoop } from './embedded/EmbeddedEventLoop';
export * from './tcp';
export * from './local';
