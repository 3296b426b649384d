/**
 * Sluice producer of the `sluice-to-peer` variant of the `throughput-*` benchmarks (first process;
 * listens), read by `flink-peer.sh consume`: the Sluice sending side measured against a Java/Netty
 * receiver, to see which side of Sluice lags FlinkPeer's own pair.
 *
 * FlinkPeer's consumer fixes the shape: ONE partition (the id it requests,
 * {@link flinkPeerConsumerPartitionId}) of `channels` subpartitions, and record i of subpartition s is
 * the long s·2^32 + i, exactly `records` per subpartition, then EndOfPartition. So there is one
 * round-robin RecordWriter (Flink's benchmark has `writers` of them, each with a partition of its own)
 * with the benchmark's flush timeout; the k-th record goes to subpartition k mod channels, where the
 * selector sends it. The peer checks every record and measures.
 */
import '../../shuffle-local/productionLeakDetection';
import { LongSerializer, NettyShuffleDescriptor, NetworkPartitionConnectionInfo, RecordWriterBuilder } from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import { CLOCK_CHECK_RECORDS, nowMs, yieldToEventLoop } from '../../shuffle-local/cooperative';
import { PEER_SUBPARTITION_STRIDE } from '../common';
import { flinkPeerRecordsPerChannel } from '../flinkpeer/flinkPeer';
import { PRODUCER_RESOURCE_ID, createPartition, flinkPeerConsumerPartitionId, startEnv } from './env';

const worker = startWorker();
const channels = worker.param('channels');
const flushTimeoutMs = worker.param('flushTimeoutMs');
const sliceMs = worker.param('sliceUs') / 1000;
const records = flinkPeerRecordsPerChannel(channels, worker.config.warmupMs + worker.config.durationMs, worker.param('flinkPeerRecordsPerMs'));

let stopping = false;
let emitted = 0;

async function main(): Promise<void> {
  const bench = await startEnv(worker, PRODUCER_RESOURCE_ID, flushTimeoutMs);
  const descriptor = new NettyShuffleDescriptor(PRODUCER_RESOURCE_ID, new NetworkPartitionConnectionInfo('127.0.0.1', bench.port, 0), flinkPeerConsumerPartitionId());
  const partition = createPartition(bench, 'sender (1/1)', descriptor, channels);
  const writer = new RecordWriterBuilder<number>()
    .setSerializer(LongSerializer.INSTANCE)
    .setTimeout(flushTimeoutMs)
    .setEventLoop(bench.loop)
    .setTaskName('sender (1/1)')
    .build(partition);
  worker.ready(bench.port);

  // Record i of subpartition s, in round-robin order: s runs fastest.
  let s = 0;
  let i = 0;
  while (!stopping && i < records) {
    const sliceEnd = nowMs() + sliceMs;
    do {
      for (let n = 0; n < CLOCK_CHECK_RECORDS && i < records; n++) {
        const ok = writer.emit(s * PEER_SUBPARTITION_STRIDE + i);
        emitted++;
        if (++s === channels) {
          s = 0;
          i++;
        }
        if (!ok) await writer.getAvailableFuture();
      }
    } while (!stopping && i < records && nowMs() < sliceEnd);
    if (!stopping) await yieldToEventLoop();
  }
  if (!stopping) {
    await writer.getAvailableFuture();
    partition.finish();
  }
  writer.close();
}

worker.onStop(() => {
  stopping = true;
  return { recordsEmitted: emitted };
});
main().catch((error: unknown) => worker.fail(error));
