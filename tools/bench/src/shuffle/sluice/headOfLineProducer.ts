/**
 * Sluice producer of the `head-of-line` benchmark (first process; listens): two partitions in one
 * environment — partition 0 with `channels − 1` subpartitions (the fast channels, one round-robin
 * RecordWriter of 8-byte longs, flush timeout 100 ms) and partition 1 with one subpartition (the slow
 * channel, its own writer) — so that the slow channel's back-pressure on its writer cannot stall the
 * fast writer: what is left to measure is the connection they share. Cooperative writer tasks (see
 * `shuffle-local/cooperative.ts`). The flow-control mode comes from the entry script.
 *
 * The slow writer emits prebuilt records of exactly one network buffer (`partition.emitRecord`, as the
 * `bulk` producer does) rather than 8-byte longs: in Flink it would be a task on a thread of its own,
 * here it shares the fast writer's thread, and refilling ~850 buffers a second 8 bytes at a time took
 * ~3.5 % of that thread — a CPU cost of this process's design that the fraction would otherwise charge
 * to the connection. The raw variant's slow channel is cheap for the same reason (prebuilt frames).
 */
import { LongSerializer, RecordWriterBuilder, type RecordWriter, type ResultPartitionWriter } from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import { CLOCK_CHECK_RECORDS, nowMs, yieldToEventLoop } from '../../shuffle-local/cooperative';
import { PRODUCER_RESOURCE_ID, descriptorOf, startEnv } from './env';

export function runHeadOfLineProducer(flowControlMode: 'credit' | 'push'): void {
  const worker = startWorker();
  const channels = worker.param('channels');
  const sliceMs = worker.param('sliceUs') / 1000;
  let stopping = false;
  let emitted = 0;

  async function writerTask(writer: RecordWriter<number>): Promise<void> {
    let k = 0;
    while (!stopping) {
      const sliceEnd = nowMs() + sliceMs;
      do {
        for (let i = 0; i < CLOCK_CHECK_RECORDS; i++) {
          emitted++;
          if (!writer.emit(k++)) {
            await writer.getAvailableFuture();
            break;
          }
        }
      } while (!stopping && nowMs() < sliceEnd);
      if (!stopping) await yieldToEventLoop();
    }
  }

  /** Emits one buffer-sized record at a time into the slow channel's partition, in slices like the fast writer. */
  async function slowWriterTask(partition: ResultPartitionWriter): Promise<void> {
    const record = new Uint8Array(worker.param('segmentSize'));
    new DataView(record.buffer).setInt32(0, record.length - 4);
    while (!stopping) {
      const sliceEnd = nowMs() + sliceMs;
      do {
        emitted++;
        if (!partition.emitRecord(record, 0)) await partition.getAvailableFuture();
      } while (!stopping && nowMs() < sliceEnd);
      if (!stopping) await yieldToEventLoop();
    }
  }

  async function main(): Promise<void> {
    const bench = await startEnv(worker, PRODUCER_RESOURCE_ID, 100, flowControlMode);
    const partition = (n: number, subpartitions: number, name: string): ResultPartitionWriter => {
      const [created] = bench.env.createResultPartitionWriters({ ownerName: name }, [
        { shuffleDescriptor: descriptorOf(n, '127.0.0.1', bench.port), numberOfSubpartitions: subpartitions },
      ]);
      created!.setup();
      return created!;
    };
    const fast = partition(0, channels - 1, 'fast source (1/1)');
    const slow = partition(1, 1, 'slow source (1/1)');
    const fastWriter = new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(100).setEventLoop(bench.loop).setTaskName('fast source (1/1)').build(fast);
    worker.ready(bench.port);
    await Promise.all([writerTask(fastWriter), slowWriterTask(slow)]);
  }

  worker.onStop(() => {
    stopping = true;
    return { recordsEmitted: emitted };
  });
  main().catch((error: unknown) => worker.fail(error));
}
