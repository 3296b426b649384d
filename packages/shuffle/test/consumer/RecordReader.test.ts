import { describe, expect, it } from '@jest/globals';
import { EventInsideRecordException } from '../../src/consumer/errors';
import { LocalInputChannel } from '../../src/consumer/LocalInputChannel';
import { RecordReader } from '../../src/consumer/RecordReader';
import { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { UnionInputGate } from '../../src/consumer/UnionInputGate';
import { CheckpointBarrier } from '../../src/event/CheckpointBarrier';
import { CheckpointOptions } from '../../src/event/CheckpointOptions';
import { EndOfData } from '../../src/event/EndOfData';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';
import { StopMode } from '../../src/event/StopMode';
import { LongSerializer } from '../../src/io/typeutils/LongSerializer';
import { StringSerializer } from '../../src/io/typeutils/StringSerializer';
import { RecordWriterBuilder } from '../../src/io/writer/RecordWriterBuilder';
import type { RecordWriter } from '../../src/io/writer/RecordWriter';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import type { NetworkBufferPool } from '../../src/memory/NetworkBufferPool';
import { SimpleCounter } from '../../src/metrics/Counter';
import type { PipelinedResultPartition } from '../../src/partition/PipelinedResultPartition';
import { ResultPartitionFactory } from '../../src/partition/ResultPartitionFactory';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { ResultPartitionManager } from '../../src/partition/ResultPartitionManager';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { eventBuffer, flush, newGate, TestPartitionProvider, type TestSubpartitionView } from './ConsumerTestUtils';

installPoolChecks();

/** Frames `values` as length-prefixed longs into buffers of `pool`, `perBuffer` bytes each (records may span). */
function framedLongs(pool: LocalBufferPool, values: number[], perBuffer: number) {
  const bytes = Buffer.alloc(values.length * 12);
  values.forEach((v, i) => {
    bytes.writeInt32BE(8, i * 12);
    bytes.writeBigInt64BE(BigInt(v), i * 12 + 4);
  });
  const buffers = [];
  for (let at = 0; at < bytes.length; at += perBuffer) {
    const buffer = pool.requestBuffer()!;
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + perBuffer));
    for (const b of chunk) buffer.asByteBuf().writeByte(b);
    buffers.push(buffer);
  }
  return buffers;
}

/** A gate of `n` local channels over fake views. */
function fakeGate(n: number, gateIndex = 0) {
  const provider = new TestPartitionProvider();
  const gate = newGate({ numberOfInputChannels: n, gateIndex });
  const views: TestSubpartitionView[] = [];
  for (let i = 0; i < n; i++) {
    const id = ResultPartitionID.random();
    views.push(provider.register(id));
    gate.setInputChannels(new LocalInputChannel(gate, i, id, 0, provider));
  }
  return { gate, views };
}

describe('RecordReader over fake views', () => {
  it('reassembles records spanning buffers per channel and keeps each channel in order', async () => {
    const pool = newGlobalPool(64, 64).createBufferPool(32, 64);
    const { gate, views } = fakeGate(2);
    const reader = new RecordReader(gate, LongSerializer.INSTANCE);
    // 5-byte buffers: every record spans 2-3 buffers; the channels' buffers interleave at the gate.
    for (const b of framedLongs(pool, [1, 2, 3], 5)) views[0]!.add(b);
    for (const b of framedLongs(pool, [101, 102], 5)) views[1]!.add(b);
    views[0]!.add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    views[1]!.add(eventBuffer(EndOfPartitionEvent.INSTANCE));

    const records: number[] = [];
    for await (const value of reader) records.push(value);
    expect(records.filter((v) => v < 100)).toEqual([1, 2, 3]);
    expect(records.filter((v) => v > 100)).toEqual([101, 102]);
    expect(reader.isFinished()).toBe(true);
    expect(reader.pollNext()).toBeUndefined();
    await expect(reader.next()).resolves.toBeUndefined();
    gate.close();
    pool.lazyDestroy();
  });

  it('has a synchronous pollNext path and waits on the gate availability', async () => {
    const pool = newGlobalPool(16, 64).createBufferPool(8, 16);
    const { gate, views } = fakeGate(1);
    const numRecordsIn = new SimpleCounter();
    const reader = new RecordReader(gate, LongSerializer.INSTANCE, { numRecordsIn });
    expect(reader.pollNext()).toBeUndefined(); // requests the partitions, nothing yet
    const available = reader.getAvailableFuture();
    expect(available.isDone()).toBe(false);

    for (const b of framedLongs(pool, [7, 8], 64)) views[0]!.add(b);
    expect(available.isDone()).toBe(true);
    expect([reader.pollNext(), reader.pollNext(), reader.pollNext()]).toEqual([7, 8, undefined]);
    expect(numRecordsIn.getCount()).toBe(2);

    const pending = reader.next();
    for (const b of framedLongs(pool, [9], 64)) views[0]!.add(b);
    await expect(pending).resolves.toBe(9);
    views[0]!.add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    expect(reader.pollNext()).toBeUndefined();
    expect(reader.isFinished()).toBe(true);
    gate.close();
    pool.lazyDestroy();
  });

  it('resumes channels blocked by aligned barriers and acknowledges EndOfData by default', async () => {
    const pool = newGlobalPool(16, 64).createBufferPool(8, 16);
    const { gate, views } = fakeGate(1);
    const reader = new RecordReader(gate, LongSerializer.INSTANCE);
    for (const b of framedLongs(pool, [1], 64)) views[0]!.add(b);
    views[0]!.add(eventBuffer(new CheckpointBarrier(1, 1, CheckpointOptions.forCheckpointWithDefaultLocation())));
    for (const b of framedLongs(pool, [2], 64)) views[0]!.add(b);
    views[0]!.add(eventBuffer(new EndOfData(StopMode.DRAIN))).add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    const records: number[] = [];
    for await (const value of reader) records.push(value);
    expect(records).toEqual([1, 2]);
    expect(views[0]!.resumed).toBe(1);
    expect(views[0]!.acknowledged).toBe(1);
    gate.close();
    pool.lazyDestroy();
  });

  it('passes events to a custom handler', () => {
    const { gate, views } = fakeGate(1);
    const seen: string[] = [];
    const reader = new RecordReader(gate, LongSerializer.INSTANCE, { onEvent: (event, info) => seen.push(`${info.key()} ${String(event)}`) });
    reader.pollNext();
    views[0]!.add(eventBuffer(new EndOfData(StopMode.NO_DRAIN)));
    expect(reader.pollNext()).toBeUndefined();
    expect(seen).toEqual(['0:0 EndOfData{mode=NO_DRAIN}']);
    gate.close();
  });

  it('fails when an event arrives in the middle of a record', () => {
    const pool = newGlobalPool(16, 64).createBufferPool(8, 16);
    const { gate, views } = fakeGate(1);
    const reader = new RecordReader(gate, LongSerializer.INSTANCE);
    const [firstHalf, secondHalf] = framedLongs(pool, [5], 6);
    secondHalf!.recycleBuffer(); // never sent
    views[0]!.add(firstHalf!);
    views[0]!.add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    expect(() => reader.pollNext()).toThrow(EventInsideRecordException);
    reader.close();
    pool.lazyDestroy();
  });

  it('clearBuffers recycles what the deserializers hold after leaving for-await early', async () => {
    const pool = newGlobalPool(16, 64).createBufferPool(8, 16);
    const { gate, views } = fakeGate(1);
    const reader = new RecordReader(gate, LongSerializer.INSTANCE);
    for (const b of framedLongs(pool, [1, 2, 3, 4], 64)) views[0]!.add(b);
    for await (const value of reader) if (value === 2) break;
    expect(reader.pollNext()).toBe(3); // still usable
    expect(pool.bestEffortGetNumOfUsedBuffers()).toBe(1);
    reader.close();
    expect(pool.bestEffortGetNumOfUsedBuffers()).toBe(0);
    pool.lazyDestroy();
  });

  it('reads a union gate, one deserializer per channel of every gate', async () => {
    const pool = newGlobalPool(32, 64).createBufferPool(16, 32);
    const a = fakeGate(1, 0);
    const b = fakeGate(1, 1);
    const reader = new RecordReader(new UnionInputGate(a.gate, b.gate), LongSerializer.INSTANCE);
    for (const buf of framedLongs(pool, [1, 2], 7)) a.views[0]!.add(buf);
    for (const buf of framedLongs(pool, [11, 12], 7)) b.views[0]!.add(buf);
    a.views[0]!.add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    b.views[0]!.add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    const records: number[] = [];
    for await (const value of reader) records.push(value);
    expect(records.sort((x, y) => x - y)).toEqual([1, 2, 11, 12]);
    reader.close();
    pool.lazyDestroy();
  });
});

describe('LocalInputChannel and RecordReader end to end with PipelinedSubpartitions', () => {
  interface Producer {
    partition: PipelinedResultPartition;
    writer: RecordWriter<number>;
  }

  function producers(global: NetworkBufferPool, manager: ResultPartitionManager, count: number): Producer[] {
    const factory = new ResultPartitionFactory(manager, { networkBufferPool: global });
    const result: Producer[] = [];
    for (let i = 0; i < count; i++) {
      const partition = factory.create({ numberOfSubpartitions: 1, owningTaskName: `producer ${i}` });
      partition.setup();
      const writer = new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(-1).build(partition);
      result.push({ partition, writer });
    }
    return result;
  }

  async function produce({ partition, writer }: Producer, values: number[]): Promise<void> {
    for (const value of values) {
      if (!writer.emit(value)) await writer.getAvailableFuture();
    }
    partition.finish();
    partition.flushAll();
    writer.close();
  }

  it('streams records from two producers through local channels, fairly and in order per channel, with back-pressure', async () => {
    // 128-byte segments: ~10 records per buffer; the producers' pools are small, so they wait on the reader.
    const global = newGlobalPool(64, 128);
    const manager = new ResultPartitionManager();
    const [p0, p1] = producers(global, manager, 2);
    const gate = new SingleInputGate({
      numberOfInputChannels: 2,
      bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(global, 2),
    });
    gate.setInputChannels(
      new LocalInputChannel(gate, 0, p0!.partition.getPartitionId(), 0, manager),
      new LocalInputChannel(gate, 1, p1!.partition.getPartitionId(), 0, manager),
    );
    await gate.setup();
    const reader = new RecordReader(gate, LongSerializer.INSTANCE);

    const n = 2000;
    const values0 = Array.from({ length: n }, (_, i) => i);
    const values1 = Array.from({ length: n }, (_, i) => 1_000_000 + i);
    const producing = Promise.all([produce(p0!, values0), produce(p1!, values1)]);
    const records: number[] = [];
    const channelOfRecord: number[] = [];
    for await (const value of reader) {
      records.push(value);
      channelOfRecord.push(value >= 1_000_000 ? 1 : 0);
    }
    await producing;

    expect(records.filter((v) => v < 1_000_000)).toEqual(values0);
    expect(records.filter((v) => v >= 1_000_000)).toEqual(values1);
    // Fairness: the channels alternate (by buffer) instead of one draining first.
    const switches = channelOfRecord.filter((c, i) => i > 0 && c !== channelOfRecord[i - 1]).length;
    expect(switches).toBeGreaterThan(20);
    expect(gate.isFinished()).toBe(true);

    reader.close();
    for (const { partition } of [p0!, p1!]) partition.close();
    expect(manager.size()).toBe(0);
  });

  it('retries a local partition request until the producer registers its partition', async () => {
    const global = newGlobalPool(16, 128);
    const manager = new ResultPartitionManager();
    const factory = new ResultPartitionFactory(manager, { networkBufferPool: global });
    const partition = factory.create({ numberOfSubpartitions: 1 });
    const gate = new SingleInputGate({ numberOfInputChannels: 1, bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(global, 1) });
    gate.setInputChannels(new LocalInputChannel(gate, 0, partition.getPartitionId(), 0, manager, { initialBackoffMs: 5, maxBackoffMs: 80 }));
    await gate.setup();
    const reader = new RecordReader(gate, StringSerializer.INSTANCE);
    expect(reader.pollNext()).toBeUndefined(); // PartitionNotFound: retry scheduled
    await new Promise((resolve) => setTimeout(resolve, 12));

    partition.setup();
    const writer = new RecordWriterBuilder<string>().setSerializer(StringSerializer.INSTANCE).setTimeout(0).build(partition);
    writer.emit('hello');
    writer.emit('world');
    partition.finish();
    writer.close();
    const records: string[] = [];
    for await (const value of reader) records.push(value);
    expect(records).toEqual(['hello', 'world']);
    reader.close();
    partition.close();
    await flush();
  });
});
