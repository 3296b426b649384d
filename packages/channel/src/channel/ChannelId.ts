import { randomBytes } from 'node:crypto';

let sequence = 0;
const processTag = (process.pid & 0xffff).toString(16).padStart(4, '0');

/**
 * Port of io.netty.channel.ChannelId / DefaultChannelId: a globally unique id of a channel.
 * The short text is 8 hex digits (random); the long text adds the process, a sequence number and the
 * creation time.
 */
export class ChannelId {
  private constructor(private readonly shortText: string, private readonly longText: string) {}

  static newInstance(): ChannelId {
    const random = randomBytes(4).toString('hex');
    const seq = (sequence = (sequence + 1) >>> 0).toString(16).padStart(8, '0');
    const time = Date.now().toString(16);
    return new ChannelId(random, `${processTag}-${seq}-${time}-${random}`);
  }

  /** An id with fixed texts (EmbeddedChannel uses `embedded`). */
  static of(text: string): ChannelId {
    return new ChannelId(text, text);
  }

  asShortText(): string {
    return this.shortText;
  }
  asLongText(): string {
    return this.longText;
  }
  toString(): string {
    return this.shortText;
  }
}
