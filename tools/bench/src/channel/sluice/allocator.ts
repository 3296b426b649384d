/** Sluice variant of the allocator benchmark: `PooledByteBufAllocator.DEFAULT.buffer(size)` + `release()`. */
import { PooledByteBufAllocator } from '@sluice/channel';
import { runAllocatorWorker } from '../allocatorWorker';

runAllocatorWorker((size) => {
  const b = PooledByteBufAllocator.DEFAULT.buffer(size);
  const c = b.capacity();
  b.release();
  return c;
});
