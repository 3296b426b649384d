import { describe, expect, it } from '@jest/globals';
import { IllegalArgumentException } from '@sluice/channel';
import { CONSUMER_CONFIG_KEYS, ConsumerDefaults } from '../../src/consumer/ConsumerDefaults';
import { SHUFFLE_CONFIG_KEYS, ShuffleConfig, type ShuffleConfigInput } from '../../src/di/ShuffleConfig';
import { ShuffleConfigException } from '../../src/di/errors';
import { NETWORK_MEMORY_CONFIG_KEYS, NetworkMemoryDefaults } from '../../src/memory/NetworkMemoryDefaults';

const MiB = 1024 * 1024;

/** Runs `fn` and returns the ShuffleConfigException it throws. */
function rejection(fn: () => unknown): ShuffleConfigException {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ShuffleConfigException);
    return err as ShuffleConfigException;
  }
  throw new Error('expected a ShuffleConfigException, nothing was thrown');
}

describe('ShuffleConfig', () => {
  it("has Flink's defaults, and 64 MiB of network memory (2048 buffers of 32 KiB) when nothing sizes it", () => {
    const config = ShuffleConfig.resolve();
    expect(config).toMatchObject({
      segmentSize: 32768,
      networkMemoryFraction: 0.1,
      networkMemoryMin: 64 * MiB,
      networkMemoryMax: 1024 * MiB,
      totalFlinkMemory: null,
      networkMemorySize: 64 * MiB,
      numberOfBuffers: 2048,
      networkMemorySource: 'networkMemoryMin',
      buffersPerChannel: 2,
      floatingBuffersPerGate: 8,
      maxBuffersPerChannel: 10,
      maxOverdraftBuffersPerGate: 5,
      exclusiveBuffersRequestTimeoutMs: 30000,
      initialBackoffMs: 100,
      maxBackoffMs: 10000,
      partitionRequestListenerTimeoutMs: 10000,
      bufferTimeoutMs: 100,
    });
    // The defaults come from the memory and consumer layers, not from a copy.
    expect(config.segmentSize).toBe(NetworkMemoryDefaults.SEGMENT_SIZE);
    expect(config.maxBackoffMs).toBe(ConsumerDefaults.REQUEST_BACKOFF_MAX_MS);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("knows every network-memory and consumer key of the other layers, under Flink's names", () => {
    for (const [key, field] of Object.entries({ ...NETWORK_MEMORY_CONFIG_KEYS, ...CONSUMER_CONFIG_KEYS })) {
      expect(SHUFFLE_CONFIG_KEYS[key]).toBe(field);
    }
    expect(SHUFFLE_CONFIG_KEYS['execution.buffer-timeout']).toBe('bufferTimeoutMs');
    expect(SHUFFLE_CONFIG_KEYS['taskmanager.network.numberOfBuffers']).toBe('numberOfBuffers');
    expect(SHUFFLE_CONFIG_KEYS['taskmanager.memory.flink.size']).toBe('totalFlinkMemory');
    // Every key resolves to its field (numberOfBuffers and networkMemorySize are only checked for their rule).
    const sample: Record<string, number | string> = {
      'taskmanager.memory.segment-size': '4kb',
      'taskmanager.network.memory.buffers-per-channel': 3,
      'taskmanager.network.memory.floating-buffers-per-gate': '7',
      'taskmanager.network.memory.max-buffers-per-channel': 11,
      'taskmanager.network.memory.max-overdraft-buffers-per-gate': 0,
      'taskmanager.network.memory.exclusive-buffers-request-timeout-ms': '2 s',
      'taskmanager.network.request-backoff.initial': 5,
      'taskmanager.network.request-backoff.max': '1 min',
      'taskmanager.network.partition-request-timeout': 250,
      'execution.buffer-timeout': '5 ms',
    };
    expect(ShuffleConfig.resolve(sample as ShuffleConfigInput)).toMatchObject({
      segmentSize: 4096,
      buffersPerChannel: 3,
      floatingBuffersPerGate: 7,
      maxBuffersPerChannel: 11,
      maxOverdraftBuffersPerGate: 0,
      exclusiveBuffersRequestTimeoutMs: 2000,
      initialBackoffMs: 5,
      maxBackoffMs: 60000,
      partitionRequestListenerTimeoutMs: 250,
      bufferTimeoutMs: 5,
    });
  });

  it('takes field names, Flink keys, or both when they agree, and a Map of keys', () => {
    const byField = ShuffleConfig.resolve({ segmentSize: '16kb', buffersPerChannel: 4, numberOfBuffers: 32, bufferTimeoutMs: -1 });
    const byKey = ShuffleConfig.resolve({
      'taskmanager.memory.segment-size': 16384,
      'taskmanager.network.memory.buffers-per-channel': '4',
      'taskmanager.network.numberOfBuffers': 32,
      'execution.buffer-timeout': '-1',
    });
    const both = ShuffleConfig.resolve({ segmentSize: 16384, 'taskmanager.memory.segment-size': '16 kb', buffersPerChannel: 4, numberOfBuffers: 32, bufferTimeoutMs: -1 });
    const fromMap = ShuffleConfig.resolve(
      new Map<string, unknown>([
        ['taskmanager.memory.segment-size', '16kb'],
        ['taskmanager.network.memory.buffers-per-channel', '4'],
        ['taskmanager.network.numberOfBuffers', '32'],
        ['execution.buffer-timeout', '-1'],
      ]),
    );
    for (const config of [byKey, both, fromMap]) expect(config).toEqual(byField);
    expect(byField).toMatchObject({ segmentSize: 16384, numberOfBuffers: 32, networkMemorySize: 32 * 16384, networkMemorySource: 'numberOfBuffers' });
    expect(ShuffleConfig.resolve(byField)).toBe(byField);
    expect(ShuffleConfig.resolve({ bufferTimeoutMs: undefined }).bufferTimeoutMs).toBe(100);
  });

  it('sizes the network memory by the first rule given: buffers, size, fraction of the Flink memory within [min, max], min', () => {
    expect(ShuffleConfig.resolve({ numberOfBuffers: 10, segmentSize: 1024 })).toMatchObject({ numberOfBuffers: 10, networkMemorySize: 10240 });
    expect(ShuffleConfig.resolve({ networkMemorySize: '1mb', segmentSize: '32kb' })).toMatchObject({
      numberOfBuffers: 32,
      networkMemorySource: 'networkMemorySize',
    });
    // 10 % of 2 GiB = 204.8 MiB, within [64 MiB, 1 GiB].
    expect(ShuffleConfig.resolve({ 'taskmanager.memory.flink.size': '2g' })).toMatchObject({
      totalFlinkMemory: 2048 * MiB,
      numberOfBuffers: Math.floor((2048 * MiB * 0.1) / 32768),
      networkMemorySource: 'totalFlinkMemory',
    });
    // Clamped to the minimum and to the maximum.
    expect(ShuffleConfig.resolve({ totalFlinkMemory: '100mb' }).networkMemorySize).toBe(64 * MiB);
    expect(ShuffleConfig.resolve({ totalFlinkMemory: '100mb', networkMemoryFraction: 0.5, networkMemoryMax: '32mb', networkMemoryMin: '1mb' }).networkMemorySize).toBe(32 * MiB);
    // A network memory that is not a multiple of the segment size is rounded down to whole buffers.
    expect(ShuffleConfig.resolve({ networkMemorySize: 1000, segmentSize: 128 })).toMatchObject({ numberOfBuffers: 7, networkMemorySize: 896 });
    expect(ShuffleConfig.resolve({ networkMemoryMin: '1mb', networkMemoryMax: '1mb', segmentSize: 4096 })).toMatchObject({
      numberOfBuffers: 256,
      networkMemorySource: 'networkMemoryMin',
    });
  });

  it('parses durations and memory sizes as Flink does', () => {
    const config = ShuffleConfig.resolve({ initialBackoffMs: '250', maxBackoffMs: '2 min', bufferTimeoutMs: '1s', exclusiveBuffersRequestTimeoutMs: '1 h' });
    expect([config.initialBackoffMs, config.maxBackoffMs, config.bufferTimeoutMs, config.exclusiveBuffersRequestTimeoutMs]).toEqual([250, 120000, 1000, 3600000]);
    expect(ShuffleConfig.resolve({ segmentSize: '2 KB', numberOfBuffers: 1 }).segmentSize).toBe(2048);
    expect(ShuffleConfig.resolve({ bufferTimeoutMs: 0 }).bufferTimeoutMs).toBe(0);
  });

  describe('rejects', () => {
    it.each([
      ['taskmanager.network.memory.buffers-per-channel', -1, 'buffersPerChannel', /is -1; expected an integer >= 0 \(default: 2\)/],
      ['taskmanager.network.memory.buffers-per-channel', 'two', 'buffersPerChannel', /is 'two'; expected an integer >= 0/],
      ['taskmanager.network.memory.floating-buffers-per-gate', 2.5, 'floatingBuffersPerGate', /is 2\.5; expected an integer >= 0/],
      ['taskmanager.network.memory.max-buffers-per-channel', 0, 'maxBuffersPerChannel', /is 0; expected an integer >= 1 \(default: 10\)/],
      ['taskmanager.memory.segment-size', '32 parsecs', 'segmentSize', /is '32 parsecs'; expected an integer number of bytes >= 1 and <= 1073741816, or a memory size/],
      ['taskmanager.memory.segment-size', '2g', 'segmentSize', /and <= 1073741816/],
      ['taskmanager.memory.network.fraction', 1, 'networkMemoryFraction', /is 1; expected a number >= 0 and < 1/],
      ['taskmanager.memory.network.fraction', 'a tenth', 'networkMemoryFraction', /expected a number >= 0 and < 1/],
      ['taskmanager.network.request-backoff.initial', '5 fortnights', 'initialBackoffMs', /expected an integer number of milliseconds >= 0, or a duration/],
      ['taskmanager.network.memory.exclusive-buffers-request-timeout-ms', 0, 'exclusiveBuffersRequestTimeoutMs', /expected an integer number of milliseconds >= 1/],
      ['execution.buffer-timeout', -2, 'bufferTimeoutMs', /is -2; expected -1 \(flush only full buffers\), 0 \(flush after every record\) or a positive number/],
      ['execution.buffer-timeout', true, 'bufferTimeoutMs', /is true/],
      ['taskmanager.network.numberOfBuffers', 0, 'numberOfBuffers', /is 0; expected an integer >= 1\.$/],
    ])('%s = %p, naming the key, the field, the value and what is allowed', (key, value, field, message) => {
      const err = rejection(() => ShuffleConfig.resolve({ [key]: value } as ShuffleConfigInput));
      expect(err.kind).toBe('invalid-value');
      expect([err.key, err.field, err.value]).toEqual([key, field, value]);
      expect(err.message).toMatch(new RegExp(`^Invalid shuffle configuration: '${key.replace(/\./g, '\\.')}' \\(${field}\\) is `));
      expect(err.message).toMatch(message);
      expect(err.expected.length).toBeGreaterThan(0);
      expect(err.code).toBe('SLUICE_INVALID_SHUFFLE_CONFIG');
      expect(err).toBeInstanceOf(IllegalArgumentException);
    });

    it('a bad field value, naming the field first and its Flink key', () => {
      const err = rejection(() => ShuffleConfig.resolve({ maxOverdraftBuffersPerGate: -5 }));
      expect(err.message).toBe(
        "Invalid shuffle configuration: 'maxOverdraftBuffersPerGate' (taskmanager.network.memory.max-overdraft-buffers-per-gate) is -5; expected an integer >= 0 (default: 5).",
      );
      expect([err.key, err.field]).toEqual(['taskmanager.network.memory.max-overdraft-buffers-per-gate', 'maxOverdraftBuffersPerGate']);
      // A Sluice-only field has no Flink key.
      const sizeErr = rejection(() => ShuffleConfig.resolve({ networkMemorySize: 0 }));
      expect([sizeErr.key, sizeErr.field, sizeErr.message]).toEqual([null, 'networkMemorySize', expect.stringMatching(/^Invalid shuffle configuration: 'networkMemorySize' is 0;/)]);
    });

    it('an unknown key, suggesting the closest known one, unless unknown keys are allowed', () => {
      const typo = rejection(() => ShuffleConfig.resolve({ 'taskmanager.network.memory.buffers-per-chanel': 4 } as ShuffleConfigInput));
      expect(typo.kind).toBe('unknown-key');
      expect(typo.key).toBe('taskmanager.network.memory.buffers-per-chanel');
      expect(typo.message).toMatch(/unknown key 'taskmanager\.network\.memory\.buffers-per-chanel'; did you mean 'taskmanager\.network\.memory\.buffers-per-channel'\?/);
      const field = rejection(() => ShuffleConfig.resolve({ floatingBuffersPerGat: 1 } as unknown as ShuffleConfigInput));
      expect(field.message).toMatch(/did you mean 'floatingBuffersPerGate'\?/);
      const other = rejection(() => ShuffleConfig.resolve(new Map([['jobmanager.rpc.address', 'localhost']])));
      expect(other.message).toMatch(/unknown key 'jobmanager\.rpc\.address'\. .*allowUnknownKeys/);
      expect(
        ShuffleConfig.resolve(new Map<string, unknown>([['jobmanager.rpc.address', 'localhost'], ['taskmanager.network.numberOfBuffers', 4]]), { allowUnknownKeys: true })
          .numberOfBuffers,
      ).toBe(4);
    });

    it('an option given twice with different values', () => {
      const err = rejection(() => ShuffleConfig.resolve({ buffersPerChannel: 3, 'taskmanager.network.memory.buffers-per-channel': 4 }));
      expect(err.kind).toBe('conflict');
      expect(err.message).toBe(
        "Invalid shuffle configuration: 'buffersPerChannel' is 3 but 'taskmanager.network.memory.buffers-per-channel' is 4: both set " +
          "'taskmanager.network.memory.buffers-per-channel' (buffersPerChannel); give it once.",
      );
    });

    it('contradicting bounds', () => {
      expect(rejection(() => ShuffleConfig.resolve({ 'taskmanager.memory.network.min': '2g', 'taskmanager.memory.network.max': '1g' })).message).toMatch(
        /'taskmanager\.memory\.network\.min' \(2147483648 bytes\) is larger than 'taskmanager\.memory\.network\.max' \(1073741824 bytes\)/,
      );
      expect(rejection(() => ShuffleConfig.resolve({ initialBackoffMs: 500 , maxBackoffMs: 100 })).message).toMatch(
        /'initialBackoffMs' \(500 ms\) is larger than 'maxBackoffMs' \(100 ms\)/,
      );
      // The default max back-off is 10 s.
      expect(rejection(() => ShuffleConfig.resolve({ initialBackoffMs: '20 s' })).kind).toBe('conflict');
    });

    it('two ways of sizing the network memory at once, and memory that holds no buffer', () => {
      const legacy = rejection(() => ShuffleConfig.resolve({ 'taskmanager.network.numberOfBuffers': 100, 'taskmanager.memory.network.fraction': 0.2 }));
      expect(legacy.kind).toBe('conflict');
      expect(legacy.message).toMatch(/'taskmanager\.network\.numberOfBuffers' gives the number of buffers outright, but 'taskmanager\.memory\.network\.fraction' also size/);
      expect(rejection(() => ShuffleConfig.resolve({ numberOfBuffers: 10, networkMemorySize: '1mb' })).field).toBe('numberOfBuffers');
      expect(rejection(() => ShuffleConfig.resolve({ networkMemorySize: '1mb', totalFlinkMemory: '1g' })).message).toMatch(
        /'networkMemorySize' gives the network memory outright, but 'totalFlinkMemory' also sizes it/,
      );
      const tiny = rejection(() => ShuffleConfig.resolve({ networkMemorySize: 100, segmentSize: 128 }));
      expect(tiny.message).toMatch(/the network memory of 100 bytes \(from networkMemorySize\) holds 0 buffers of 128 bytes; expected 1 to 2147483647/);
    });

    it('something that is not a configuration', () => {
      expect(rejection(() => ShuffleConfig.resolve(42 as unknown as ShuffleConfigInput)).message).toMatch(/the configuration is 42; expected an object/);
    });
  });

  it('hands the component options over', () => {
    const config = ShuffleConfig.resolve({ buffersPerChannel: 1, floatingBuffersPerGate: 3, maxBuffersPerChannel: 4, maxOverdraftBuffersPerGate: 2, initialBackoffMs: 7, maxBackoffMs: 70, exclusiveBuffersRequestTimeoutMs: 99, numberOfBuffers: 4 });
    expect(config.resultPartitionFactoryOptions()).toEqual({ networkBuffersPerChannel: 1, floatingNetworkBuffersPerGate: 3, maxBuffersPerChannel: 4, maxOverdraftBuffersPerGate: 2 });
    expect(config.inputChannelOptions()).toEqual({ initialBackoffMs: 7, maxBackoffMs: 70 });
    expect(config.networkBufferPoolOptions()).toEqual({ requestSegmentsTimeoutMs: 99 });
    expect(config.toString()).toMatch(/^ShuffleConfig\{taskmanager\.memory\.segment-size=32768, .*taskmanager\.network\.numberOfBuffers=4, .*source=numberOfBuffers\}$/);
    expect(config.entries()).toContainEqual(['networkMemorySize', 4 * 32768]);
  });
});
