/**
 * Using the shuffle in one process — Flink's data exchange between two tasks of the same TaskManager
 * ("local channels"), with @sluice/shuffle composed by its inversify module.
 *
 * - `shuffleModule(config)` takes Flink's configuration keys (or field names) and binds the global
 *   NetworkBufferPool, the ResultPartitionManager, a ResultPartitionFactory, a factory of input gates over
 *   local channels and a factory of record-writer builders (with `execution.buffer-timeout`).
 * - The producer task writes readings into a pipelined result partition with a RecordWriter. When the
 *   small pool runs out of buffers, `emit()` returns false and the task waits for
 *   `writer.getAvailableFuture()` (Flink's back-pressure, without blocking the thread).
 * - The consumer task reads them from a SingleInputGate with one LocalInputChannel — the same memory the
 *   producer wrote, no copy — through a RecordReader with `for await`.
 * - Both tasks run on this one thread; `await container.unbindAll()` releases the partition manager, the
 *   buffer pools and the event loop in Flink's order.
 *
 *   npx tsc -b packages/shuffle examples
 *   node examples/dist/local-shuffle.js                                  # 100 000 readings
 *   node examples/dist/local-shuffle.js --records 1000000 --segment-size 32kb --buffers 64 --buffer-timeout 100
 */
import { parseArgs } from 'node:util';
import { Container } from 'inversify';
import {
  DoubleSerializer,
  ForwardChannelSelector,
  InputChannelMetrics,
  LongSerializer,
  ObjectSerializer,
  RecordReader,
  ShuffleTokens,
  StringSerializer,
  getService,
  shuffleModule,
  type PipelinedResultPartition,
  type RecordWriter,
  type ShuffleConfigInput,
  type SingleInputGate,
} from '@sluice/shuffle';

/** Where the example prints; the test passes a collector instead of `console.log`. */
export type Log = (line: string) => void;

/** The record type moved: a sensor reading. */
export interface Reading {
  seq: number;
  sensor: string;
  celsius: number;
}

/** Serializes a Reading as a long, a string and a double (Flink's PojoSerializer, minus null flags). */
export const READINGS = new ObjectSerializer<Reading>([
  ['seq', LongSerializer.INSTANCE],
  ['sensor', StringSerializer.INSTANCE],
  ['celsius', DoubleSerializer.INSTANCE],
]);

const SENSORS = ['boiler', 'intake', 'exhaust', 'cellar'];

/** The reading number `seq` (deterministic, so the consumer can check it). */
export function reading(seq: number): Reading {
  return { seq, sensor: SENSORS[seq % SENSORS.length]!, celsius: 15 + ((seq * 7) % 100) / 10 };
}

/** Options of {@link runLocalShuffle}. */
export interface LocalShuffleOptions {
  /** Readings to move (default: 100 000). */
  records?: number;
  /**
   * The shuffle configuration, Flink keys or field names (default: 4 KiB buffers, 16 of them, 5 ms buffer
   * timeout — small, so that the producer has to wait for the consumer).
   */
  config?: ShuffleConfigInput;
  log?: Log;
}

/** What {@link runLocalShuffle} moved. */
export interface LocalShuffleSummary {
  /** Readings written. */
  readonly written: number;
  /** Readings read (all of them, in order, or the run fails). */
  readonly read: number;
  /** Bytes and buffers the consumer's local channel received. */
  readonly bytes: number;
  readonly buffers: number;
  /** How often the producer found the pool empty and waited. */
  readonly waits: number;
  readonly elapsedMs: number;
}

/** Default configuration of the example. */
export const EXAMPLE_CONFIG: ShuffleConfigInput = {
  'taskmanager.memory.segment-size': '4kb',
  'taskmanager.network.numberOfBuffers': 16,
  'taskmanager.network.memory.buffers-per-channel': 2,
  'taskmanager.network.memory.floating-buffers-per-gate': 2,
  'execution.buffer-timeout': '5 ms',
};

/** The producer task: writes `count` readings, waiting whenever the writer is back-pressured. */
async function producerTask(writer: RecordWriter<Reading>, partition: PipelinedResultPartition, count: number): Promise<number> {
  let waits = 0;
  try {
    for (let seq = 0; seq < count; seq++) {
      if (!writer.emit(reading(seq))) {
        waits++;
        await writer.getAvailableFuture(); // the rest of the record is written; a buffer is free again
      }
    }
    partition.finish(); // EndOfPartition to the consumer
  } finally {
    writer.close(); // stops the periodic flusher
    partition.close(); // gives back the buffers the partition still holds
  }
  return waits;
}

/** The consumer task: reads readings until the partition ends and checks that none is lost or reordered. */
async function consumerTask(gate: SingleInputGate): Promise<number> {
  const reader = new RecordReader(gate, READINGS);
  let expected = 0;
  try {
    for await (const r of reader) {
      const want = reading(expected);
      if (r.seq !== want.seq || r.sensor !== want.sensor || r.celsius !== want.celsius) {
        throw new Error(`reading ${expected}: got ${JSON.stringify(r)}, expected ${JSON.stringify(want)}`);
      }
      expected++;
    }
  } finally {
    reader.close(); // recycles what the reader still holds and releases the channel
  }
  return expected;
}

/** Wires one writer and one reader through a container, moves the readings, prints what it moved. */
export async function runLocalShuffle(options: LocalShuffleOptions = {}): Promise<LocalShuffleSummary> {
  const count = options.records ?? 100_000;
  const log = options.log ?? console.log;
  const container = new Container();
  container.loadSync(shuffleModule(options.config ?? EXAMPLE_CONFIG));
  try {
    const config = getService(container, ShuffleTokens.ShuffleConfig);
    log(`network buffers: ${config.numberOfBuffers} of ${config.segmentSize} bytes; buffer timeout ${config.bufferTimeoutMs} ms`);

    // Producer side: a pipelined partition with one subpartition, and its record writer.
    const partition = getService(container, ShuffleTokens.ResultPartitionFactory).create({ numberOfSubpartitions: 1, owningTaskName: 'readings source' });
    partition.setup(); // creates its buffer pool and registers it with the ResultPartitionManager
    const writer = getService(container, ShuffleTokens.RecordWriterBuilderFactory)<Reading>()
      .setSerializer(READINGS)
      .setChannelSelector(new ForwardChannelSelector<Reading>())
      .setTaskName('readings source')
      .build(partition);

    // Consumer side: a gate with one local channel reading subpartition 0 of that partition.
    const channelMetrics = new InputChannelMetrics();
    const gate = getService(container, ShuffleTokens.InputGateFactory)([{ partitionId: partition.getPartitionId(), subpartitionIndex: 0 }], {
      owningTaskName: 'readings sink',
      channelMetrics,
    });
    await gate.setup();

    const start = performance.now();
    const [waits, read] = await Promise.all([producerTask(writer, partition, count), consumerTask(gate)]);
    const elapsedMs = performance.now() - start;

    const summary: LocalShuffleSummary = {
      written: count,
      read,
      bytes: channelMetrics.numBytesInLocal.getCount(),
      buffers: channelMetrics.numBuffersInLocal.getCount(),
      waits,
      elapsedMs,
    };
    log(
      `moved ${read} readings (${summary.bytes} bytes in ${summary.buffers} buffers) from 'readings source' to 'readings sink' ` +
        `in ${elapsedMs.toFixed(1)} ms (${Math.round(read / (elapsedMs / 1000))} records/s)`,
    );
    log(`the producer waited for a free buffer ${waits} times; the consumer saw every reading once, in order`);
    return summary;
  } finally {
    await container.unbindAll(); // partition manager, buffer pools, event loop
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      records: { type: 'string', default: '100000' },
      'segment-size': { type: 'string', default: '4kb' },
      buffers: { type: 'string', default: '16' },
      'buffer-timeout': { type: 'string', default: '5 ms' },
    },
  });
  const records = Number(values.records);
  if (!Number.isSafeInteger(records) || records < 0) throw new Error(`--records ${values.records}: expected a number of records >= 0`);
  await runLocalShuffle({
    records,
    config: {
      ...EXAMPLE_CONFIG,
      'taskmanager.memory.segment-size': values['segment-size'],
      'taskmanager.network.numberOfBuffers': values.buffers,
      'execution.buffer-timeout': values['buffer-timeout'],
    },
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
