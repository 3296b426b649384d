// Property: any records, written by a RecordWriter (every selector, every buffer-timeout mode, several
// buffer sizes, small pools that force back-pressure) into a PipelinedResultPartition, polled from its
// subpartition views and deserialized, come out identical and in order per subpartition — and every
// buffer returns to its pool.
import { afterAll, describe, expect, it } from '@jest/globals';
import { DefaultEventLoop } from '@sluice/channel';
import fc from 'fast-check';
import {
  BroadcastPartitioner,
  BytesSerializer,
  ForwardChannelSelector,
  KeyGroupStreamPartitioner,
  LongSerializer,
  RecordWriterBuilder,
  RoundRobinChannelSelector,
  type ChannelSelector,
  type TypeSerializer,
} from '../../src/io';
import { installPoolChecks } from '../memory/PoolTestUtils';
import { createTestPartition } from '../partition/PartitionTestUtils';
import { SubpartitionReader } from './RecordTestUtils';

installPoolChecks();

const loop = new DefaultEventLoop(null, { daemon: true });
/** Writes that returned false (back-pressure), over all runs: the property must have exercised them. */
let backPressured = 0;
afterAll(async () => {
  await loop.shutdownGracefully(0, 100);
  expect(backPressured).toBeGreaterThan(0);
});

type SelectorKind = 'round robin' | 'forward' | 'key hash' | 'broadcast';
const SELECTORS: SelectorKind[] = ['round robin', 'forward', 'key hash', 'broadcast'];
const TIMEOUTS = [0, 1, -1];
const BUFFER_SIZES = [128, 1024, 32 * 1024];

function selector<T>(kind: SelectorKind, key: (record: T) => number): ChannelSelector<T> {
  switch (kind) {
    case 'round robin':
      return new RoundRobinChannelSelector<T>();
    case 'forward':
      return new ForwardChannelSelector<T>();
    case 'key hash':
      return new KeyGroupStreamPartitioner<T, number>(key);
    case 'broadcast':
      return new BroadcastPartitioner<T>();
  }
}

interface Step<T> {
  record: T;
  /** For non-broadcast writers: broadcastEmit instead of emit. */
  toAll: boolean;
}

async function runPipeline<T>(
  kind: SelectorKind,
  timeout: number,
  bufferSize: number,
  serializer: TypeSerializer<T>,
  key: (record: T) => number,
  steps: readonly Step<T>[],
  subpartitions: number,
  extraBuffers: number,
): Promise<T[][]> {
  const n = kind === 'forward' ? 1 : subpartitions;
  const env = createTestPartition({ subpartitions: n, segmentSize: bufferSize, globalSegments: 40, poolSize: n + 1 + extraBuffers, maxBuffersPerChannel: n + 1 + extraBuffers });
  const writer = new RecordWriterBuilder<T>()
    .setSerializer(serializer)
    .setChannelSelector(selector(kind, key))
    .setTimeout(timeout)
    .setEventLoop(loop)
    .build(env.partition);
  const readers = Array.from({ length: n }, (_, i) => new SubpartitionReader(env.partition.createSubpartitionView(i, { notifyDataAvailable() {}, notifyPriorityEvent() {} }), serializer, `subpartition ${i}`));
  const drainAll = (): void => readers.forEach((r) => r.drain());
  const waitUntilAvailable = async (): Promise<void> => {
    const future = writer.getAvailableFuture();
    while (!future.isDone()) {
      drainAll();
      await Promise.resolve();
    }
    expect(future.isSuccess()).toBe(true);
  };
  try {
    for (const step of steps) {
      const complete = step.toAll && kind !== 'broadcast' ? writer.broadcastEmit(step.record) : writer.emit(step.record);
      if (!complete) {
        backPressured++;
        await waitUntilAvailable();
      }
    }
    await waitUntilAvailable();
    env.partition.finish();
    drainAll();
    for (const r of readers) {
      expect(r.events).toEqual(['EndOfPartitionEvent']);
      expect(r.hasPartialRecord()).toBe(false);
    }
    return readers.map((r) => r.records);
  } finally {
    writer.close();
    readers.forEach((r) => r.close());
    env.dispose();
  }
}

function expected<T>(kind: SelectorKind, key: (record: T) => number, steps: readonly Step<T>[], subpartitions: number): T[][] {
  const n = kind === 'forward' ? 1 : subpartitions;
  const out: T[][] = Array.from({ length: n }, () => []);
  const check = selector(kind, key);
  check.setup(n);
  for (const step of steps) {
    if (kind === 'broadcast' || step.toAll) out.forEach((records) => records.push(step.record));
    else out[check.selectChannel(step.record)]!.push(step.record);
  }
  return out;
}

describe('RecordWriter → PipelinedSubpartition → view → deserializer', () => {
  for (const bufferSize of BUFFER_SIZES) {
    for (const kind of SELECTORS) {
      for (const timeout of TIMEOUTS) {
        it(`delivers variable-length records intact and in order (${kind}, timeout ${timeout}, ${bufferSize} B buffers)`, async () => {
          const record = fc.oneof(
            { weight: 3, arbitrary: fc.uint8Array({ maxLength: 24 }) },
            { weight: 1, arbitrary: fc.uint8Array({ maxLength: Math.min(3 * bufferSize, 70 * 1024), size: 'max' }) },
          );
          await fc.assert(
            fc.asyncProperty(
              fc.array(fc.record({ record, toAll: fc.boolean() }), { maxLength: 40, size: 'max' }),
              fc.integer({ min: 1, max: 4 }),
              fc.integer({ min: 0, max: 3 }),
              async (steps, subpartitions, extraBuffers) => {
                const stepsWithBroadcast = steps.map((s, i) => ({ record: s.record, toAll: s.toAll && i % 7 === 0 }));
                const key = (r: Uint8Array): number => r.length;
                const got = await runPipeline(kind, timeout, bufferSize, BytesSerializer.INSTANCE, key, stepsWithBroadcast, subpartitions, extraBuffers);
                const want = expected(kind, key, stepsWithBroadcast, subpartitions);
                expect(got.map((records) => records.map((r) => Buffer.from(r).toString('hex')))).toEqual(want.map((records) => records.map((r) => Buffer.from(r).toString('hex'))));
              },
            ),
            { numRuns: bufferSize > 1024 ? 8 : 25 },
          );
        });

        it(`delivers fixed-length longs through the fast path intact and in order (${kind}, timeout ${timeout}, ${bufferSize} B buffers)`, async () => {
          await fc.assert(
            fc.asyncProperty(
              fc.array(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), { maxLength: bufferSize > 1024 ? 6000 : 400, size: 'max' }),
              fc.integer({ min: 1, max: 4 }),
              fc.integer({ min: 0, max: 2 }),
              async (values, subpartitions, extraBuffers) => {
                const steps = values.map((record, i) => ({ record, toAll: i % 50 === 49 }));
                const key = (v: number): number => v;
                const got = await runPipeline(kind, timeout, bufferSize, LongSerializer.INSTANCE, key, steps, subpartitions, extraBuffers);
                expect(got).toEqual(expected(kind, key, steps, subpartitions));
              },
            ),
            { numRuns: bufferSize > 1024 ? 5 : 15 },
          );
        });
      }
    }
  }
});
