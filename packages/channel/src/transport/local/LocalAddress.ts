import type { Channel } from '../../channel/Channel';
import { SocketAddress } from '../../channel/SocketAddress';
import { IllegalArgumentException } from '../../util/SluiceError';

/**
 * Port of io.netty.channel.local.LocalAddress (Netty 4.1). Differs: a generated id derives from the
 * channel id (`e<short id>`) instead of a hash code.
 *
 * The name a {@link LocalServerChannel} is bound to in this process. Ids are trimmed and lower-cased;
 * `local:<id>` is the printed form.
 *
 * ## Pitfalls
 * Compare addresses with {@link equals} (or by `id`), not `===`: two `new LocalAddress('x')` are the same
 * address.
 *
 * @example
 * const address = new LocalAddress('echo');
 * await new ServerBootstrap().group(group).channel(LocalServerChannel).childHandler(h).bind(address);
 */
export class LocalAddress extends SocketAddress {
  /** Bind to this to get a generated, unique id. */
  static readonly ANY = new LocalAddress('ANY');

  /** The name (trimmed, lower case). */
  readonly id: string;

  constructor(id: string) {
    super();
    const trimmed = id.trim().toLowerCase();
    if (trimmed.length === 0) throw new IllegalArgumentException('empty id');
    this.id = trimmed;
  }

  /** An address derived from a channel's id (`local:e<id>`), as Netty gives to unbound client channels. */
  static forChannel(channel: Channel): LocalAddress {
    return new LocalAddress(`e${channel.id().asShortText()}`);
  }

  equals(other: unknown): boolean {
    return other instanceof LocalAddress && other.id === this.id;
  }

  toString(): string {
    return `local:${this.id}`;
  }
}
