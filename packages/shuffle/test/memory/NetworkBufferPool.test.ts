import { describe, expect, it } from '@jest/globals';
import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';
import fc from 'fast-check';
import {
  BufferPoolDestroyedException,
  ExclusiveBuffersRequestTimeoutException,
  InsufficientNetworkBuffersException,
  LocalBufferPool,
  NetworkBufferPool,
  SegmentsInUseException,
  type Buffer,
  type BufferPool,
  type MemorySegment,
} from '../../src/memory';
import { flush, installPoolChecks, newGlobalPool } from './PoolTestUtils';

installPoolChecks();

const MAX = NetworkBufferPool.UNBOUNDED_POOL_SIZE;

describe('NetworkBufferPool', () => {
  it('allocates every segment up front in one ArrayBuffer', () => {
    const global = newGlobalPool(10, 128);
    expect(global.getTotalNumberOfMemorySegments()).toBe(10);
    expect(global.getNumberOfAvailableMemorySegments()).toBe(10);
    expect(global.getNumberOfUsedMemorySegments()).toBe(0);
    expect([global.getTotalMemory(), global.getAvailableMemory(), global.getUsedMemory(), global.getMemorySegmentSize()]).toEqual([1280, 1280, 0, 128]);
    const pool = global.createBufferPool(10, 10);
    const buffers = Array.from({ length: 10 }, () => pool.requestBuffer()!);
    const memory = new Set(buffers.map((b) => b.getMemorySegment().getArray().buffer));
    expect(memory.size).toBe(1);
    expect([...memory][0]).toBeInstanceOf(ArrayBuffer);
    expect(buffers.every((b) => !b.getMemorySegment().isShared() && b.getMemorySegment().getOwner() === global)).toBe(true);
    expect(global.getNumberOfUsedMemorySegments()).toBe(10);
    buffers.forEach((b) => b.recycleBuffer());
    pool.lazyDestroy();
  });

  it('allocates SharedArrayBuffer memory with sharedMemory, for tasks on worker threads', () => {
    const global = newGlobalPool(4, 128, { sharedMemory: true });
    const pool = global.createBufferPool(4, 4);
    const buffers = Array.from({ length: 4 }, () => pool.requestBuffer()!);
    expect(new Set(buffers.map((b) => b.getMemorySegment().getArray().buffer)).size).toBe(1);
    expect(buffers[0]!.getMemorySegment().getArray().buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(buffers.every((b) => b.getMemorySegment().isShared())).toBe(true);
    buffers.forEach((b) => b.recycleBuffer());
    pool.lazyDestroy();
  });

  it("refuses a pool whose required buffers exceed what is left, with Flink's message", () => {
    const global = newGlobalPool(10, 32768);
    const pool = global.createBufferPool(6, 8);
    let error: unknown;
    try {
      global.createBufferPool(5, 5);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InsufficientNetworkBuffersException);
    expect(error).toMatchObject({ code: 'SLUICE_INSUFFICIENT_NETWORK_BUFFERS', required: 5, available: 4, total: 10, segmentSize: 32768 });
    expect((error as Error).message).toBe(
      'Insufficient number of network buffers: required 5, but only 4 available. The total number of network buffers is ' +
        "currently set to 10 of 32768 bytes each. You can increase this number by setting the configuration keys " +
        "'taskmanager.memory.network.fraction', 'taskmanager.memory.network.min', and 'taskmanager.memory.network.max'.",
    );
    expect(global.getNumberOfRegisteredBufferPools()).toBe(1);
    pool.lazyDestroy();
    expect(global.getNumberOfRegisteredBufferPools()).toBe(0);
  });

  it('redistributes the excess in proportion to what each pool may still take', () => {
    const global = newGlobalPool(100);
    const bounded = global.createBufferPool(10, 20);
    expect(bounded.getNumBuffers()).toBe(20);
    const unbounded = global.createBufferPool(10, MAX);
    // excess 80, capacities 10 and 80: shares floor(80·10/90) = 8 and 80 − 8 = 72
    expect([bounded.getNumBuffers(), unbounded.getNumBuffers()]).toEqual([18, 82]);
    const fixed = global.createBufferPool(30, 30);
    // excess 50, capacities 10 and 50: shares floor(50·10/60) = 8 and 42
    expect([bounded.getNumBuffers(), unbounded.getNumBuffers(), fixed.getNumBuffers()]).toEqual([18, 52, 30]);
    expect(global.countBuffers()).toBe(100);
    const full = global.createBufferPool(50, 60);
    // nothing left beyond the required buffers: every pool at its required size
    expect([bounded.getNumBuffers(), unbounded.getNumBuffers(), fixed.getNumBuffers(), full.getNumBuffers()]).toEqual([10, 10, 30, 50]);
    full.lazyDestroy();
    expect([bounded.getNumBuffers(), unbounded.getNumBuffers()]).toEqual([18, 52]);
    [bounded, unbounded, fixed].forEach((p) => p.lazyDestroy());
  });

  it('reserves exclusive (unpooled) segments, shrinking the pools, and gives them back', async () => {
    const global = newGlobalPool(20);
    const pool = global.createBufferPool(2, MAX);
    expect(pool.getNumBuffers()).toBe(20);
    const segments = await global.requestUnpooledMemorySegments(8);
    expect(segments).toHaveLength(8);
    expect(global.getNumTotalRequiredBuffers()).toBe(10);
    expect(pool.getNumBuffers()).toBe(12);
    await expect(global.requestUnpooledMemorySegments(11)).rejects.toMatchObject({
      code: 'SLUICE_INSUFFICIENT_NETWORK_BUFFERS',
      required: 11,
      available: 10,
      message: expect.stringMatching(/^Insufficient number of network buffers: required 11, but only 10 available\. The total/) as unknown,
    });
    expect(global.getNumTotalRequiredBuffers()).toBe(10);
    global.recycleUnpooledMemorySegments(segments);
    expect(global.getNumTotalRequiredBuffers()).toBe(2);
    expect(pool.getNumBuffers()).toBe(20);
    await expect(global.requestUnpooledMemorySegments(0)).resolves.toEqual([]);
    await expect(global.requestUnpooledMemorySegments(-1)).rejects.toBeInstanceOf(IllegalArgumentException);
    pool.lazyDestroy();
  });

  it('waits for in-use excess to come back before completing an exclusive request', async () => {
    const global = newGlobalPool(4);
    const pool = global.createBufferPool(1, MAX);
    const buffers = Array.from({ length: 4 }, () => pool.requestBuffer()!);
    let result: MemorySegment[] | undefined;
    void global.requestUnpooledMemorySegments(2).then((s) => (result = s));
    expect(pool.getNumBuffers()).toBe(2);
    await flush();
    expect(result).toBeUndefined();
    buffers.pop()!.recycleBuffer(); // excess → global → the request takes it
    await flush();
    expect(result).toBeUndefined();
    buffers.pop()!.recycleBuffer();
    await flush();
    expect(result).toHaveLength(2);
    global.recycleUnpooledMemorySegments(result!);
    buffers.forEach((b) => b.recycleBuffer());
    pool.lazyDestroy();
  });

  it('times out an exclusive request, giving back what it got and undoing the reservation', async () => {
    const global = newGlobalPool(4, 128, { requestSegmentsTimeoutMs: 30 });
    const pool = global.createBufferPool(1, MAX);
    const buffers = Array.from({ length: 3 }, () => pool.requestBuffer()!);
    const error = await global.requestUnpooledMemorySegments(3).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ExclusiveBuffersRequestTimeoutException);
    expect(error).toMatchObject({ code: 'SLUICE_EXCLUSIVE_BUFFERS_REQUEST_TIMEOUT', requested: 3, obtained: 1, timeoutMs: 30 });
    expect((error as Error).message).toContain("'taskmanager.network.memory.exclusive-buffers-request-timeout-ms'");
    expect(global.getNumTotalRequiredBuffers()).toBe(1);
    expect(pool.getNumBuffers()).toBe(4);
    buffers.forEach((b) => b.recycleBuffer());
    pool.lazyDestroy();
  });

  it('flips its availability future when the last segment goes and when one comes back', () => {
    const global = newGlobalPool(2);
    expect(global.isAvailable()).toBe(true);
    const pool = global.createBufferPool(2, 2);
    expect(global.getNumberOfAvailableMemorySegments()).toBe(1); // a pool fetches one segment ahead
    const first = pool.requestBuffer()!; // … and the next one after a request
    expect(global.isAvailable()).toBe(false);
    const future = global.getAvailableFuture();
    expect(future.isDone()).toBe(false);
    pool.lazyDestroy(); // its idle segment goes back
    expect(future.isDone()).toBe(true);
    expect(global.isApproximatelyAvailable()).toBe(true);
    first.recycleBuffer();
  });

  it('refuses to be destroyed while segments are out, naming how many are missing', () => {
    const global = newGlobalPool(8);
    const pool = global.createBufferPool(2, 4);
    const buffer = pool.requestBuffer()!;
    let error: unknown;
    try {
      global.destroy();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SegmentsInUseException);
    expect(error).toMatchObject({ code: 'SLUICE_SEGMENTS_IN_USE', missing: 2, total: 8, registeredPools: 1 });
    expect((error as Error).message).toMatch(/^NetworkBufferPool\.destroy\(\): 2 of 8 memory segments have not been returned \(1 local buffer pool/);
    expect(global.isDestroyed()).toBe(false);
    pool.lazyDestroy();
    expect(() => global.destroy()).toThrow(/1 of 8/);
    buffer.recycleBuffer();
  });

  it('fails requests after destroy() and reports no segments', async () => {
    const global = new NetworkBufferPool(4, 64);
    global.destroy();
    global.destroy();
    expect(global.isDestroyed()).toBe(true);
    expect(global.getTotalNumberOfMemorySegments()).toBe(0);
    expect(() => global.createBufferPool(1, 1)).toThrow(BufferPoolDestroyedException);
    await expect(global.requestUnpooledMemorySegments(1)).rejects.toThrow('Network buffer pool has already been destroyed');
    expect(global.requestPooledMemorySegment()).toBeNull();
  });

  it('destroys every registered pool at once', () => {
    const global = newGlobalPool(8);
    const pools = [global.createBufferPool(1, 3), global.createBufferPool(2, 2)];
    global.destroyAllBufferPools();
    expect(pools.every((p) => p.isDestroyed())).toBe(true);
    expect(global.getNumberOfRegisteredBufferPools()).toBe(0);
  });

  it('only destroys LocalBufferPools and validates its arguments', () => {
    const global = newGlobalPool(1);
    expect(() => global.destroyBufferPool({} as BufferPool)).toThrow(new IllegalArgumentException('bufferPool is no LocalBufferPool'));
    expect(() => new NetworkBufferPool(-1, 64)).toThrow(IllegalArgumentException);
    expect(() => new NetworkBufferPool(1, 0)).toThrow(IllegalArgumentException);
    expect(() => new NetworkBufferPool(1, 64, { requestSegmentsTimeoutMs: 0 })).toThrow(/should be positive/);
    expect(() => global.createBufferPool(0, 1)).toThrow(IllegalArgumentException);
    expect(global.getNumTotalRequiredBuffers()).toBe(0);
    expect(global.toString()).toBe('NetworkBufferPool(total: 1, available: 1, segmentSize: 128, pools: 0, required: 0)');
  });

  it('a pool made directly (unregistered) is ignored by destroyBufferPool', () => {
    const global = newGlobalPool(4);
    const pool = new LocalBufferPool(global, 1);
    expect(global.getNumberOfRegisteredBufferPools()).toBe(0);
    pool.lazyDestroy();
    expect(() => global.destroyAllBufferPools()).not.toThrow(IllegalStateException);
  });

  it('gives each pool at least its required and at most its max buffers, and the whole excess when they can take it', async () => {
    const poolSpec = fc.record({ min: fc.integer({ min: 1, max: 20 }), extra: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(MAX)) });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 200 }), fc.array(poolSpec, { minLength: 1, maxLength: 8 }), fc.nat({ max: 20 }), async (total, specs, exclusive) => {
        const global = new NetworkBufferPool(total, 64);
        const pools: LocalBufferPool[] = [];
        let required = 0;
        for (const { min, extra } of specs) {
          const max = extra === MAX ? MAX : min + extra;
          if (required + min > total) {
            expect(() => global.createBufferPool(min, max)).toThrow(InsufficientNetworkBuffersException);
            continue;
          }
          pools.push(global.createBufferPool(min, max));
          required += min;
        }
        const checkSizes = (budget: number): void => {
          let sum = 0;
          let capacity = 0;
          for (const pool of pools) {
            const size = pool.getNumBuffers();
            expect(size).toBeGreaterThanOrEqual(pool.getNumberOfRequiredMemorySegments());
            expect(size).toBeLessThanOrEqual(pool.getMaxNumberOfMemorySegments());
            sum += size;
            capacity += Math.min(budget - required, pool.getMaxNumberOfMemorySegments() - pool.getNumberOfRequiredMemorySegments());
          }
          // the shares add up exactly: the whole excess if the pools can take it, else every pool at its max
          expect(sum).toBe(required + Math.min(budget - required, capacity));
        };
        checkSizes(total);
        // every pool can hand out its full size at the same time, and nothing more (no overdraft)
        const buffers: Buffer[] = [];
        for (const pool of pools) {
          for (let i = 0; i < pool.getNumBuffers(); i++) buffers.push(pool.requestBuffer()!);
          expect(pool.requestBuffer()).toBeNull();
        }
        expect(buffers.every((b) => b !== null)).toBe(true);
        buffers.forEach((b) => b.recycleBuffer());
        // an exclusive reservation shrinks the budget of the pools, its return restores it
        const reserve = Math.min(exclusive, total - required);
        if (reserve > 0) {
          const segments = await global.requestUnpooledMemorySegments(reserve);
          checkSizes(total - reserve);
          global.recycleUnpooledMemorySegments(segments);
          checkSizes(total);
        }
        pools.forEach((p) => p.lazyDestroy());
        expect(global.getNumberOfAvailableMemorySegments()).toBe(total);
        global.destroy();
      }),
    );
  });
});
