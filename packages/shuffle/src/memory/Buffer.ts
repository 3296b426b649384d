import type { Buffer as NodeBuffer } from 'node:buffer';
import type { ByteBuf } from '@sluice/channel';
import type { BufferRecycler } from './BufferRecycler';
import type { DataType } from './DataType';
import type { MemorySegment } from './MemorySegment';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.Buffer (Flink 1.20). Differs: no `setAllocator`
 * (Sluice buffers need no Netty allocator), no `tagAsEvent` (use `setDataType`), no `toDebugString`;
 * NIO views are Node `Buffer`s.
 *
 * A network buffer: a reference-counted view of (part of) one {@link MemorySegment} with a reader index,
 * a size (writer index), a {@link DataType} and a compression flag. {@link NetworkBuffer} is the root
 * implementation; `readOnlySlice()` returns {@link ReadOnlySlicedNetworkBuffer}s that share its count.
 * Every Buffer is also a `ByteBuf` of `@sluice/channel` ({@link asByteBuf}), so it can be written to a
 * channel as is: the socket write releases it when done.
 *
 * ## Threading
 * Not synchronised: one thread (the network loop) at a time.
 *
 * ## Ownership
 * Created with one reference. `retainBuffer()` adds one, `recycleBuffer()` drops one; when the last one
 * is dropped the segment goes back to its {@link BufferRecycler} (exactly once). Whoever holds a
 * reference recycles it exactly once; passing a buffer on (into a queue, a write) passes the reference.
 *
 * ## Pitfalls
 * - A second `recycleBuffer()` of the same reference throws `IllegalReferenceCountException` — or, worse,
 *   silently drops someone else's reference if the count is still positive.
 * - Name clash: this interface shadows Node's global `Buffer` in modules that import it; import it as
 *   `import type { Buffer as NetworkBufferLike } from '@sluice/shuffle'` where you also need Node's.
 *
 * @example
 * const buffer = pool.requestBuffer();
 * if (buffer !== null) {
 *   try {
 *     buffer.asByteBuf().writeInt(42);
 *     queue.push(buffer.retainBuffer()); // the queue now owns one reference
 *   } finally {
 *     buffer.recycleBuffer(); // ours
 *   }
 * }
 */
export interface Buffer {
  /** True if this buffer holds records (`getDataType().isBuffer()`), false for events. */
  isBuffer(): boolean;
  /** The backing segment (shared with slices). Throws if the buffer was recycled. */
  getMemorySegment(): MemorySegment;
  /** Offset of this buffer's index 0 inside the segment (0 for a root buffer). */
  getMemorySegmentOffset(): number;
  /** Who gets the segment back on the last release. */
  getRecycler(): BufferRecycler;
  /** Drops one reference (Netty `release()`); the last one recycles the segment. */
  recycleBuffer(): void;
  /** True once the reference count is 0. */
  isRecycled(): boolean;
  /** Adds one reference and returns this buffer. */
  retainBuffer(): Buffer;
  /** A read-only view of the readable bytes sharing the reference count (NOT retained). */
  readOnlySlice(): Buffer;
  /** A read-only view of `[index, index + length)` sharing the reference count (NOT retained). */
  readOnlySlice(index: number, length: number): Buffer;
  /** Capacity of the backing memory region in bytes. */
  getMaxCapacity(): number;
  /** The reader index. */
  getReaderIndex(): number;
  /** Sets the reader index (`0 <= i <= getSize()`). */
  setReaderIndex(readerIndex: number): void;
  /** Bytes of data in the buffer: the writer index. */
  getSize(): number;
  /** Sets the writer index (`getReaderIndex() <= size <= capacity`). */
  setSize(writerIndex: number): void;
  /** `getSize() - getReaderIndex()`. */
  readableBytes(): number;
  /** A Node `Buffer` view of the readable bytes (no copy). */
  getNioBufferReadable(): NodeBuffer;
  /** A Node `Buffer` view of `[index, index + length)` (no copy). */
  getNioBuffer(index: number, length: number): NodeBuffer;
  /** This buffer as a `ByteBuf` (the same object). */
  asByteBuf(): ByteBuf;
  /** True if the payload is compressed. */
  isCompressed(): boolean;
  /** Marks the payload as compressed or not. */
  setCompressed(isCompressed: boolean): void;
  /** What the buffer carries. */
  getDataType(): DataType;
  /** Sets what the buffer carries (read-only slices throw). */
  setDataType(dataType: DataType): void;
  /** The current reference count. */
  refCnt(): number;
}
