/**
 * Sluice producer of the `throughput-*` benchmarks (first process; listens): Flink's
 * StreamNetworkBenchmarkEnvironment sender — one NettyShuffleEnvironment (pool of
 * max(2048, writers × channels × 4) buffers, Flink's pool sizes), `writers` round-robin RecordWriters of
 * 8-byte longs, each over its own PIPELINED_BOUNDED partition of `channels` subpartitions, each with the
 * flush timeout `flushTimeoutMs` (OutputFlusher on the environment's event loop).
 *
 * Flink runs each writer on a thread of its own; here the writers are cooperative tasks of the one
 * thread (see `shuffle-local/cooperative.ts`): each emits until back-pressured (then awaits its
 * availability) or for a `sliceUs` slice (then yields a macrotask, so the server's socket writes, the
 * flusher and the harness's messages run).
 */
import '../../shuffle-local/productionLeakDetection';
import { LongSerializer, RecordWriterBuilder, type PipelinedResultPartition, type RecordWriter } from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import { CLOCK_CHECK_RECORDS, nowMs, yieldToEventLoop } from '../../shuffle-local/cooperative';
import { WRITER_VALUE_STRIDE } from '../common';
import { PRODUCER_RESOURCE_ID, createPartition, descriptorOf, startEnv } from './env';

const worker = startWorker();
const writers = worker.param('writers');
const channels = worker.param('channels');
const flushTimeoutMs = worker.param('flushTimeoutMs');
const sliceMs = worker.param('sliceUs') / 1000;

let stopping = false;
const emitted = new Float64Array(writers);
let backPressureWaits = 0;

async function writerTask(writer: RecordWriter<number>, w: number): Promise<void> {
  const base = w * WRITER_VALUE_STRIDE;
  let k = 0;
  while (!stopping) {
    const sliceEnd = nowMs() + sliceMs;
    do {
      let blocked = false;
      for (let i = 0; i < CLOCK_CHECK_RECORDS; i++) {
        const ok = writer.emit(base + k);
        k++;
        if (!ok) {
          blocked = true;
          break;
        }
      }
      emitted[w] = k;
      if (blocked) {
        backPressureWaits++;
        await writer.getAvailableFuture();
      }
    } while (!stopping && nowMs() < sliceEnd);
    if (!stopping) await yieldToEventLoop();
  }
}

async function main(): Promise<void> {
  const bench = await startEnv(worker, PRODUCER_RESOURCE_ID, flushTimeoutMs);
  const partitions: PipelinedResultPartition[] = [];
  for (let w = 0; w < writers; w++) partitions.push(createPartition(bench, `sender (${w + 1}/${writers})`, descriptorOf(w, '127.0.0.1', bench.port), channels));
  const recordWriters = partitions.map((partition, w) =>
    new RecordWriterBuilder<number>()
      .setSerializer(LongSerializer.INSTANCE)
      .setTimeout(flushTimeoutMs)
      .setEventLoop(bench.loop)
      .setTaskName(`sender (${w + 1}/${writers})`)
      .build(partition),
  );
  worker.ready(bench.port);
  await Promise.all(recordWriters.map((writer, w) => writerTask(writer, w)));
}

worker.onStop(() => {
  stopping = true;
  return { recordsEmitted: emitted.reduce((a, b) => a + b, 0), backPressureWaits };
});
main().catch((error: unknown) => worker.fail(error));
