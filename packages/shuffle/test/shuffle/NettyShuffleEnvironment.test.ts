import { afterEach, describe, expect, it } from '@jest/globals';
import { Container } from 'inversify';
import {
  ExecutionAttemptID,
  IntermediateResultPartitionID,
  LocalInputChannel,
  LongSerializer,
  NettyShuffleMaster,
  RecordReader,
  RecordWriterBuilder,
  RemoteInputChannel,
  ShuffleTokens,
  TaskIOMetrics,
  getService,
  networkModule,
  shuffleModule,
  type NettyShuffleDescriptor,
  type NettyShuffleEnvironment,
} from '../../src';

// Two task managers in one process, each an inversify container of shuffleModule + networkModule as an
// application builds it: "tm-a" produces and reads subpartition 0 itself (a local channel), "tm-b" reads
// subpartition 1 over TCP on 127.0.0.1 (a remote channel).

interface TaskManager {
  container: Container;
  env: NettyShuffleEnvironment;
  port: number;
}

const started: TaskManager[] = [];

async function startTaskManager(resourceId: string): Promise<TaskManager> {
  const container = new Container();
  container.load(
    shuffleModule({ 'taskmanager.network.numberOfBuffers': 256, 'execution.buffer-timeout': '1 ms' }),
    networkModule({ serverAddress: '127.0.0.1', serverPort: 0 }, { resourceId }),
  );
  const env = getService(container, ShuffleTokens.ShuffleEnvironment) as NettyShuffleEnvironment;
  const port = await env.start();
  const tm = { container, env, port };
  started.push(tm);
  return tm;
}

async function readAll(reader: RecordReader<number>): Promise<number[]> {
  const values: number[] = [];
  for await (const value of reader) values.push(value);
  return values;
}

describe('NettyShuffleEnvironment', () => {
  afterEach(async () => {
    for (const tm of started.splice(0)) await tm.container.unbindAll();
  });

  it('reads a co-located producer through a local channel and a remote one through the network, feeding the task metrics', async () => {
    const a = await startTaskManager('tm-a');
    const b = await startTaskManager('tm-b');
    const descriptor: NettyShuffleDescriptor = await new NettyShuffleMaster().registerPartitionWithProducer(
      'job',
      { partitionId: IntermediateResultPartitionID.random(0), numberOfSubpartitions: 2, connectionIndex: 0 },
      { producerLocation: 'tm-a', producerExecutionId: ExecutionAttemptID.random(), address: '127.0.0.1', dataPort: a.port },
    );

    const producerIo = new TaskIOMetrics();
    const [partition] = a.env.createResultPartitionWriters({ ownerName: 'producer', ioMetrics: producerIo }, [{ shuffleDescriptor: descriptor, numberOfSubpartitions: 2 }]);
    partition!.setup();
    const localIo = new TaskIOMetrics();
    const remoteIo = new TaskIOMetrics();
    const [localGate] = a.env.createInputGates({ ownerName: 'local consumer', ioMetrics: localIo }, [{ consumedSubpartitionIndex: 0, shuffleDescriptors: [descriptor] }]);
    const [remoteGate] = b.env.createInputGates({ ownerName: 'remote consumer', ioMetrics: remoteIo }, [{ consumedSubpartitionIndex: 1, shuffleDescriptors: [descriptor] }]);
    expect(localGate!.getChannel(0)).toBeInstanceOf(LocalInputChannel);
    expect(remoteGate!.getChannel(0)).toBeInstanceOf(RemoteInputChannel);
    await localGate!.setup();
    await remoteGate!.setup();

    const records = 20_000;
    const writer = new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(-1).build(partition!);
    writer.setMetricGroup(producerIo);
    const localReader = new RecordReader(localGate!, LongSerializer.INSTANCE, { numRecordsIn: localIo.numRecordsIn });
    const remoteReader = new RecordReader(remoteGate!, LongSerializer.INSTANCE, { numRecordsIn: remoteIo.numRecordsIn });
    const reading = Promise.all([readAll(localReader), readAll(remoteReader)]);
    for (let i = 0; i < records; i++) if (!writer.emit(i)) await writer.getAvailableFuture();
    partition!.finish();
    writer.close();
    const [local, remote] = await reading;

    const evens = Array.from({ length: records / 2 }, (_, i) => 2 * i);
    expect(local).toEqual(evens);
    expect(remote).toEqual(evens.map((v) => v + 1));
    expect(producerIo.numRecordsOut.getCount()).toBe(records);
    expect(localIo.numRecordsIn.getCount()).toBe(records / 2);
    expect(remoteIo.numRecordsIn.getCount()).toBe(records / 2);
    // 12 bytes per record plus the EndOfPartition event; the producer counts what it finished.
    expect(localIo.numBytesIn.getCount()).toBe(localGate!.getChannel(0).getNumBytesInCounter().getCount());
    expect(localIo.numBytesIn.getCount()).toBeGreaterThanOrEqual((records / 2) * 12);
    expect(remoteIo.numBytesIn.getCount()).toBe(remoteGate!.getChannel(0).getNumBytesInCounter().getCount());
    expect(remoteIo.numBytesIn.getCount()).toBeGreaterThanOrEqual((records / 2) * 12);
    expect(producerIo.numBytesOut.getCount()).toBeGreaterThanOrEqual(records * 12);
    expect(producerIo.numBuffersOut.getCount()).toBeGreaterThan(0);

    localReader.close();
    remoteReader.close();
    partition!.close();
  });
});
