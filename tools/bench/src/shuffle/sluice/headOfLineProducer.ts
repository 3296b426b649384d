/**
 * Sluice producer of the `head-of-line` benchmark (first process; listens): two partitions in one
 * environment — partition 0 with `channels − 1` subpartitions (the fast channels, one writer going round
 * robin over them) and partition 1 with one subpartition (the slow channel, its own writer) — so that
 * the slow channel's back-pressure on its writer cannot stall the fast writer: what is left to measure is
 * the connection they share. Cooperative writer tasks (see `shuffle-local/cooperative.ts`). The
 * flow-control mode comes from the entry script.
 *
 * Both writers emit prebuilt records of exactly one network buffer (`partition.emitRecord`, the
 * serialized-record path RecordWriter uses, as the `bulk` producer does): the same 32 KiB frames the raw
 * variant moves. With Flink's 8-byte longs (sessions 3–5) the fast writer's serialization saturated this
 * one thread at ~540 MB/s, and every microsecond the network spent on the slow channel came out of the
 * fast channels' serialization: the fraction measured the thread's CPU, which Flink splits between task
 * threads and Netty threads, rather than the connection.
 */
import type { ResultPartitionWriter } from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import { nowMs, yieldToEventLoop } from '../../shuffle-local/cooperative';
import { PRODUCER_RESOURCE_ID, descriptorOf, startEnv } from './env';

export function runHeadOfLineProducer(flowControlMode: 'credit' | 'push'): void {
  const worker = startWorker();
  const channels = worker.param('channels');
  const sliceMs = worker.param('sliceUs') / 1000;
  let stopping = false;
  let emitted = 0;

  /**
   * Emits one buffer-sized record at a time into `partition`'s subpartitions, round robin, in slices;
   * back-pressured, awaits the partition's availability.
   */
  async function writerTask(partition: ResultPartitionWriter): Promise<void> {
    const subpartitions = partition.getNumberOfSubpartitions();
    const record = new Uint8Array(worker.param('segmentSize'));
    new DataView(record.buffer).setInt32(0, record.length - 4);
    let target = 0;
    while (!stopping) {
      const sliceEnd = nowMs() + sliceMs;
      do {
        emitted++;
        const written = partition.emitRecord(record, target);
        target = target + 1 === subpartitions ? 0 : target + 1;
        if (!written) await partition.getAvailableFuture();
      } while (!stopping && nowMs() < sliceEnd);
      if (!stopping) await yieldToEventLoop();
    }
  }

  async function main(): Promise<void> {
    // Buffer timeout −1: every record fills a buffer, which leaves when full (no writer flushes).
    const bench = await startEnv(worker, PRODUCER_RESOURCE_ID, -1, flowControlMode);
    const partition = (n: number, subpartitions: number, name: string): ResultPartitionWriter => {
      const [created] = bench.env.createResultPartitionWriters({ ownerName: name }, [
        { shuffleDescriptor: descriptorOf(n, '127.0.0.1', bench.port), numberOfSubpartitions: subpartitions },
      ]);
      created!.setup();
      return created!;
    };
    const fast = partition(0, channels - 1, 'fast source (1/1)');
    const slow = partition(1, 1, 'slow source (1/1)');
    worker.ready(bench.port);
    await Promise.all([writerTask(fast), writerTask(slow)]);
  }

  worker.onStop(() => {
    stopping = true;
    return { recordsEmitted: emitted };
  });
  main().catch((error: unknown) => worker.fail(error));
}
