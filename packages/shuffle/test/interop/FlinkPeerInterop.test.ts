// Interop with FlinkPeer (tools/flink-peer), a Java/Netty implementation of Flink's protocol that we did
// not write: a Sluice consumer reads 100 channels from `flink-peer.sh serve`, and `flink-peer.sh consume`
// reads 100 channels from a Sluice producer. Every record is checked on both sides. CI installs the JDK
// and libnetty-java (.ci/run), so these tests run there too.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { DefaultEventLoop } from '@sluice/channel';
import { ConnectionID } from '../../src/network/ConnectionID';
import { RemoteInputChannel } from '../../src/consumer/RemoteInputChannel';
import { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { RecordReader } from '../../src/consumer/RecordReader';
import { LongSerializer } from '../../src/io/typeutils/LongSerializer';
import { RecordWriterBuilder } from '../../src/io/writer/RecordWriterBuilder';
import type { ChannelSelector } from '../../src/io/writer/ChannelSelector';
import { NetworkBufferPool } from '../../src/memory/NetworkBufferPool';
import { NettyConfig } from '../../src/netty/NettyConfig';
import { NettyConnectionManager } from '../../src/netty/NettyConnectionManager';
import { ResultPartitionFactory } from '../../src/partition/ResultPartitionFactory';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { ResultPartitionManager } from '../../src/partition/ResultPartitionManager';
import { PeerProcess, peerConsumerPartitionId, peerRecord } from './FlinkPeer';

jest.setTimeout(120_000);

const CHANNELS = 100;
const RECORDS = 20_000; // per channel: 240 KB framed, ~8 buffers of 32 KiB each

/** Sends record `s * 2^32 + i` to subpartition `s`, as the peer's records are laid out. */
class SubpartitionOfRecord implements ChannelSelector<number> {
  private n = 0;
  setup(numberOfChannels: number): void {
    this.n = numberOfChannels;
  }
  selectChannel(record: number): number {
    const s = Math.floor(record / 2 ** 32);
    if (s >= this.n) throw new Error(`record ${record} is for subpartition ${s} of ${this.n}`);
    return s;
  }
  isBroadcast(): boolean {
    return false;
  }
}

const peers: PeerProcess[] = [];
afterEach(() => {
  for (const p of peers.splice(0)) p.kill();
});

describe('interop with FlinkPeer (Java/Netty)', () => {
  it('a Sluice consumer reads 100 channels over one connection from flink-peer serve, every record in order', async () => {
    const peer = PeerProcess.start(['serve', '--port', '0', '--records', String(RECORDS), '--connections', '1', '--deadline', '90']);
    peers.push(peer);
    const port = await peer.ready();

    const pool = new NetworkBufferPool(CHANNELS * 2 + 64, 32768);
    const manager = new NettyConnectionManager(new ResultPartitionManager(), null, new NettyConfig({ serverPort: 0 }));
    await manager.start();
    const loop = new DefaultEventLoop();
    const gate = new SingleInputGate({
      numberOfInputChannels: CHANNELS,
      bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(pool, 8),
      owningTaskName: 'interop consumer',
      memorySegmentProvider: pool,
      executor: loop,
    });
    const connection = new ConnectionID('127.0.0.1', port, 0, 'flink-peer');
    const partitionId = ResultPartitionID.random(); // the peer serves any partition id
    const channels = Array.from({ length: CHANNELS }, (_, i) => new RemoteInputChannel(gate, i, partitionId, i, connection, manager, { networkBuffersPerChannel: 2 }));
    gate.setInputChannels(...channels);
    const next = new Array<number>(CHANNELS).fill(0);
    let records = 0;
    const reader = new RecordReader(gate, LongSerializer.INSTANCE);
    try {
      await gate.setup();
      gate.requestPartitions();
      let connectionsWhileReading = -1;
      for await (const value of reader) {
        if (records === 0) connectionsWhileReading = manager.getNumberOfActiveConnections();
        const s = Math.floor(value / 2 ** 32);
        const i = value - s * 2 ** 32;
        if (s >= CHANNELS || i !== next[s]) throw new Error(`channel ${s}: record ${i}, expected ${String(next[s])}`);
        next[s]!++;
        records++;
      }
      expect(connectionsWhileReading).toBe(1); // one TCP connection carried all 100 channels
      expect(manager.getNumberOfActiveConnections()).toBe(0); // closed (CloseRequest) when the last channel left
    } finally {
      reader.close();
      gate.close();
      await manager.shutdown();
      await loop.shutdownGracefully(0, 100);
    }
    expect(records).toBe(CHANNELS * RECORDS);
    expect(next.every((n) => n === RECORDS)).toBe(true);
    const { result } = await peer.result();
    expect(result.errors).toBe(0);
    expect(result.readers).toBe(CHANNELS);
    expect(result.add_credit_msgs).toBeGreaterThan(0); // credit-based: the peer only sent against our credit
    expect(pool.getNumberOfAvailableMemorySegments()).toBe(pool.getTotalNumberOfMemorySegments());
    pool.destroy();
  });

  it('flink-peer consume reads 100 channels from a Sluice producer, every record checked by the peer', async () => {
    const pool = new NetworkBufferPool(CHANNELS * 10 + 64, 32768);
    const partitions = new ResultPartitionManager();
    const manager = new NettyConnectionManager(partitions, null, new NettyConfig({ serverPort: 0 }));
    const port = await manager.start();
    const loop = new DefaultEventLoop();
    const factory = new ResultPartitionFactory(partitions, { networkBufferPool: pool });
    const partition = factory.create({ numberOfSubpartitions: CHANNELS, partitionId: peerConsumerPartitionId(), owningTaskName: 'interop producer' });
    partition.setup();
    const writer = new RecordWriterBuilder<number>()
      .setSerializer(LongSerializer.INSTANCE)
      .setChannelSelector(new SubpartitionOfRecord())
      .setTimeout(10)
      .setEventLoop(loop)
      .build(partition);

    const peer = PeerProcess.start(['consume', '--port', String(port), '--channels', String(CHANNELS), '--records', String(RECORDS), '--deadline', '90']);
    peers.push(peer);
    try {
      for (let i = 0; i < RECORDS; i++) {
        for (let s = 0; s < CHANNELS; s++) {
          if (!writer.emit(peerRecord(s, i))) await writer.getAvailableFuture();
        }
      }
      partition.finish();
      const { code, result, stderr } = await peer.result();
      expect({ code, errors: result.errors, samples: result.error_samples }).toEqual({ code: 0, errors: 0, samples: [] });
      expect(stderr).not.toMatch(/Exception/);
    } finally {
      writer.close();
      partition.close();
      await manager.shutdown();
      await loop.shutdownGracefully(0, 100);
    }
    partitions.shutdown();
    expect(pool.getNumberOfAvailableMemorySegments()).toBe(pool.getTotalNumberOfMemorySegments());
    pool.destroy();
  });
});
