import type { BufferPool } from './BufferPool';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.BufferPoolFactory (Flink 1.20).
 *
 * Creates and destroys {@link BufferPool}s over a shared budget of segments ({@link NetworkBufferPool}).
 *
 * ## Threading
 * The loop that owns the global pool.
 */
export interface BufferPoolFactory {
  /**
   * A new pool of at least `numRequiredBuffers` and at most `maxUsedBuffers` buffers. Throws
   * `InsufficientNetworkBuffersException` if the required buffers cannot be guaranteed.
   * @param numSubpartitions subpartitions whose buffers are counted separately (0: none)
   * @param maxBuffersPerChannel buffers one subpartition may hold before the pool turns unavailable
   * @param maxOverdraftBuffersPerGate buffers beyond the pool size allowed when it is exhausted
   */
  createBufferPool(
    numRequiredBuffers: number,
    maxUsedBuffers: number,
    numSubpartitions?: number,
    maxBuffersPerChannel?: number,
    maxOverdraftBuffersPerGate?: number,
  ): BufferPool;
  /** Unregisters `bufferPool` (called by `lazyDestroy()`); its budget is redistributed. */
  destroyBufferPool(bufferPool: BufferPool): void;
}
