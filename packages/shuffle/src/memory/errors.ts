import { IllegalStateException, SluiceError } from '@sluice/channel';

/**
 * The global {@link NetworkBufferPool} cannot promise the buffers a caller asks to reserve: the required
 * buffers of all registered pools plus exclusive (unpooled) requests would exceed the total.
 *
 * Port of the `IOException` Flink's NetworkBufferPool throws from `createBufferPool` and
 * `requestUnpooledMemorySegments`; the message has Flink's shape so that people find the same advice:
 * "Insufficient number of network buffers: required N, but only M available. The total number of network
 * buffers is currently set to T of S bytes each. You can increase this number by setting the
 * configuration keys 'taskmanager.memory.network.fraction', 'taskmanager.memory.network.min', and
 * 'taskmanager.memory.network.max'."
 */
export class InsufficientNetworkBuffersException extends SluiceError {
  /** Buffers the failed call asked for. */
  readonly required: number;
  /** Buffers that were still unreserved (total minus everything already required). */
  readonly available: number;
  /** Total number of network buffers (memory segments) of the global pool. */
  readonly total: number;
  /** Bytes per buffer. */
  readonly segmentSize: number;

  constructor(required: number, available: number, total: number, segmentSize: number) {
    super(
      `Insufficient number of network buffers: required ${required}, but only ${available} available. ` +
        networkBuffersConfigDescription(total, segmentSize) +
        '.',
      { code: 'SLUICE_INSUFFICIENT_NETWORK_BUFFERS' },
    );
    this.required = required;
    this.available = available;
    this.total = total;
    this.segmentSize = segmentSize;
  }
}

/** Flink's `NetworkBufferPool.getConfigDescription()`, shared by the messages of this file. */
export function networkBuffersConfigDescription(total: number, segmentSize: number): string {
  return (
    `The total number of network buffers is currently set to ${total} of ${segmentSize} bytes each. ` +
    "You can increase this number by setting the configuration keys 'taskmanager.memory.network.fraction', " +
    "'taskmanager.memory.network.min', and 'taskmanager.memory.network.max'"
  );
}

/**
 * A request was made to a buffer pool that has been destroyed: a {@link LocalBufferPool} after
 * `lazyDestroy()` (Flink throws `CancelTaskException("Buffer pool has already been destroyed.")`) or the
 * global {@link NetworkBufferPool} after `destroy()` (Flink: `IllegalStateException`). Pending promise
 * requests of a pool fail with this error when the pool is destroyed.
 */
export class BufferPoolDestroyedException extends SluiceError {
  /** Description of the pool (its `toString()`). */
  readonly pool: string;

  constructor(pool: string, what = 'Buffer pool') {
    super(`${what} has already been destroyed: ${pool}. A task whose pool was destroyed is being cancelled or has finished; stop requesting buffers from it.`, {
      code: 'SLUICE_BUFFER_POOL_DESTROYED',
    });
    this.pool = pool;
  }
}

/**
 * Exclusive buffers (`NetworkBufferPool.requestUnpooledMemorySegments`) were reserved but not enough
 * segments came back to the global pool within the request timeout. Port of Flink's "Timeout triggered
 * when requesting exclusive buffers" `IOException`.
 */
export class ExclusiveBuffersRequestTimeoutException extends SluiceError {
  /** Segments the request asked for. */
  readonly requested: number;
  /** Segments obtained before the timeout (they were given back). */
  readonly obtained: number;
  /** The timeout in milliseconds. */
  readonly timeoutMs: number;

  constructor(requested: number, obtained: number, timeoutMs: number, total: number, segmentSize: number) {
    super(
      `Timeout triggered when requesting exclusive buffers: got ${obtained} of ${requested} within ${timeoutMs}ms. ` +
        `${networkBuffersConfigDescription(total, segmentSize)}, or you may increase the timeout which is ` +
        `${timeoutMs}ms by setting the key 'taskmanager.network.memory.exclusive-buffers-request-timeout-ms'.`,
      { code: 'SLUICE_EXCLUSIVE_BUFFERS_REQUEST_TIMEOUT' },
    );
    this.requested = requested;
    this.obtained = obtained;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * `NetworkBufferPool.destroy()` was called while memory segments were still out: held by local buffer
 * pools that were not destroyed, by buffers not yet recycled, or as exclusive segments not given back.
 * Sluice-only (Flink frees what is there and lets the rest leak); the pool stays usable so the caller can
 * return what is missing and try again.
 */
export class SegmentsInUseException extends IllegalStateException {
  /** Segments not back in the global pool. */
  readonly missing: number;
  /** Total segments of the global pool. */
  readonly total: number;
  /** Local buffer pools still registered (not destroyed). */
  readonly registeredPools: number;

  constructor(missing: number, total: number, registeredPools: number, unpooled: number) {
    super(
      `NetworkBufferPool.destroy(): ${missing} of ${total} memory segments have not been returned ` +
        `(${registeredPools} local buffer pool(s) not destroyed, ${unpooled} exclusive segment(s) reserved). ` +
        'Recycle every buffer, lazyDestroy() every LocalBufferPool and recycleUnpooledMemorySegments() every ' +
        'exclusive request before destroying the global pool.',
      { code: 'SLUICE_SEGMENTS_IN_USE' },
    );
    this.missing = missing;
    this.total = total;
    this.registeredPools = registeredPools;
  }
}

/** A {@link MemorySegment} was accessed after `free()`. */
export class MemorySegmentFreedException extends IllegalStateException {
  constructor() {
    super('MemorySegment has been freed; it must not be used after free() (or after its pool was destroyed)', {
      code: 'SLUICE_MEMORY_SEGMENT_FREED',
    });
  }
}
