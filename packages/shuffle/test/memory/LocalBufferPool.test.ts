import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { IllegalArgumentException, InternalLoggerFactory } from '@sluice/channel';
import {
  BufferPoolDestroyedException,
  LocalBufferPool,
  NetworkBufferPool,
  type Buffer,
  type BufferBuilder,
  type BufferListener,
  type MemorySegment,
} from '../../src/memory';
import { flush, installPoolChecks, newGlobalPool, numRequestedFromGlobal } from './PoolTestUtils';

installPoolChecks();

const numBuffers = 128;
const memorySegmentSize = 128;
const MAX = NetworkBufferPool.UNBOUNDED_POOL_SIZE;

/** Counts notifications; recycles the buffer it gets and does not ask for more (Flink's CountBufferListener). */
class CountBufferListener implements BufferListener {
  count = 0;
  destroyed = 0;
  notifyBufferAvailable(buffer: Buffer): boolean {
    this.count++;
    buffer.recycleBuffer();
    return false;
  }
  notifyBufferDestroyed(): void {
    this.destroyed++;
  }
}

/** Settles state checks of a promise without awaiting it. */
function track<T>(promise: Promise<T>): { settled: () => boolean; value: () => T | undefined; error: () => unknown } {
  let settled = false;
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (v) => {
      settled = true;
      value = v;
    },
    (e: unknown) => {
      settled = true;
      error = e;
    },
  );
  return { settled: () => settled, value: () => value, error: () => error };
}


describe('LocalBufferPool', () => {
  let networkBufferPool: NetworkBufferPool;
  let localBufferPool: LocalBufferPool;

  beforeEach(() => {
    networkBufferPool = newGlobalPool(numBuffers, memorySegmentSize);
    localBufferPool = new LocalBufferPool(networkBufferPool, 1);
    // a pool fetches one segment ahead so that "available" means "the next request succeeds"
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(1);
  });

  afterEach(() => {
    if (!localBufferPool.isDestroyed()) localBufferPool.lazyDestroy();
  });

  it('hands out n buffers, then null for the (n+1)-th, never taking more than n from the global pool', () => {
    localBufferPool.setNumBuffers(numBuffers);
    const requests: Buffer[] = [];
    for (let i = 1; i <= numBuffers; i++) {
      const buffer = localBufferPool.requestBuffer();
      expect(numRequestedFromGlobal(networkBufferPool)).toBe(Math.min(i + 1, numBuffers));
      expect(buffer).not.toBeNull();
      requests.push(buffer!);
    }
    expect(localBufferPool.requestBuffer()).toBeNull();
    expect(numRequestedFromGlobal(networkBufferPool)).toBe(numBuffers);
    requests.forEach((b) => b.recycleBuffer());
  });

  it('fails every request after lazyDestroy() with BufferPoolDestroyedException', async () => {
    localBufferPool.lazyDestroy();
    expect(() => localBufferPool.requestBuffer()).toThrow(BufferPoolDestroyedException);
    expect(() => localBufferPool.requestBufferBuilder()).toThrow('Buffer pool has already been destroyed');
    expect(() => localBufferPool.requestMemorySegment()).toThrow(BufferPoolDestroyedException);
    await expect(localBufferPool.requestBufferBuilderBlocking()).rejects.toBeInstanceOf(BufferPoolDestroyedException);
    await expect(localBufferPool.requestMemorySegmentBlocking()).rejects.toMatchObject({ code: 'SLUICE_BUFFER_POOL_DESTROYED' });
    expect(localBufferPool.addBufferListener(new CountBufferListener())).toBe(false);
  });

  it('does not fetch segments proactively when resized after destruction (FLINK-19964)', () => {
    localBufferPool.setNumBuffers(2);
    expect(localBufferPool.getNumBuffers()).toBe(2);
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(1);
    localBufferPool.lazyDestroy();
    localBufferPool.setNumBuffers(3);
    expect(localBufferPool.getNumBuffers()).toBe(3);
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(0);
  });

  it('keeps buffers out after destroy until they are recycled, which returns them to the global pool', () => {
    localBufferPool.setNumBuffers(numBuffers);
    const requests = Array.from({ length: numBuffers }, () => localBufferPool.requestBuffer()!);
    localBufferPool.lazyDestroy();
    expect(numRequestedFromGlobal(networkBufferPool)).toBe(numBuffers);
    requests.forEach((buffer, i) => {
      buffer.recycleBuffer();
      expect(numRequestedFromGlobal(networkBufferPool)).toBe(numBuffers - i - 1);
    });
  });

  it('returns in-use excess one by one as it is recycled after shrinking', () => {
    localBufferPool.setNumBuffers(numBuffers);
    const requests = Array.from({ length: numBuffers }, () => localBufferPool.requestBuffer()!);
    localBufferPool.setNumBuffers(numBuffers / 2);
    expect(numRequestedFromGlobal(networkBufferPool)).toBe(numBuffers);
    for (let i = 1; i < numBuffers / 2; i++) {
      requests.shift()!.recycleBuffer();
      expect(numRequestedFromGlobal(networkBufferPool)).toBe(numBuffers - i);
    }
    requests.forEach((b) => b.recycleBuffer());
  });

  it('returns idle excess immediately when shrunk', () => {
    localBufferPool.setNumBuffers(numBuffers);
    const requests = Array.from({ length: numBuffers }, () => localBufferPool.requestBuffer()!);
    requests.forEach((b) => b.recycleBuffer());
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(numBuffers);
    localBufferPool.setNumBuffers(numBuffers / 2);
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(numBuffers / 2);
    expect(numRequestedFromGlobal(networkBufferPool)).toBe(numBuffers / 2);
  });

  it('refuses a size below the required one', () => {
    localBufferPool.setNumBuffers(1);
    expect(() => localBufferPool.setNumBuffers(0)).toThrow(new IllegalArgumentException('Buffer pool needs at least 1 buffers, but tried to set to 0'));
  });

  it('notifies each of two listeners once for one recycled buffer; registration then returns false', () => {
    const listener1 = new CountBufferListener();
    const listener2 = new CountBufferListener();
    const available = localBufferPool.requestBuffer()!;
    expect(localBufferPool.requestBuffer()).toBeNull();
    expect(localBufferPool.addBufferListener(listener1)).toBe(true);
    expect(localBufferPool.addBufferListener(listener2)).toBe(true);
    available.recycleBuffer(); // listener1 recycles it → listener2 gets it → back into the pool
    expect([listener1.count, listener2.count]).toEqual([1, 1]);
    expect(localBufferPool.addBufferListener(listener1)).toBe(false);
    expect(localBufferPool.addBufferListener(listener2)).toBe(false);
  });

  it('keeps a listener registered while it asks for more buffers', () => {
    localBufferPool.setNumBuffers(2);
    const first = localBufferPool.requestBuffer()!;
    const second = localBufferPool.requestBuffer()!;
    const received: Buffer[] = [];
    const listener: BufferListener = {
      notifyBufferAvailable: (buffer) => received.push(buffer) < 2,
      notifyBufferDestroyed: () => undefined,
    };
    expect(localBufferPool.addBufferListener(listener)).toBe(true);
    first.recycleBuffer();
    second.recycleBuffer();
    expect(received).toHaveLength(2);
    received.forEach((b) => b.recycleBuffer());
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(2);
  });

  it('tells a pending listener once that the pool was destroyed', () => {
    const listener = new CountBufferListener();
    localBufferPool.setNumBuffers(1);
    const available = localBufferPool.requestBuffer()!;
    expect(localBufferPool.requestBuffer()).toBeNull();
    localBufferPool.addBufferListener(listener);
    localBufferPool.lazyDestroy();
    available.recycleBuffer();
    expect([listener.destroyed, listener.count]).toEqual([1, 0]);
  });

  it('drops and logs a listener that throws, and keeps serving others', () => {
    const available = localBufferPool.requestBuffer()!;
    const throwing: BufferListener = {
      notifyBufferAvailable: (buffer) => {
        buffer.recycleBuffer();
        throw new Error('boom');
      },
      notifyBufferDestroyed: () => undefined,
    };
    const counting = new CountBufferListener();
    localBufferPool.addBufferListener(throwing);
    localBufferPool.addBufferListener(counting);
    InternalLoggerFactory.setLevel('silent');
    try {
      expect(() => available.recycleBuffer()).not.toThrow();
    } finally {
      InternalLoggerFactory.setLevel('error');
    }
    expect(counting.count).toBe(1);
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(1);
  });

  it('completes a promise request when a buffer is recycled', async () => {
    const available = localBufferPool.requestBuffer()!;
    const pending = track(localBufferPool.requestBufferBuilderBlocking());
    await flush();
    expect(pending.settled()).toBe(false);
    available.recycleBuffer();
    await flush();
    expect(pending.settled()).toBe(true);
    const builder = pending.value()!;
    expect(builder.getMaxCapacity()).toBe(memorySegmentSize);
    builder.close();
  });

  it('fails a pending promise request promptly when the pool is destroyed', async () => {
    localBufferPool.setNumBuffers(1);
    const available = localBufferPool.requestBuffer()!;
    const pending = track(localBufferPool.requestBufferBuilderBlocking());
    const segment = track(localBufferPool.requestMemorySegmentBlocking());
    await flush();
    localBufferPool.lazyDestroy();
    await flush();
    expect(pending.error()).toBeInstanceOf(BufferPoolDestroyedException);
    expect(segment.error()).toBeInstanceOf(BufferPoolDestroyedException);
    available.recycleBuffer();
  });

  it('caps a bounded pool (1..2) at its max and shrinks back', () => {
    localBufferPool.lazyDestroy();
    localBufferPool = new LocalBufferPool(networkBufferPool, 1, 2);
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(1);
    expect(localBufferPool.getMaxNumberOfMemorySegments()).toBe(2);
    let buffer1: Buffer;
    let buffer2: Buffer;

    localBufferPool.setNumBuffers(1);
    buffer1 = localBufferPool.requestBuffer()!;
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(0);
    expect(localBufferPool.requestBuffer()).toBeNull();
    buffer1.recycleBuffer();
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(1);

    for (const size of [2, 3]) {
      localBufferPool.setNumBuffers(size);
      expect(localBufferPool.getNumBuffers()).toBe(2);
      buffer1 = localBufferPool.requestBuffer()!;
      expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(1);
      buffer2 = localBufferPool.requestBuffer()!;
      expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(0);
      expect(localBufferPool.requestBuffer()).toBeNull();
      buffer1.recycleBuffer();
      expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(1);
      buffer2.recycleBuffer();
      expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(2);
    }

    localBufferPool.setNumBuffers(1);
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(1);
    buffer1 = localBufferPool.requestBuffer()!;
    expect(localBufferPool.requestBuffer()).toBeNull();
    buffer1.recycleBuffer();
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(1);
  });

  it('turns unavailable while one subpartition holds maxBuffersPerChannel buffers (back-pressure)', async () => {
    localBufferPool.lazyDestroy();
    localBufferPool = new LocalBufferPool(networkBufferPool, 1, MAX, 3, 2);
    localBufferPool.setNumBuffers(10);
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(true);

    const builder01 = await localBufferPool.requestBufferBuilderBlocking(0);
    const builder11 = await localBufferPool.requestBufferBuilderBlocking(1);
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(true);

    const builder02 = await localBufferPool.requestBufferBuilderBlocking(0); // subpartition 0 at its quota
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(false);
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBeGreaterThan(0); // segments idle, still unavailable

    // non-blocking requests still succeed: the quota only drives availability
    const builder03 = localBufferPool.requestBufferBuilder(0)!;
    const builder21 = localBufferPool.requestBufferBuilder(2)!;
    const builder22 = localBufferPool.requestBufferBuilder(2)!;
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(false);

    builder11.close();
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(false);
    builder21.close();
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(false); // subpartition 0 still at quota
    builder03.close();
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(false);
    builder02.close();
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(true);
    [builder01, builder22].forEach((b: BufferBuilder) => b.close());
    expect(localBufferPool.isAvailable()).toBe(true);
  });

  it('flips availability with resizing and draining', () => {
    expect(localBufferPool.isAvailable()).toBe(true);
    const builder = localBufferPool.requestBufferBuilder()!;
    const availableFuture = localBufferPool.getAvailableFuture();
    expect(availableFuture.isDone()).toBe(false);

    localBufferPool.setNumBuffers(5);
    expect(availableFuture.isDone()).toBe(true);
    expect(localBufferPool.isAvailable()).toBe(true);

    const buffers: Buffer[] = [];
    for (let i = 0; i < 4; i++) {
      expect(localBufferPool.isAvailable()).toBe(true);
      buffers.push(localBufferPool.requestBuffer()!);
    }
    expect(localBufferPool.isAvailable()).toBe(false);
    buffers.pop()!.recycleBuffer();
    expect(localBufferPool.isAvailable()).toBe(true);
    buffers.forEach((b) => b.recycleBuffer());
    expect(localBufferPool.isAvailable()).toBe(true);

    localBufferPool.setNumBuffers(2); // the builder still holds one
    expect(localBufferPool.isAvailable()).toBe(true);
    const buffer2 = localBufferPool.requestBuffer()!;
    expect(localBufferPool.isAvailable()).toBe(false);
    buffer2.recycleBuffer();
    expect(localBufferPool.isAvailable()).toBe(true);

    localBufferPool.setNumBuffers(1);
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(false);
    builder.close();
    expect(localBufferPool.isAvailable()).toBe(true);
    expect(localBufferPool.getAvailableFuture().isDone()).toBe(true);
  });

  it('stays consistent when the global pool fails one request (FLINK-20547)', async () => {
    class TestNetworkBufferPool extends NetworkBufferPool {
      private requestCounter = 0;
      override requestPooledMemorySegment(): MemorySegment | null {
        if (this.requestCounter++ === 1) return null;
        return super.requestPooledMemorySegment();
      }
    }
    const globalPool = new TestNetworkBufferPool(numBuffers, memorySegmentSize);
    const localPool = new LocalBufferPool(globalPool, 1);
    const segment = await localPool.requestMemorySegmentBlocking();
    expect(() => localPool.setNumBuffers(2)).not.toThrow();
    localPool.recycle(segment);
    localPool.lazyDestroy();
    expect(globalPool.getNumberOfAvailableMemorySegments()).toBe(numBuffers);
    globalPool.destroy();
  });

  it('takes up to maxOverdraftBuffersPerGate buffers beyond its size and returns them on recycle', () => {
    localBufferPool.lazyDestroy();
    localBufferPool = new LocalBufferPool(networkBufferPool, 2, 2, 1, 10, 2);
    const builders = [0, 1].map(() => localBufferPool.requestBufferBuilder(0)!);
    expect(localBufferPool.isAvailable()).toBe(false);
    const overdraft = [0, 1].map(() => localBufferPool.requestBufferBuilder(0));
    expect(overdraft.every((b) => b !== null)).toBe(true);
    expect(localBufferPool.getNumberOfRequestedMemorySegments()).toBe(4);
    expect(localBufferPool.requestBufferBuilder(0)).toBeNull();
    expect(localBufferPool.isAvailable()).toBe(false);
    overdraft.forEach((b) => b!.close());
    expect(localBufferPool.getNumberOfRequestedMemorySegments()).toBe(2); // excess went back to the global pool
    expect(localBufferPool.isAvailable()).toBe(false);
    builders[0]!.close();
    expect(localBufferPool.isAvailable()).toBe(true);
    builders[1]!.close();
    localBufferPool.setMaxOverdraftBuffersPerGate(0);
    expect(localBufferPool.getMaxOverdraftBuffersPerGate()).toBe(0);
  });

  it('rejects unknown subpartitions and invalid constructor arguments', () => {
    localBufferPool.lazyDestroy();
    localBufferPool = new LocalBufferPool(networkBufferPool, 1, 4, 2, 3);
    expect(() => localBufferPool.requestBufferBuilder(2)).toThrow(IllegalArgumentException);
    expect(() => localBufferPool.requestBufferBuilder(-2)).toThrow(IllegalArgumentException);
    expect(localBufferPool.getNumberOfSubpartitions()).toBe(2);
    expect(() => new LocalBufferPool(networkBufferPool, 0)).toThrow('Required number of memory segments (0) should be larger than 0.');
    expect(() => new LocalBufferPool(networkBufferPool, 3, 2)).toThrow(IllegalArgumentException);
    expect(() => new LocalBufferPool(networkBufferPool, 1, 4, 2, 0)).toThrow(IllegalArgumentException);
    expect(() => new LocalBufferPool(networkBufferPool, 1, 4, 2, 3, -1)).toThrow(IllegalArgumentException);
  });

  it('subscribes to the global pool when it is empty and fetches a segment once one comes back', () => {
    localBufferPool.lazyDestroy();
    const global = newGlobalPool(2, memorySegmentSize);
    const poolA = new LocalBufferPool(global, 1);
    const poolB = new LocalBufferPool(global, 1);
    expect(global.getNumberOfAvailableMemorySegments()).toBe(0);
    const bufferA = poolA.requestBuffer()!;
    poolA.setNumBuffers(2); // wants one more, the global pool is empty
    expect(poolA.isAvailable()).toBe(false);
    const bufferB = poolB.requestBuffer()!;
    poolB.lazyDestroy();
    bufferB.recycleBuffer(); // back to the global pool → poolA takes it at once
    expect(poolA.isAvailable()).toBe(true);
    expect(global.getNumberOfAvailableMemorySegments()).toBe(0);
    bufferA.recycleBuffer();
    poolA.lazyDestroy();
  });

  it('reserves segments up to its required size', async () => {
    localBufferPool.lazyDestroy();
    localBufferPool = new LocalBufferPool(networkBufferPool, 4);
    await localBufferPool.reserveSegments(3);
    expect(localBufferPool.getNumberOfRequestedMemorySegments()).toBe(3);
    expect(localBufferPool.getNumberOfAvailableMemorySegments()).toBe(3);
    await localBufferPool.reserveSegments(2);
    expect(localBufferPool.getNumberOfRequestedMemorySegments()).toBe(3);
    await expect(localBufferPool.reserveSegments(5)).rejects.toThrow('Can not reserve more segments than number of required segments.');
  });

  it('estimates used buffers and describes itself', () => {
    localBufferPool.setNumBuffers(3);
    const buffer = localBufferPool.requestBuffer()!;
    expect(localBufferPool.bestEffortGetNumOfUsedBuffers()).toBe(1);
    expect(localBufferPool.getEstimatedNumberOfRequestedMemorySegments()).toBe(2);
    expect(localBufferPool.toString()).toMatch(/^LocalBufferPool\[size: 3, required: 1, requested: 2, available: 1, max: 2147483647/);
    buffer.recycleBuffer();
  });
});
