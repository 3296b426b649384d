export { channelModule, type ChannelModuleOptions } from './channelModule';
export {
  ChannelTokens,
  getService,
  type BootstrapFactory,
  type ChannelOptionEntry,
  type ServerBootstrapFactory,
  type ServiceOf,
  type ServiceToken,
} from './tokens';
