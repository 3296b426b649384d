import { describe, expect, it } from '@jest/globals';
import { UnsupportedOperationException } from '@sluice/channel';
import fc from 'fast-check';
import {
  BroadcastPartitioner,
  ForwardChannelSelector,
  javaHashCode,
  KeyGroupRangeAssignment,
  KeyGroupStreamPartitioner,
  murmurHash,
  RoundRobinChannelSelector,
} from '../../src/io';

describe('channel selectors', () => {
  it('round robin visits channels 0..n-1 in order, again and again', () => {
    const selector = new RoundRobinChannelSelector<number>();
    selector.setup(3);
    expect(Array.from({ length: 7 }, () => selector.selectChannel(0))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(selector.isBroadcast()).toBe(false);
  });

  it('round robin with a random start still cycles through every channel', () => {
    const selector = new RoundRobinChannelSelector<number>(true);
    selector.setup(5);
    const first = selector.selectChannel(0);
    const next = Array.from({ length: 5 }, () => selector.selectChannel(0));
    expect(next).toEqual(Array.from({ length: 5 }, (_, i) => (first + 1 + i) % 5));
  });

  it('forward always picks channel 0', () => {
    const selector = new ForwardChannelSelector<string>();
    selector.setup(1);
    expect(selector.selectChannel('a')).toBe(0);
    expect(selector.selectChannel('b')).toBe(0);
  });

  it('broadcast does not select channels', () => {
    const selector = new BroadcastPartitioner<number>();
    expect(selector.isBroadcast()).toBe(true);
    expect(() => selector.selectChannel(1)).toThrow(UnsupportedOperationException);
  });

  it('key hashing is stable, in range, and equal keys go to the same channel', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.double(), fc.bigInt(), fc.boolean()), fc.integer({ min: 1, max: 300 }), (key, channels) => {
        const selector = new KeyGroupStreamPartitioner<{ key: typeof key }, typeof key>((r) => r.key);
        selector.setup(channels);
        const channel = selector.selectChannel({ key });
        expect(channel).toBeGreaterThanOrEqual(0);
        expect(channel).toBeLessThan(channels);
        expect(selector.selectChannel({ key })).toBe(channel);
        const again = new KeyGroupStreamPartitioner<{ key: typeof key }, typeof key>((r) => r.key);
        again.setup(channels);
        expect(again.selectChannel({ key })).toBe(channel);
      }),
    );
  });

  it('maps key → Java hash → murmur → key group → channel as Flink does', () => {
    // Java: "hello".hashCode() == 99162322, Long.hashCode(-1L) == 0, Boolean.hashCode(true) == 1231.
    expect(javaHashCode('hello')).toBe(99162322);
    expect(javaHashCode(-1)).toBe(0);
    expect(javaHashCode(2n ** 32n + 5n)).toBe(4);
    expect(javaHashCode(true)).toBe(1231);
    expect(murmurHash(-2147483648)).toBeGreaterThanOrEqual(0);
    fc.assert(
      fc.property(fc.integer(), (h) => {
        const m = murmurHash(h);
        expect(Number.isInteger(m) && m >= 0 && m <= 2147483647).toBe(true);
      }),
    );
    const selector = new KeyGroupStreamPartitioner<string, string>((s) => s, { maxParallelism: 128 });
    selector.setup(4);
    const keyGroup = KeyGroupRangeAssignment.assignToKeyGroup('hello', 128);
    expect(selector.selectChannel('hello')).toBe(Math.floor((keyGroup * 4) / 128));
    expect(KeyGroupRangeAssignment.computeDefaultMaxParallelism(4)).toBe(128);
    expect(KeyGroupRangeAssignment.computeDefaultMaxParallelism(200)).toBe(512);
    expect(KeyGroupRangeAssignment.computeDefaultMaxParallelism(100000)).toBe(32768);
  });

  it('spreads many keys over all channels', () => {
    const selector = new KeyGroupStreamPartitioner<number, number>((n) => n);
    selector.setup(8);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(selector.selectChannel(i));
    expect(seen.size).toBe(8);
  });
});
