import { IllegalArgumentException } from '@sluice/channel';
import type { ChannelSelector } from './ChannelSelector';
import { KeyGroupRangeAssignment, javaHashCode, type HashableKey } from './KeyGroupRangeAssignment';

/** Extracts the partitioning key of a record (Flink's `KeySelector`). */
export type KeySelector<T, K> = (record: T) => K;

/** Options of {@link KeyGroupStreamPartitioner}. */
export interface KeyGroupStreamPartitionerOptions<K> {
  /** Number of key groups (Flink's max parallelism, 1–32768; default: Flink's default for the channel count). */
  maxParallelism?: number;
  /** Hash of a key (default: {@link javaHashCode}, which requires string/number/bigint/boolean keys). */
  keyHash?: (key: K) => number;
}

/**
 * Port of org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner (Flink 1.20). Differs:
 * the key's hash is a function (default: Java's `hashCode` of primitive keys, see {@link javaHashCode});
 * max parallelism defaults to Flink's computed default.
 *
 * Hash partitioning ("keyBy"): key → Java hash → Murmur hash → key group (`% maxParallelism`) → channel
 * (`keyGroup * channels / maxParallelism`). Equal keys always go to the same channel; the mapping is
 * Flink's, so the same keys land in the same key groups as in Java Flink.
 *
 * @example
 * new KeyGroupStreamPartitioner<Trade, string>((t) => t.symbol, { maxParallelism: 128 });
 */
export class KeyGroupStreamPartitioner<T, K = HashableKey> implements ChannelSelector<T> {
  private numberOfChannels = 0;
  private maxParallelism: number;
  private readonly keyHash: (key: K) => number;

  constructor(
    private readonly keySelector: KeySelector<T, K>,
    options: KeyGroupStreamPartitionerOptions<K> = {},
  ) {
    this.maxParallelism = options.maxParallelism ?? 0;
    if (options.maxParallelism !== undefined) KeyGroupRangeAssignment.checkParallelismPreconditions(options.maxParallelism);
    this.keyHash = options.keyHash ?? (javaHashCode as unknown as (key: K) => number);
  }

  setup(numberOfChannels: number): void {
    if (!Number.isSafeInteger(numberOfChannels) || numberOfChannels < 1) {
      throw new IllegalArgumentException(`numberOfChannels: ${numberOfChannels} (expected: >= 1)`);
    }
    this.numberOfChannels = numberOfChannels;
    if (this.maxParallelism === 0) this.maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(numberOfChannels);
  }

  /** The number of key groups in use. */
  getMaxParallelism(): number {
    return this.maxParallelism;
  }

  selectChannel(record: T): number {
    const keyGroup = KeyGroupRangeAssignment.computeKeyGroupForKeyHash(this.keyHash(this.keySelector(record)), this.maxParallelism);
    return KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(this.maxParallelism, this.numberOfChannels, keyGroup);
  }

  isBroadcast(): boolean {
    return false;
  }

  toString(): string {
    return 'HASH';
  }
}
