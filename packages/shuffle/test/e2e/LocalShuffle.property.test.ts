// Property: whatever records a set of producer tasks write — any sizes from 0 bytes to several buffers,
// tuples, raw bytes or longs (fast path), with events and flushes in between — travel RecordWriter →
// PipelinedResultPartition → ResultPartitionManager → LocalInputChannel → SingleInputGate → RecordReader and
// come out identical and in order on every channel, each channel ending with its EndOfPartition and every
// gate finished; for every channel selector, buffer timeout and buffer size, with pools so small that the
// writers are back-pressured and wait for the readers (both run as cooperating async tasks on this one
// thread). Afterwards every partition is released, every pool is full again, and no buffer leaked (the
// jest setup checks at PARANOID after each test).
//
// Topology: P producers (one partition of n subpartitions each) all-to-all to n consumers; consumer j has
// one gate with P local channels, channel p reading subpartition j of producer p (Flink's all-to-all edge).
import { afterAll, describe, expect, it } from '@jest/globals';
import { DefaultEventLoop } from '@sluice/channel';
import fc from 'fast-check';
import { LocalInputChannel } from '../../src/consumer/LocalInputChannel';
import { RecordReader } from '../../src/consumer/RecordReader';
import { SingleInputGate } from '../../src/consumer/SingleInputGate';
import type { AbstractEvent } from '../../src/event/AbstractEvent';
import { CancelCheckpointMarker } from '../../src/event/CancelCheckpointMarker';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';
import type { DataInputView } from '../../src/io/DataInputView';
import type { DataOutputView } from '../../src/io/DataOutputView';
import { BytesSerializer } from '../../src/io/typeutils/BytesSerializer';
import { LongSerializer } from '../../src/io/typeutils/LongSerializer';
import { StringSerializer } from '../../src/io/typeutils/StringSerializer';
import { TupleSerializer } from '../../src/io/typeutils/TupleSerializer';
import type { TypeSerializer } from '../../src/io/typeutils/TypeSerializer';
import { BroadcastPartitioner } from '../../src/io/writer/BroadcastPartitioner';
import type { ChannelSelector } from '../../src/io/writer/ChannelSelector';
import { ForwardChannelSelector } from '../../src/io/writer/ForwardChannelSelector';
import { KeyGroupStreamPartitioner } from '../../src/io/writer/KeyGroupStreamPartitioner';
import type { RecordWriter } from '../../src/io/writer/RecordWriter';
import { RecordWriterBuilder } from '../../src/io/writer/RecordWriterBuilder';
import { RoundRobinChannelSelector } from '../../src/io/writer/RoundRobinChannelSelector';
import type { PipelinedResultPartition } from '../../src/partition/PipelinedResultPartition';
import { ResultPartitionFactory } from '../../src/partition/ResultPartitionFactory';
import { ResultPartitionManager } from '../../src/partition/ResultPartitionManager';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';

installPoolChecks();

const loop = new DefaultEventLoop(null, { daemon: true });
/** Writes that returned false (back-pressure), per test name: every test must have exercised them. */
const backPressured = new Map<string, number>();
afterAll(async () => {
  await loop.shutdownGracefully(0, 100);
});

// ------------------------------------------------------------------------------------------ record types

/** Raw bytes without a length of their own: a record of 0 bytes is just its 4-byte length prefix. */
class RawBytesSerializer implements TypeSerializer<Uint8Array> {
  static readonly INSTANCE = new RawBytesSerializer();
  getLength(): number {
    return -1;
  }
  serialize(record: Uint8Array, target: DataOutputView): void {
    target.write(record);
  }
  deserialize(source: DataInputView): Uint8Array {
    // The reader hands the serializer a view limited to this record's bytes.
    const bytes = new Uint8Array(source.available());
    source.readFully(bytes);
    return bytes;
  }
}

type Tuple = [number, string, Uint8Array];
const TUPLES = new TupleSerializer<Tuple>([LongSerializer.INSTANCE, StringSerializer.INSTANCE, BytesSerializer.INSTANCE]);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

interface RecordType<T> {
  readonly name: string;
  readonly serializer: TypeSerializer<T>;
  /** A string identifying the record's content, to compare what came out with what went in. */
  readonly show: (record: T) => string;
  /** The key of the key-hash selector. */
  readonly key: (record: T) => number;
}

const TUPLE_TYPE: RecordType<Tuple> = { name: 'tuples', serializer: TUPLES, show: ([id, tag, payload]) => `${id}|${tag}|${hex(payload)}`, key: (t) => t[0] };
const RAW_TYPE: RecordType<Uint8Array> = { name: 'raw bytes', serializer: RawBytesSerializer.INSTANCE, show: hex, key: (r) => r.length };
const LONG_TYPE: RecordType<number> = { name: 'longs', serializer: LongSerializer.INSTANCE, show: String, key: (v) => v };

// ------------------------------------------------------------------------------------------ scenario

type Kind = 'round robin' | 'forward' | 'key hash' | 'broadcast writer' | 'broadcastEmit';
const KINDS: Kind[] = ['round robin', 'forward', 'key hash', 'broadcast writer', 'broadcastEmit'];
/** −1: only full buffers (and the finish at the end) make data visible; 0: every record; 3: a flusher every 3 ms. */
const TIMEOUTS = [0, 3, -1];
const BUFFER_SIZES = [128, 1024, 32 * 1024];

type Step<T> =
  | { readonly type: 'record'; readonly record: T; readonly toAll: boolean; readonly pause: Pause }
  | { readonly type: 'event'; readonly id: number }
  | { readonly type: 'flush' };
/** How a task yields: not, a microtask, or a macrotask (timers — the output flusher — may run). */
type Pause = 'none' | 'microtask' | 'macrotask';

interface Scenario<T> {
  /** One program per producer. */
  readonly programs: readonly (readonly Step<T>[])[];
  /** Subpartitions per producer = consumers. */
  readonly consumers: number;
  readonly buffersPerChannel: number;
  readonly floatingBuffersPerGate: number;
  readonly maxBuffersPerChannel: number;
  readonly maxOverdraftBuffersPerGate: number;
  /** Global segments beyond the required ones. */
  readonly spareSegments: number;
  /** The readers yield every this many records (0: only when the gate is empty). */
  readonly readerPauseEvery: number;
}

function selector<T>(kind: Kind, key: (record: T) => number): ChannelSelector<T> {
  switch (kind) {
    case 'round robin':
    case 'broadcastEmit':
      return new RoundRobinChannelSelector<T>();
    case 'forward':
      return new ForwardChannelSelector<T>();
    case 'key hash':
      return new KeyGroupStreamPartitioner<T, number>(key);
    case 'broadcast writer':
      return new BroadcastPartitioner<T>();
  }
}

const pauseArb: fc.Arbitrary<Pause> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Pause>('none') },
  { weight: 1, arbitrary: fc.constant<Pause>('microtask') },
  { weight: 1, arbitrary: fc.constant<Pause>('macrotask') },
);

/** Bytes of the repeated pattern of {@link bytesArb}: a prime, so no buffer size is a multiple of it. */
const PATTERN = 4093;

/**
 * Up to `maxLength` bytes from a seed: large arrays cheap to generate (and to shrink, by length). A
 * pseudo-random block of {@link PATTERN} bytes repeats, so bytes moved by a buffer's size or swapped between
 * buffers do not compare equal.
 */
function bytesArb(maxLength: number): fc.Arbitrary<Uint8Array> {
  return fc.record({ length: fc.nat(maxLength), seed: fc.integer() }).map(({ length, seed }) => patternBytes(length, seed));
}

/** `length` bytes: a pseudo-random block of {@link PATTERN} bytes from `seed`, repeated. */
function patternBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed | 0;
  for (let i = 0; i < Math.min(length, PATTERN); i++) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    bytes[i] = x >>> 24;
  }
  for (let filled = PATTERN; filled < length; filled *= 2) bytes.copyWithin(filled, 0, Math.min(filled, length - filled));
  return bytes;
}

/** Steps for one producer: records of `recordArb`, sometimes to all channels, with events and flushes. */
function stepsArb<T>(recordArb: fc.Arbitrary<T>, maxLength: number): fc.Arbitrary<Step<T>[]> {
  const step: fc.Arbitrary<Step<T>> = fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({ type: fc.constant('record' as const), record: recordArb, toAll: fc.nat(9).map((x) => x === 0), pause: pauseArb }),
    },
    { weight: 1, arbitrary: fc.nat(1000).map((id) => ({ type: 'event' as const, id })) },
    { weight: 1, arbitrary: fc.constant({ type: 'flush' as const }) },
  );
  return fc.array(step, { maxLength, size: 'max' });
}

/** `count` longs from a seed: every 97th to all channels, an event every 1000, a pause now and then. */
function longSteps(count: number, seed: number): Step<number>[] {
  const steps: Step<number>[] = [];
  let x = seed | 0;
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    if (i % 1000 === 999) steps.push({ type: 'event', id: i });
    const value = (x % 2 === 0 ? 1 : -1) * (Math.abs(x) * 2097152 + i); // up to ~2^52, both signs
    steps.push({ type: 'record', record: value, toAll: i % 97 === 96, pause: i % 211 === 210 ? 'macrotask' : i % 53 === 52 ? 'microtask' : 'none' });
  }
  return steps;
}

/** Many longs (cheap to generate and to shrink, by count). */
function longStepsArb(maxCount: number): fc.Arbitrary<Step<number>[]> {
  return fc.record({ count: fc.nat(maxCount), seed: fc.integer() }).map(({ count, seed }) => longSteps(count, seed));
}

/**
 * A scenario that must be back-pressured, run first by every property (random ones may not be): one
 * producer writing `program` without yielding into the smallest pools, two consumers.
 */
function heavyScenario<T>(kind: Kind, program: Step<T>[]): Scenario<T> {
  return {
    programs: [program],
    consumers: kind === 'forward' ? 1 : 2,
    buffersPerChannel: 1,
    floatingBuffersPerGate: 0,
    maxBuffersPerChannel: 2,
    maxOverdraftBuffersPerGate: 0,
    spareSegments: 0,
    readerPauseEvery: 0,
  };
}

/** `count` records of `make(i)` in a row, none to all channels, no pauses. */
function recordsInARow<T>(count: number, make: (i: number) => T): Step<T>[] {
  return Array.from({ length: count }, (_, i) => ({ type: 'record' as const, record: make(i), toAll: false, pause: 'none' as const }));
}

function scenarioArb<T>(kind: Kind, steps: fc.Arbitrary<Step<T>[]>): fc.Arbitrary<Scenario<T>> {
  return fc.record({
    programs: fc.array(steps, { minLength: 1, maxLength: 2 }),
    consumers: kind === 'forward' ? fc.constant(1) : fc.integer({ min: 1, max: 3 }),
    buffersPerChannel: fc.integer({ min: 1, max: 2 }),
    floatingBuffersPerGate: fc.integer({ min: 0, max: 2 }),
    // >= 2: with a quota of 1 every subpartition's own current (unfinished) buffer keeps the pool
    // unavailable, so a back-pressured writer would never see it available again.
    maxBuffersPerChannel: fc.integer({ min: 2, max: 4 }),
    maxOverdraftBuffersPerGate: fc.integer({ min: 0, max: 1 }),
    spareSegments: fc.integer({ min: 0, max: 2 }),
    readerPauseEvery: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })),
  });
}

// ------------------------------------------------------------------------------------------ running it

const yieldTurn = (pause: Pause): Promise<void> | void => {
  if (pause === 'microtask') return Promise.resolve();
  if (pause === 'macrotask') return new Promise((resolve) => setImmediate(resolve));
  return undefined;
};

function showEvent(event: AbstractEvent): string {
  if (event === EndOfPartitionEvent.INSTANCE) return 'EndOfPartition';
  if (event instanceof CancelCheckpointMarker) return `event ${event.getCheckpointId()}`;
  return `unexpected ${event.constructor.name}`;
}

/** What every channel must deliver: per producer p, per consumer j, the records and events in order. */
function expectedTimelines<T>(kind: Kind, type: RecordType<T>, scenario: Scenario<T>): string[][][] {
  const n = scenario.consumers;
  return scenario.programs.map((program) => {
    const out: string[][] = Array.from({ length: n }, () => []);
    const mirror = selector(kind, type.key);
    mirror.setup(n);
    for (const step of program) {
      if (step.type === 'event') out.forEach((timeline) => timeline.push(`event ${step.id}`));
      if (step.type !== 'record') continue;
      const shown = `record ${type.show(step.record)}`;
      if (kind === 'broadcast writer' || kind === 'broadcastEmit' || step.toAll) out.forEach((timeline) => timeline.push(shown));
      else out[mirror.selectChannel(step.record)]!.push(shown);
    }
    out.forEach((timeline) => timeline.push('EndOfPartition'));
    return out;
  });
}

/** A run that makes no progress for this long failed (a lost notification or a missing flush hangs forever). */
const DEADLINE_MS = 3000;

async function withDeadline<T>(work: Promise<T>, ms: number, state: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no progress within ${ms} ms (deadlock?): ${state()}`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface Outcome {
  /** What every channel delivered: [producer][consumer] → timeline. */
  readonly received: string[][][];
  /** Partitions still registered after every task closed what it used (pipelined ones release themselves). */
  readonly unreleasedPartitions: number;
  /** Segments missing from the global pool at the end. */
  readonly missingSegments: number;
}

/** Runs one scenario: producers and consumers as cooperating async tasks, then closes everything. */
async function runScenario<T>(kind: Kind, timeout: number, bufferSize: number, type: RecordType<T>, scenario: Scenario<T>, counterKey: string): Promise<Outcome> {
  const producersCount = scenario.programs.length;
  const n = scenario.consumers;
  const global = newGlobalPool(producersCount * (n + 1) + n + scenario.spareSegments, bufferSize);
  const manager = new ResultPartitionManager();
  const factory = new ResultPartitionFactory(manager, {
    networkBufferPool: global,
    networkBuffersPerChannel: scenario.buffersPerChannel,
    floatingNetworkBuffersPerGate: scenario.floatingBuffersPerGate,
    maxBuffersPerChannel: scenario.maxBuffersPerChannel,
    maxOverdraftBuffersPerGate: scenario.maxOverdraftBuffersPerGate,
  });
  const partitions: PipelinedResultPartition[] = [];
  const writers: RecordWriter<T>[] = [];
  const gates: SingleInputGate[] = [];
  const readers: RecordReader<T>[] = [];
  // received[p][j]: what consumer j got on its channel from producer p.
  const received: string[][][] = scenario.programs.map(() => Array.from({ length: n }, () => [] as string[]));
  const expectedRecords = expectedTimelines(kind, type, scenario).map((perConsumer) => perConsumer.map((t) => t.filter((s) => s.startsWith('record')).length));
  const deliveredRecords = scenario.programs.map(() => new Array<number>(n).fill(0));
  const phase: string[] = scenario.programs.map(() => 'starting');
  try {
    for (let p = 0; p < producersCount; p++) {
      const partition = factory.create({ numberOfSubpartitions: n, owningTaskName: `producer ${p}` });
      partition.setup();
      partitions.push(partition);
      writers.push(
        new RecordWriterBuilder<T>()
          .setSerializer(type.serializer)
          .setChannelSelector(selector(kind, type.key))
          .setTimeout(timeout)
          .setEventLoop(loop)
          .setTaskName(`producer ${p}`)
          .build(partition),
      );
    }
    for (let j = 0; j < n; j++) {
      const gate = new SingleInputGate({
        numberOfInputChannels: producersCount,
        bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(global, 1),
        owningTaskName: `consumer ${j}`,
        executor: loop,
      });
      gate.setInputChannels(...partitions.map((partition, p) => new LocalInputChannel(gate, p, partition.getPartitionId(), j, manager)));
      await gate.setup();
      gates.push(gate);
    }

    const produce = async (p: number): Promise<void> => {
      const writer = writers[p]!;
      const partition = partitions[p]!;
      phase[p] = 'writing';
      for (const step of scenario.programs[p]!) {
        if (step.type === 'event') {
          writer.broadcastEvent(new CancelCheckpointMarker(step.id));
        } else if (step.type === 'flush') {
          writer.flushAll();
        } else {
          const complete = kind === 'broadcastEmit' || step.toAll ? writer.broadcastEmit(step.record) : writer.emit(step.record);
          if (!complete) {
            backPressured.set(counterKey, (backPressured.get(counterKey) ?? 0) + 1);
            await writer.getAvailableFuture();
          }
          await yieldTurn(step.pause);
        }
      }
      if (timeout >= 0) {
        // Flushing after every record, or every few ms: everything arrives without the finish.
        phase[p] = 'waiting for delivery without finish()';
        const delivered = (): boolean => deliveredRecords[p]!.every((count, j) => count === expectedRecords[p]![j]);
        while (!delivered()) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      phase[p] = 'finishing';
      partition.finish();
      phase[p] = 'finished';
    };

    const consume = async (j: number): Promise<void> => {
      const gate = gates[j]!;
      // Records come from the channel of the data buffer the reader took last (one deserializer per channel).
      let lastDataChannel = -1;
      const pollGate = gate.pollNext.bind(gate);
      gate.pollNext = () => {
        const next = pollGate();
        if (next !== null && next.isBuffer()) lastDataChannel = next.getChannelInfo().getInputChannelIdx();
        return next;
      };
      const reader = new RecordReader(gate, type.serializer, {
        onEvent: (event, channelInfo, g) => {
          received[channelInfo.getInputChannelIdx()]![j]!.push(showEvent(event));
          RecordReader.defaultEventHandler(event, channelInfo, g);
        },
      });
      readers.push(reader);
      let read = 0;
      for (;;) {
        let record: T | undefined;
        while ((record = reader.pollNext()) !== undefined) {
          received[lastDataChannel]![j]!.push(`record ${type.show(record)}`);
          deliveredRecords[lastDataChannel]![j]!++;
          if (scenario.readerPauseEvery > 0 && ++read % scenario.readerPauseEvery === 0) await yieldTurn(read % 2 === 0 ? 'macrotask' : 'microtask');
        }
        if (reader.isFinished()) break;
        await reader.getAvailableFuture();
      }
      expect(gate.isFinished()).toBe(true);
    };

    const state = (): string =>
      `producers: ${phase.join(', ')}; delivered ${JSON.stringify(deliveredRecords)} of ${JSON.stringify(expectedRecords)}; ` +
      `pools: ${partitions.map((partition) => partition.getBufferPool().toString()).join(' | ')}; global: ${global.toString()}`;
    await withDeadline(Promise.all([...partitions.map((_, p) => produce(p)), ...gates.map((_, j) => consume(j))]), DEADLINE_MS, state);
  } finally {
    // What the tasks do when they end: writers and partitions on the producer side, readers on the other.
    for (const writer of writers) writer.close();
    for (const reader of readers) reader.close();
    for (const gate of gates) gate.close(); // in case its reader never started
    for (const partition of partitions) partition.close();
  }
  const unreleasedPartitions = manager.size();
  manager.shutdown(); // only does something if the property is about to fail
  return { received, unreleasedPartitions, missingSegments: global.getTotalNumberOfMemorySegments() - global.getNumberOfAvailableMemorySegments() };
}

function runProperty<T>(
  kind: Kind,
  timeout: number,
  bufferSize: number,
  type: RecordType<T>,
  steps: fc.Arbitrary<Step<T>[]>,
  heavy: Step<T>[],
  numRuns: number,
  counterKey: string,
): Promise<void> {
  return fc.assert(
    fc.asyncProperty(scenarioArb(kind, steps), async (scenario) => {
      const { received, unreleasedPartitions, missingSegments } = await runScenario(kind, timeout, bufferSize, type, scenario, counterKey);
      const expected = expectedTimelines(kind, type, scenario);
      // toEqual only to show a difference: comparing long timelines with it is slow.
      if (JSON.stringify(received) !== JSON.stringify(expected)) expect(received).toEqual(expected);
      expect({ unreleasedPartitions, missingSegments }).toEqual({ unreleasedPartitions: 0, missingSegments: 0 });
    }),
    // A hanging counterexample costs DEADLINE_MS per shrinking step: stop shrinking after a while.
    { numRuns, examples: [[heavyScenario(kind, heavy)]], interruptAfterTimeLimit: 30000, markInterruptAsFailure: true },
  );
}

describe('RecordWriter → PipelinedResultPartition → ResultPartitionManager → LocalInputChannel → SingleInputGate → RecordReader', () => {
  for (const bufferSize of BUFFER_SIZES) {
    describe(`${bufferSize} B buffers`, () => {
      for (const kind of KINDS) {
        for (const timeout of TIMEOUTS) {
          const name = `${kind}, buffer timeout ${timeout}`;
          it(`delivers every record intact and in order per channel (${name})`, async () => {
            const key = `${bufferSize}/${name}`;
            // Payloads from 0 bytes to a few buffers (most of them small).
            const maxPayload = Math.min(3 * bufferSize, 80 * 1024);
            const payload = fc.oneof(
              { weight: 3, arbitrary: fc.uint8Array({ maxLength: 40 }) },
              { weight: 1, arbitrary: bytesArb(maxPayload) },
            );
            const tuple = fc.tuple(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.string({ unit: 'grapheme', maxLength: 6 }), payload);
            const large = bufferSize >= 32768; // costlier runs: fewer of them
            const big = patternBytes(maxPayload, 42);
            await runProperty(kind, timeout, bufferSize, TUPLE_TYPE, stepsArb<Tuple>(tuple, 24), recordsInARow<Tuple>(6, (i) => [i, 'heavy', big]), large ? 3 : 10, key);
            await runProperty(kind, timeout, bufferSize, RAW_TYPE, stepsArb(payload, 24), recordsInARow(6, () => big), large ? 3 : 10, key);
            // Longs take the fixed-length fast path; enough of them to fill the small pools several times.
            const maxLongs = large ? 12000 : bufferSize >= 1024 ? 1500 : 300;
            await runProperty(kind, timeout, bufferSize, LONG_TYPE, longStepsArb(maxLongs), longSteps(maxLongs, 7), large ? 2 : 4, key);
            expect(backPressured.get(key) ?? 0).toBeGreaterThan(0);
          });
        }
      }
    });
  }
});
