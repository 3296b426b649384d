/**
 * The variant registry of the `shuffle-local` suite: one line per implementation, the raw ceiling
 * first. A variant is a compiled child script; see `tools/bench/README.md`.
 */
import type { InProcessVariant } from '../harness/BenchVariant';
import { compiledScript } from '../harness/BenchVariant';

/** Variants of the `unicast-*` benchmarks (Flink's StreamNetworkThroughputBenchmark shape). */
export const THROUGHPUT_VARIANTS: readonly InProcessVariant[] = [
  { name: 'raw', script: compiledScript('shuffle-local/raw/throughput') },
  { name: 'sluice', script: compiledScript('shuffle-local/sluice/throughput') },
];

/** Variants of the `broadcast` benchmark. */
export const BROADCAST_VARIANTS: readonly InProcessVariant[] = [
  // A record written once into a shared plain buffer; full buffers handed to every channel's queue.
  { name: 'raw', script: compiledScript('shuffle-local/raw/broadcast') },
  // BroadcastRecordWriter: serialize once, copy once into the shared broadcast buffer, BufferConsumer.copy() per channel.
  { name: 'sluice', script: compiledScript('shuffle-local/sluice/broadcast') },
  // ChannelSelectorRecordWriter.broadcastEmit: serialize once, copy into each subpartition's own buffer (N copies).
  { name: 'sluice-copy', script: compiledScript('shuffle-local/sluice/broadcastCopy') },
];
