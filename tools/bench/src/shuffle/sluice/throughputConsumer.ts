/**
 * Sluice consumer of the `throughput-*` benchmarks (second process; measures): Flink's
 * StreamNetworkBenchmarkEnvironment receiver — its own NettyShuffleEnvironment (same pool size as the
 * sender), one SingleInputGate per writer with `channels` RemoteInputChannels (channel c reads
 * subpartition c; all on one TCP connection), the gates joined in a UnionInputGate and read by one
 * RecordReader (`pollNext()`, allocation-free) — Flink's SerializingLongReceiver.
 *
 * Every record is checked: complete and in order per writer and channel ({@link SequenceChecker}). The
 * window (warm-up, then `durationMs`) starts at the first record, so connecting is not measured.
 * Metric: records read per millisecond (Flink's unit), plus `cpu/wall` of this process and the
 * records per received buffer (2730.7 for full 32 KiB buffers; the flush timeout makes them smaller).
 */
import '../../shuffle-local/productionLeakDetection';
import { LongSerializer, RecordReader, UnionInputGate, type SingleInputGate } from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import { CounterWindow, cpuMs } from '../../shuffle-local/cooperative';
import { SequenceChecker } from '../common';
import { CONSUMER_RESOURCE_ID, createRemoteGate, startEnv } from './env';

const worker = startWorker();
const writers = worker.param('writers');
const channels = worker.param('channels');
const host = worker.config.host;
const port = worker.config.port;

let done = false;
let recordsRead = 0;

async function main(): Promise<void> {
  const bench = await startEnv(worker, CONSUMER_RESOURCE_ID, worker.param('flushTimeoutMs'));
  const gates: SingleInputGate[] = [];
  for (let w = 0; w < writers; w++) gates.push(createRemoteGate(bench, w, w, channels, host, port, `receiving task[${w}]`));
  for (const gate of gates) await gate.setup();
  const reader = new RecordReader(writers > 1 ? new UnionInputGate(...gates) : gates[0]!, LongSerializer.INSTANCE);
  const checker = new SequenceChecker(writers, channels);

  const buffersRead = (): number => {
    let total = 0;
    for (const gate of gates) for (let c = 0; c < channels; c++) total += gate.getChannel(c).getNumBuffersInCounter().getCount();
    return total;
  };
  const window = new CounterWindow(
    worker,
    () => [recordsRead, buffersRead(), cpuMs()],
    (perSecond) => `${Math.round(perSecond / 1000).toLocaleString('en-US')} records/ms`,
    (deltas, seconds) => {
      done = true;
      const [records = 0, buffers = 0, cpu = 0] = deltas;
      worker.result({
        'records/ms': records / seconds / 1000,
        'cpu/wall': cpu / (seconds * 1000),
        'records/buffer': buffers > 0 ? records / buffers : 0,
        records,
        seconds,
      });
    },
  );

  let count = 0;
  let started = false;
  while (!done) {
    for (let value = reader.pollNext(); value !== undefined; value = reader.pollNext()) {
      checker.check(value);
      count++;
    }
    recordsRead = count;
    if (!started && count > 0) {
      started = true;
      window.start();
    }
    if (reader.isFinished()) throw new Error('the input ended before the measurement window closed');
    if (!done) await reader.getAvailableFuture();
  }
  // Stop reading: the harness stops the producer next, and its disconnect must not fail this side.
}

worker.onStop(() => undefined);
main().catch((error: unknown) => {
  if (!done) worker.fail(error);
});
