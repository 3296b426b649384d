// What the two-process tests' parent and producer child say to each other over IPC, and the record layout.
import type { NettyShuffleDescriptorJSON } from '../../src/shuffle/NettyShuffleDescriptor';
import type { FlowControlMode } from '../../src/netty/NettyConfig';

export interface ProducerArgs {
  readonly producers: number;
  readonly subpartitions: number;
  readonly records: number;
  readonly buffers: number;
  readonly bufferTimeoutMs: number;
  readonly flowControl: FlowControlMode;
}

export type ProducerMessage =
  | { type: 'ready'; port: number; descriptors: NettyShuffleDescriptorJSON[] }
  | { type: 'progress'; partition: number; written: number }
  | { type: 'written'; counts: number[][]; sums: number[][] }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

export type ParentMessage = { type: 'go' } | { type: 'exit' };

/** Record `i` of producer `p`: `p * 2^40 + i`. */
export function recordValue(p: number, i: number): number {
  return p * 2 ** 40 + i;
}

/** Splits a record value into producer and index. */
export function splitRecord(value: number): { p: number; i: number } {
  const p = Math.floor(value / 2 ** 40);
  return { p, i: value - p * 2 ** 40 };
}

/** The subpartition of a record: a multiplicative hash of its index, so every subpartition gets records. */
export function subpartitionOf(value: number, subpartitions: number): number {
  const { i } = splitRecord(value);
  return (Math.imul(i, 0x9e3779b1) >>> 0) % subpartitions;
}
