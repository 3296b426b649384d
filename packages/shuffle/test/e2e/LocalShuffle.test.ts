// The task API end to end, as a user writes it: a producer task that respects back-pressure and a consumer
// task that iterates with `for await`, on one thread; plus regression tests found by the property test.
import { describe, expect, it } from '@jest/globals';
import { LocalInputChannel } from '../../src/consumer/LocalInputChannel';
import { RecordReader } from '../../src/consumer/RecordReader';
import { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { BytesSerializer } from '../../src/io/typeutils/BytesSerializer';
import { DoubleSerializer } from '../../src/io/typeutils/DoubleSerializer';
import { LongSerializer } from '../../src/io/typeutils/LongSerializer';
import { ObjectSerializer } from '../../src/io/typeutils/ObjectSerializer';
import { StringSerializer } from '../../src/io/typeutils/StringSerializer';
import { KeyGroupStreamPartitioner } from '../../src/io/writer/KeyGroupStreamPartitioner';
import type { RecordWriter } from '../../src/io/writer/RecordWriter';
import { RecordWriterBuilder } from '../../src/io/writer/RecordWriterBuilder';
import type { PipelinedResultPartition } from '../../src/partition/PipelinedResultPartition';
import { ResultPartitionFactory } from '../../src/partition/ResultPartitionFactory';
import { ResultPartitionManager } from '../../src/partition/ResultPartitionManager';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';

installPoolChecks();

interface Trade {
  id: number;
  symbol: string;
  price: number;
}

const TRADES = new ObjectSerializer<Trade>([
  ['id', LongSerializer.INSTANCE],
  ['symbol', StringSerializer.INSTANCE],
  ['price', DoubleSerializer.INSTANCE],
]);
const SYMBOLS = ['ACME', 'GLOBEX', 'INITECH', 'UMBRELLA', 'HOOLI'];

describe('the task API', () => {
  it('streams from a producer task that waits when emit() returns false to consumer tasks reading with for await', async () => {
    // 1 KiB buffers and pools of a handful of them: the producer outruns the consumers and has to wait.
    const global = newGlobalPool(16, 1024);
    const manager = new ResultPartitionManager();
    const factory = new ResultPartitionFactory(manager, { networkBufferPool: global, networkBuffersPerChannel: 1, floatingNetworkBuffersPerGate: 1 });
    const partition = factory.create({ numberOfSubpartitions: 2, owningTaskName: 'trades source' });
    partition.setup();

    const consumerGates = [0, 1].map((subtask) => {
      const gate = new SingleInputGate({
        numberOfInputChannels: 1,
        bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(global, 1),
        owningTaskName: `trades sink (${subtask + 1}/2)`,
      });
      gate.setInputChannels(new LocalInputChannel(gate, 0, partition.getPartitionId(), subtask, manager));
      return gate;
    });
    for (const gate of consumerGates) await gate.setup();

    const trades: Trade[] = Array.from({ length: 5000 }, (_, id) => ({ id, symbol: SYMBOLS[id % SYMBOLS.length]!, price: 100 + (id % 37) / 4 }));
    let waits = 0;

    async function producerTask(writer: RecordWriter<Trade>, output: PipelinedResultPartition): Promise<void> {
      try {
        for (const trade of trades) {
          if (!writer.emit(trade)) {
            waits++;
            await writer.getAvailableFuture();
          }
        }
        output.finish();
      } finally {
        writer.close();
        output.close();
      }
    }

    async function consumerTask(gate: SingleInputGate): Promise<Trade[]> {
      const reader = new RecordReader(gate, TRADES);
      const received: Trade[] = [];
      try {
        for await (const trade of reader) received.push(trade);
      } finally {
        reader.close();
      }
      return received;
    }

    const writer = new RecordWriterBuilder<Trade>()
      .setSerializer(TRADES)
      .setChannelSelector(new KeyGroupStreamPartitioner<Trade, string>((t) => t.symbol))
      .setTimeout(-1)
      .build(partition);
    const [, first, second] = await Promise.all([producerTask(writer, partition), consumerTask(consumerGates[0]!), consumerTask(consumerGates[1]!)]);

    expect(waits).toBeGreaterThan(10);
    // Every trade arrived once, at the consumer of its key, in the order written.
    expect([...first!, ...second!].sort((a, b) => a.id - b.id)).toEqual(trades);
    for (const received of [first!, second!]) {
      expect(received.map((t) => t.id)).toEqual([...received.map((t) => t.id)].sort((a, b) => a - b));
    }
    const symbolsOf = (received: Trade[]): Set<string> => new Set(received.map((t) => t.symbol));
    for (const symbol of symbolsOf(first!)) expect(symbolsOf(second!).has(symbol)).toBe(false);
    // Both consumers done and the producer closed: the partition released itself.
    expect(manager.size()).toBe(0);
    expect(partition.isReleased()).toBe(true);
  });
});

describe('regressions', () => {
  // Found by LocalShuffle.property.test.ts: with buffer timeout 0 (flush after every record) the tail of a
  // record whose write ran out of buffers was written later by the partition but never flushed, so the
  // reader did not see the record until something else flushed that subpartition.
  it('flushes a back-pressured record once its remainder is written, with buffer timeout 0', async () => {
    const global = newGlobalPool(3, 128);
    const manager = new ResultPartitionManager();
    const partition = new ResultPartitionFactory(manager, {
      networkBufferPool: global,
      networkBuffersPerChannel: 1,
      floatingNetworkBuffersPerGate: 0,
      maxBuffersPerChannel: 2,
      maxOverdraftBuffersPerGate: 0,
    }).create({ numberOfSubpartitions: 1 });
    partition.setup();
    const writer = new RecordWriterBuilder<Uint8Array>().setSerializer(BytesSerializer.INSTANCE).setTimeout(0).build(partition);
    const gate = new SingleInputGate({ numberOfInputChannels: 1, bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(global, 1) });
    gate.setInputChannels(new LocalInputChannel(gate, 0, partition.getPartitionId(), 0, manager));
    await gate.setup();
    const reader = new RecordReader(gate, BytesSerializer.INSTANCE);
    const received: number[] = [];
    const consuming = (async () => {
      for await (const record of reader) received.push(record.length);
    })();

    // 4 + 4 + 300 bytes = 3 buffers of 128 bytes; the partition's pool has 2.
    expect(writer.emit(new Uint8Array(300))).toBe(false);
    await writer.getAvailableFuture();
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(received).toEqual([300]); // before finish()

    partition.finish();
    await consuming;
    writer.close();
    reader.close();
    partition.close();
  });

  // Regression: two channels of one gate reading two subpartitions of the SAME not-yet-registered
  // partition both fail with PartitionNotFound; each must retry on its own (the gate keys channels by
  // partition and channel index, as Flink 1.20's retriggerPartitionRequest(partitionId, channelInfo)).
  it('retries the partition request of every channel that reads the not-yet-registered partition', async () => {
    const global = newGlobalPool(16, 128);
    const manager = new ResultPartitionManager();
    const partition = new ResultPartitionFactory(manager, { networkBufferPool: global }).create({ numberOfSubpartitions: 2 });
    const gate = new SingleInputGate({ numberOfInputChannels: 2, bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(global, 1) });
    const backoff = { initialBackoffMs: 2, maxBackoffMs: 40 };
    gate.setInputChannels(
      new LocalInputChannel(gate, 0, partition.getPartitionId(), 0, manager, backoff),
      new LocalInputChannel(gate, 1, partition.getPartitionId(), 1, manager, backoff),
    );
    await gate.setup();
    const reader = new RecordReader(gate, LongSerializer.INSTANCE);
    const received: number[] = [];
    try {
      expect(reader.pollNext()).toBeUndefined(); // PartitionNotFound for both channels: retries scheduled
      await new Promise((resolve) => setTimeout(resolve, 5));
      partition.setup();
      const writer = new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(0).build(partition);
      for (let i = 0; i < 4; i++) writer.emit(i); // round robin: 0 and 2 to subpartition 0, 1 and 3 to 1
      partition.finish();
      writer.close();
      const deadline = Date.now() + 500;
      while (!reader.isFinished() && Date.now() < deadline) {
        for (let r = reader.pollNext(); r !== undefined; r = reader.pollNext()) received.push(r);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(received.sort()).toEqual([0, 1, 2, 3]);
    } finally {
      reader.close();
      partition.release();
      partition.close();
    }
  });
});
