import { Buffer as NodeBuffer } from 'node:buffer';
import { IllegalArgumentException } from '@sluice/channel';
import { MemorySegment } from './MemorySegment';

/** Largest (`Shared`)`ArrayBuffer` one call carves (bytes); larger requests are split into several (1 GiB). */
export const MAX_SEGMENTS_CHUNK_BYTES = 1 << 30;

function checkSize(size: number, what: string): void {
  if (!Number.isInteger(size) || size <= 0) throw new IllegalArgumentException(`${what}: ${size} (expected: an integer > 0)`);
}

/**
 * Port of org.apache.flink.core.memory.MemorySegmentFactory (Flink 1.20). Differs: there is no off-heap
 * memory. Pool memory is carved in chunks ({@link allocateSegments}): a plain `ArrayBuffer`, or a
 * `SharedArrayBuffer` when a worker thread must map it (`shared`); the segments of one chunk also get
 * their BufferBuilder position cells from the same buffer (layout in {@link MemorySegment}).
 *
 * Shared memory is not the default because V8 copies into and out of it (`TypedArray.set`,
 * `Buffer.copy`) with relaxed atomic stores: word by word when source and target are 8-byte congruent,
 * byte by byte otherwise — measured here at 1.2 µs and 9 µs per 32 KiB, against 0.7 µs for plain memory.
 * The client decoder's payload copy is almost never congruent (payloads start 47 bytes into a frame).
 *
 * ## Threading
 * Any thread; every call allocates fresh memory.
 *
 * ## Ownership
 * The caller owns the returned segments. Heap segments need no explicit release (the garbage collector
 * reclaims them); pool segments are given back to their pool.
 *
 * @example
 * const [a, b] = MemorySegmentFactory.allocateSegments(2, 32 * 1024);
 * a.getArray().buffer === b.getArray().buffer; // true: one ArrayBuffer
 * MemorySegmentFactory.allocateSharedSegments(2, 32 * 1024)[0].isShared(); // true
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
   * `count` segments of `size` bytes carved out of ONE `ArrayBuffer` — a `SharedArrayBuffer` if `shared` —
   * (zeroed), followed by one int32 position cell per segment (see {@link MemorySegment}). Throws if the
   * buffer would exceed {@link MAX_SEGMENTS_CHUNK_BYTES}; {@link NetworkBufferPool} splits large pools
   * into several calls.
   */
  allocateSegments(count: number, size: number, owner: unknown = null, shared = false): MemorySegment[] {
    checkSize(count, 'count');
    checkSize(size, 'size');
    const dataBytes = count * size;
    const cellsOffset = Math.ceil(dataBytes / 8) * 8;
    const totalBytes = cellsOffset + 4 * count;
    if (totalBytes > MAX_SEGMENTS_CHUNK_BYTES) {
      throw new IllegalArgumentException(
        `${count} segments of ${size} bytes need ${totalBytes} bytes, more than one memory chunk ` +
          `(${MAX_SEGMENTS_CHUNK_BYTES}); allocate them in several calls`,
      );
    }
    const memory = shared ? new SharedArrayBuffer(totalBytes) : new ArrayBuffer(totalBytes);
    const cells = new Int32Array(memory, cellsOffset, count);
    const segments = new Array<MemorySegment>(count);
    for (let i = 0; i < count; i++) {
      segments[i] = new MemorySegment(NodeBuffer.from(memory, i * size, size), owner, cells, i);
    }
    return segments;
  },

  /** {@link allocateSegments} in ONE `SharedArrayBuffer` (memory a worker thread can map). */
  allocateSharedSegments(count: number, size: number, owner: unknown = null): MemorySegment[] {
    return MemorySegmentFactory.allocateSegments(count, size, owner, true);
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
