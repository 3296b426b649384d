export { LocalAddress } from './LocalAddress';
export { LocalChannel } from './LocalChannel';
export { LocalServerChannel } from './LocalServerChannel';
export { LocalChannelRegistry } from './LocalChannelRegistry';
