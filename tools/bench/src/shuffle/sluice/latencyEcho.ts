/**
 * Sluice echo side of the `latency` benchmark (first process). Data only flows from a producer's
 * server to a consumer's client in Flink's protocol, so a round trip needs two partitions and two
 * connections: the client produces `ping` (partition 0), which this process consumes; this process
 * produces `pong` (partition 1), which the client consumes. Every record read from `ping` is emitted
 * at once to `pong` by a RecordWriter with buffer timeout 0 (flush after every record).
 *
 * The echo side must learn the client's data port: it also listens on a control port, reports both
 * ports packed in one number (`packPorts`), and the client sends its data port there as one text line.
 */
import '../../shuffle-local/productionLeakDetection';
import { createServer } from 'node:net';
import { LongSerializer, RecordReader, RecordWriterBuilder } from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import { packPorts } from '../common';
import { createPartition, descriptorOf, startEnv, type BenchEnv } from './env';
import { LATENCY_CLIENT_ID, LATENCY_ECHO_ID, LATENCY_BUFFER_TIMEOUT_MS } from './latencyCommon';

const worker = startWorker();
let stopped = false;

async function echo(bench: BenchEnv, clientPort: number): Promise<void> {
  const partition = createPartition(bench, 'echo (1/1)', descriptorOf(1, '127.0.0.1', bench.port, LATENCY_ECHO_ID), 1);
  const writer = new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(0).setEventLoop(bench.loop).build(partition);
  const [gate] = bench.env.createInputGates({ ownerName: 'echo (1/1)' }, [
    { consumedSubpartitionIndex: 0, shuffleDescriptors: [descriptorOf(0, worker.config.host, clientPort, LATENCY_CLIENT_ID)] },
  ]);
  await gate!.setup();
  const reader = new RecordReader(gate!, LongSerializer.INSTANCE);
  while (!stopped) {
    for (let value = reader.pollNext(); value !== undefined; value = reader.pollNext()) {
      if (!writer.emit(value)) await writer.getAvailableFuture();
    }
    if (reader.isFinished()) return;
    await reader.getAvailableFuture();
  }
}

async function main(): Promise<void> {
  const bench = await startEnv(worker, LATENCY_ECHO_ID, LATENCY_BUFFER_TIMEOUT_MS);
  const control = createServer((socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      const clientPort = Number(text.slice(0, newline));
      echo(bench, clientPort).catch((error: unknown) => {
        if (!stopped) worker.fail(error);
      });
    });
    socket.on('error', () => undefined);
  });
  control.listen(0, '127.0.0.1', () => {
    const address = control.address();
    if (address === null || typeof address === 'string') throw new Error(`unexpected control address ${String(address)}`);
    worker.ready(packPorts(bench.port, address.port));
  });
}

worker.onStop(() => {
  stopped = true;
});
main().catch((error: unknown) => worker.fail(error));
