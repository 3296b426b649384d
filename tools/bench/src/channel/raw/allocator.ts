/**
 * Raw baseline of {@link AllocatorBenchmark}: `Buffer.allocUnsafe(size)` and drop. At 32 KiB this
 * is above Node's pool threshold (`Buffer.poolSize >>> 1`), so every cycle allocates a fresh
 * `ArrayBuffer` that the garbage collector frees later.
 */
import { runAllocatorWorker } from '../allocatorWorker';

runAllocatorWorker((size) => Buffer.allocUnsafe(size).length);
