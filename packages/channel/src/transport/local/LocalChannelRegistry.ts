import { ChannelException } from '../../channel/errors';
import { LocalAddress } from './LocalAddress';
import type { LocalServerChannel } from './LocalServerChannel';

const bound = new Map<string, LocalServerChannel>();

/**
 * Port of io.netty.channel.local.LocalChannelRegistry (Netty 4.1). Differs: only server channels are
 * registered (Netty also records bound client channels).
 *
 * The process-wide table of bound {@link LocalServerChannel}s.
 *
 * ## Threading
 * Node runs one JavaScript thread, so a plain Map serves every event loop.
 */
export const LocalChannelRegistry = {
  /** Binds `channel` to `address` (a generated one for {@link LocalAddress.ANY}); returns the address used. */
  register(channel: LocalServerChannel, address: LocalAddress): LocalAddress {
    const actual = address.id === LocalAddress.ANY.id ? LocalAddress.forChannel(channel) : address;
    const existing = bound.get(actual.id);
    if (existing !== undefined) throw new ChannelException(`address already in use by: ${String(existing)}`, { code: 'SLUICE_ADDRESS_IN_USE' });
    bound.set(actual.id, channel);
    return actual;
  },

  /** The server bound to `address`, if any. */
  get(address: LocalAddress): LocalServerChannel | undefined {
    return bound.get(address.id);
  },

  /** Frees `address` if `channel` holds it. */
  unregister(channel: LocalServerChannel, address: LocalAddress): void {
    if (bound.get(address.id) === channel) bound.delete(address.id);
  },
};
