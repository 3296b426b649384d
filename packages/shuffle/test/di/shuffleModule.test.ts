import { afterEach, describe, expect, it } from '@jest/globals';
import { DefaultEventLoop, getService as channelGetService } from '@sluice/channel';
import { Container } from 'inversify';
import { RecordReader } from '../../src/consumer/RecordReader';
import { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { ShuffleConfig } from '../../src/di/ShuffleConfig';
import { ShuffleConfigException } from '../../src/di/errors';
import { shuffleModule } from '../../src/di/shuffleModule';
import { ShuffleTokens, getService } from '../../src/di/tokens';
import { LongSerializer } from '../../src/io/typeutils/LongSerializer';
import { StringSerializer } from '../../src/io/typeutils/StringSerializer';
import { ChannelSelectorRecordWriter } from '../../src/io/writer/ChannelSelectorRecordWriter';
import { SegmentsInUseException } from '../../src/memory/errors';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import { NetworkBufferPool } from '../../src/memory/NetworkBufferPool';
import { InputChannelMetrics } from '../../src/metrics/InputChannelMetrics';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { ResultPartitionManager } from '../../src/partition/ResultPartitionManager';

/** A small shuffle: 32 buffers of 1 KiB. */
const SMALL = { 'taskmanager.memory.segment-size': '1kb', 'taskmanager.network.numberOfBuffers': 32 } as const;

const containers: Container[] = [];
const loops: DefaultEventLoop[] = [];

function newContainer(config: Parameters<typeof shuffleModule>[0] = SMALL, options?: Parameters<typeof shuffleModule>[1]): Container {
  const container = new Container();
  container.loadSync(shuffleModule(config, options));
  containers.push(container);
  return container;
}

afterEach(async () => {
  for (const c of containers.splice(0)) await c.unbindAll();
  for (const loop of loops.splice(0)) await loop.shutdownGracefully(0, 100);
});

describe('shuffleModule', () => {
  it("binds Symbol.for('@sluice/shuffle:<Name>') tokens, typed for getService of either package", () => {
    expect(ShuffleTokens.NetworkBufferPool).toBe(Symbol.for('@sluice/shuffle:NetworkBufferPool'));
    expect(ShuffleTokens.InputGateFactory).toBe(Symbol.for('@sluice/shuffle:InputGateFactory'));
    const container = newContainer();
    const pool: NetworkBufferPool = getService(container, ShuffleTokens.NetworkBufferPool);
    expect(channelGetService(container, ShuffleTokens.NetworkBufferPool)).toBe(pool);
    expect(container.get(Symbol.for('@sluice/shuffle:ShuffleConfig'))).toBe(getService(container, ShuffleTokens.ShuffleConfig));
  });

  it('binds the resolved config and a singleton global pool sized by it', () => {
    const container = newContainer({ segmentSize: 2048, numberOfBuffers: 24, exclusiveBuffersRequestTimeoutMs: 500 });
    const config = getService(container, ShuffleTokens.ShuffleConfig);
    expect(config).toBeInstanceOf(ShuffleConfig);
    expect([config.segmentSize, config.numberOfBuffers]).toEqual([2048, 24]);
    const pool = getService(container, ShuffleTokens.NetworkBufferPool);
    expect(pool).toBeInstanceOf(NetworkBufferPool);
    expect(getService(container, ShuffleTokens.NetworkBufferPool)).toBe(pool);
    expect([pool.getTotalNumberOfMemorySegments(), pool.getMemorySegmentSize()]).toEqual([24, 2048]);
    expect(getService(container, ShuffleTokens.ResultPartitionManager)).toBeInstanceOf(ResultPartitionManager);
    expect(getService(container, ShuffleTokens.ResultPartitionManager)).toBe(getService(container, ShuffleTokens.ResultPartitionManager));
  });

  it("creates partitions with Flink's pool sizes from the configured buffers per channel, floating buffers and quotas", () => {
    const container = newContainer({ ...SMALL, buffersPerChannel: 3, floatingBuffersPerGate: 2, maxBuffersPerChannel: 4, maxOverdraftBuffersPerGate: 1 });
    const factory = getService(container, ShuffleTokens.ResultPartitionFactory);
    expect(getService(container, ShuffleTokens.ResultPartitionFactory)).toBe(factory);
    const partition = factory.create({ numberOfSubpartitions: 2, owningTaskName: 'source' });
    partition.setup();
    const pool = partition.getBufferPool() as LocalBufferPool;
    // min = subpartitions + 1, max = subpartitions × buffers-per-channel + floating-buffers-per-gate.
    expect([pool.getNumberOfRequiredMemorySegments(), pool.getMaxNumberOfMemorySegments()]).toEqual([3, 8]);
    expect(pool.getMaxOverdraftBuffersPerGate()).toBe(1);
    expect(getService(container, ShuffleTokens.ResultPartitionManager).getPartition(partition.getPartitionId())).toBe(partition);
    partition.release();
    partition.close();
  });

  it('moves records from a writer through a gate of local channels to a reader, with the configured buffer timeout', async () => {
    const container = newContainer({ ...SMALL, 'execution.buffer-timeout': '2 ms', floatingBuffersPerGate: 2 });
    const partitions = getService(container, ShuffleTokens.ResultPartitionFactory);
    const newWriter = getService(container, ShuffleTokens.RecordWriterBuilderFactory);
    const newGate = getService(container, ShuffleTokens.InputGateFactory);

    const a = partitions.create({ numberOfSubpartitions: 2, owningTaskName: 'producer a' });
    const b = partitions.create({ numberOfSubpartitions: 2, owningTaskName: 'producer b' });
    a.setup();
    b.setup();
    const metrics = new InputChannelMetrics();
    // Consumer subtask 1 reads subpartition 1 of both producers.
    const gate = newGate(
      [
        { partitionId: a.getPartitionId(), subpartitionIndex: 1 },
        { partitionId: b.getPartitionId(), subpartitionIndex: 1 },
      ],
      { owningTaskName: 'consumer 1', gateIndex: 0, channelMetrics: metrics },
    );
    expect(gate).toBeInstanceOf(SingleInputGate);
    expect(gate.getNumberOfInputChannels()).toBe(2);
    await gate.setup();
    const pool = getService(container, ShuffleTokens.NetworkBufferPool);
    expect(gate.getBufferPool()!.getMaxNumberOfMemorySegments()).toBe(2);

    const writerA = newWriter<string>().setSerializer(StringSerializer.INSTANCE).build(a);
    const writerB = newWriter<string>().setSerializer(StringSerializer.INSTANCE).build(b);
    expect(writerA).toBeInstanceOf(ChannelSelectorRecordWriter);
    // Round robin: records 1 and 3 of each producer go to subpartition 1. No finish yet: the 2 ms flusher
    // must bring them.
    for (const [writer, name] of [[writerA, 'a'], [writerB, 'b']] as const) {
      for (let i = 0; i < 4; i++) expect(writer.emit(`${name}${i}`)).toBe(true);
    }
    const reader = new RecordReader(gate, StringSerializer.INSTANCE);
    const received: string[] = [];
    while (received.length < 4) {
      const record = reader.pollNext();
      if (record !== undefined) received.push(record);
      else await reader.getAvailableFuture();
    }
    expect(received.filter((r) => r.startsWith('a'))).toEqual(['a1', 'a3']);
    expect(received.filter((r) => r.startsWith('b'))).toEqual(['b1', 'b3']);
    expect(metrics.numBuffersInLocal.getCount()).toBeGreaterThanOrEqual(2);

    for (const p of [a, b]) p.finish();
    expect(reader.pollNext()).toBeUndefined();
    expect(reader.isFinished()).toBe(true);
    writerA.close();
    writerB.close();
    reader.close();
    // Subpartition 0 of each producer was never consumed: the manager releases them when the container goes.
    a.close();
    b.close();
    const loop = getService(container, ShuffleTokens.EventLoop);
    containers.splice(0);
    await container.unbindAll();
    expect(pool.isDestroyed()).toBe(true);
    expect(loop.isShuttingDown()).toBe(true);
  });

  it('rejects gate descriptors that are empty, malformed or listed twice', () => {
    const container = newContainer();
    const newGate = getService(container, ShuffleTokens.InputGateFactory);
    const id = ResultPartitionID.random();
    expect(() => newGate([])).toThrow(/channels: .*expected: a non-empty array/);
    expect(() => newGate([{ partitionId: id, subpartitionIndex: -1 }])).toThrow(/channels\[0\]\.subpartitionIndex: -1 \(expected: an integer >= 0\)/);
    expect(() => newGate([{ partitionId: 'p' as unknown as ResultPartitionID, subpartitionIndex: 0 }])).toThrow(/channels\[0\]: .*expected: \{ partitionId: ResultPartitionID/);
    expect(() =>
      newGate([
        { partitionId: id, subpartitionIndex: 0 },
        { partitionId: id, subpartitionIndex: 0 },
      ]),
    ).toThrow(/channels\[1\]: subpartition 0 of .* is listed twice/);
  });

  it('fails at module creation on a bad configuration', () => {
    expect(() => shuffleModule({ 'taskmanager.network.memory.buffers-per-channel': -3 })).toThrow(ShuffleConfigException);
    expect(() => shuffleModule({ 'taskmanager.network.memory.buffers-per-channel': -3 })).toThrow(
      /'taskmanager\.network\.memory\.buffers-per-channel' \(buffersPerChannel\) is -3; expected an integer >= 0/,
    );
  });

  it('uses a given event loop and leaves it running', async () => {
    const loop = new DefaultEventLoop(null, { daemon: true });
    loops.push(loop);
    const container = newContainer(SMALL, { eventLoop: loop });
    expect(getService(container, ShuffleTokens.EventLoop)).toBe(loop);
    const builder = getService(container, ShuffleTokens.RecordWriterBuilderFactory)<number>();
    const partition = getService(container, ShuffleTokens.ResultPartitionFactory).create({ numberOfSubpartitions: 1 });
    partition.setup();
    const writer = builder.setSerializer(LongSerializer.INSTANCE).build(partition);
    writer.close();
    partition.release();
    partition.close();
    containers.splice(0);
    await container.unbindAll();
    expect(loop.isShuttingDown()).toBe(false);
  });

  it('releases partitions nobody consumed when the container goes, then destroys the global pool', async () => {
    const container = newContainer();
    const partition = getService(container, ShuffleTokens.ResultPartitionFactory).create({ numberOfSubpartitions: 3 });
    partition.setup();
    const writer = getService(container, ShuffleTokens.RecordWriterBuilderFactory)<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(-1).build(partition);
    for (let i = 0; i < 500; i++) writer.emit(i); // queued in the subpartitions, never read
    partition.finish();
    writer.close();
    partition.close();
    const pool = getService(container, ShuffleTokens.NetworkBufferPool);
    expect(pool.getNumberOfAvailableMemorySegments()).toBeLessThan(pool.getTotalNumberOfMemorySegments());
    containers.splice(0);
    await container.unbindAll();
    expect(partition.isReleased()).toBe(true);
    expect(pool.isDestroyed()).toBe(true);
  });

  it('rejects unbindAll with SegmentsInUseException while a partition still holds buffers', async () => {
    const container = newContainer();
    const partition = getService(container, ShuffleTokens.ResultPartitionFactory).create({ numberOfSubpartitions: 1 });
    partition.setup();
    const writer = getService(container, ShuffleTokens.RecordWriterBuilderFactory)<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(-1).build(partition);
    writer.emit(1); // the partition's current buffer builder: only partition.close() returns it
    const pool = getService(container, ShuffleTokens.NetworkBufferPool);
    containers.splice(0);
    await expect(container.unbindAll()).rejects.toThrow(SegmentsInUseException);
    expect(pool.isDestroyed()).toBe(false);
    // What the application should have done first; then the pool can go.
    writer.close();
    partition.close();
    pool.destroy();
    expect(pool.isDestroyed()).toBe(true);
  });

  it('unbinds cleanly when only the config was resolved', async () => {
    const container = newContainer();
    expect(getService(container, ShuffleTokens.ShuffleConfig).numberOfBuffers).toBe(32);
    containers.splice(0);
    await expect(container.unbindAll()).resolves.toBeUndefined();
  });

  it("retries a gate's partition requests with the configured back-off on the module's event loop", async () => {
    const container = newContainer({ ...SMALL, initialBackoffMs: 2, maxBackoffMs: 200, bufferTimeoutMs: 0 });
    const partition = getService(container, ShuffleTokens.ResultPartitionFactory).create({ numberOfSubpartitions: 1 });
    const gate = getService(container, ShuffleTokens.InputGateFactory)([{ partitionId: partition.getPartitionId(), subpartitionIndex: 0 }]);
    await gate.setup();
    const reader = new RecordReader(gate, LongSerializer.INSTANCE);
    expect(reader.pollNext()).toBeUndefined(); // not registered yet: the channel retries after 2, 4, 8 … ms
    await new Promise((resolve) => setTimeout(resolve, 10));
    partition.setup();
    const writer = getService(container, ShuffleTokens.RecordWriterBuilderFactory)<number>().setSerializer(LongSerializer.INSTANCE).build(partition);
    writer.emit(7);
    writer.emit(8);
    partition.finish();
    writer.close();
    const received: number[] = [];
    for await (const value of reader) received.push(value);
    expect(received).toEqual([7, 8]);
    reader.close();
    partition.close();
  });
});
