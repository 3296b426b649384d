/**
 * Sluice consumer of the `bulk` benchmark (second process; measures): one gate made by
 * `NettyShuffleEnvironment.createInputGates` from the partition's shuffle descriptor (one
 * RemoteInputChannel, 2 exclusive + 8 floating buffers), polled buffer by buffer
 * (`SingleInputGate.pollNext()`), each buffer counted and recycled — the transport without record
 * deserialization. Metric: MB/s (10^6 bytes) of received buffers.
 */
import '../../shuffle-local/productionLeakDetection';
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { CONSUMER_RESOURCE_ID, descriptorOf, startEnv } from './env';

const worker = startWorker();
let bytes = 0;
let done = false;

async function main(): Promise<void> {
  const bench = await startEnv(worker, CONSUMER_RESOURCE_ID, -1);
  const [gate] = bench.env.createInputGates({ ownerName: 'bulk sink (1/1)' }, [
    { consumedSubpartitionIndex: 0, shuffleDescriptors: [descriptorOf(0, worker.config.host, worker.config.port)] },
  ]);
  await gate!.setup();
  gate!.requestPartitions();
  const window = new MeasurementWindow(
    worker,
    () => bytes,
    (perSecond) => `${(perSecond / 1e6).toFixed(0)} MB/s`,
    (count, seconds) => {
      done = true;
      worker.result({ 'MB/s': count / seconds / 1e6, bytes: count, seconds });
    },
  );
  while (!done) {
    for (let next = gate!.pollNext(); next !== null; next = gate!.pollNext()) {
      if (next.isBuffer()) {
        const buffer = next.getBuffer();
        bytes += buffer.getSize();
        buffer.recycleBuffer();
      }
    }
    if (bytes > 0) window.start();
    if (gate!.isFinished()) throw new Error('the input ended before the measurement window closed');
    if (!done) await gate!.getAvailableFuture();
  }
}

worker.onStop(() => undefined);
main().catch((error: unknown) => {
  if (!done) worker.fail(error);
});
