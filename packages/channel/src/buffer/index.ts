// Public API of the buffer layer (Netty's io.netty.buffer), re-exported by the package entry.
export { ByteBuf, ByteProcessor } from './ByteBuf';
export {
  ByteBufAllocator,
  calculateNewCapacity,
  CALCULATE_THRESHOLD,
  DEFAULT_INITIAL_CAPACITY,
  DEFAULT_MAX_CAPACITY,
  DEFAULT_MAX_COMPONENTS,
} from './ByteBufAllocator';
export { AbstractByteBuf } from './AbstractByteBuf';
export { AbstractAccessorByteBuf } from './AbstractAccessorByteBuf';
export { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
export { AbstractDerivedByteBuf } from './AbstractDerivedByteBuf';
export { AbstractHeapByteBuf } from './AbstractHeapByteBuf';
export { UnpooledHeapByteBuf } from './UnpooledHeapByteBuf';
export { SlicedByteBuf } from './SlicedByteBuf';
export { DuplicatedByteBuf } from './DuplicatedByteBuf';
export { ReadOnlyByteBuf } from './ReadOnlyByteBuf';
export { EmptyByteBuf } from './EmptyByteBuf';
export { AbstractCompositeByteBuf } from './AbstractCompositeByteBuf';
export { CompositeByteBuf } from './CompositeByteBuf';
export { AbstractByteBufAllocator } from './AbstractByteBufAllocator';
export { UnpooledByteBufAllocator } from './UnpooledByteBufAllocator';
export {
  PooledByteBufAllocator,
  type PooledByteBufAllocatorMetric,
  type PooledByteBufAllocatorOptions,
} from './PooledByteBufAllocator';
export { PooledByteBuf } from './PooledByteBuf';
export { Unpooled } from './Unpooled';
export { ByteBufUtil } from './ByteBufUtil';
export {
  LeakDetectionLevel,
  ResourceLeakDetector,
  type LeakListener,
  type ResourceLeakDetectorOptions,
  type ResourceLeakTracker,
} from './ResourceLeakDetector';
export {
  IllegalReferenceCountException,
  LeakDetectedException,
  ReadOnlyBufferException,
  UnsafeIntegerException,
  type LeakReport,
} from './errors';
export { type ReferenceCounted, isReferenceCounted } from './ReferenceCounted';
export { ReferenceCountUtil } from './ReferenceCountUtil';
