export { ChannelInitializer } from './ChannelInitializer';
