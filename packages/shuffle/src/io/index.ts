// Public API of the io layer (Flink's core.memory views, typeutils serializers, io.network.api writer and
// serialization), re-exported by the package entry.
export type { DataOutputView } from './DataOutputView';
export type { DataInputView } from './DataInputView';
export { DataOutputSerializer } from './DataOutputSerializer';
export { DataInputDeserializer } from './DataInputDeserializer';
export { ByteBufDataInputView } from './ByteBufDataInputView';
export {
  EndOfInputException,
  RecordDeserializationException,
  CorruptRecordLengthException,
  BrokenSerializationException,
  RecordSpillingException,
  WriterNotAvailableException,
  OutputFlusherException,
} from './errors';
export type { TypeSerializer } from './typeutils/TypeSerializer';
export { IntSerializer } from './typeutils/IntSerializer';
export { LongSerializer } from './typeutils/LongSerializer';
export { LongBigIntSerializer } from './typeutils/LongBigIntSerializer';
export { DoubleSerializer } from './typeutils/DoubleSerializer';
export { BooleanSerializer } from './typeutils/BooleanSerializer';
export { StringSerializer } from './typeutils/StringSerializer';
export { BytesSerializer } from './typeutils/BytesSerializer';
export { TupleSerializer, type FieldSerializers } from './typeutils/TupleSerializer';
export { ObjectSerializer, type ObjectFields } from './typeutils/ObjectSerializer';
export type { ResultPartitionWriter } from './writer/ResultPartitionWriter';
export type { ChannelSelector } from './writer/ChannelSelector';
export { RoundRobinChannelSelector } from './writer/RoundRobinChannelSelector';
export { ForwardChannelSelector } from './writer/ForwardChannelSelector';
export { BroadcastPartitioner } from './writer/BroadcastPartitioner';
export {
  KeyGroupStreamPartitioner,
  type KeySelector,
  type KeyGroupStreamPartitionerOptions,
} from './writer/KeyGroupStreamPartitioner';
export { KeyGroupRangeAssignment, murmurHash, javaHashCode, type HashableKey } from './writer/KeyGroupRangeAssignment';
export {
  RecordWriter,
  type RecordWriterOptions,
  DISABLED_NETWORK_BUFFER_TIMEOUT,
  FLUSH_AFTER_EVERY_RECORD,
  DEFAULT_BUFFER_TIMEOUT,
} from './writer/RecordWriter';
export { ChannelSelectorRecordWriter } from './writer/ChannelSelectorRecordWriter';
export { BroadcastRecordWriter } from './writer/BroadcastRecordWriter';
export { RecordWriterBuilder } from './writer/RecordWriterBuilder';
export type { IOReadableWritable } from './serialization/IOReadableWritable';
export { DeserializationDelegate } from './serialization/DeserializationDelegate';
export { DeserializationResult } from './serialization/DeserializationResult';
export type { RecordDeserializer } from './serialization/RecordDeserializer';
export {
  SpillingAdaptiveSpanningRecordDeserializer,
  type SpillingAdaptiveSpanningRecordDeserializerOptions,
  DEFAULT_THRESHOLD_FOR_SPILLING,
  DEFAULT_FILE_BUFFER_SIZE,
} from './serialization/SpillingAdaptiveSpanningRecordDeserializer';
