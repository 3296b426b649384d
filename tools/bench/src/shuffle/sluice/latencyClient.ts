/**
 * Sluice client of the `latency` benchmark (second process; measures): one record in flight. A round
 * trip is timed from just before `RecordWriter.emit` of an 8-byte long to the `RecordReader.pollNext`
 * that returns it echoed: writer (buffer timeout 0: flushed at once) → partition → server →
 * TCP → echo's remote channel and gate → echo's reader → echo's writer → TCP → this process's
 * remote channel, gate and reader. Recorded in ns into an HDR histogram during the window only.
 */
import '../../shuffle-local/productionLeakDetection';
import { connect } from 'node:net';
import { LongSerializer, RecordReader, RecordWriterBuilder } from '@sluice/shuffle';
import { MeasurementWindow, startWorker } from '../../harness/worker';
import { newRoundTripHistogram, roundTripResult } from '../../harness/roundTrips';
import { unpackPorts } from '../common';
import { createPartition, descriptorOf, startEnv } from './env';
import { LATENCY_CLIENT_ID, LATENCY_ECHO_ID, LATENCY_BUFFER_TIMEOUT_MS } from './latencyCommon';

const worker = startWorker();
const { dataPort, controlPort } = unpackPorts(worker.config.port);
const histogram = newRoundTripHistogram();
let roundTrips = 0;
let done = false;

async function main(): Promise<void> {
  const bench = await startEnv(worker, LATENCY_CLIENT_ID, LATENCY_BUFFER_TIMEOUT_MS);
  const partition = createPartition(bench, 'ping (1/1)', descriptorOf(0, '127.0.0.1', bench.port, LATENCY_CLIENT_ID), 1);
  const writer = new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE).setTimeout(0).setEventLoop(bench.loop).build(partition);
  const [gate] = bench.env.createInputGates({ ownerName: 'ping (1/1)' }, [
    { consumedSubpartitionIndex: 0, shuffleDescriptors: [descriptorOf(1, worker.config.host, dataPort, LATENCY_ECHO_ID)] },
  ]);
  await gate!.setup();
  const reader = new RecordReader(gate!, LongSerializer.INSTANCE);
  const control = connect({ host: worker.config.host, port: controlPort });
  control.on('error', (error) => {
    if (!done) worker.fail(error);
  });
  control.write(`${bench.port}\n`);

  const window = new MeasurementWindow(
    worker,
    () => roundTrips,
    (perSecond) => `${(perSecond / 1000).toFixed(1)}k rt/s`,
    (count, seconds) => {
      done = true;
      worker.result(roundTripResult(histogram, count, seconds));
    },
  );

  let seq = 0;
  // The first round trip includes connecting and the partition requests: not measured (warm-up anyway).
  while (!done) {
    const sentAt = process.hrtime.bigint();
    if (!writer.emit(seq)) await writer.getAvailableFuture();
    let value = reader.pollNext();
    while (value === undefined) {
      if (reader.isFinished()) throw new Error('the echo input ended');
      await reader.getAvailableFuture();
      value = reader.pollNext();
    }
    const now = process.hrtime.bigint();
    if (value !== seq) throw new Error(`echoed ${value}, expected ${seq}`);
    if (window.measuring) histogram.recordValue(Number(now - sentAt));
    roundTrips++;
    seq++;
    if (roundTrips === 1) window.start();
    // Let timers and IPC run now and then (a round trip already yields to I/O; this is for safety).
    if ((seq & 1023) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

worker.onStop(() => {
  done = true;
});
main().catch((error: unknown) => {
  if (!done) worker.fail(error);
});
