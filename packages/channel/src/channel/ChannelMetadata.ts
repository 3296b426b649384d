/** Port of io.netty.channel.ChannelMetadata: properties of a transport. */
export class ChannelMetadata {
  constructor(
    /** Whether `disconnect()` differs from `close()` (false for TCP: disconnect is routed to close). */
    readonly hasDisconnect: boolean,
    /** Messages per read loop before channelReadComplete (Netty: 16 for sockets). */
    readonly defaultMaxMessagesPerRead = 16,
  ) {}
}
