/**
 * Sluice producer of the `head-of-line` benchmark (first process; listens): two partitions in one
 * environment — partition 0 with `channels − 1` subpartitions (the fast channels, one round-robin
 * RecordWriter) and partition 1 with one subpartition (the slow channel, its own RecordWriter) — so
 * that the slow channel's back-pressure on its writer cannot stall the fast writer: what is left to
 * measure is the connection they share. 8-byte longs, flush timeout 100 ms, cooperative writer tasks
 * (see `shuffle-local/cooperative.ts`). The flow-control mode comes from the entry script.
 */
import { LongSerializer, RecordWriterBuilder, type RecordWriter } from '@sluice/shuffle';
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

  async function main(): Promise<void> {
    const bench = await startEnv(worker, PRODUCER_RESOURCE_ID, 100, flowControlMode);
    const writers = [
      { n: 0, subpartitions: channels - 1, name: 'fast source (1/1)' },
      { n: 1, subpartitions: 1, name: 'slow source (1/1)' },
    ].map(({ n, subpartitions, name }) => {
      const [partition] = bench.env.createResultPartitionWriters({ ownerName: name }, [
        { shuffleDescriptor: descriptorOf(n, '127.0.0.1', bench.port), numberOfSubpartitions: subpartitions },
      ]);
      partition!.setup();
      return new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(100).setEventLoop(bench.loop).setTaskName(name).build(partition!);
    });
    worker.ready(bench.port);
    await Promise.all(writers.map(writerTask));
  }

  worker.onStop(() => {
    stopping = true;
    return { recordsEmitted: emitted };
  });
  main().catch((error: unknown) => worker.fail(error));
}
