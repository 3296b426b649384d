/**
 * FlinkPeer variant, producing side (first process): runs `flink-peer.sh serve --port 0 --connections 1
 * --records N [--payload bytesK]` (N per requested subpartition, see `flinkPeerRecordsPerChannel`; the
 * record size from `flinkPeerRecordBytes`) and reports its port.
 * FlinkPeer's server is one Netty event-loop thread that produces records on demand into full 32 KiB
 * buffers: no separate writer threads and no flush timeout (its figure depends on the channel count only).
 */
import { startWorker } from '../../harness/worker';
import { flinkPeerPayloadArgs, flinkPeerRecordsPerChannel, startFlinkPeer } from './flinkPeer';

const worker = startWorker();
const records = flinkPeerRecordsPerChannel(worker.param('channels'), worker.config.warmupMs + worker.config.durationMs, worker.param('flinkPeerRecordsPerMs'));
let stopped = false;
let exited = false;

const args = ['serve', '--port', '0', '--connections', '1', '--records', String(records), '--deadline', String(worker.param('flinkPeerDeadlineS'))];
const peer = startFlinkPeer([...args, ...flinkPeerPayloadArgs(worker.param('flinkPeerRecordBytes'))], (line) => {
  const ready = /^READY (\d+)$/.exec(line);
  if (ready !== null) worker.ready(Number(ready[1]));
});
peer.on('error', (error) => worker.fail(error));
peer.on('exit', (code, signal) => {
  exited = true;
  // It exits 0 by itself once the consumer's connection closed; anything else before stop is a failure.
  if (!stopped && code !== 0) worker.fail(new Error(`flink-peer serve exited with code ${String(code)}, signal ${String(signal)}`));
});
worker.onStop(() => {
  stopped = true;
  if (!exited) peer.kill('SIGKILL');
});
