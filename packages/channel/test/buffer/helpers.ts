import { afterEach, beforeEach } from '@jest/globals';
import {
  type ByteBuf,
  type LeakDetectionLevel,
  PooledByteBufAllocator,
  ResourceLeakDetector,
  Unpooled,
  UnpooledByteBufAllocator,
} from '../../src/buffer';
import { LeakAssertions } from '../../src/testing/LeakAssertions';

/**
 * Runs every test of the calling file at PARANOID leak detection and fails a test that leaves a buffer
 * unreleased (the lead's global setup does the same for the whole repo; doing it here keeps these tests
 * strict on their own).
 */
export function installLeakChecks(): void {
  let previous: LeakDetectionLevel = ResourceLeakDetector.getLevel();
  beforeEach(() => {
    previous = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel('PARANOID');
    LeakAssertions.markLeakCheckpoint();
  });
  afterEach(async () => {
    try {
      await LeakAssertions.assertNoLeaks();
    } finally {
      ResourceLeakDetector.setLevel(previous);
    }
  });
}

/** A pooled allocator private to the tests (so metrics are not disturbed by other files). */
export const pooled = new PooledByteBufAllocator();
/** A pooled allocator over SharedArrayBuffer memory. */
export const sharedPooled = new PooledByteBufAllocator({ useSharedMemory: true });

/** A way to make an empty buffer (reader = writer = 0) of exactly `capacity` bytes. */
export interface BufferKind {
  readonly name: string;
  /** Whether `capacity(n)` / growth on write works. */
  readonly canGrow: boolean;
  create(capacity: number, maxCapacity?: number): ByteBuf;
}

function composite(capacity: number, maxCapacity?: number): ByteBuf {
  const c = UnpooledByteBufAllocator.DEFAULT.compositeBuffer();
  // Three components of uneven sizes so that multi-byte values straddle component borders.
  const first = Math.min(capacity, Math.floor(capacity / 3) + 1);
  const second = Math.min(capacity - first, Math.max(0, Math.floor(capacity / 3) - 1));
  const sizes = [first, second, capacity - first - second].filter((s) => s > 0);
  for (const [i, size] of sizes.entries()) {
    const part = (i % 2 === 0 ? pooled : UnpooledByteBufAllocator.DEFAULT).buffer(size);
    c.addComponent(part.writerIndex(size));
  }
  void maxCapacity;
  return c.setIndex(0, 0);
}

export const BUFFER_KINDS: readonly BufferKind[] = [
  { name: 'UnpooledHeapByteBuf', canGrow: true, create: (c, m) => Unpooled.buffer(c, m) },
  { name: 'PooledByteBuf', canGrow: true, create: (c, m) => pooled.buffer(c, m) },
  { name: 'PooledByteBuf over SharedArrayBuffer', canGrow: true, create: (c, m) => sharedPooled.buffer(c, m) },
  {
    name: 'SlicedByteBuf',
    canGrow: false,
    create: (c) => {
      const root = Unpooled.buffer(c + 16);
      return root.slice(7, c).clear();
    },
  },
  { name: 'DuplicatedByteBuf', canGrow: true, create: (c, m) => pooled.buffer(c, m).duplicate().clear() },
  { name: 'CompositeByteBuf', canGrow: true, create: (c) => composite(c) },
];

/** Releases every buffer given (ignoring ones already freed). */
export function releaseAll(...buffers: ByteBuf[]): void {
  for (const b of buffers) if (b.refCnt() > 0) b.release();
}
