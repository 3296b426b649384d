/**
 * Sluice producer of the `bulk` benchmark (first process; listens): one partition of one subpartition,
 * buffer timeout −1 (buffers leave when full), a prebuilt record of 32,764 bytes + its 4-byte length
 * prefix — exactly one 32 KiB network buffer — emitted again and again with `partition.emitRecord`
 * (the serialized-record path RecordWriter uses; one copy into the buffer). Emits for 200 µs slices or
 * until back-pressured (then awaits the partition's availability).
 */
import '../../shuffle-local/productionLeakDetection';
import { startWorker } from '../../harness/worker';
import { nowMs, yieldToEventLoop } from '../../shuffle-local/cooperative';
import { PRODUCER_RESOURCE_ID, descriptorOf, startEnv } from './env';

const worker = startWorker();
const segmentSize = worker.param('segmentSize');
let stopping = false;
let recordsEmitted = 0;

async function main(): Promise<void> {
  const bench = await startEnv(worker, PRODUCER_RESOURCE_ID, -1);
  const [partition] = bench.env.createResultPartitionWriters({ ownerName: 'bulk source (1/1)' }, [
    { shuffleDescriptor: descriptorOf(0, '127.0.0.1', bench.port), numberOfSubpartitions: 1 },
  ]);
  partition!.setup();
  worker.ready(bench.port);
  const record = new Uint8Array(segmentSize).fill(0x5a);
  new DataView(record.buffer).setInt32(0, segmentSize - 4);
  const sliceMs = worker.param('sliceUs') / 1000;
  while (!stopping) {
    const sliceEnd = nowMs() + sliceMs;
    do {
      for (let i = 0; i < 16; i++) {
        recordsEmitted++;
        if (!partition!.emitRecord(record, 0)) {
          await partition!.getAvailableFuture();
          break;
        }
      }
    } while (!stopping && nowMs() < sliceEnd);
    if (!stopping) await yieldToEventLoop();
  }
}

worker.onStop(() => {
  stopping = true;
  return { recordsEmitted };
});
main().catch((error: unknown) => worker.fail(error));
