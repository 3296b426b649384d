/**
 * The variant registry of the `channel` suite: one line per implementation per benchmark, the raw
 * baseline first. To add the Sluice variants, write the scripts under `channel/sluice/` and
 * uncomment (or add) their line — nothing else changes.
 */
import type { InProcessVariant, SocketVariant } from '../harness/BenchVariant';
import { compiledScript } from '../harness/BenchVariant';

const socket = (name: string, dir: string, receiver: string, sender: string): SocketVariant => ({
  name,
  receiverScript: compiledScript(`channel/${dir}/${receiver}`),
  senderScript: compiledScript(`channel/${dir}/${sender}`),
});

export const BULK_VARIANTS: readonly SocketVariant[] = [
  socket('raw', 'raw', 'bulkReceiver', 'bulkSender'),
  socket('sluice', 'sluice', 'bulkReceiver', 'bulkSender'),
];

export const SMALL_VARIANTS: readonly SocketVariant[] = [
  socket('raw', 'raw', 'smallReceiver', 'smallSender'),
  // Same work as raw: prebuilt frames, each written through the pipeline as one message.
  socket('sluice', 'sluice', 'smallReceiver', 'smallFramedSender'),
  // More work than raw: LengthFieldPrepender encodes (allocates a length header for) every message.
  socket('sluice-prepender', 'sluice', 'smallReceiver', 'smallSender'),
];

export const LATENCY_VARIANTS: readonly SocketVariant[] = [
  socket('raw', 'raw', 'latencyServer', 'latencyClient'),
  socket('sluice', 'sluice', 'latencyServer', 'latencyClient'),
];

export const ALLOCATOR_VARIANTS: readonly InProcessVariant[] = [
  { name: 'raw', script: compiledScript('channel/raw/allocator') },
  { name: 'sluice', script: compiledScript('channel/sluice/allocator') },
];
