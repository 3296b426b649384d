/**
 * Sluice consumer of the `throughput-*` benchmarks (second process; measures): Flink's
 * StreamNetworkBenchmarkEnvironment receiver — its own NettyShuffleEnvironment (same pool size as the
 * sender), one SingleInputGate per writer with `channels` RemoteInputChannels (channel c reads
 * subpartition c; all on one TCP connection), the gates joined in a UnionInputGate and read by one
 * RecordReader — Flink's SerializingLongReceiver. Reading and measuring: {@link runRecordConsumer}.
 *
 * Every record is checked: complete and in order per writer and channel ({@link SequenceChecker}).
 */
import '../../shuffle-local/productionLeakDetection';
import type { SingleInputGate } from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import { SequenceChecker } from '../common';
import { CONSUMER_RESOURCE_ID, createRemoteGate, startEnv } from './env';
import { runRecordConsumer } from './recordConsumer';

const worker = startWorker();
const writers = worker.param('writers');
const channels = worker.param('channels');

runRecordConsumer(worker, async () => {
  const bench = await startEnv(worker, CONSUMER_RESOURCE_ID, worker.param('flushTimeoutMs'));
  const gates: SingleInputGate[] = [];
  for (let w = 0; w < writers; w++) gates.push(createRemoteGate(bench, w, w, channels, worker.config.host, worker.config.port, `receiving task[${w}]`));
  for (const gate of gates) await gate.setup();
  return { gates, checker: new SequenceChecker(writers, channels) };
});
