/**
 * Sluice producer of the `head-of-line` benchmark (first process; listens): two partitions in one
 * environment — partition 0 with `channels − 1` subpartitions (the fast channels, one writer going round
 * robin over them) and partition 1 with one subpartition (the slow channel, its own writer) — so that
 * the slow channel's back-pressure on its writer cannot stall the fast writer: what is left to measure is
 * the connection they share. Cooperative writer tasks (see `shuffle-local/cooperative.ts`). The
 * flow-control mode comes from the entry script.
 *
 * Both writers emit prebuilt records of exactly one network buffer ({@link emitBufferSizedRecords}, as
 * the `bulk` producer does): the same 32 KiB frames the raw variant moves. With Flink's 8-byte longs
 * (sessions 3–5) the fast writer's serialization saturated this one thread at ~540 MB/s, and every
 * microsecond the network spent on the slow channel came out of the fast channels' serialization: the
 * fraction measured the thread's CPU, which Flink splits between task threads and Netty threads,
 * rather than the connection.
 */
import { startWorker } from '../../harness/worker';
import { emitBufferSizedRecords, type EmitCount } from './bufferSizedRecords';
import { PRODUCER_RESOURCE_ID, createPartition, descriptorOf, startEnv } from './env';

export function runHeadOfLineProducer(flowControlMode: 'credit' | 'push'): void {
  const worker = startWorker();
  const channels = worker.param('channels');
  const segmentSize = worker.param('segmentSize');
  const sliceMs = worker.param('sliceUs') / 1000;
  let stopping = false;
  const count: EmitCount = { emitted: 0 };

  async function main(): Promise<void> {
    // Buffer timeout −1: every record fills a buffer, which leaves when full (no writer flushes).
    const bench = await startEnv(worker, PRODUCER_RESOURCE_ID, -1, flowControlMode);
    const fast = createPartition(bench, 'fast source (1/1)', descriptorOf(0, '127.0.0.1', bench.port), channels - 1);
    const slow = createPartition(bench, 'slow source (1/1)', descriptorOf(1, '127.0.0.1', bench.port), 1);
    worker.ready(bench.port);
    const isStopping = (): boolean => stopping;
    await Promise.all([emitBufferSizedRecords(fast, segmentSize, sliceMs, isStopping, count), emitBufferSizedRecords(slow, segmentSize, sliceMs, isStopping, count)]);
  }

  worker.onStop(() => {
    stopping = true;
    return { recordsEmitted: count.emitted };
  });
  main().catch((error: unknown) => worker.fail(error));
}
