import { Buffer as NodeBuffer } from 'node:buffer';
import { IllegalArgumentException } from '@sluice/channel';
import { MemorySegment } from './MemorySegment';

/** Largest `SharedArrayBuffer` one call carves (bytes); larger requests are split into several (1 GiB). */
export const MAX_SHARED_CHUNK_BYTES = 1 << 30;

function checkSize(size: number, what: string): void {
  if (!Number.isInteger(size) || size <= 0) throw new IllegalArgumentException(`${what}: ${size} (expected: an integer > 0)`);
}

/**
 * Port of org.apache.flink.core.memory.MemorySegmentFactory (Flink 1.20). Differs: there is no off-heap
 * memory; "network" memory is `SharedArrayBuffer` memory (so a worker thread can map it) and heap memory
 * is a plain `ArrayBuffer`. Segments carved from one `SharedArrayBuffer` also get their BufferBuilder
 * position cells from the same buffer (layout in {@link MemorySegment}).
 *
 * ## Threading
 * Any thread; every call allocates fresh memory.
 *
 * ## Ownership
 * The caller owns the returned segments. Heap segments need no explicit release (the garbage collector
 * reclaims them); pool segments are given back to their pool.
 *
 * @example
 * const [a, b] = MemorySegmentFactory.allocateSharedSegments(2, 32 * 1024);
 * a.getArray().buffer === b.getArray().buffer; // true: one SharedArrayBuffer
 */
export const MemorySegmentFactory = {
  /**
   * A heap segment of `size` bytes (zeroed) in its own `ArrayBuffer`. Flink uses these for events and
   * one-off buffers (freed by {@link FreeingBufferRecycler}).
   */
  allocateUnpooledSegment(size: number, owner: unknown = null): MemorySegment {
    checkSize(size, 'size');
    return new MemorySegment(NodeBuffer.alloc(size), owner);
  },

  /**
   * `count` segments of `size` bytes carved out of ONE `SharedArrayBuffer` (zeroed), followed by one
   * int32 position cell per segment (see {@link MemorySegment}). Throws if the buffer would exceed
   * {@link MAX_SHARED_CHUNK_BYTES}; {@link NetworkBufferPool} splits large pools into several calls.
   */
  allocateSharedSegments(count: number, size: number, owner: unknown = null): MemorySegment[] {
    checkSize(count, 'count');
    checkSize(size, 'size');
    const dataBytes = count * size;
    const cellsOffset = Math.ceil(dataBytes / 8) * 8;
    const totalBytes = cellsOffset + 4 * count;
    if (totalBytes > MAX_SHARED_CHUNK_BYTES) {
      throw new IllegalArgumentException(
        `${count} segments of ${size} bytes need ${totalBytes} bytes, more than one SharedArrayBuffer chunk ` +
          `(${MAX_SHARED_CHUNK_BYTES}); allocate them in several calls`,
      );
    }
    const sab = new SharedArrayBuffer(totalBytes);
    const cells = new Int32Array(sab, cellsOffset, count);
    const segments = new Array<MemorySegment>(count);
    for (let i = 0; i < count; i++) {
      segments[i] = new MemorySegment(NodeBuffer.from(sab, i * size, size), owner, cells, i);
    }
    return segments;
  },

  /** One segment of `size` bytes in its own `SharedArrayBuffer` (with its position cell). */
  allocateSharedSegment(size: number, owner: unknown = null): MemorySegment {
    return MemorySegmentFactory.allocateSharedSegments(1, size, owner)[0]!;
  },

  /**
   * A segment over existing memory, without a copy (Flink's `wrap(byte[])`). Works for views over a
   * `SharedArrayBuffer` too — e.g. on a worker that received the buffer, offset and length.
   */
  wrap(memory: Uint8Array, owner: unknown = null): MemorySegment {
    return new MemorySegment(memory, owner);
  },
};
