import { describe, expect, it } from '@jest/globals';
import { IllegalStateException } from '@sluice/channel';
import { EndOfSuperstepEvent } from '../../src/event';
import { LongSerializer, WriterNotAvailableException } from '../../src/io';
import { TaskIOMetrics } from '../../src/metrics';
import { PartitionReleasedException, type PipelinedSubpartition } from '../../src/partition';
import { installPoolChecks } from '../memory/PoolTestUtils';
import { createTestPartition, drainView, framed, RecordingListener } from './PartitionTestUtils';

installPoolChecks();

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('BufferWritingResultPartition', () => {
  it('continues a record in new buffers that carry partialRecordLength, and finishes full buffers', () => {
    const env = createTestPartition({ segmentSize: 64 });
    try {
      const { partition } = env;
      const record = framed(range(150)); // 154 bytes: 64 + 64 + 26
      expect(partition.emitRecord(record, 0)).toBe(true);
      const sub = partition.getAllPartitions()[0] as PipelinedSubpartition;
      expect([...sub.buffers].map((b) => b.partialRecordLength)).toEqual([0, 64, 26]);
      expect(partition.numBuffersOut.getCount()).toBe(2);
      expect(partition.numBytesOut.getCount()).toBe(128);
      partition.flushAll();
      const view = partition.createSubpartitionView(0, new RecordingListener());
      expect(drainView(view).bytes).toEqual([...record]);
      view.releaseAllResources();
    } finally {
      env.dispose();
    }
  });

  it('writes a broadcast record once into a buffer shared by all subpartitions', () => {
    const env = createTestPartition({ subpartitions: 3, segmentSize: 128 });
    try {
      const { partition } = env;
      expect(partition.broadcastRecord(framed([1, 2, 3]))).toBe(true);
      partition.flushAll();
      const segments = [];
      for (let i = 0; i < 3; i++) {
        const view = partition.createSubpartitionView(i, new RecordingListener());
        const next = view.getNextBuffer()!;
        expect([...next.buffer.getNioBufferReadable()]).toEqual([0, 0, 0, 3, 1, 2, 3]);
        segments.push(next.buffer.getMemorySegment());
        next.buffer.recycleBuffer();
        view.releaseAllResources();
      }
      expect(segments[1]).toBe(segments[0]);
      expect(segments[2]).toBe(segments[0]);
    } finally {
      env.dispose();
    }
  });

  it('finishes the builders of the other mode when switching between unicast and broadcast', () => {
    const env = createTestPartition({ subpartitions: 2, segmentSize: 128 });
    try {
      const { partition } = env;
      partition.emitRecord(framed([1]), 0);
      partition.broadcastRecord(framed([2]));
      partition.emitRecord(framed([3]), 1);
      partition.flushAll();
      const listener = new RecordingListener();
      const d0 = drainView(partition.createSubpartitionView(0, listener));
      const d1 = drainView(partition.createSubpartitionView(1, listener));
      expect(d0).toEqual({ bytes: [0, 0, 0, 1, 1, 0, 0, 0, 1, 2], events: [], buffers: 2 });
      expect(d1).toEqual({ bytes: [0, 0, 0, 1, 2, 0, 0, 0, 1, 3], events: [], buffers: 2 });
    } finally {
      env.dispose();
    }
  });

  it('finishes the unicast builders at every switch back to broadcast, not only the first', () => {
    const env = createTestPartition({ subpartitions: 2, segmentSize: 128 });
    try {
      const { partition } = env;
      partition.broadcastRecord(framed([1]));
      partition.emitRecord(framed([2]), 0);
      partition.broadcastRecord(framed([3])); // a second broadcast builder: must finish unicast builder 0
      partition.broadcastRecord(framed([4])); // same broadcast builder
      partition.emitRecord(framed([5]), 1);
      partition.emitRecord(framed([6]), 0);
      partition.broadcastRecord(framed([7]));
      partition.flushAll();
      const subs = partition.getAllPartitions() as PipelinedSubpartition[];
      expect(subs.map((sub) => sub.getNumberOfQueuedBuffers())).toEqual([5, 4]);
      const listener = new RecordingListener();
      const d0 = drainView(partition.createSubpartitionView(0, listener));
      const d1 = drainView(partition.createSubpartitionView(1, listener));
      expect(d0.bytes).toEqual([1, 2, 3, 4, 6, 7].flatMap((b) => [...framed([b])]));
      expect(d1.bytes).toEqual([1, 3, 4, 5, 7].flatMap((b) => [...framed([b])]));
    } finally {
      env.dispose();
    }
  });

  it('sends events after the data, finishes with EndOfPartition and refuses writes afterwards', () => {
    const env = createTestPartition({ subpartitions: 2, segmentSize: 128 });
    try {
      const { partition } = env;
      partition.emitRecord(framed([7]), 1);
      partition.broadcastEvent(EndOfSuperstepEvent.INSTANCE, false);
      partition.finish();
      expect(partition.isFinished()).toBe(true);
      expect(() => partition.emitRecord(framed([8]), 0)).toThrow(IllegalStateException);
      expect(() => partition.finish()).toThrow(/already finished/);
      const listener = new RecordingListener();
      expect(drainView(partition.createSubpartitionView(0, listener)).events).toEqual(['EndOfSuperstepEvent', 'EndOfPartitionEvent']);
      const d1 = drainView(partition.createSubpartitionView(1, listener));
      expect(d1.bytes).toEqual([0, 0, 0, 1, 7]);
      expect(d1.events).toEqual(['EndOfSuperstepEvent', 'EndOfPartitionEvent']);
    } finally {
      env.dispose();
    }
  });

  it('writes fixed-length records through the fast path and publishes them on flush', () => {
    const env = createTestPartition({ segmentSize: 96 });
    try {
      const { partition } = env;
      // No current buffer: the fast path declines, the general path starts a buffer.
      expect(partition.tryEmitFixedLengthRecord(1, LongSerializer.INSTANCE, 8, 0)).toBe(false);
      expect(partition.emitRecord(framed([0, 0, 0, 0, 0, 0, 0, 1]), 0)).toBe(true);
      expect(partition.tryEmitFixedLengthRecord(2, LongSerializer.INSTANCE, 8, 0)).toBe(true);
      expect(partition.tryEmitFixedLengthRecord(3, LongSerializer.INSTANCE, 8, 5)).toBe(false); // no such subpartition
      const view = partition.createSubpartitionView(0, new RecordingListener());
      // The general path committed record 1; record 2 waits for the flush.
      expect(drainView(view).bytes.length).toBe(12);
      partition.flush(0);
      expect(drainView(view).bytes).toEqual([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 2]);
      // Fill the buffer exactly: it is finished at once.
      for (let i = 0; i < 6; i++) expect(partition.tryEmitFixedLengthRecord(i, LongSerializer.INSTANCE, 8, 0)).toBe(true);
      expect(partition.numBuffersOut.getCount()).toBe(1);
      expect(partition.tryEmitFixedLengthRecord(9, LongSerializer.INSTANCE, 8, 0)).toBe(false);
      view.releaseAllResources();
    } finally {
      env.dispose();
    }
  });

  it('keeps the remainder when the pool runs dry and writes it once a buffer comes back', async () => {
    const env = createTestPartition({ segmentSize: 64, poolSize: 2 });
    try {
      const { partition } = env;
      const record = framed(range(200)); // needs 4 buffers of 64 bytes
      expect(partition.emitRecord(record, 0)).toBe(false);
      expect(partition.hasPendingRecord()).toBe(true);
      expect(partition.isAvailable()).toBe(false);
      expect(() => partition.emitRecord(framed([1]), 0)).toThrow(WriterNotAvailableException);
      expect(() => partition.broadcastEvent(EndOfSuperstepEvent.INSTANCE, false)).toThrow(WriterNotAvailableException);
      expect(() => partition.finish()).toThrow(WriterNotAvailableException);
      partition.flushAll(); // allowed
      const future = partition.getAvailableFuture();
      expect(future.isDone()).toBe(false);

      const view = partition.createSubpartitionView(0, new RecordingListener());
      const got = drainView(view);
      // Recycling made a buffer available; the remainder is written in a microtask.
      await Promise.resolve();
      drainView(view, got);
      await Promise.resolve();
      drainView(view, got);
      await future;
      expect(partition.hasPendingRecord()).toBe(false);
      expect(partition.isAvailable()).toBe(true);
      partition.flushAll();
      drainView(view, got);
      expect(got.bytes).toEqual([...record]);
      expect(partition.emitRecord(framed([9]), 0)).toBe(true);
      view.releaseAllResources();
    } finally {
      env.dispose();
    }
  });

  it('fails the availability future when the producer fails with a record pending', async () => {
    const env = createTestPartition({ segmentSize: 64, poolSize: 1 });
    const { partition } = env;
    expect(partition.emitRecord(framed(range(100)), 0)).toBe(false);
    const future = partition.getAvailableFuture();
    const cause = new Error('task failed');
    partition.fail(cause);
    await expect(Promise.resolve(future)).rejects.toMatchObject({ code: 'SLUICE_PARTITION_RELEASED', cause });
    expect(partition.isReleased()).toBe(true);
    partition.close();
  });

  it('fails the availability future when released with a record pending', async () => {
    const env = createTestPartition({ segmentSize: 64, poolSize: 1 });
    const { partition } = env;
    expect(partition.emitRecord(framed(range(100)), 0)).toBe(false);
    const future = partition.getAvailableFuture();
    env.dispose();
    await expect(Promise.resolve(future)).rejects.toBeInstanceOf(PartitionReleasedException);
  });

  it('returns every buffer to the pool on release', () => {
    const env = createTestPartition({ subpartitions: 4, segmentSize: 64 });
    const { partition, global } = env;
    for (let i = 0; i < 4; i++) partition.emitRecord(framed(range(100)), i);
    partition.broadcastEvent(EndOfSuperstepEvent.INSTANCE, false);
    expect(partition.getNumberOfQueuedBuffers()).toBe(4 * 3);
    expect(partition.getNumberOfQueuedBuffers(2)).toBe(3);
    partition.release();
    expect(partition.getNumberOfQueuedBuffers()).toBe(0);
    partition.close();
    expect(global.getNumberOfAvailableMemorySegments()).toBe(global.getTotalNumberOfMemorySegments());
  });

  it('counts broadcast buffers once per subpartition, into the task metrics once set', () => {
    const env = createTestPartition({ subpartitions: 3, segmentSize: 64 });
    try {
      const metrics = new TaskIOMetrics();
      env.partition.setMetricGroup(metrics);
      env.partition.broadcastRecord(framed(range(60))); // exactly one full buffer
      expect(metrics.numBuffersOut.getCount()).toBe(3);
      expect(metrics.numBytesOut.getCount()).toBe(3 * 64);
    } finally {
      env.dispose();
    }
  });
});
