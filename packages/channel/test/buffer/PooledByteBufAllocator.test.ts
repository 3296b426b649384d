import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type ByteBuf,
  ByteBufAllocator,
  PooledByteBuf,
  PooledByteBufAllocator,
} from '../../src/buffer';
import { IllegalArgumentException } from '../../src/util/SluiceError';
import { installLeakChecks } from './helpers';

installLeakChecks();

/** 64 KiB chunks (16 pages of 4 KiB) keep the tests small. */
function smallPool(options: ConstructorParameters<typeof PooledByteBufAllocator>[0] = {}): PooledByteBufAllocator {
  return new PooledByteBufAllocator({ pageSize: 4096, maxOrder: 4, ...options });
}

describe('PooledByteBufAllocator', () => {
  it('reuses the region of a released buffer for the next allocation of its size class', () => {
    const alloc = smallPool();
    const first = alloc.buffer(5000);
    const array = first.array();
    const offset = first.arrayOffset();
    first.release();
    const second = alloc.buffer(4500);
    expect(second).toBeInstanceOf(PooledByteBuf);
    expect(second).not.toBe(first);
    expect(second.array()).toBe(array);
    expect(second.arrayOffset()).toBe(offset);
    second.release();
    expect(alloc.metric().activeAllocations).toBe(0);
  });

  it('carves small sizes out of one page run as adjacent elements', () => {
    const alloc = smallPool();
    const a = alloc.buffer(10);
    const b = alloc.buffer(16);
    expect(b.array()).toBe(a.array());
    expect(Math.abs(b.arrayOffset() - a.arrayOffset())).toBe(16);
    expect(alloc.metric().usedBytes).toBe(32);
    a.release();
    b.release();
    expect(alloc.metric().usedBytes).toBe(0);
  });

  it('hands released small regions back most recent first, without overlap, with exact metrics', () => {
    const alloc = smallPool();
    const a = alloc.buffer(4).writeInt(1);
    const [array, offset] = [a.array(), a.arrayOffset()];
    a.release();
    expect(alloc.metric().usedBytes).toBe(0);
    const b = alloc.buffer(12); // the same size class (16 bytes)
    expect(b.array()).toBe(array);
    expect(b.arrayOffset()).toBe(offset);
    expect(alloc.metric().usedBytes).toBe(16);
    b.release();
    // A burst larger than the cache: every region distinct, and all of them reused by the next burst.
    for (let round = 0; round < 3; round++) {
      const burst = Array.from({ length: 600 }, (_, i) => alloc.buffer(16).writeInt(i).writeInt(round));
      const offsets = new Set(burst.map((x) => x.arrayOffset()));
      expect(offsets.size).toBe(600);
      burst.forEach((x, i) => expect([x.getInt(0), x.getInt(4)]).toEqual([i, round]));
      expect(alloc.metric().usedBytes).toBe(600 * 16);
      for (const x of burst) x.release();
    }
    const m = alloc.metric();
    expect([m.activeAllocations, m.usedBytes]).toEqual([0, 0]);
  });

  it('serves allocations larger than a chunk unpooled ("huge") and forgets them on release', () => {
    const alloc = smallPool();
    const huge = alloc.buffer(alloc.chunkSize() + 1);
    expect(huge.capacity()).toBe(alloc.chunkSize() + 1);
    expect(huge.array().length).toBe(alloc.chunkSize() + 1);
    let m = alloc.metric();
    expect([m.numHugeAllocations, m.activeHugeAllocations, m.hugeBytes, m.numChunks]).toEqual([1, 1, alloc.chunkSize() + 1, 0]);
    huge.writeZero(10).writeInt(5);
    expect(huge.getInt(10)).toBe(5);
    huge.release();
    m = alloc.metric();
    expect([m.activeHugeAllocations, m.hugeBytes, m.activeAllocations, m.usedBytes]).toEqual([0, 0, 0, 0]);
  });

  it('backs chunks and huge buffers with SharedArrayBuffer when asked', () => {
    const alloc = smallPool({ useSharedMemory: true });
    const small = alloc.buffer(100);
    const huge = alloc.buffer(alloc.chunkSize() * 2);
    expect(small.array().buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(small.nioBuffer().buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(huge.array().buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(alloc.isSharedMemory()).toBe(true);
    expect(alloc.metric().useSharedMemory).toBe(true);
    small.release();
    huge.release();
    const plain = smallPool().buffer(100);
    expect(plain.array().buffer).toBeInstanceOf(ArrayBuffer);
    plain.release();
  });

  it('grows within its size class in place and beyond it by reallocating from the pool and copying', () => {
    const alloc = smallPool();
    const buf = alloc.buffer(70); // size class 80
    const offset = buf.arrayOffset();
    buf.writeZero(70).writeInt(0x0badf00d);
    expect(buf.capacity()).toBe(80);
    expect(buf.arrayOffset()).toBe(offset);
    buf.setInt(0, 0x12345678);
    buf.writeZero(100);
    expect(buf.arrayOffset()).not.toBe(offset);
    expect(buf.getInt(0)).toBe(0x12345678);
    expect(buf.getInt(70)).toBe(0x0badf00d);
    expect(buf.maxFastWritableBytes()).toBeGreaterThanOrEqual(buf.writableBytes());
    const m = alloc.metric();
    expect(m.numAllocations - m.numDeallocations).toBe(1);
    buf.capacity(8);
    expect(buf.getInt(0)).toBe(0x12345678);
    buf.release();
    expect(alloc.metric().activeAllocations).toBe(0);
  });

  it('never hands out overlapping live regions under random allocate/free sequences', () => {
    const sizes = fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 40000 }), fc.integer({ min: 60000, max: 70000 }));
    const step = fc.oneof(fc.record({ alloc: sizes }), fc.record({ free: fc.nat() }), fc.record({ grow: fc.nat(), by: fc.integer({ min: 1, max: 9000 }) }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const alloc = smallPool();
        const live: Array<{ buf: ByteBuf; tag: number }> = [];
        let nextTag = 1;
        const fill = (buf: ByteBuf, tag: number): void => {
          buf.setBytes(0, Buffer.alloc(buf.capacity(), tag & 0xff));
        };
        const verify = (): void => {
          for (const { buf, tag } of live) {
            for (let i = 0; i < buf.capacity(); i += 1021) expect(buf.getUnsignedByte(i)).toBe(tag & 0xff);
            if (buf.capacity() > 0) expect(buf.getUnsignedByte(buf.capacity() - 1)).toBe(tag & 0xff);
          }
          const regions = live.map(({ buf }) => ({ a: buf.array(), start: buf.arrayOffset(), end: buf.arrayOffset() + buf.capacity() }));
          for (let i = 0; i < regions.length; i++) {
            for (let j = i + 1; j < regions.length; j++) {
              const x = regions[i];
              const y = regions[j];
              if (x.a === y.a) expect(x.end <= y.start || y.end <= x.start).toBe(true);
            }
          }
        };
        try {
          for (const s of steps) {
            if ('alloc' in s) {
              const buf = alloc.buffer(s.alloc);
              const tag = nextTag++;
              fill(buf, tag);
              live.push({ buf, tag });
            } else if (live.length > 0 && 'free' in s) {
              const [victim] = live.splice(s.free % live.length, 1);
              victim.buf.release();
            } else if (live.length > 0 && 'grow' in s) {
              const entry = live[s.grow % live.length];
              entry.buf.capacity(entry.buf.capacity() + s.by);
              fill(entry.buf, entry.tag);
            }
            verify();
          }
        } finally {
          for (const { buf } of live) buf.release();
        }
        const m = alloc.metric();
        expect(m.activeAllocations).toBe(0);
        expect(m.usedBytes).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps one empty chunk for reuse and drops the others', () => {
    const alloc = smallPool();
    const bufs = Array.from({ length: 3 }, () => alloc.buffer(alloc.chunkSize()));
    expect(alloc.metric().numChunks).toBe(3);
    for (const b of bufs) b.release();
    expect(alloc.metric().numChunks).toBe(1);
    const none = smallPool({ maxEmptyChunks: 0 });
    none.buffer(none.chunkSize()).release();
    expect(none.metric().numChunks).toBe(0);
  });

  it('stays flat over many allocate/release cycles', () => {
    const alloc = smallPool();
    for (let i = 0; i < 5000; i++) alloc.buffer(32768).release();
    const m = alloc.metric();
    expect([m.numChunks, m.activeAllocations, m.numAllocations]).toEqual([1, 0, 5000]);
  });

  it('validates its options with messages that name the value and the expectation', () => {
    expect(() => new PooledByteBufAllocator({ pageSize: 5000 })).toThrow(
      new IllegalArgumentException('pageSize: 5000 (expected: a power of two >= 4096, default 8192)'),
    );
    expect(() => new PooledByteBufAllocator({ pageSize: 2048 })).toThrow(IllegalArgumentException);
    expect(() => new PooledByteBufAllocator({ maxOrder: 15 })).toThrow('maxOrder: 15 (expected: 0-14, default 9)');
    expect(() => new PooledByteBufAllocator({ pageSize: 1 << 20, maxOrder: 14 })).toThrow(/must not exceed 1073741824/);
    expect(() => new PooledByteBufAllocator({ maxEmptyChunks: -1 })).toThrow(IllegalArgumentException);
    expect(() => new PooledByteBufAllocator({ pagesize: 8192 } as never)).toThrow(/unknown PooledByteBufAllocator option 'pagesize'/);
  });

  it('defaults to 8 KiB pages and 4 MiB chunks and is the process default allocator', () => {
    expect(PooledByteBufAllocator.DEFAULT.chunkSize()).toBe(4 * 1024 * 1024);
    expect(PooledByteBufAllocator.DEFAULT.pageSize()).toBe(8192);
    expect(PooledByteBufAllocator.DEFAULT.isDirectBufferPooled()).toBe(true);
    expect(ByteBufAllocator.DEFAULT).toBe(PooledByteBufAllocator.DEFAULT);
    const buf = ByteBufAllocator.DEFAULT.buffer();
    expect(buf.capacity()).toBe(256);
    expect(buf.maxCapacity()).toBe(2147483647);
    buf.release();
  });

  it('validates the requested capacities like Netty', () => {
    const alloc = smallPool();
    expect(() => alloc.buffer(-1)).toThrow('initialCapacity : -1 (expected: >= 0)');
    expect(() => alloc.buffer(10, 5)).toThrow('initialCapacity: 10 (expected: not greater than maxCapacity(5))');
    const zero = alloc.buffer(0);
    expect(zero.capacity()).toBe(0);
    zero.writeByte(1);
    expect(zero.capacity()).toBeGreaterThan(0);
    zero.release();
    const composite = alloc.compositeBuffer();
    expect(composite.alloc()).toBe(alloc);
    composite.release();
  });
});
