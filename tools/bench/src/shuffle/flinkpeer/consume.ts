/**
 * FlinkPeer variant, consuming side (second process; measures): runs `flink-peer.sh consume --port P
 * --channels C --records N` — one connection, C credit-based channels with Flink's client-side buffer
 * management, every record and sequence number checked — and reports its RESULT. FlinkPeer measures a
 * fixed number of records, not a time window: `records/ms` is its steady-state figure (the last 75 % of
 * the records, after JIT warm-up — the counterpart of our window after the warm-up); the whole run,
 * JIT warm-up included, is reported as `wholeRunRecordsPerMs`. `MB/s` (10^6 bytes of buffers, length
 * prefixes included: the `bulk` benchmark's unit) is its steady figure too.
 */
import { PROGRESS_INTERVAL_MS, startWorker } from '../../harness/worker';
import { flinkPeerPayloadArgs, flinkPeerRecordsPerChannel, startFlinkPeer } from './flinkPeer';

const worker = startWorker();
const channels = worker.param('channels');
const totalMs = worker.config.warmupMs + worker.config.durationMs;
const records = flinkPeerRecordsPerChannel(channels, totalMs, worker.param('flinkPeerRecordsPerMs'));
const startedAt = Date.now();
let result: Record<string, unknown> | null = null;

const ticker = setInterval(() => {
  const elapsed = Date.now() - startedAt;
  worker.progress(elapsed < worker.config.warmupMs ? 'warmup' : 'measure', Math.min(elapsed, totalMs), totalMs, 'flink-peer running');
}, PROGRESS_INTERVAL_MS);

const peer = startFlinkPeer(
  [
    ...['consume', '--port', String(worker.config.port), '--channels', String(channels), '--records', String(records)],
    ...['--deadline', String(worker.param('flinkPeerDeadlineS')), ...flinkPeerPayloadArgs(worker.param('flinkPeerRecordBytes'))],
  ],
  (line) => {
    if (line.startsWith('RESULT ')) result = JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
  },
);
peer.on('error', (error) => worker.fail(error));
peer.on('exit', (code, signal) => {
  clearInterval(ticker);
  const num = (key: string): number => (typeof result?.[key] === 'number' ? (result[key] as number) : NaN);
  if (code !== 0 || result === null || num('errors') !== 0) {
    worker.fail(new Error(`flink-peer consume failed (code ${String(code)}, signal ${String(signal)}): ${JSON.stringify(result)}`));
    return;
  }
  const steady = num('steady_records_per_ms');
  const steadyMBps = num('steady_MBps');
  worker.result({
    'records/ms': steady > 0 ? steady : num('records_per_ms'),
    'MB/s': steadyMBps > 0 ? steadyMBps : num('MBps'),
    'cpu/wall': (num('cpu_user_pct') + num('cpu_sys_pct')) / 100,
    'records/buffer': num('records') / Math.max(1, num('data_buffers')),
    wholeRunRecordsPerMs: num('records_per_ms'),
    records: num('records'),
    seconds: num('seconds'),
  });
});
worker.onStop(() => {
  if (peer.exitCode === null && peer.signalCode === null) peer.kill('SIGKILL');
});
