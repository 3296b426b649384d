/**
 * Port of io.netty.channel.socket.ChannelInputShutdownEvent: user event fired when the peer shut its
 * output down (half-close) and ALLOW_HALF_CLOSURE keeps the channel open.
 */
export class ChannelInputShutdownEvent {
  static readonly INSTANCE = new ChannelInputShutdownEvent();
  private constructor() {}
  toString(): string {
    return 'ChannelInputShutdownEvent';
  }
}

/** Port of io.netty.channel.socket.ChannelInputShutdownReadComplete: fired after the last read of a half-closed input. */
export class ChannelInputShutdownReadComplete {
  static readonly INSTANCE = new ChannelInputShutdownReadComplete();
  private constructor() {}
  toString(): string {
    return 'ChannelInputShutdownReadComplete';
  }
}

/** Port of io.netty.channel.socket.ChannelOutputShutdownEvent: fired once this side's output is shut down. */
export class ChannelOutputShutdownEvent {
  static readonly INSTANCE = new ChannelOutputShutdownEvent();
  private constructor() {}
  toString(): string {
    return 'ChannelOutputShutdownEvent';
  }
}
