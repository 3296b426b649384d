// Notification, backlog, flush and blocking rules of PipelinedSubpartition (reference §4.3, scenarios 64–71),
// ported as our own tests from Flink's PipelinedSubpartitionWithReadViewTest / PipelinedSubpartitionTest.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { IllegalStateException } from '@sluice/channel';
import {
  CheckpointBarrier,
  CheckpointOptions,
  CheckpointStorageLocationReference,
  CheckpointType,
  EndOfPartitionEvent,
  EndOfSuperstepEvent,
  EventSerializer,
  type AbstractEvent,
} from '../../src/event';
import { DataType, type LocalBufferPool } from '../../src/memory';
import { PipelinedSubpartition, ResultSubpartition, type PipelinedSubpartitionView, type ResultSubpartitionView } from '../../src/partition';
import { installPoolChecks } from '../memory/PoolTestUtils';
import {
  createEventBufferConsumer,
  createFilledFinishedBufferConsumer,
  createFilledUnfinishedBufferConsumer,
  createTestPartition,
  RecordingListener,
  type TestPartition,
} from './PartitionTestUtils';

installPoolChecks();

const BUFFER_SIZE = 2048;

interface Expected {
  size: number;
  isBuffer?: boolean;
  event?: { prototype: AbstractEvent };
  dataAvailable: boolean;
  backlog: number;
  eventAvailable: boolean;
  recycledAfterRecycle?: boolean;
}

/** Polls one buffer and checks it and what the view reports after it (Flink's assertNextBufferOrEvent). */
function expectNext(view: ResultSubpartitionView, expected: Expected): void {
  const next = view.getNextBuffer();
  expect(next).not.toBeNull();
  const buffer = next!.buffer;
  try {
    expect(buffer.readableBytes()).toBe(expected.size);
    expect(buffer.isBuffer()).toBe(expected.isBuffer ?? true);
    if (expected.event !== undefined) expect(EventSerializer.fromBuffer(buffer)).toBeInstanceOf(expected.event);
    expect(next!.isDataAvailable()).toBe(expected.dataAvailable);
    expect(view.getAvailabilityAndBacklog(true).isAvailable).toBe(expected.dataAvailable);
    expect(next!.buffersInBacklog).toBe(expected.backlog);
    expect(next!.isEventAvailable()).toBe(expected.eventAvailable);
    expect(view.getAvailabilityAndBacklog(false).isAvailable).toBe(expected.eventAvailable);
    expect(buffer.isRecycled()).toBe(false);
  } finally {
    buffer.recycleBuffer();
  }
  expect(buffer.isRecycled()).toBe(expected.recycledAfterRecycle ?? true);
}

function expectNoNext(view: ResultSubpartitionView): void {
  expect(view.getNextBuffer()).toBeNull();
}

describe('PipelinedSubpartition with a read view', () => {
  let env: TestPartition;
  let pool: LocalBufferPool;
  let subpartition: PipelinedSubpartition;
  let listener: RecordingListener;
  let view: PipelinedSubpartitionView;

  beforeEach(() => {
    env = createTestPartition({ segmentSize: BUFFER_SIZE, globalSegments: 64 });
    pool = env.global.createBufferPool(16, 16);
    subpartition = new PipelinedSubpartition(0, 2, 2147483647, env.partition);
    listener = new RecordingListener();
    view = subpartition.createReadView(listener);
  });

  afterEach(() => {
    view.releaseAllResources();
    subpartition.release();
    env.dispose();
    pool.lazyDestroy();
  });

  it('refuses to poll when an unfinished buffer is at the head of several', () => {
    const a = pool.requestBufferBuilder()!;
    const b = pool.requestBufferBuilder()!;
    subpartition.add(a.createBufferConsumer());
    subpartition.add(b.createBufferConsumer());
    a.close();
    b.close();
    expect(() => view.getNextBuffer()).toThrow(IllegalStateException);
  });

  it('does not notify for an empty unfinished buffer, and skips it once finished (scenario 67)', () => {
    let builder = pool.requestBufferBuilder()!;
    subpartition.add(builder.createBufferConsumer());
    expect(listener.numNotifications).toBe(0);
    expectNoNext(view);

    builder.finish();
    builder.close();
    builder = pool.requestBufferBuilder()!;
    subpartition.add(builder.createBufferConsumer());
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(1);
    // The previous buffer is finished now: the first finished buffer notifies.
    expect(listener.numNotifications).toBe(1);
    // The finished buffer is empty: skipped; the new one is empty too.
    expectNoNext(view);
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(0);
    builder.close();
  });

  it('lets the reader take an unfinished non-empty buffer without counting it in the backlog', () => {
    subpartition.add(createFilledUnfinishedBufferConsumer(pool, 1024));
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(0);
    expectNext(view, { size: 1024, dataAvailable: false, backlog: 0, eventAvailable: false, recycledAfterRecycle: false });
  });

  it('reports a finished buffer followed by an unfinished one with backlog 1 (scenario 64)', () => {
    subpartition.add(createFilledFinishedBufferConsumer(pool, 1025));
    subpartition.add(createFilledUnfinishedBufferConsumer(pool, 1024));
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(1);
    expect(listener.numNotifications).toBeGreaterThan(0);
    expectNext(view, { size: 1025, dataAvailable: false, backlog: 0, eventAvailable: false });
    // Not announced, but still pollable.
    expectNext(view, { size: 1024, dataAvailable: false, backlog: 0, eventAvailable: false, recycledAfterRecycle: false });
    expectNoNext(view);
  });

  it('does not notify again on flush when two buffers are queued, but counts both in the backlog (scenario 65)', () => {
    subpartition.add(createFilledFinishedBufferConsumer(pool, 1025));
    subpartition.add(createFilledUnfinishedBufferConsumer(pool, 1024));
    const before = listener.numNotifications;
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(1);

    subpartition.flush();
    expect(before).toBeGreaterThan(0);
    expect(listener.numNotifications).toBe(before);
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(2);
    expectNext(view, { size: 1025, dataAvailable: true, backlog: 1, eventAvailable: false });
    expectNext(view, { size: 1024, dataAvailable: false, backlog: 0, eventAvailable: false, recycledAfterRecycle: false });
    expectNoNext(view);
  });

  it('notifies on flush of a single buffer with data, once', () => {
    subpartition.flush();
    expect(listener.numNotifications).toBe(0);

    subpartition.add(createFilledFinishedBufferConsumer(pool, 1025));
    subpartition.add(createFilledUnfinishedBufferConsumer(pool, 1024));
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(1);
    expectNext(view, { size: 1025, dataAvailable: false, backlog: 0, eventAvailable: false });

    const before = listener.numNotifications;
    subpartition.flush();
    expect(listener.numNotifications).toBe(before + 1);
    subpartition.flush();
    expect(listener.numNotifications).toBe(before + 1);

    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(1);
    expectNext(view, { size: 1024, dataAvailable: false, backlog: 0, eventAvailable: false, recycledAfterRecycle: false });
    expectNoNext(view);
  });

  it('notifies only when the first finished buffer appears and skips empty buffers (scenario 67)', () => {
    subpartition.add(createFilledFinishedBufferConsumer(pool, 0));
    expect(listener.numNotifications).toBe(0);
    subpartition.add(createFilledFinishedBufferConsumer(pool, 0));
    expect(listener.numNotifications).toBe(1);
    subpartition.add(createFilledFinishedBufferConsumer(pool, 0));
    expect(listener.numNotifications).toBe(1);
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(2);
    subpartition.add(createFilledFinishedBufferConsumer(pool, 1024));
    expect(listener.numNotifications).toBe(1);
    expectNext(view, { size: 1024, dataAvailable: false, backlog: 0, eventAvailable: false });
  });

  it('does not notify on flush of an empty subpartition', () => {
    subpartition.flush();
    expect(listener.numNotifications).toBe(0);
  });

  it('produces and consumes buffers and events with exact counters and one notification (scenario 68)', () => {
    expect(view.getAvailabilityAndBacklog(false).isAvailable).toBe(false);
    expectNoNext(view);
    expect(view.getAvailabilityAndBacklog(false).isAvailable).toBe(false);
    expect(listener.numNotifications).toBe(0);

    subpartition.add(createFilledFinishedBufferConsumer(pool, BUFFER_SIZE));
    expect(view.getAvailabilityAndBacklog(false).isAvailable).toBe(false);
    expect(subpartition.getTotalNumberOfBuffersUnsafe()).toBe(1);
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(0);
    expect(subpartition.getTotalNumberOfBytesUnsafe()).toBe(0); // only updated on poll
    expect(listener.numNotifications).toBe(0);

    expectNext(view, { size: BUFFER_SIZE, dataAvailable: false, backlog: 0, eventAvailable: false });
    expect(subpartition.getTotalNumberOfBytesUnsafe()).toBe(BUFFER_SIZE);
    expectNoNext(view);
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(0);

    subpartition.add(createFilledFinishedBufferConsumer(pool, BUFFER_SIZE));
    expect(subpartition.getTotalNumberOfBuffersUnsafe()).toBe(2);
    expect(listener.numNotifications).toBe(0);
    expectNext(view, { size: BUFFER_SIZE, dataAvailable: false, backlog: 0, eventAvailable: false });
    expect(subpartition.getTotalNumberOfBytesUnsafe()).toBe(2 * BUFFER_SIZE);
    expectNoNext(view);

    // buffer, event, buffer
    subpartition.add(createFilledFinishedBufferConsumer(pool, BUFFER_SIZE));
    expect(view.getAvailabilityAndBacklog(false).isAvailable).toBe(false);
    subpartition.add(createEventBufferConsumer(BUFFER_SIZE, DataType.EVENT_BUFFER));
    expect(view.getAvailabilityAndBacklog(false).isAvailable).toBe(false);
    subpartition.add(createFilledFinishedBufferConsumer(pool, BUFFER_SIZE));
    expect(view.getAvailabilityAndBacklog(false).isAvailable).toBe(false);

    expect(subpartition.getTotalNumberOfBuffersUnsafe()).toBe(5);
    expect(subpartition.getBuffersInBacklogUnsafe()).toBe(1); // two data buffers, the tail not counted; events never
    expect(subpartition.getTotalNumberOfBytesUnsafe()).toBe(2 * BUFFER_SIZE);
    expect(listener.numNotifications).toBe(1);

    expectNext(view, { size: BUFFER_SIZE, dataAvailable: true, backlog: 0, eventAvailable: true });
    expect(subpartition.getTotalNumberOfBytesUnsafe()).toBe(3 * BUFFER_SIZE);
    expectNext(view, { size: BUFFER_SIZE, isBuffer: false, dataAvailable: false, backlog: 0, eventAvailable: false });
    expect(subpartition.getTotalNumberOfBytesUnsafe()).toBe(4 * BUFFER_SIZE);
    expectNext(view, { size: BUFFER_SIZE, dataAvailable: false, backlog: 0, eventAvailable: false });
    expectNoNext(view);
    expect(subpartition.getTotalNumberOfBuffersUnsafe()).toBe(5);
    expect(subpartition.getTotalNumberOfBytesUnsafe()).toBe(5 * BUFFER_SIZE);
    expect(listener.numNotifications).toBe(1);
  });

  it('lets a priority event overtake queued data and announces it once', () => {
    subpartition.add(createFilledFinishedBufferConsumer(pool, 1));
    expect(listener.numNotifications).toBe(0);
    subpartition.add(createFilledFinishedBufferConsumer(pool, 2));
    expect(listener.numNotifications).toBe(1);
    const superstep = EventSerializer.toBufferConsumer(EndOfSuperstepEvent.INSTANCE, false);
    const superstepSize = superstep.getWrittenBytes();
    subpartition.add(superstep);
    subpartition.add(createFilledFinishedBufferConsumer(pool, 4));
    expect(listener.numNotifications).toBe(1);
    expect(listener.numPriorityEvents).toBe(0);

    const options = CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, new CheckpointStorageLocationReference(Uint8Array.of(0, 1, 2)));
    const barrier = EventSerializer.toBufferConsumer(new CheckpointBarrier(0, 0, options), true);
    const barrierSize = barrier.getWrittenBytes();
    subpartition.add(barrier);
    expect(listener.numNotifications).toBe(1);
    expect(listener.numPriorityEvents).toBe(1);
    expect(listener.lastPrioritySequenceNumber).toBe(0);

    expectNext(view, { size: barrierSize, isBuffer: false, event: CheckpointBarrier, dataAvailable: true, backlog: 2, eventAvailable: false });
    expectNext(view, { size: 1, dataAvailable: true, backlog: 1, eventAvailable: false });
    expectNext(view, { size: 2, dataAvailable: true, backlog: 0, eventAvailable: true });
    expectNext(view, { size: superstepSize, isBuffer: false, event: EndOfSuperstepEvent, dataAvailable: false, backlog: 0, eventAvailable: false });
    expectNext(view, { size: 4, dataAvailable: false, backlog: 0, eventAvailable: false });
    expectNoNext(view);
  });

  for (const [name, flush, finish] of [
    ['plain', false, false],
    ['flushed', true, false],
    ['finished', false, true],
  ] as const) {
    it(`reports a backlog equal to the data buffers actually consumable (${name}; scenario 70)`, () => {
      for (let i = 1; i <= 5; i++) {
        subpartition.add(i < 5 || finish ? createFilledFinishedBufferConsumer(pool, 1024) : createFilledUnfinishedBufferConsumer(pool, 1024));
      }
      if (flush) subpartition.flush();
      if (finish) subpartition.finish();
      const backlog = subpartition.getBuffersInBacklogUnsafe();
      let consumable = 0;
      while (view.getAvailabilityAndBacklog(true).isAvailable) {
        const next = view.getNextBuffer();
        expect(next).not.toBeNull();
        if (next!.buffer.isBuffer()) consumable++;
        next!.buffer.recycleBuffer();
      }
      expect(backlog).toBe(consumable);
    });
  }

  describe('blocked by an aligned checkpoint barrier (scenario 71)', () => {
    function blockByCheckpoint(): void {
      subpartition.add(createEventBufferConsumer(BUFFER_SIZE, DataType.ALIGNED_CHECKPOINT_BARRIER));
      expect(listener.numNotifications).toBe(1);
      expectNext(view, { size: BUFFER_SIZE, isBuffer: false, dataAvailable: false, backlog: 0, eventAvailable: false });
    }

    function expectBlocked(numNotifications: number): void {
      expect(listener.numNotifications).toBe(numNotifications);
      expect(view.getAvailabilityAndBacklog(true).isAvailable).toBe(false);
      expectNoNext(view);
    }

    it('does not notify for an event added while blocked; resumption makes it available', () => {
      blockByCheckpoint();
      subpartition.add(createEventBufferConsumer(BUFFER_SIZE, DataType.EVENT_BUFFER));
      expectBlocked(1);
      view.resumeConsumption();
      expect(view.getAvailabilityAndBacklog(false).isAvailable).toBe(true);
      expectNext(view, { size: BUFFER_SIZE, isBuffer: false, dataAvailable: false, backlog: 0, eventAvailable: false });
    });

    it('makes a flushed buffer available on resumption', () => {
      blockByCheckpoint();
      subpartition.add(createFilledFinishedBufferConsumer(pool, BUFFER_SIZE));
      subpartition.flush();
      expectBlocked(1);
      view.resumeConsumption();
      expect(view.getAvailabilityAndBacklog(true).isAvailable).toBe(true);
      expectNext(view, { size: BUFFER_SIZE, dataAvailable: false, backlog: 0, eventAvailable: false });
    });

    it('keeps an unflushed buffer unavailable after resumption', () => {
      blockByCheckpoint();
      subpartition.add(createFilledFinishedBufferConsumer(pool, BUFFER_SIZE));
      expectBlocked(1);
      view.resumeConsumption();
      expect(view.getAvailabilityAndBacklog(true).isAvailable).toBe(false);
    });

    it('makes two finished buffers available on resumption', () => {
      blockByCheckpoint();
      subpartition.add(createFilledFinishedBufferConsumer(pool, BUFFER_SIZE));
      subpartition.add(createFilledFinishedBufferConsumer(pool, BUFFER_SIZE));
      expectBlocked(1);
      view.resumeConsumption();
      expect(view.getAvailabilityAndBacklog(true).isAvailable).toBe(true);
      expectNext(view, { size: BUFFER_SIZE, dataAvailable: false, backlog: 0, eventAvailable: false });
      expectNext(view, { size: BUFFER_SIZE, dataAvailable: false, backlog: 0, eventAvailable: false });
    });

    it('stays unavailable after resuming an empty subpartition', () => {
      blockByCheckpoint();
      view.resumeConsumption();
      expect(view.getAvailabilityAndBacklog(true).isAvailable).toBe(false);
      expectNoNext(view);
    });

    it('reports a zero backlog while blocked and refuses to resume when not blocked', () => {
      expect(() => view.resumeConsumption()).toThrow(IllegalStateException);
      blockByCheckpoint();
      subpartition.add(createFilledFinishedBufferConsumer(pool, 10));
      subpartition.add(createFilledFinishedBufferConsumer(pool, 10));
      expect(subpartition.getBuffersInBacklogUnsafe()).toBe(0);
      view.resumeConsumption();
      expect(subpartition.getBuffersInBacklogUnsafe()).toBe(1);
    });
  });

  it('returns an empty finished buffer when the receiver has no exclusive buffers', () => {
    const zeroCredit = new PipelinedSubpartition(1, 0, 2147483647, env.partition);
    const zeroView = zeroCredit.createReadView(new RecordingListener());
    try {
      zeroCredit.add(createFilledFinishedBufferConsumer(pool, 0));
      zeroCredit.add(createFilledFinishedBufferConsumer(pool, 8));
      const first = zeroView.getNextBuffer();
      expect(first!.buffer.readableBytes()).toBe(0);
      expect(first!.buffer.isBuffer()).toBe(true);
      first!.buffer.recycleBuffer();
      const second = zeroView.getNextBuffer();
      expect(second!.buffer.readableBytes()).toBe(8);
      second!.buffer.recycleBuffer();
    } finally {
      zeroView.releaseAllResources();
      zeroCredit.release();
    }
  });

  it('numbers polled buffers consecutively', () => {
    for (let i = 0; i < 3; i++) subpartition.add(createFilledFinishedBufferConsumer(pool, 4));
    subpartition.flush();
    const seqs: number[] = [];
    let next;
    while ((next = view.getNextBuffer()) !== null) {
      seqs.push(next.sequenceNumber);
      next.buffer.recycleBuffer();
    }
    expect(seqs).toEqual([0, 1, 2]);
  });

  it('always notifies on finish, adds EndOfPartition, and rejects buffers afterwards', () => {
    const size = subpartition.finish();
    expect(size).toBe(4);
    expect(listener.numNotifications).toBe(1);
    const late = createFilledFinishedBufferConsumer(pool, 4);
    expect(subpartition.add(late)).toBe(ResultSubpartition.ADD_BUFFER_ERROR_CODE);
    expect(late.isRecycled()).toBe(true);
    expectNext(view, { size: 4, isBuffer: false, event: EndOfPartitionEvent, dataAvailable: false, backlog: 0, eventAvailable: false });
  });

  it('allows a single reader only', () => {
    expect(() => subpartition.createReadView(new RecordingListener())).toThrow(/can only be consumed once/);
  });

  it('recycles every queued buffer on release and refuses new ones', () => {
    subpartition.add(createFilledFinishedBufferConsumer(pool, 16));
    subpartition.add(createFilledUnfinishedBufferConsumer(pool, 16));
    const free = pool.getNumberOfAvailableMemorySegments();
    subpartition.release();
    expect(pool.getNumberOfAvailableMemorySegments()).toBe(free + 2);
    expect(subpartition.isReleased()).toBe(true);
    expect(view.isReleased()).toBe(true);
    expect(subpartition.add(createEventBufferConsumer(4))).toBe(ResultSubpartition.ADD_BUFFER_ERROR_CODE);
    expect(() => subpartition.createReadView(new RecordingListener())).toThrow(IllegalStateException);
  });

  it('returns the desired buffer size from add and validates new sizes', () => {
    expect(subpartition.add(createEventBufferConsumer(4))).toBe(2147483647);
    view.notifyNewBufferSize(512);
    expect(subpartition.add(createEventBufferConsumer(4))).toBe(512);
    expect(() => subpartition.bufferSize(-1)).toThrow(/less than zero/);
  });
});
