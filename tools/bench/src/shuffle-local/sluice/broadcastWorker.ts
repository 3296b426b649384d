/**
 * Child body of the Sluice `broadcast` variants: one record writer broadcasting 8-byte longs to every
 * subpartition of a PipelinedResultPartition of `channels` subpartitions (flush timeout 100 ms, as
 * Flink's StreamNetworkBroadcastThroughputBenchmark), consumed through LocalInputChannels and a
 * SingleInputGate. Metric: the producer's time per emitted record (ns) — the time spent inside the
 * emit loop (serialization, copies, buffer requests, finishing and queuing buffers, notifications),
 * divided by the records emitted in the window. The consumer's turns (between the writer's slices, and
 * while the writer awaits availability) are not in it, as in the raw baseline.
 *
 * Where the per-subpartition work lands (issue 3): in `shared` mode the producer appends each broadcast
 * buffer once to the partition's BroadcastBufferQueue and makes Flink's add-time decisions (notify a
 * reader at its first finished buffer); each subpartition's `BufferConsumer.copy()` is taken when its
 * reader polls it, i.e. in the consumer's time. `records/ms emitted` (progress line) is the end-to-end
 * rate of the whole process, producer and consumer together.
 *
 * Two modes:
 * - `shared` — BroadcastRecordWriter (`RecordWriterBuilder` with a `BroadcastPartitioner`): serialize
 *   once, copy once into the shared broadcast buffer, every subpartition gets a `BufferConsumer.copy()`;
 * - `per-channel-copy` — ChannelSelectorRecordWriter.broadcastEmit: serialize once, then copy into each
 *   subpartition's own buffer (N copies), Flink's path for broadcasting on a non-broadcast edge.
 *
 * The consumer is kept cheap so the run is not all consumer (it reads every record N times otherwise):
 * it polls the gate and recycles each buffer, deserializing (count + checksum) only channel 0 and the
 * last channel. Every channel's bytes are counted by its LocalInputChannel.
 *
 * Correctness, after the window: every channel received exactly 12 bytes × records emitted (+ the
 * end-of-partition event); the two deserialized channels read every record with the writer's checksum;
 * every segment is back in the NetworkBufferPool (destroyed at the end).
 */
import { DefaultEventLoop, ResourceLeakDetector } from '@sluice/channel';
import {
  BroadcastPartitioner,
  DeserializationDelegate,
  EndOfPartitionEvent,
  EventSerializer,
  LocalInputChannel,
  LongSerializer,
  NetworkBufferPool,
  RecordWriterBuilder,
  ResultPartitionFactory,
  ResultPartitionManager,
  SingleInputGate,
  SpillingAdaptiveSpanningRecordDeserializer,
  type RecordWriter,
} from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import { CLOCK_CHECK_RECORDS, CounterWindow, broadcastResult, RECORD_BYTES, check, checksumStep, cpuMs, nowMs, yieldToEventLoop } from '../cooperative';

export type BroadcastMode = 'shared' | 'per-channel-copy';

export function runSluiceBroadcast(mode: BroadcastMode): void {
  const worker = startWorker();
  const channels = worker.param('channels');
  const flushTimeoutMs = worker.param('flushTimeoutMs');
  const segmentSize = worker.param('segmentSize');
  const sliceMs = worker.param('sliceUs') / 1000;

  const loop = new DefaultEventLoop(null, { daemon: true });
  const globalPool = new NetworkBufferPool(worker.param('networkBuffers'), segmentSize);
  const manager = new ResultPartitionManager();
  const factory = new ResultPartitionFactory(manager, {
    networkBufferPool: globalPool,
    networkBuffersPerChannel: worker.param('buffersPerChannel'),
    floatingNetworkBuffersPerGate: worker.param('floatingBuffersPerGate'),
    maxBuffersPerChannel: worker.param('maxBuffersPerChannel'),
  });
  const partition = factory.create({ numberOfSubpartitions: channels, owningTaskName: 'broadcast sender' });
  partition.setup();
  const builder = new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(flushTimeoutMs).setEventLoop(loop);
  if (mode === 'shared') builder.setChannelSelector(new BroadcastPartitioner<number>());
  const writer: RecordWriter<number> = builder.setTaskName('broadcast sender').build(partition);

  const gate = new SingleInputGate({
    numberOfInputChannels: channels,
    owningTaskName: 'broadcast receiver',
    bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(globalPool, worker.param('floatingBuffersPerGate')),
    executor: loop,
  });
  for (let c = 0; c < channels; c++) gate.setInputChannels(new LocalInputChannel(gate, c, partition.getPartitionId(), c, manager));

  // The deserialized channels: the first and the last.
  const checkedChannels = channels > 1 ? [0, channels - 1] : [0];
  const delegate = new DeserializationDelegate<number>(LongSerializer.INSTANCE);
  const deserializers = checkedChannels.map((c) => new SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<number>>({ channel: `channel ${c}` }));
  const checkedIndex = new Int32Array(channels).fill(-1);
  checkedChannels.forEach((c, i) => (checkedIndex[c] = i));
  const checkedRecords = new Float64Array(checkedChannels.length);
  const checkedChecksums = new Int32Array(checkedChannels.length);

  let stopping = false;
  let emitted = 0;
  let writerChecksum = 0;
  let writerMs = 0;
  let backPressureWaits = 0;

  async function writerTask(): Promise<void> {
    let k = 0;
    let checksum = 0;
    const shared = mode === 'shared';
    while (!stopping) {
      let startedAt = nowMs();
      const sliceEnd = startedAt + sliceMs;
      let now = startedAt;
      do {
        let blocked = false;
        for (let i = 0; i < CLOCK_CHECK_RECORDS; i++) {
          const value = k;
          k++;
          checksum = checksumStep(checksum, value);
          if (!(shared ? writer.emit(value) : writer.broadcastEmit(value))) {
            blocked = true;
            break;
          }
        }
        now = nowMs();
        emitted = k;
        if (blocked) {
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
    emitted = k;
    writerChecksum = checksum;
    writer.flushAll();
    partition.finish();
    writer.close();
  }

  async function consumerTask(): Promise<void> {
    gate.requestPartitions();
    for (;;) {
      for (let next = gate.pollNext(); next !== null; next = gate.pollNext()) {
        if (!next.isBuffer()) continue; // events: the gate handles the end of partition
        const buffer = next.getBuffer();
        const i = checkedIndex[next.getChannelInfo().getInputChannelIdx()]!;
        if (i < 0) {
          buffer.recycleBuffer();
          continue;
        }
        const deserializer = deserializers[i]!;
        deserializer.setNextBuffer(buffer); // recycled by the deserializer once read
        let records = 0;
        let checksum = checkedChecksums[i]!;
        for (;;) {
          const result = deserializer.getNextRecord(delegate);
          if (result.isFullRecord()) {
            records++;
            checksum = checksumStep(checksum, delegate.getInstance());
          }
          if (result.isBufferConsumed()) break;
        }
        checkedRecords[i] = checkedRecords[i]! + records;
        checkedChecksums[i] = checksum;
      }
      if (gate.isFinished()) return;
      await gate.getAvailableFuture();
    }
  }

  function verifyAndTearDown(): Record<string, number> {
    const eventConsumer = EventSerializer.toBufferConsumer(EndOfPartitionEvent.INSTANCE, false);
    const eventBytes = eventConsumer.getWrittenBytes();
    eventConsumer.close();
    const expectedBytes = RECORD_BYTES * emitted + eventBytes;
    for (let c = 0; c < channels; c++) {
      const bytes = gate.getChannel(c).getNumBytesInCounter().getCount();
      check(bytes === expectedBytes, () => `channel ${c}: received ${bytes} bytes, expected ${expectedBytes} (${emitted} records)`);
    }
    checkedChannels.forEach((c, i) => {
      check(checkedRecords[i] === emitted, () => `channel ${c}: read ${checkedRecords[i]} records, ${emitted} were broadcast`);
      check(checkedChecksums[i] === writerChecksum, () => `channel ${c}: checksum ${checkedChecksums[i]}, writer's ${writerChecksum}`);
      check(!deserializers[i]!.hasPartialRecord(), () => `channel ${c}: a partial record is left`);
    });
    partition.close();
    gate.close();
    check(manager.size() === 0, () => `${manager.size()} partitions still registered after all were consumed and closed`);
    const available = globalPool.getNumberOfAvailableMemorySegments();
    const total = globalPool.getTotalNumberOfMemorySegments();
    check(available === total, () => `${total - available} of ${total} network buffers did not return to the NetworkBufferPool`);
    globalPool.destroy();
    return { recordsTotal: emitted, segmentsReturned: available, channelsChecked: channels };
  }

  async function main(): Promise<void> {
    check(ResourceLeakDetector.getLevel() === 'SIMPLE', () => `leak detection level ${ResourceLeakDetector.getLevel()}, expected the default SIMPLE`);
    await gate.setup();
    let windowResult: { deltas: number[]; seconds: number } | null = null;
    const window = new CounterWindow(
      worker,
      () => [emitted, writerMs, backPressureWaits, cpuMs()],
      (perSecond) => `${Math.round(perSecond / 1000).toLocaleString('en-US')} records/ms emitted`,
      (deltas, seconds) => {
        windowResult = { deltas, seconds };
        stopping = true;
      },
    );
    const tasks = [consumerTask(), writerTask()];
    window.start();
    await Promise.all(tasks);
    const { deltas, seconds } = windowResult!;
    worker.result(broadcastResult(deltas, seconds, verifyAndTearDown()));
  }

  worker.onStop(() => undefined);
  main().catch((error: unknown) => worker.fail(error));
}
