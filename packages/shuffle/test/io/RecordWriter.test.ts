import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DefaultEventLoop, IllegalArgumentException } from '@sluice/channel';
import { EndOfSuperstepEvent } from '../../src/event';
import {
  BroadcastPartitioner,
  BroadcastRecordWriter,
  ChannelSelectorRecordWriter,
  ForwardChannelSelector,
  KeyGroupStreamPartitioner,
  LongSerializer,
  OutputFlusherException,
  RecordWriterBuilder,
  RoundRobinChannelSelector,
  StringSerializer,
  WriterNotAvailableException,
  type RecordWriter,
} from '../../src/io';
import { TaskIOMetrics } from '../../src/metrics';
import { PipelinedResultPartition, PipelinedSubpartition, ResultPartitionID, ResultPartitionType, type ResultSubpartition } from '../../src/partition';
import { flush, installPoolChecks } from '../memory/PoolTestUtils';
import { createTestPartition, RecordingListener, type TestPartition, type TestPartitionOptions } from '../partition/PartitionTestUtils';
import { SubpartitionReader } from './RecordTestUtils';

interface Harness<T> {
  env: TestPartition;
  writer: RecordWriter<T>;
  readers: SubpartitionReader<T>[];
  listeners: RecordingListener[];
}

const cleanups: (() => void)[] = [];
// Pool checks (top level) run after the describe block's cleanup hook.
installPoolChecks();

function harness<T>(build: (b: RecordWriterBuilder<T>) => RecordWriterBuilder<T>, serializer: import('../../src/io').TypeSerializer<T>, options: TestPartitionOptions = {}): Harness<T> {
  const env = createTestPartition({ segmentSize: 128, ...options });
  const writer = build(new RecordWriterBuilder<T>().setSerializer(serializer)).build(env.partition);
  const listeners: RecordingListener[] = [];
  const readers: SubpartitionReader<T>[] = [];
  for (let i = 0; i < env.partition.getNumberOfSubpartitions(); i++) {
    const listener = new RecordingListener();
    listeners.push(listener);
    readers.push(new SubpartitionReader(env.partition.createSubpartitionView(i, listener), serializer, `subpartition ${i}`));
  }
  cleanups.push(() => {
    writer.close();
    for (const reader of readers) reader.close();
    env.dispose();
  });
  return { env, writer, readers, listeners };
}

describe('RecordWriter', () => {
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  it('sends records round robin in order', () => {
    const h = harness<number>((b) => b.setChannelSelector(new RoundRobinChannelSelector()).setTimeout(0), LongSerializer.INSTANCE, { subpartitions: 3 });
    expect(h.writer).toBeInstanceOf(ChannelSelectorRecordWriter);
    expect(h.writer.usesFixedLengthFastPath()).toBe(true);
    for (let i = 0; i < 30; i++) expect(h.writer.emit(i)).toBe(true);
    h.readers.forEach((r) => r.drain());
    expect(h.readers.map((r) => r.records)).toEqual([0, 1, 2].map((c) => Array.from({ length: 10 }, (_, i) => c + 3 * i)));
  });

  it('forwards everything to the single subpartition', () => {
    const h = harness<string>((b) => b.setChannelSelector(new ForwardChannelSelector()).setTimeout(0), StringSerializer.INSTANCE);
    const words = ['a', '', 'ü'.repeat(100), 'the end'];
    for (const w of words) h.writer.emit(w);
    h.readers[0]!.drain();
    expect(h.readers[0]!.records).toEqual(words);
  });

  it('partitions by key hash: equal keys meet in the subpartition the selector picks', () => {
    const selector = new KeyGroupStreamPartitioner<string, string>((s) => s.split(':')[0]!);
    const h = harness<string>((b) => b.setChannelSelector(selector).setTimeout(0), StringSerializer.INSTANCE, { subpartitions: 4 });
    const records = Array.from({ length: 200 }, (_, i) => `key${i % 17}:${i}`);
    for (const r of records) {
      expect(h.writer.emit(r)).toBe(true);
      h.readers.forEach((reader) => reader.drain());
    }
    const check = new KeyGroupStreamPartitioner<string, string>((s) => s.split(':')[0]!);
    check.setup(4);
    h.readers.forEach((reader, channel) => {
      for (const r of reader.records) expect(check.selectChannel(r)).toBe(channel);
      expect(reader.records).toEqual(records.filter((r) => check.selectChannel(r) === channel));
    });
  });

  it('broadcasts through one shared buffer: every subpartition reads the same memory segment', () => {
    const h = harness<number>((b) => b.setChannelSelector(new BroadcastPartitioner()).setTimeout(-1), LongSerializer.INSTANCE, { subpartitions: 3 });
    expect(h.writer).toBeInstanceOf(BroadcastRecordWriter);
    for (let i = 0; i < 5; i++) h.writer.emit(i);
    h.writer.flushAll();
    h.readers.forEach((r) => r.drain());
    expect(h.readers.map((r) => r.records)).toEqual([0, 1, 2].map(() => [0, 1, 2, 3, 4]));
    expect(h.readers[1]!.segments[0]).toBe(h.readers[0]!.segments[0]);
    expect(h.readers[2]!.segments[0]).toBe(h.readers[0]!.segments[0]);
    expect(h.env.partition.numBuffersOut.getCount()).toBe(0); // not finished yet
  });

  it('copies a broadcastEmit of a channel-selector writer into each subpartition’s own buffer', () => {
    const h = harness<string>((b) => b.setTimeout(0), StringSerializer.INSTANCE, { subpartitions: 3 });
    h.writer.emit('unicast');
    expect(h.writer.broadcastEmit('to all')).toBe(true);
    h.readers.forEach((r) => r.drain());
    expect(h.readers.map((r) => r.records)).toEqual([['unicast', 'to all'], ['to all'], ['to all']]);
    expect(new Set(h.readers.map((r) => r.segments[r.segments.length - 1])).size).toBe(3);
  });

  it('mixes unicast random emits into a broadcast writer in order', () => {
    const h = harness<number>((b) => b.setChannelSelector(new BroadcastPartitioner()).setTimeout(0), LongSerializer.INSTANCE, { subpartitions: 2 });
    h.writer.emit(1);
    h.writer.randomEmit(2);
    h.writer.emit(3);
    h.readers.forEach((r) => r.drain());
    const all = h.readers.map((r) => r.records);
    expect(all.flat().filter((x) => x === 2)).toHaveLength(1);
    for (const records of all) expect(records.filter((x) => x !== 2)).toEqual([1, 3]);
  });

  describe('buffer timeout', () => {
    it('0 flushes after every record', () => {
      const h = harness<number>((b) => b.setTimeout(0), LongSerializer.INSTANCE, { subpartitions: 2 });
      h.writer.emit(1);
      expect(h.listeners[0]!.numNotifications).toBe(1);
      expect(h.readers[0]!.view.getAvailabilityAndBacklog(true).isAvailable).toBe(true);
      h.readers[0]!.drain();
      expect(h.readers[0]!.records).toEqual([1]);
      h.writer.emit(2); // to subpartition 1
      expect(h.listeners[1]!.numNotifications).toBe(1);
    });

    it('-1 sends only full buffers, events and finish', () => {
      const h = harness<number>((b) => b.setTimeout(-1), LongSerializer.INSTANCE, { segmentSize: 120 });
      for (let i = 0; i < 9; i++) h.writer.emit(i); // 108 of 120 bytes
      expect(h.listeners[0]!.numNotifications).toBe(0);
      expect(h.readers[0]!.view.getAvailabilityAndBacklog(true).isAvailable).toBe(false);
      h.writer.emit(9); // full: finished, but (as in Flink) announced once the next buffer is queued
      expect(h.env.partition.numBuffersOut.getCount()).toBe(1);
      expect(h.listeners[0]!.numNotifications).toBe(0);
      h.writer.emit(10);
      expect(h.listeners[0]!.numNotifications).toBe(1);
      expect(h.readers[0]!.view.getAvailabilityAndBacklog(true).isAvailable).toBe(true);
      h.readers[0]!.drain();
      // The reader may take the committed part of the unfinished tail too (record 10 started a buffer).
      expect(h.readers[0]!.records).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      h.writer.emit(11);
      h.writer.broadcastEvent(EndOfSuperstepEvent.INSTANCE);
      expect(h.readers[0]!.view.getAvailabilityAndBacklog(true).isAvailable).toBe(true);
      h.readers[0]!.drain();
      expect(h.readers[0]!.records.slice(11)).toEqual([11]);
      expect(h.readers[0]!.events).toEqual(['EndOfSuperstepEvent']);
    });

    describe('N ms with the event loop', () => {
      let loop: DefaultEventLoop;
      beforeEach(() => {
        loop = new DefaultEventLoop();
      });
      afterEach(async () => {
        await loop.shutdownGracefully(0, 100);
      });

      it('flushes every N ms on the scheduler and stops when closed', async () => {
        const h = harness<number>((b) => b.setTimeout(5).setEventLoop(loop), LongSerializer.INSTANCE, { subpartitions: 2 });
        expect(loop.scheduledTasks()).toBe(1);
        h.writer.emit(1);
        h.writer.emit(2);
        expect(h.listeners[0]!.numNotifications).toBe(0);
        const flushed = new Promise<void>((resolve) => {
          h.listeners[1]!.onData = () => resolve();
        });
        const started = performance.now();
        await flushed;
        expect(performance.now() - started).toBeLessThan(1000);
        expect(h.listeners[0]!.numNotifications).toBe(1);
        h.readers.forEach((r) => r.drain());
        expect(h.readers.map((r) => r.records)).toEqual([[1], [2]]);
        h.writer.close();
        expect(loop.scheduledTasks()).toBe(0);
      });

      it('needs an event loop for N > 0 and rejects timeouts below -1', () => {
        const env = createTestPartition();
        cleanups.push(() => env.dispose());
        expect(() => new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(10).build(env.partition)).toThrow(IllegalArgumentException);
        expect(() => new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(-2).build(env.partition)).toThrow(IllegalArgumentException);
      });

      it('surfaces an exception of the periodic flush on the next emit', async () => {
        const env = createTestPartition();
        cleanups.push(() => env.dispose());
        class FailingFlushPartition extends PipelinedResultPartition {
          override flushAll(): void {
            throw new Error('disk on fire');
          }
        }
        const subpartitions = new Array<ResultSubpartition>(1);
        const failing = new FailingFlushPartition('failing', 0, ResultPartitionID.random(), ResultPartitionType.PIPELINED, subpartitions, 1, env.manager, () =>
          env.global.createBufferPool(2, 2),
        );
        subpartitions[0] = new PipelinedSubpartition(0, 2, 128, failing);
        failing.setup();
        cleanups.push(() => {
          failing.release();
          failing.close();
        });
        const writer = new ChannelSelectorRecordWriter(failing, LongSerializer.INSTANCE, new RoundRobinChannelSelector(), { timeout: 2, eventLoop: loop });
        cleanups.push(() => writer.close());
        await new Promise((resolve) => setTimeout(resolve, 30));
        expect(writer.getFlusherException()?.message).toBe('disk on fire');
        expect(() => writer.emit(1)).toThrow(OutputFlusherException);
      });
    });
  });

  describe('back-pressure without blocking', () => {
    it('returns false when the pool is dry, resolves availability after recycling, and loses nothing', async () => {
      const h = harness<string>((b) => b.setTimeout(-1), StringSerializer.INSTANCE, { subpartitions: 2, segmentSize: 64, poolSize: 3 });
      const records = Array.from({ length: 300 }, (_, i) => `record-${i}-${'x'.repeat(i % 90)}`);
      let falses = 0;
      // The consumer drains whenever the loop is idle.
      let stop = false;
      const consumer = (async () => {
        while (!stop) {
          await flush();
          h.readers.forEach((r) => r.drain());
        }
      })();
      for (const record of records) {
        if (!h.writer.isAvailable()) await h.writer.getAvailableFuture();
        if (!h.writer.emit(record)) {
          falses++;
          expect(h.writer.isAvailable()).toBe(false);
          expect(() => h.writer.emit('too early')).toThrow(WriterNotAvailableException);
          await h.writer.getAvailableFuture();
          expect(h.writer.isAvailable()).toBe(true);
        }
      }
      h.env.partition.finish();
      h.writer.flushAll();
      while (h.readers.some((r) => r.events.length === 0)) await flush();
      stop = true;
      await consumer;
      expect(falses).toBeGreaterThan(0);
      const check = new RoundRobinChannelSelector<string>();
      check.setup(2);
      const expected: string[][] = [[], []];
      for (const r of records) expected[check.selectChannel(r)]!.push(r);
      expect(h.readers.map((r) => r.records)).toEqual(expected);
      expect(h.readers.map((r) => r.events)).toEqual([['EndOfPartitionEvent'], ['EndOfPartitionEvent']]);
    });

    it('finishes a broadcastEmit that ran out of buffers midway, channel by channel', async () => {
      const h = harness<string>((b) => b.setTimeout(0), StringSerializer.INSTANCE, { subpartitions: 3, segmentSize: 64, poolSize: 4, maxBuffersPerChannel: 3 });
      const big = 'y'.repeat(100); // two buffers per copy
      expect(h.writer.broadcastEmit(big)).toBe(false);
      expect(h.writer.isAvailable()).toBe(false);
      expect(() => h.writer.emit('no')).toThrow(WriterNotAvailableException);
      const available = h.writer.getAvailableFuture();
      while (!available.isDone()) {
        h.readers.forEach((r) => r.drain());
        await flush();
      }
      expect(available.isSuccess()).toBe(true);
      h.readers.forEach((r) => r.drain());
      expect(h.writer.emit('after')).toBe(true);
      h.readers.forEach((r) => r.drain());
      expect(h.readers.map((r) => r.records)).toEqual([[big, 'after'], [big], [big]]);
    });
  });

  describe('task metrics (setMetricGroup)', () => {
    function manualClock(): { now: () => number; advance: (ms: number) => void } {
      let t = 1000;
      return { now: () => t, advance: (ms) => (t += ms) };
    }

    it('counts records once per emit (a broadcast once), bytes and buffers through the partition', () => {
      const h = harness<number>((b) => b.setTimeout(-1), LongSerializer.INSTANCE, { subpartitions: 2, segmentSize: 24 });
      const io = new TaskIOMetrics();
      h.writer.setMetricGroup(io);
      // 12-byte records, 24-byte buffers: 0,2 fill subpartition 0's buffer and 1,3 subpartition 1's.
      for (let i = 0; i < 4; i++) expect(h.writer.emit(i)).toBe(true);
      expect(h.writer.broadcastEmit(99)).toBe(true); // a copy into a new buffer of each subpartition
      expect(h.writer.emitTo(7, 1)).toBe(true); // fills subpartition 1's second buffer
      expect(io.numRecordsOut.getCount()).toBe(6);
      expect(h.writer.getNumRecordsOutCounter().getCount()).toBe(6);
      expect(io.numBuffersOut.getCount()).toBe(3);
      expect(io.numBytesOut.getCount()).toBe(72);
    });

    it('times hard back-pressure until a suspended record is written, then soft until the pool is available', async () => {
      const clock = manualClock();
      const io = new TaskIOMetrics(undefined, clock.now);
      const h = harness<string>((b) => b.setTimeout(-1), StringSerializer.INSTANCE, { subpartitions: 1, segmentSize: 64, poolSize: 1 });
      h.writer.setMetricGroup(io);
      expect(h.writer.emit('z'.repeat(100))).toBe(false); // needs two buffers, the pool has one
      expect(io.hardBackPressuredTimeMsPerSecond.isMeasuring()).toBe(true);
      const available = h.writer.getAvailableFuture();
      expect(io.softBackPressuredTimeMsPerSecond.isMeasuring()).toBe(false); // hard, not soft
      clock.advance(250);
      h.readers[0]!.drain(); // recycles the full first buffer: the rest of the record goes into it again
      while (io.hardBackPressuredTimeMsPerSecond.isMeasuring()) await flush();
      expect(io.hardBackPressuredTimeMsPerSecond.getCount()).toBe(250);
      // The record's tail sits in the only buffer, still open for writing: written, yet unavailable —
      // from here on the wait is soft back-pressure.
      expect(available.isDone()).toBe(false);
      expect(io.softBackPressuredTimeMsPerSecond.isMeasuring()).toBe(true);
      clock.advance(100);
      h.writer.flushAll();
      h.readers[0]!.drain();
      expect(h.readers[0]!.records).toEqual(['z'.repeat(100)]);
      h.env.partition.finish(); // finishes the open buffer: once read, it goes back to the pool
      h.readers[0]!.drain();
      while (!available.isDone()) await flush();
      expect(io.softBackPressuredTimeMsPerSecond.isMeasuring()).toBe(false);
      expect(io.softBackPressuredTimeMsPerSecond.getCount()).toBe(100);
      expect(io.hardBackPressuredTimeMsPerSecond.getCount()).toBe(250);
    });

    it('times soft back-pressure while the task waits for an unavailable output with every record written', async () => {
      const clock = manualClock();
      const io = new TaskIOMetrics(undefined, clock.now);
      const h = harness<number>((b) => b.setTimeout(-1), LongSerializer.INSTANCE, { subpartitions: 1, segmentSize: 24, poolSize: 1 });
      h.writer.setMetricGroup(io);
      expect(h.writer.emit(1)).toBe(true);
      expect(h.writer.emit(2)).toBe(true); // fills the only buffer exactly: written, but no buffer left
      expect(h.writer.isAvailable()).toBe(false);
      const available = h.writer.getAvailableFuture();
      expect(io.softBackPressuredTimeMsPerSecond.isMeasuring()).toBe(true);
      expect(io.hardBackPressuredTimeMsPerSecond.isMeasuring()).toBe(false);
      clock.advance(400);
      h.readers[0]!.drain();
      while (!available.isDone()) await flush();
      expect(io.softBackPressuredTimeMsPerSecond.isMeasuring()).toBe(false);
      expect(io.softBackPressuredTimeMsPerSecond.getCount()).toBe(400);
      clock.advance(600);
      io.softBackPressuredTimeMsPerSecond.update();
      io.hardBackPressuredTimeMsPerSecond.update();
      expect(io.backPressuredTimeMsPerSecond.getValue()).toBe(400); // 400 ms of the last 1000
      expect(h.readers[0]!.records).toEqual([1, 2]);
    });
  });

  it('builds the writer matching the selector and needs a serializer', () => {
    const env = createTestPartition({ subpartitions: 2 });
    cleanups.push(() => env.dispose());
    expect(() => new RecordWriterBuilder<number>().build(env.partition)).toThrow(/setSerializer/);
    const w = new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(-1).build(env.partition);
    expect(w).toBeInstanceOf(ChannelSelectorRecordWriter);
    expect((w as ChannelSelectorRecordWriter<number>).getChannelSelector()).toBeInstanceOf(RoundRobinChannelSelector);
    expect(w.getNumberOfSubpartitions()).toBe(2);
  });
});
