// Public API of Flink's io.network.netty layer: the wire protocol, the server and client handlers, and the
// connection manager that NettyShuffleEnvironment uses.
export { NettyMessage, MessageId, type MessageIdValue } from './NettyMessage';
export * from './message';
export { NettyMessageEncoder } from './NettyMessageEncoder';
export { NettyMessageDecoder } from './NettyMessageDecoder';
export { NettyMessageClientDecoderDelegate, type NettyMessageClientDecoderDelegateOptions } from './NettyMessageClientDecoderDelegate';
export { NettyMessageSubDecoder } from './NettyMessageSubDecoder';
export { BufferResponseDecoder } from './BufferResponseDecoder';
export { NonBufferResponseDecoder } from './NonBufferResponseDecoder';
export { NetworkBufferAllocator, allocateUnpooledNetworkBuffer, type BufferReceiver, type BufferReceiverLookup } from './NetworkBufferAllocator';
export { RemoteThrowable, isPartitionNotFound, type RemoteThrowableFormat, type RemoteThrowableOptions } from './RemoteThrowable';
export type { NetworkClientHandler } from './NetworkClientHandler';
export type { NetworkSequenceViewReader } from './NetworkSequenceViewReader';
export { CreditBasedSequenceNumberingViewReader } from './CreditBasedSequenceNumberingViewReader';
export { SequenceNumberingViewReader } from './SequenceNumberingViewReader';
export { PartitionRequestQueue } from './PartitionRequestQueue';
export { PartitionRequestServerHandler } from './PartitionRequestServerHandler';
export { NettyPartitionRequestListener } from './NettyPartitionRequestListener';
export { CreditBasedPartitionRequestClientHandler } from './CreditBasedPartitionRequestClientHandler';
export { PartitionRequestClientHandler } from './PartitionRequestClientHandler';
export { NettyPartitionRequestClient } from './NettyPartitionRequestClient';
export { PartitionRequestClientFactory } from './PartitionRequestClientFactory';
export { NettyServer } from './NettyServer';
export { NettyClient } from './NettyClient';
export { NettyProtocol } from './NettyProtocol';
export { NettyConnectionManager } from './NettyConnectionManager';
export { NettyConfig, NETTY_CONFIG_KEYS, type NettyConfigOptions, type FlowControlMode } from './NettyConfig';
export { TransportException, RemoteTransportException, LocalTransportException, ProtocolException } from './errors';
