// Broadcast buffers shared by the subpartitions of a pipelined partition (issue 3): each subpartition
// takes its BufferConsumer copy when it needs it instead of the producer queueing N copies per buffer.
// The property at the end checks that nobody can tell: a partition on Flink's eager path (a copy queued
// in every subpartition by the producer) and one on the shared queue answer every call identically.
import { describe, expect, it } from '@jest/globals';
import { IllegalStateException } from '@sluice/channel';
import fc from 'fast-check';
import { CheckpointBarrier, CheckpointOptions, EndOfSuperstepEvent, EventSerializer } from '../../src/event';
import { LongSerializer } from '../../src/io';
import type { BufferConsumer, BufferPool } from '../../src/memory';
import {
  BufferWritingResultPartition,
  PipelinedResultPartition,
  PipelinedSubpartition,
  ResultPartitionID,
  ResultPartitionManager,
  ResultPartitionType,
  type ResultSubpartition,
  type ResultSubpartitionView,
} from '../../src/partition';
import { BroadcastBufferQueue } from '../../src/partition/BroadcastBufferQueue';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { createTestPartition, drainView, framed, RecordingListener } from './PartitionTestUtils';

installPoolChecks();

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => (from + i) & 0xff);

/** A finished consumer of `bytes` on a builder from `pool` (closed builder). */
function finishedConsumer(pool: BufferPool, bytes: number[]): BufferConsumer {
  const builder = pool.requestBufferBuilder()!;
  const consumer = builder.createBufferConsumerFromBeginning();
  builder.appendAndCommit(Uint8Array.from(bytes));
  builder.finish();
  builder.close();
  return consumer;
}

describe('BroadcastBufferQueue', () => {
  it('closes a buffer once every subpartition attached when it was appended took or dropped it', () => {
    const env = createTestPartition({ subpartitions: 1 });
    try {
      const pool = env.partition.getBufferPool();
      const queue = new BroadcastBufferQueue();
      expect(queue.attach()).toBe(0);
      expect(queue.attach()).toBe(0);
      const shared = finishedConsumer(pool, [1, 2, 3]);
      expect(queue.append(shared, 2)).toBe(true);
      queue.detach(); // the second subpartition leaves after dropping what it owed
      queue.release(0);
      expect(shared.isRecycled()).toBe(false);
      const copy = queue.take(0);
      expect(queue.getTakenPartialRecordLength()).toBe(2);
      expect(shared.isRecycled()).toBe(true); // the queue's reference is gone, the copy's is not
      expect(queue.size()).toBe(0);
      const slice = copy.build();
      expect([...slice.getNioBufferReadable()]).toEqual([1, 2, 3]);
      slice.recycleBuffer();
      copy.close();

      // Appended after the detach: only the remaining subpartition owes it.
      queue.append(finishedConsumer(pool, [4]), 0);
      queue.take(1).close();
      expect(queue.size()).toBe(0);
    } finally {
      env.dispose();
    }
  });

  it('closes what it is given at once when no subpartition is attached', () => {
    const env = createTestPartition({ subpartitions: 1 });
    try {
      const consumer = finishedConsumer(env.partition.getBufferPool(), [1]);
      expect(new BroadcastBufferQueue().append(consumer, 0)).toBe(false);
      expect(consumer.isRecycled()).toBe(true);
    } finally {
      env.dispose();
    }
  });

  it('refuses buffers it does not hold and subpartitions that skip ahead', () => {
    const env = createTestPartition({ subpartitions: 1 });
    try {
      const pool = env.partition.getBufferPool();
      const queue = new BroadcastBufferQueue();
      queue.attach();
      queue.append(finishedConsumer(pool, [1]), 0);
      queue.append(finishedConsumer(pool, [2]), 0);
      expect(() => queue.take(2)).toThrow(IllegalStateException);
      expect(() => queue.take(1)).toThrow(/done with before buffer 0/);
      queue.release(0);
      expect(() => queue.take(0)).toThrow(/not held/);
      queue.release(1);
      queue.detach();
    } finally {
      env.dispose();
    }
  });

  it('grows past its initial capacity and keeps the order', () => {
    const env = createTestPartition({ subpartitions: 1, poolSize: 30 });
    try {
      const pool = env.partition.getBufferPool();
      const queue = new BroadcastBufferQueue();
      queue.attach();
      for (let i = 0; i < 3; i++) {
        queue.append(finishedConsumer(pool, [i]), 0);
        queue.take(i).close();
      }
      for (let i = 3; i < 23; i++) queue.append(finishedConsumer(pool, [i]), i);
      expect(queue.size()).toBe(20);
      for (let i = 3; i < 23; i++) {
        const copy = queue.take(i);
        expect(queue.getTakenPartialRecordLength()).toBe(i);
        const slice = copy.build();
        expect([...slice.getNioBufferReadable()]).toEqual([i]);
        slice.recycleBuffer();
        copy.close();
      }
      queue.detach();
    } finally {
      env.dispose();
    }
  });
});

describe('PipelinedResultPartition broadcast buffers', () => {
  it('queues no copy in the subpartitions until they are read, yet reports them queued', () => {
    const env = createTestPartition({ subpartitions: 3, segmentSize: 64 });
    try {
      const { partition } = env;
      partition.broadcastRecord(framed(range(100))); // 104 bytes: 64 + 40
      const subs = partition.getAllPartitions() as PipelinedSubpartition[];
      for (const sub of subs) {
        expect(sub.getNumberOfQueuedBuffers()).toBe(2);
        expect(sub.getBuffersInBacklog()).toBe(1); // the unfinished tail does not count until flushed
        expect(sub.getTotalNumberOfBuffersUnsafe()).toBe(2);
      }
      // Taking them (the getter exposes the queue) gives the partial record lengths Flink's copies carry.
      expect([...subs[1]!.buffers].map((b) => b.partialRecordLength)).toEqual([0, 40]);
      partition.flushAll();
      for (let i = 0; i < 3; i++) {
        const view = partition.createSubpartitionView(i, new RecordingListener());
        expect(drainView(view).bytes).toEqual([...framed(range(100))]);
        view.releaseAllResources();
      }
    } finally {
      env.dispose();
    }
  });

  it('notifies a reader at the first finished broadcast buffer only, and again once it has polled', () => {
    const env = createTestPartition({ subpartitions: 2, segmentSize: 64 });
    try {
      const { partition } = env;
      const listeners = [new RecordingListener(), new RecordingListener()];
      const views = listeners.map((l, i) => partition.createSubpartitionView(i, l));
      const fill = (): void => void partition.broadcastRecord(framed(range(60))); // exactly one buffer
      fill();
      expect(listeners.map((l) => l.numNotifications)).toEqual([0, 0]); // finished, but Flink's cached state says not yet
      fill();
      expect(listeners.map((l) => l.numNotifications)).toEqual([1, 1]); // the first finished buffer
      fill();
      fill();
      expect(listeners.map((l) => l.numNotifications)).toEqual([1, 1]); // already notified
      expect(drainView(views[0]!).buffers).toBe(4);
      fill();
      expect(listeners.map((l) => l.numNotifications)).toEqual([1, 1]); // one (finished, cached unfinished) buffer
      fill();
      expect(listeners.map((l) => l.numNotifications)).toEqual([2, 1]); // subpartition 1 still has 5 queued
      expect(drainView(views[0]!).buffers).toBe(2);
      expect(drainView(views[1]!).buffers).toBe(6);
      views.forEach((v) => v.releaseAllResources());
    } finally {
      env.dispose();
    }
  });

  it('keeps broadcast buffers, unicast buffers and events in order in every subpartition', () => {
    const env = createTestPartition({ subpartitions: 2, segmentSize: 64 });
    try {
      const { partition } = env;
      partition.broadcastRecord(framed([1]));
      partition.emitRecord(framed([2]), 1);
      partition.broadcastRecord(framed([3]));
      partition.broadcastEvent(EndOfSuperstepEvent.INSTANCE, false);
      partition.broadcastRecord(framed([4]));
      partition.finish();
      const d0 = drainView(partition.createSubpartitionView(0, new RecordingListener()));
      const d1 = drainView(partition.createSubpartitionView(1, new RecordingListener()));
      expect(d0.bytes).toEqual([...framed([1]), ...framed([3]), ...framed([4])]);
      expect(d1.bytes).toEqual([...framed([1]), ...framed([2]), ...framed([3]), ...framed([4])]);
      expect(d0.events).toEqual([EndOfSuperstepEvent.INSTANCE.toString(), 'EndOfPartitionEvent']);
      expect(d1.events).toEqual(d0.events);
    } finally {
      env.dispose();
    }
  });

  it('recycles each broadcast buffer exactly once, after the last subpartition read or dropped it', () => {
    const env = createTestPartition({ subpartitions: 3, segmentSize: 64 });
    try {
      const { partition } = env;
      const pool = partition.getBufferPool();
      const used = (): number => pool.bestEffortGetNumOfUsedBuffers();
      for (let i = 0; i < 3; i++) partition.broadcastRecord(framed(range(60, i))); // three full buffers
      expect(used()).toBe(3);
      const subs = partition.getAllPartitions() as PipelinedSubpartition[];
      const views = [0, 1].map((i) => partition.createSubpartitionView(i, new RecordingListener()));
      drainView(views[0]!);
      expect(used()).toBe(3);
      subs[2]!.release(); // drops its three without taking them
      expect(used()).toBe(3);
      drainView(views[1]!); // the last reader
      expect(used()).toBe(0);
      // Released subpartitions take no more broadcast buffers.
      partition.broadcastRecord(framed([9]));
      expect(subs[2]!.getNumberOfQueuedBuffers()).toBe(0);
      views.forEach((v) => v.releaseAllResources());
    } finally {
      env.dispose();
    }
  });

  it('asks the subpartitions for a buffer size again after one changed it (debloating)', () => {
    const env = createTestPartition({ subpartitions: 2, segmentSize: 128 });
    try {
      const { partition } = env;
      const views = [0, 1].map((i) => partition.createSubpartitionView(i, new RecordingListener()));
      for (let i = 0; i < 3; i++) partition.broadcastRecord(framed(range(124))); // full buffers, no reads
      views[1]!.notifyNewBufferSize(64); // no poll in between: only the new size invalidates the last scan
      partition.broadcastRecord(framed(range(200)));
      const sizes = [...(partition.getAllPartitions()[0] as PipelinedSubpartition).buffers].map((b) => b.bufferConsumer.getBufferSize());
      expect(sizes.slice(3)).toEqual([128, 128]); // the record was started before the resize
      partition.broadcastRecord(framed(range(10)));
      partition.flushAll();
      const trimmed = [...(partition.getAllPartitions()[0] as PipelinedSubpartition).buffers].map((b) => b.bufferConsumer.getWrittenBytes());
      expect(trimmed.at(-1)).toBeLessThanOrEqual(64);
      views.forEach((v) => {
        drainView(v);
        v.releaseAllResources();
      });
    } finally {
      env.dispose();
    }
  });
});

// ---------------------------------------------------------------- equivalence with Flink's eager path

/** Flink's path: the producer queues a copy in every subpartition (the base class's loop). */
class EagerBroadcastPartition extends PipelinedResultPartition {
  protected override addBroadcastBufferConsumer(consumer: BufferConsumer, partialRecordLength: number): number {
    const eager = BufferWritingResultPartition.prototype as unknown as {
      addBroadcastBufferConsumer(this: BufferWritingResultPartition, consumer: BufferConsumer, partialRecordLength: number): number;
    };
    return eager.addBroadcastBufferConsumer.call(this, consumer, partialRecordLength);
  }
}

type Op =
  | { kind: 'broadcast'; length: number }
  | { kind: 'broadcastLong'; value: number }
  | { kind: 'unicast'; target: number; length: number }
  | { kind: 'event'; priority: boolean }
  | { kind: 'barrier' }
  | { kind: 'resume'; target: number }
  | { kind: 'flush'; target: number }
  | { kind: 'flushAll' }
  | { kind: 'poll'; target: number }
  | { kind: 'drain'; target: number }
  | { kind: 'expose'; target: number }
  | { kind: 'bufferSize'; target: number; size: number }
  | { kind: 'release'; target: number };

const SUBPARTITIONS = 3;
const SEGMENT_SIZE = 64;

interface Side {
  partition: PipelinedResultPartition;
  subs: PipelinedSubpartition[];
  views: ResultSubpartitionView[];
  listeners: RecordingListener[];
  log: unknown[];
}

function createSide(eager: boolean, withExclusiveBuffers: boolean): Side {
  const global = newGlobalPool(400, SEGMENT_SIZE);
  const subpartitions: ResultSubpartition[] = new Array<ResultSubpartition>(SUBPARTITIONS);
  const Partition = eager ? EagerBroadcastPartition : PipelinedResultPartition;
  const partition = new Partition(
    eager ? 'eager' : 'shared',
    0,
    ResultPartitionID.random(),
    ResultPartitionType.PIPELINED_BOUNDED,
    subpartitions,
    SUBPARTITIONS,
    new ResultPartitionManager(),
    () => global.createBufferPool(300, 300, SUBPARTITIONS, 300, 0),
  );
  for (let i = 0; i < SUBPARTITIONS; i++) subpartitions[i] = new PipelinedSubpartition(i, withExclusiveBuffers ? 2 : 0, SEGMENT_SIZE, partition);
  partition.setup();
  const listeners = Array.from({ length: SUBPARTITIONS }, () => new RecordingListener());
  const views = listeners.map((l, i) => partition.createSubpartitionView(i, l));
  return { partition, subs: subpartitions as PipelinedSubpartition[], views, listeners, log: [] };
}

function poll(side: Side, target: number): unknown {
  const next = side.views[target]!.getNextBuffer();
  if (next === null) return null;
  const buffer = next.buffer;
  try {
    return {
      bytes: buffer.isBuffer() ? [...buffer.getNioBufferReadable()] : EventSerializer.fromBuffer(buffer).toString(),
      type: buffer.getDataType().name,
      backlog: next.buffersInBacklog,
      next: next.nextDataType.name,
      sequence: next.sequenceNumber,
    };
  } finally {
    buffer.recycleBuffer();
  }
}

function apply(side: Side, op: Op): unknown {
  const { partition } = side;
  switch (op.kind) {
    case 'broadcast':
      return partition.broadcastRecord(framed(range(op.length, op.length)));
    case 'broadcastLong': {
      if (partition.tryBroadcastFixedLengthRecord(op.value, LongSerializer.INSTANCE, 8)) return 'fast';
      // What BroadcastRecordWriter does when the record does not fit the current buffer.
      const record = new Uint8Array(12);
      const view = new DataView(record.buffer);
      view.setInt32(0, 8);
      LongSerializer.INSTANCE.writeFixed!(op.value, view, 4);
      return partition.broadcastRecord(record);
    }
    case 'unicast':
      return partition.emitRecord(framed(range(op.length, 7)), op.target);
    case 'event':
      partition.broadcastEvent(EndOfSuperstepEvent.INSTANCE, op.priority);
      return null;
    case 'barrier':
      // Aligned: blocks each subpartition once polled, until resumed.
      partition.broadcastEvent(new CheckpointBarrier(1, 0, CheckpointOptions.forCheckpointWithDefaultLocation()), false);
      return null;
    case 'resume': {
      const blocked = side.subs[op.target]!.isBlockedByCheckpoint();
      if (blocked) side.views[op.target]!.resumeConsumption();
      return blocked;
    }
    case 'flush':
      partition.flush(op.target);
      return null;
    case 'flushAll':
      partition.flushAll();
      return null;
    case 'poll':
      return poll(side, op.target);
    case 'drain': {
      const polled = [];
      for (let next = poll(side, op.target); next !== null; next = poll(side, op.target)) polled.push(next);
      return polled;
    }
    case 'expose':
      return [...side.subs[op.target]!.buffers].map((b) => [b.partialRecordLength, b.bufferConsumer.getDataType().name, b.bufferConsumer.isFinished()]);
    case 'bufferSize':
      side.views[op.target]!.notifyNewBufferSize(op.size);
      return null;
    case 'release':
      side.subs[op.target]!.release();
      return null;
  }
}

/** Everything a caller can ask without changing state (the subpartitions' queries, counters, the pool). */
function observe(side: Side): unknown {
  return {
    subpartitions: side.subs.map((sub, i) => ({
      queued: sub.getNumberOfQueuedBuffers(),
      unsynchronizedQueued: sub.unsynchronizedGetNumberOfQueuedBuffers(),
      backlog: sub.getBuffersInBacklog(),
      withCredit: side.views[i]!.getAvailabilityAndBacklog(true),
      withoutCredit: side.views[i]!.getAvailabilityAndBacklog(false),
      total: sub.getTotalNumberOfBuffersUnsafe(),
      bytes: sub.getTotalNumberOfBytesUnsafe(),
      notifications: side.listeners[i]!.numNotifications,
      priorityEvents: side.listeners[i]!.numPriorityEvents,
      released: sub.isReleased(),
      blocked: sub.isBlockedByCheckpoint(),
    })),
    partitionQueued: side.partition.getNumberOfQueuedBuffers(),
    queuedBytes: side.partition.getSizeOfQueuedBuffersUnsafe(),
    buffersOut: side.partition.numBuffersOut.getCount(),
    bytesOut: side.partition.numBytesOut.getCount(),
    poolUsed: side.partition.getBufferPool().bestEffortGetNumOfUsedBuffers(),
  };
}

const target = fc.integer({ min: 0, max: SUBPARTITIONS - 1 });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('broadcast' as const), length: fc.integer({ min: 0, max: 140 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('broadcastLong' as const), value: fc.integer({ min: 0, max: 1_000_000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('unicast' as const), target, length: fc.integer({ min: 0, max: 90 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('event' as const), priority: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('barrier' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resume' as const), target }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flush' as const), target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flushAll' as const) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('poll' as const), target }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drain' as const), target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expose' as const), target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bufferSize' as const), target, size: fc.integer({ min: 16, max: 80 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), target }) },
);

describe('PipelinedResultPartition broadcast buffers, against Flink\'s eager copies', () => {
  it('answers every call, polls the same buffers and notifies the same readers as Flink\'s path', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 80 }), fc.boolean(), (ops, withExclusiveBuffers) => {
        const eager = createSide(true, withExclusiveBuffers);
        const shared = createSide(false, withExclusiveBuffers);
        try {
          for (const op of ops) {
            const a = apply(eager, op);
            const b = apply(shared, op);
            expect({ op, result: b, state: observe(shared) }).toEqual({ op, result: a, state: observe(eager) });
          }
          // The end: everything written reaches the readers, then EndOfPartition.
          for (const side of [eager, shared]) {
            side.partition.finish();
            side.partition.flushAll();
          }
          for (let i = 0; i < SUBPARTITIONS; i++) expect(apply(shared, { kind: 'drain', target: i })).toEqual(apply(eager, { kind: 'drain', target: i }));
          expect(observe(shared)).toEqual(observe(eager));
        } finally {
          for (const side of [eager, shared]) {
            side.views.forEach((v) => v.releaseAllResources());
            side.partition.release();
            side.partition.close();
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('frees every buffer exactly once however the subpartitions end (read, released, finished)', () => {
    const shared = createSide(false, true);
    const pool = shared.partition.getBufferPool();
    for (let i = 0; i < 10; i++) shared.partition.broadcastRecord(framed(range(100, i)));
    apply(shared, { kind: 'drain', target: 0 });
    shared.subs[1]!.release();
    shared.partition.finish();
    apply(shared, { kind: 'drain', target: 0 });
    apply(shared, { kind: 'drain', target: 2 });
    expect(pool.bestEffortGetNumOfUsedBuffers()).toBe(0);
    shared.views.forEach((v) => v.releaseAllResources());
    shared.partition.release();
    shared.partition.close();
  });
});
