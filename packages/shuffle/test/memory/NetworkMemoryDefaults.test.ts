import { describe, expect, it } from '@jest/globals';
import { IllegalArgumentException } from '@sluice/channel';
import { NETWORK_MEMORY_CONFIG_KEYS, NetworkMemoryDefaults, parseMemorySize, resolveNetworkMemoryOptions } from '../../src/memory';

describe('NetworkMemoryDefaults', () => {
  it("has Flink's defaults", () => {
    expect(resolveNetworkMemoryOptions()).toEqual({
      segmentSize: 32768,
      buffersPerChannel: 2,
      floatingBuffersPerGate: 8,
      maxBuffersPerChannel: 10,
      maxOverdraftBuffersPerGate: 5,
      exclusiveBuffersRequestTimeoutMs: 30000,
      networkMemoryFraction: 0.1,
      networkMemoryMin: 64 * 1024 * 1024,
      networkMemoryMax: 1024 * 1024 * 1024,
    });
    expect(NetworkMemoryDefaults.SEGMENT_SIZE).toBe(32768);
  });

  it("maps Flink's configuration keys to fields, field names winning", () => {
    expect(NETWORK_MEMORY_CONFIG_KEYS['taskmanager.network.memory.buffers-per-channel']).toBe('buffersPerChannel');
    const options = resolveNetworkMemoryOptions(
      {
        'taskmanager.memory.segment-size': '16kb',
        'taskmanager.network.memory.floating-buffers-per-gate': '4',
        'taskmanager.network.memory.max-buffers-per-channel': 3,
        'taskmanager.memory.network.max': '2 gb',
        'some.other.key': 'ignored',
      },
      { floatingBuffersPerGate: 6 },
    );
    expect([options.segmentSize, options.floatingBuffersPerGate, options.maxBuffersPerChannel, options.networkMemoryMax]).toEqual([16384, 6, 3, 2 * 1024 ** 3]);
  });

  it('parses memory sizes with binary units', () => {
    expect([parseMemorySize('32768'), parseMemorySize('32k'), parseMemorySize('64 MB'), parseMemorySize('1g'), parseMemorySize('2 bytes')]).toEqual([
      32768, 32768, 64 * 1024 ** 2, 1024 ** 3, 2,
    ]);
    expect(() => parseMemorySize('lots', 'taskmanager.memory.segment-size')).toThrow(/taskmanager\.memory\.segment-size: 'lots' is not a memory size/);
  });

  it('names the key of an invalid value', () => {
    expect(() => resolveNetworkMemoryOptions({ 'taskmanager.network.memory.max-buffers-per-channel': '0' })).toThrow(
      new IllegalArgumentException('taskmanager.network.memory.max-buffers-per-channel (maxBuffersPerChannel): 0 (expected: an integer >= 1)'),
    );
    expect(() => resolveNetworkMemoryOptions({}, { networkMemoryFraction: 1 })).toThrow(/fraction/);
    expect(() => resolveNetworkMemoryOptions({}, { networkMemoryMin: 10, networkMemoryMax: 5 })).toThrow(/is larger than/);
    expect(() => resolveNetworkMemoryOptions({ 'taskmanager.network.memory.buffers-per-channel': 'two' })).toThrow(IllegalArgumentException);
  });
});
