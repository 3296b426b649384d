export { EmbeddedChannel, EmbeddedSocketAddress, type EmbeddedChannelOptions } from './embedded/EmbeddedChannel';
export { EmbeddedEventLoop } from './embedded/EmbeddedEventLoop';
