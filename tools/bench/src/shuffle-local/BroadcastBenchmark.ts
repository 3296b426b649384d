/**
 * Broadcast cost on the producer side: the time a record writer spends per emitted record when every
 * record goes to all of 1, 10, 100 and 1000 channels (one writer, one PipelinedResultPartition, local
 * channels into one gate, flush timeout 100 ms as in Flink's StreamNetworkBroadcastThroughputBenchmark).
 *
 * Variants: `raw` (one shared plain buffer per 2730 records, handed to every channel's queue — the
 * ceiling), `sluice` (BroadcastRecordWriter: serialize once, copy once, a shared-buffer
 * `BufferConsumer.copy()` per subpartition) and `sluice-copy` (ChannelSelectorRecordWriter.broadcastEmit:
 * a copy into each subpartition's own buffer — Flink's path on non-broadcast edges, for contrast).
 *
 * Every variant and channel count runs in a fresh child process; one round runs all channel counts of
 * a variant, then the next variant. Metrics: `ns/record <n>ch` per channel count (ratio to raw), and
 * `max vs 1ch` — the largest `ns/record <n>ch / ns/record 1ch` of the round (the target for the shared
 * path: at most 1.5), and `min cpu/wall` — the lowest share of its core a child got (see
 * ThroughputBenchmark).
 */
import type { Benchmark, MetricSpec, MetricValues, RunContext, RunOptions } from '../harness/Benchmark';
import { BenchChild } from '../harness/BenchChild';
import type { InProcessVariant } from '../harness/BenchVariant';
import { cpuProfArgs } from '../harness/SocketBenchmark';
import { WRITER_SLICE_US } from './cooperative';
import { SHUFFLE_DEFAULTS, benchmarkNetworkBuffers } from './ThroughputBenchmark';
import { BROADCAST_VARIANTS } from './variants';

/** Channel counts, the first being the reference of `max vs 1ch`. */
export const BROADCAST_CHANNELS: readonly number[] = [1, 10, 100, 1000];

const HARD_TIMEOUT_MS = 10 * 60_000;
const IDLE_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

const nsMetric = (channels: number): string => `ns/record ${channels}ch`;

export class BroadcastBenchmark implements Benchmark {
  readonly name = 'broadcast';
  readonly title = 'StreamNetworkBroadcastThroughputBenchmark (producer)';
  readonly description =
    `1 writer broadcasting 8-byte longs to ${BROADCAST_CHANNELS.join('/')} channels, flush 100 ms; ` +
    "producer ns per emitted record; shared buffer vs Flink's per-channel copy";
  readonly metrics: readonly MetricSpec[] = [
    ...BROADCAST_CHANNELS.map((n): MetricSpec => ({ name: nsMetric(n), better: 'lower', ratio: true, digits: 1 })),
    { name: 'max vs 1ch', better: 'lower', ratio: false, digits: 2 },
    { name: 'min cpu/wall', better: 'higher', ratio: false, digits: 2 },
  ];

  constructor(private readonly variants: readonly InProcessVariant[] = BROADCAST_VARIANTS) {}

  variantNames(): readonly string[] {
    return this.variants.map((v) => v.name);
  }

  params(_options: RunOptions): Readonly<Record<string, number>> {
    const { segmentSize, buffersPerChannel, floatingBuffersPerGate, maxBuffersPerChannel } = SHUFFLE_DEFAULTS;
    return { writers: 1, flushTimeoutMs: 100, segmentSize, sliceUs: WRITER_SLICE_US, buffersPerChannel, floatingBuffersPerGate, maxBuffersPerChannel };
  }

  async runVariant(variantName: string, context: RunContext): Promise<MetricValues> {
    const variant = this.variants.find((v) => v.name === variantName);
    if (variant === undefined) throw new Error(`${this.title}: no variant '${variantName}'`);
    const values: Record<string, number> = {};
    let minCpu = Infinity;
    for (const channels of BROADCAST_CHANNELS) {
      const { ns, cpuPerWall } = await this.runChild(variant, channels, context);
      values[nsMetric(channels)] = ns;
      minCpu = Math.min(minCpu, cpuPerWall);
    }
    values['min cpu/wall'] = minCpu;
    const reference = values[nsMetric(BROADCAST_CHANNELS[0]!)]!;
    values['max vs 1ch'] = Math.max(...BROADCAST_CHANNELS.slice(1).map((n) => values[nsMetric(n)]! / reference));
    return values;
  }

  private async runChild(variant: InProcessVariant, channels: number, context: RunContext): Promise<{ ns: number; cpuPerWall: number }> {
    const { options, round, progress } = context;
    const name = context.label;
    const label = `${this.name}/${name} ${channels}ch round ${round}/${options.rounds}`;
    progress.begin(label, options.warmupMs + options.durationMs);
    const params = {
      ...this.params(options),
      channels,
      networkBuffers: benchmarkNetworkBuffers(1, channels),
    };
    const child = BenchChild.fork(
      label,
      variant.script,
      { role: 'worker', host: '127.0.0.1', port: 0, warmupMs: options.warmupMs, durationMs: options.durationMs, params },
      [...(variant.execArgv ?? []), ...cpuProfArgs(options.cpuProfDir, `${this.name}-${name}-${channels}ch-r${round}`)],
    );
    try {
      child.onProgress((m) => progress.update(m.phase, m.done, m.total, m.label));
      const { metrics } = await child.waitFor('result', HARD_TIMEOUT_MS, IDLE_TIMEOUT_MS);
      child.stop();
      await child.waitExit(STOP_TIMEOUT_MS);
      if (child.failure !== undefined) throw child.failure;
      const ns = metrics['ns/record'];
      if (ns === undefined || !Number.isFinite(ns) || !(ns > 0)) throw new Error(`${label}: no producer time measured (${JSON.stringify(metrics)})`);
      const n = (key: string, digits = 0): string =>
        (metrics[key] ?? 0).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
      progress.end(
        `${n('ns/record', 1)} ns/record (producer), ${n('records/ms emitted')} records/ms emitted, cpu/wall ${n('cpu/wall', 2)}, ` +
          `${n('backPressureWaits')} back-pressure waits; checked ${n('recordsTotal')} records on ${n('channelsChecked')} channels, ` +
          `${n('segmentsReturned')} buffers returned`,
      );
      return { ns, cpuPerWall: metrics['cpu/wall'] ?? 0 };
    } catch (error: unknown) {
      progress.end('failed');
      throw error;
    } finally {
      child.kill();
    }
  }
}
