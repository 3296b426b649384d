// Public API of the memory layer (Flink's io.network.buffer and core.memory), re-exported by the package entry.
export { MemorySegment } from './MemorySegment';
export { MemorySegmentFactory, MAX_SEGMENTS_CHUNK_BYTES } from './MemorySegmentFactory';
export { DataType } from './DataType';
export type { Buffer } from './Buffer';
export type { BufferRecycler } from './BufferRecycler';
export { FreeingBufferRecycler } from './FreeingBufferRecycler';
export { NetworkBuffer } from './NetworkBuffer';
export { ReadOnlySlicedNetworkBuffer } from './ReadOnlySlicedNetworkBuffer';
export { PositionMarker } from './PositionMarker';
export { BufferBuilder } from './BufferBuilder';
export { BufferConsumer } from './BufferConsumer';
export { AvailabilityProvider, AvailabilityHelper } from './AvailabilityProvider';
export type { BufferListener } from './BufferListener';
export type { BufferProvider } from './BufferProvider';
export type { BufferPool } from './BufferPool';
export type { BufferPoolFactory } from './BufferPoolFactory';
export type { MemorySegmentProvider } from './MemorySegmentProvider';
export { NetworkBufferPool, type NetworkBufferPoolOptions } from './NetworkBufferPool';
export { LocalBufferPool } from './LocalBufferPool';
export {
  NetworkMemoryDefaults,
  NETWORK_MEMORY_CONFIG_KEYS,
  parseMemorySize,
  resolveNetworkMemoryOptions,
  type NetworkMemoryOptions,
} from './NetworkMemoryDefaults';
export {
  InsufficientNetworkBuffersException,
  BufferPoolDestroyedException,
  ExclusiveBuffersRequestTimeoutException,
  SegmentsInUseException,
  MemorySegmentFreedException,
} from './errors';
