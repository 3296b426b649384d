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
