/**
 * Sluice consumer of the `peer-to-sluice` variant of the `throughput-*` benchmarks (second process;
 * measures), reading from `flink-peer.sh serve`: the Sluice receiving side measured against a Java/Netty
 * sender, to see which side of Sluice lags FlinkPeer's own pair.
 *
 * FlinkPeer's server fixes the shape: one gate of `channels` RemoteInputChannels over one connection
 * (channel c reads subpartition c; the server serves any partition id), read by one RecordReader; record
 * i of subpartition s is the long s·2^32 + i, each checked in order ({@link PeerRecordChecker}). The
 * server makes a full buffer whenever it is polled with credit (no record writer, no flush timeout), so
 * this measures the receiving side alone. Reading and measuring: {@link runRecordConsumer}, as in the
 * `sluice` variant.
 */
import '../../shuffle-local/productionLeakDetection';
import { startWorker } from '../../harness/worker';
import { PeerRecordChecker } from '../common';
import { CONSUMER_RESOURCE_ID, createRemoteGate, startEnv } from './env';
import { runRecordConsumer } from './recordConsumer';

const worker = startWorker();
const channels = worker.param('channels');

runRecordConsumer(worker, async () => {
  const bench = await startEnv(worker, CONSUMER_RESOURCE_ID, worker.param('flushTimeoutMs'));
  const gate = createRemoteGate(bench, 0, 0, channels, worker.config.host, worker.config.port, 'receiving task');
  await gate.setup();
  return { gates: [gate], checker: new PeerRecordChecker(channels) };
});
