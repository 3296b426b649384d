// Public API of the consumer layer (Flink's io.network.partition.consumer), re-exported by the package entry.
export { InputChannelInfo } from './InputChannelInfo';
export { InputChannelID } from './InputChannelID';
export { BufferOrEvent } from './BufferOrEvent';
export { InputGate, IndexedInputGate, type EndOfDataStatus } from './InputGate';
export { InputChannel, BufferAndAvailability, type InputChannelOptions } from './InputChannel';
export { LocalInputChannel } from './LocalInputChannel';
export { RemoteInputChannel, type RemoteInputChannelOptions } from './RemoteInputChannel';
export { SingleInputGate, type SingleInputGateOptions, type BufferDecompressor, type Cancellable } from './SingleInputGate';
export { UnionInputGate } from './UnionInputGate';
export { BufferManager, type BufferManagerOwner } from './BufferManager';
export { ConsumerDefaults, CONSUMER_CONFIG_KEYS } from './ConsumerDefaults';
export { CancelTaskException, EventInsideRecordException, BufferReorderingException, PartitionConnectionException } from './errors';
export { RecordReader, type RecordReaderOptions, type RecordReaderEventHandler } from './RecordReader';
