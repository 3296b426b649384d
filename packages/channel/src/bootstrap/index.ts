export { ChannelInitializer } from './ChannelInitializer';
export { AbstractBootstrap, type ChannelClass, type ChannelFactory } from './AbstractBootstrap';
export { Bootstrap } from './Bootstrap';
export { ServerBootstrap, ServerBootstrapAcceptor } from './ServerBootstrap';
export { FailedChannel } from './FailedChannel';
