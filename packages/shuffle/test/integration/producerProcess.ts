// The producer side of the two-process tests, run in a forked child (see register-ts.js). It builds a
// whole shuffle environment with the DI modules, registers `producers` partitions of `subpartitions`
// subpartitions each, tells the parent their descriptors, and on "go" writes `records` long records per
// partition, spread over the subpartitions by subpartitionOf(). It reports per-(partition, subpartition)
// counts and sums, then waits to be told to exit (so that consumers can finish reading).
import { Container } from 'inversify';
import {
  ExecutionAttemptID,
  IntermediateResultPartitionID,
  LongSerializer,
  NettyShuffleMaster,
  RecordWriterBuilder,
  ShuffleTokens,
  getService,
  networkModule,
  shuffleModule,
  type ChannelSelector,
} from '@sluice/shuffle';
import { recordValue, subpartitionOf, type ParentMessage, type ProducerArgs, type ProducerMessage } from './protocol';

const args = JSON.parse(process.argv[2] ?? '{}') as ProducerArgs;
const send = (m: ProducerMessage): void => {
  process.send?.(m);
};

class BySubpartitionOf implements ChannelSelector<number> {
  private n = 1;
  setup(numberOfChannels: number): void {
    this.n = numberOfChannels;
  }
  selectChannel(record: number): number {
    return subpartitionOf(record, this.n);
  }
  isBroadcast(): boolean {
    return false;
  }
}

async function main(): Promise<void> {
  const container = new Container();
  container.load(
    shuffleModule({ 'taskmanager.network.numberOfBuffers': args.buffers, 'execution.buffer-timeout': `${args.bufferTimeoutMs} ms` }),
    networkModule({ flowControlMode: args.flowControl }, { resourceId: 'tm-producer' }),
  );
  const env = getService(container, ShuffleTokens.ShuffleEnvironment);
  const loop = getService(container, ShuffleTokens.EventLoop);
  const port = await env.start();
  const master = new NettyShuffleMaster();
  const descriptors = await Promise.all(
    Array.from({ length: args.producers }, (_, p) =>
      master.registerPartitionWithProducer(
        'job',
        { partitionId: IntermediateResultPartitionID.random(p), numberOfSubpartitions: args.subpartitions, connectionIndex: 0 },
        { producerLocation: 'tm-producer', producerExecutionId: ExecutionAttemptID.random(), address: '127.0.0.1', dataPort: port },
      ),
    ),
  );
  const partitions = env.createResultPartitionWriters(
    { ownerName: 'producer' },
    descriptors.map((d) => ({ shuffleDescriptor: d, numberOfSubpartitions: args.subpartitions })),
  );
  for (const partition of partitions) partition.setup();
  const go = new Promise<void>((resolve) => process.on('message', (m: ParentMessage) => m.type === 'go' && resolve()));
  const exit = new Promise<void>((resolve) => process.on('message', (m: ParentMessage) => m.type === 'exit' && resolve()));
  send({ type: 'ready', port, descriptors: descriptors.map((d) => d.toJSON()) });
  await go;

  const counts: number[][] = partitions.map(() => new Array<number>(args.subpartitions).fill(0));
  const sums: number[][] = partitions.map(() => new Array<number>(args.subpartitions).fill(0));
  await Promise.all(
    partitions.map(async (partition, p) => {
      const writer = new RecordWriterBuilder<number>()
        .setSerializer(LongSerializer.INSTANCE)
        .setChannelSelector(new BySubpartitionOf())
        .setTimeout(args.bufferTimeoutMs)
        .setEventLoop(loop)
        .build(partition);
      try {
        for (let i = 0; i < args.records; i++) {
          const value = recordValue(p, i);
          const s = subpartitionOf(value, args.subpartitions);
          counts[p]![s]!++;
          sums[p]![s] = (sums[p]![s]! + i) % 2 ** 31;
          if (!writer.emit(value)) await writer.getAvailableFuture();
          if ((i & 0xffff) === 0xffff) send({ type: 'progress', partition: p, written: i + 1 });
        }
        partition.finish();
      } finally {
        writer.close();
      }
    }),
  );
  send({ type: 'written', counts, sums });
  await exit;
  for (const partition of partitions) partition.close();
  await container.unbindAll();
  send({ type: 'closed' });
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  process.exitCode = 1;
});
