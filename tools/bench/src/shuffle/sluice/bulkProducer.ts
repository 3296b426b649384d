/**
 * Sluice producer of the `bulk` benchmark (first process; listens): one partition of one subpartition,
 * buffer timeout −1 (buffers leave when full), records of exactly one 32 KiB network buffer emitted
 * again and again ({@link emitBufferSizedRecords}: `partition.emitRecord`, one copy into the buffer,
 * 200 µs slices or until back-pressured).
 */
import '../../shuffle-local/productionLeakDetection';
import { startWorker } from '../../harness/worker';
import { emitBufferSizedRecords, type EmitCount } from './bufferSizedRecords';
import { PRODUCER_RESOURCE_ID, createPartition, descriptorOf, startEnv } from './env';

const worker = startWorker();
let stopping = false;
const count: EmitCount = { emitted: 0 };

async function main(): Promise<void> {
  const bench = await startEnv(worker, PRODUCER_RESOURCE_ID, -1);
  const partition = createPartition(bench, 'bulk source (1/1)', descriptorOf(0, '127.0.0.1', bench.port), 1);
  worker.ready(bench.port);
  await emitBufferSizedRecords(partition, worker.param('segmentSize'), worker.param('sliceUs') / 1000, () => stopping, count);
}

worker.onStop(() => {
  stopping = true;
  return { recordsEmitted: count.emitted };
});
main().catch((error: unknown) => worker.fail(error));
