/**
 * The variant registry of the `shuffle` suite, the raw baseline first. In every variant the FIRST
 * process the harness forks (its "receiver" slot, which listens) is the data PRODUCER — Flink's
 * direction: consumers connect to the producer's TaskManager — and the second (its "sender" slot) is
 * the consumer, which measures. The harness pins them to CPU 0 and CPU 1.
 *
 * The FlinkPeer variant is listed only where FlinkPeer can run (see `index.ts`).
 */
import type { SocketVariant } from '../harness/BenchVariant';
import { compiledScript } from '../harness/BenchVariant';

const variant = (name: string, producer: string, consumer: string): SocketVariant => ({
  name,
  receiverScript: compiledScript(`shuffle/${producer}`),
  senderScript: compiledScript(`shuffle/${consumer}`),
});

export const THROUGHPUT_RAW = variant('raw', 'raw/throughputProducer', 'raw/throughputConsumer');
export const THROUGHPUT_SLUICE = variant('sluice', 'sluice/throughputProducer', 'sluice/throughputConsumer');
/** FlinkPeer serving and consuming (throughput and bulk; the record size is a parameter). */
export const FLINKPEER = variant('flinkpeer', 'flinkpeer/serve', 'flinkpeer/consume');
/**
 * One side Sluice, the other FlinkPeer (throughput only; FlinkPeer's shape: one partition of `channels`
 * subpartitions, records s·2^32 + i): which of Sluice's two sides lags FlinkPeer's own pair.
 *
 * Sluice producer, FlinkPeer consumer. `flink-peer.sh consume` checks a record count fixed in advance
 * and reports at the end: size it for about the window at `recordsPerMs`, the rate expected of the
 * Sluice producer in this shape.
 */
export function sluiceToPeer(recordsPerMs: number): SocketVariant {
  return { ...variant('sluice-to-peer', 'sluice/peerFormatProducer', 'flinkpeer/consume'), params: { flinkPeerRecordsPerMs: recordsPerMs } };
}
/** FlinkPeer producer, Sluice consumer. */
export const PEER_TO_SLUICE: SocketVariant = {
  ...variant('peer-to-sluice', 'flinkpeer/serve', 'sluice/peerFormatConsumer'),
  // The server makes records on demand and is stopped when the window closes: never let it run dry.
  params: { flinkPeerRecordsPerMs: 200_000 },
};

export const BULK_RAW = variant('raw', 'raw/bulkProducer', 'raw/bulkConsumer');
export const BULK_SLUICE = variant('sluice', 'sluice/bulkProducer', 'sluice/bulkConsumer');

/** Latency: the first process is the echo side, the second the pinging client (measures). */
export const LATENCY_VARIANTS: readonly SocketVariant[] = [
  { name: 'raw', receiverScript: compiledScript('channel/raw/latencyServer'), senderScript: compiledScript('channel/raw/latencyClient') },
  variant('sluice', 'sluice/latencyEcho', 'sluice/latencyClient'),
];

export const HEAD_OF_LINE_VARIANTS: readonly SocketVariant[] = [
  variant('raw', 'raw/headOfLineProducer', 'raw/headOfLineConsumer'),
  // Same code, flow-control mode fixed by the entry script (NettyConfig.flowControlMode on both sides).
  variant('credit', 'sluice/headOfLineProducerCredit', 'sluice/headOfLineConsumerCredit'),
  variant('push', 'sluice/headOfLineProducerPush', 'sluice/headOfLineConsumerPush'),
];
