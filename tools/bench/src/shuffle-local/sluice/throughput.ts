/**
 * Sluice variant of the `unicast-*` benchmarks: Flink's StreamNetworkThroughputBenchmark shape in one
 * process, without the network.
 *
 * Shape (Flink's StreamNetworkBenchmarkEnvironment in local mode, where sender and receiver share one
 * shuffle environment):
 * - one NetworkBufferPool of `networkBuffers` 32 KiB segments (Flink's default for the benchmark:
 *   max(2048, writers × channels × 4)) and one ResultPartitionManager;
 * - `writers` record writers, each a round-robin ChannelSelectorRecordWriter (RecordWriterBuilder) with
 *   the flush timeout `flushTimeoutMs` (its OutputFlusher is a fixed-rate task on a DefaultEventLoop)
 *   over its own PipelinedResultPartition (PIPELINED_BOUNDED) of `channels` subpartitions, from a
 *   ResultPartitionFactory with Flink's defaults (2 buffers per channel, 8 floating, 10 max per
 *   channel, 5 overdraft);
 * - the receiver: one SingleInputGate per writer with `channels` LocalInputChannels (channel c reads
 *   subpartition c of that writer's partition), the gates joined in a UnionInputGate, read by one
 *   RecordReader with the allocation-free `pollNext()`.
 * Records are 8-byte longs (LongSerializer, a JS number) — 12 bytes each with the length prefix.
 *
 * Scheduling: see `cooperative.ts` (writers emit until back-pressured or their slice ends; the reader
 * drains what is available). Metric: records read per millisecond in the window (Flink's unit).
 *
 * Correctness, checked after the window (the benchmark fails otherwise): the writers stop, flush and
 * finish their partitions; the reader reads until every channel delivered its EndOfPartitionEvent; then
 * records read = records emitted, the reader's checksum = the writers', every input channel received
 * exactly 12 bytes × its round-robin share of its writer's records (+ the end-of-partition event), and
 * after closing partitions and gates every segment is back in the NetworkBufferPool, which is destroyed.
 */
import '../productionLeakDetection';
import { DefaultEventLoop, ResourceLeakDetector } from '@sluice/channel';
import {
  EndOfPartitionEvent,
  EventSerializer,
  LocalInputChannel,
  LongSerializer,
  NetworkBufferPool,
  RecordReader,
  RecordWriterBuilder,
  ResultPartitionFactory,
  ResultPartitionManager,
  SingleInputGate,
  UnionInputGate,
  type PipelinedResultPartition,
  type RecordWriter,
} from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import {
  CLOCK_CHECK_RECORDS,
  CounterWindow,
  RECORD_BYTES,
  TimerPeriodProbe,
  WRITER_VALUE_STRIDE,
  check,
  checksumStep,
  cpuMs,
  nowMs,
  roundRobinShare,
  throughputResult,
  yieldToEventLoop,
} from '../cooperative';

const worker = startWorker();
const writers = worker.param('writers');
const channels = worker.param('channels');
const flushTimeoutMs = worker.param('flushTimeoutMs');
const segmentSize = worker.param('segmentSize');
const sliceMs = worker.param('sliceUs') / 1000;
const networkBuffers = worker.param('networkBuffers');

// ---------------------------------------------------------------- environment

const loop = new DefaultEventLoop(null, { daemon: true });
const globalPool = new NetworkBufferPool(networkBuffers, segmentSize);
const manager = new ResultPartitionManager();
const factory = new ResultPartitionFactory(manager, {
  networkBufferPool: globalPool,
  networkBuffersPerChannel: worker.param('buffersPerChannel'),
  floatingNetworkBuffersPerGate: worker.param('floatingBuffersPerGate'),
  maxBuffersPerChannel: worker.param('maxBuffersPerChannel'),
});

const partitions: PipelinedResultPartition[] = [];
const recordWriters: RecordWriter<number>[] = [];
for (let w = 0; w < writers; w++) {
  const partition = factory.create({ numberOfSubpartitions: channels, partitionIndex: 0, owningTaskName: `sender (${w + 1}/${writers})` });
  partition.setup();
  partitions.push(partition);
  recordWriters.push(
    new RecordWriterBuilder<number>()
      .setSerializer(LongSerializer.INSTANCE)
      .setTimeout(flushTimeoutMs)
      .setEventLoop(loop)
      .setTaskName(`sender (${w + 1}/${writers})`)
      .build(partition),
  );
}

const gates: SingleInputGate[] = [];
for (let w = 0; w < writers; w++) {
  const gate = new SingleInputGate({
    numberOfInputChannels: channels,
    gateIndex: w,
    owningTaskName: `receiver[${w}]`,
    bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(globalPool, worker.param('floatingBuffersPerGate')),
    executor: loop,
  });
  const partitionId = partitions[w]!.getPartitionId();
  for (let c = 0; c < channels; c++) gate.setInputChannels(new LocalInputChannel(gate, c, partitionId, c, manager));
  gates.push(gate);
}
const inputGate = writers > 1 ? new UnionInputGate(...gates) : gates[0]!;
const reader = new RecordReader(inputGate, LongSerializer.INSTANCE);

// ---------------------------------------------------------------- tasks

let stopping = false;
let recordsRead = 0;
let readChecksum = 0;
const emitted = new Float64Array(writers);
const writerChecksums = new Int32Array(writers);
let backPressureWaits = 0;
/** Time spent inside the writers' emit loops and the reader's drains (ms): where the thread goes. */
let writerMs = 0;
let readerMs = 0;

async function writerTask(w: number): Promise<void> {
  const writer = recordWriters[w]!;
  const base = w * WRITER_VALUE_STRIDE;
  let k = 0;
  let checksum = 0;
  while (!stopping) {
    let startedAt = nowMs();
    const sliceEnd = startedAt + sliceMs;
    let now = startedAt;
    do {
      let blocked = false;
      for (let i = 0; i < CLOCK_CHECK_RECORDS; i++) {
        const value = base + k;
        k++;
        checksum = checksumStep(checksum, value);
        if (!writer.emit(value)) {
          blocked = true;
          break;
        }
      }
      now = nowMs();
      if (blocked) {
        // Back-pressured: the record is kept by the partition; wait for the reader to recycle.
        backPressureWaits++;
        writerMs += now - startedAt;
        await writer.getAvailableFuture();
        startedAt = now = nowMs();
      }
    } while (!stopping && now < sliceEnd);
    writerMs += now - startedAt;
    if (!stopping) await yieldToEventLoop();
  }
  if (!writer.isAvailable()) await writer.getAvailableFuture();
  emitted[w] = k;
  writerChecksums[w] = checksum;
  writer.flushAll();
  partitions[w]!.finish();
  writer.close();
}

async function readerTask(): Promise<void> {
  let count = 0;
  let checksum = 0;
  for (;;) {
    const startedAt = nowMs();
    for (let value = reader.pollNext(); value !== undefined; value = reader.pollNext()) {
      count++;
      checksum = checksumStep(checksum, value);
    }
    readerMs += nowMs() - startedAt;
    recordsRead = count;
    readChecksum = checksum;
    if (reader.isFinished()) return;
    await reader.getAvailableFuture();
  }
}

function buffersRead(): number {
  let total = 0;
  for (const gate of gates) {
    for (let c = 0; c < channels; c++) total += gate.getChannel(c).getNumBuffersInCounter().getCount();
  }
  return total;
}

// ---------------------------------------------------------------- checks

function verifyAndTearDown(): Record<string, number> {
  const emittedTotal = emitted.reduce((a, b) => a + b, 0);
  check(recordsRead === emittedTotal, () => `read ${recordsRead} records, the writers emitted ${emittedTotal}`);
  let expectedChecksum = 0;
  for (const c of writerChecksums) expectedChecksum = (expectedChecksum + c) | 0;
  check(readChecksum === expectedChecksum, () => `reader checksum ${readChecksum}, writers' ${expectedChecksum}`);
  const eventConsumer = EventSerializer.toBufferConsumer(EndOfPartitionEvent.INSTANCE, false);
  const eventBytes = eventConsumer.getWrittenBytes();
  eventConsumer.close();
  for (let w = 0; w < writers; w++) {
    for (let c = 0; c < channels; c++) {
      const bytes = gates[w]!.getChannel(c).getNumBytesInCounter().getCount();
      const expected = RECORD_BYTES * roundRobinShare(emitted[w]!, channels, c) + eventBytes;
      check(bytes === expected, () => `writer ${w} channel ${c}: received ${bytes} bytes, expected ${expected}`);
    }
  }
  for (const partition of partitions) partition.close();
  reader.close();
  check(manager.size() === 0, () => `${manager.size()} partitions still registered after all were consumed and closed`);
  const available = globalPool.getNumberOfAvailableMemorySegments();
  const total = globalPool.getTotalNumberOfMemorySegments();
  check(available === total, () => `${total - available} of ${total} network buffers did not return to the NetworkBufferPool`);
  globalPool.destroy();
  return { recordsTotal: emittedTotal, segmentsReturned: available, channelsChecked: writers * channels };
}

// ---------------------------------------------------------------- run

async function main(): Promise<void> {
  check(ResourceLeakDetector.getLevel() === 'SIMPLE', () => `leak detection level ${ResourceLeakDetector.getLevel()}, expected the default SIMPLE`);
  await inputGate.setup();
  const probe = new TimerPeriodProbe();
  const probeTask = loop.scheduleAtFixedRate(() => probe.tick(), flushTimeoutMs, flushTimeoutMs);
  let windowResult: { deltas: number[]; seconds: number } | null = null;
  const window = new CounterWindow(
    worker,
    () => [recordsRead, buffersRead(), backPressureWaits, writerMs, readerMs, cpuMs()],
    (perSecond) => `${Math.round(perSecond / 1000).toLocaleString('en-US')} records/ms`,
    (deltas, seconds) => {
      windowResult = { deltas, seconds };
      stopping = true;
    },
  );
  window.onMeasureStart(() => probe.reset());
  const tasks: Promise<void>[] = [readerTask()];
  for (let w = 0; w < writers; w++) tasks.push(writerTask(w));
  window.start();
  await Promise.all(tasks);
  probeTask.cancel();
  const periodMs = probe.periodMs();
  const { deltas, seconds } = windowResult!;
  // Verify before reporting: a failed check fails the run instead of reporting its figures.
  const checks = verifyAndTearDown();
  worker.result(throughputResult(deltas, seconds, periodMs, checks));
}

worker.onStop(() => undefined);
main().catch((error: unknown) => worker.fail(error));
