import type { ChannelHandler } from '@sluice/channel';
import type { TaskEventPublisher } from '../network/TaskEventPublisher';
import type { ResultPartitionProvider } from '../partition/ResultPartitionProvider';
import { CreditBasedPartitionRequestClientHandler } from './CreditBasedPartitionRequestClientHandler';
import { DEFAULT_MAX_FRAME_LENGTH } from './NettyConfig';
import { NettyMessageClientDecoderDelegate } from './NettyMessageClientDecoderDelegate';
import { NettyMessageDecoder } from './NettyMessageDecoder';
import { NettyMessageEncoder } from './NettyMessageEncoder';
import { PartitionRequestClientHandler } from './PartitionRequestClientHandler';
import { PartitionRequestQueue } from './PartitionRequestQueue';
import { PartitionRequestServerHandler } from './PartitionRequestServerHandler';

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyProtocol (Flink 1.20). Differs: also builds
 * Flink 1.4's push-mode pipelines (`creditBased = false`).
 *
 * The handlers of a data connection, in pipeline order (reference §1.5):
 *
 * ```
 * server:  NettyMessageEncoder → NettyMessageDecoder (length-field frames) → PartitionRequestServerHandler → PartitionRequestQueue
 * client:  NettyMessageEncoder → NettyMessageClientDecoderDelegate → CreditBasedPartitionRequestClientHandler
 * push:    NettyMessageEncoder → NettyMessageDecoder (client side)   → PartitionRequestClientHandler
 * ```
 *
 * The client's decoder needs its handler (it reads a BufferResponse's payload straight into a buffer of
 * the target channel), so both are created together. The encoder is sharable: one instance serves every
 * connection. Both decoders refuse frames longer than `maxFrameLength` as soon as the length is read
 * (NettyConfig's; Flink's decoders take up to 2^31 − 1).
 */
export class NettyProtocol {
  private readonly messageEncoder = new NettyMessageEncoder();

  constructor(
    private readonly partitionProvider: ResultPartitionProvider,
    private readonly taskEventPublisher: TaskEventPublisher | null,
    private readonly creditBased = true,
    private readonly maxFrameLength = DEFAULT_MAX_FRAME_LENGTH,
  ) {}

  /** A new server pipeline (one per accepted connection). */
  getServerChannelHandlers(): ChannelHandler[] {
    const queueOfPartitionQueues = new PartitionRequestQueue();
    const serverHandler = new PartitionRequestServerHandler(this.partitionProvider, this.taskEventPublisher, queueOfPartitionQueues, this.creditBased);
    return [this.messageEncoder, new NettyMessageDecoder({ maxFrameLength: this.maxFrameLength }), serverHandler, queueOfPartitionQueues];
  }

  /** A new client pipeline (one per connection to a producer). */
  getClientChannelHandlers(): ChannelHandler[] {
    if (!this.creditBased) {
      const decoder = new NettyMessageDecoder({ clientSide: true, maxFrameLength: this.maxFrameLength });
      return [this.messageEncoder, decoder, new PartitionRequestClientHandler()];
    }
    const networkClientHandler = new CreditBasedPartitionRequestClientHandler();
    const decoder = new NettyMessageClientDecoderDelegate(networkClientHandler, { maxFrameLength: this.maxFrameLength });
    return [this.messageEncoder, decoder, networkClientHandler];
  }

  isCreditBased(): boolean {
    return this.creditBased;
  }
}
