import { IllegalArgumentException } from '@sluice/channel';

/**
 * Defaults of Flink's network-memory options (Flink 1.20 `NettyShuffleEnvironmentOptions` and
 * `TaskManagerOptions`), in one place. Units are in the names: bytes, milliseconds, or counts.
 *
 * @example
 * new NetworkBufferPool(2048, NetworkMemoryDefaults.SEGMENT_SIZE);
 */
export const NetworkMemoryDefaults = {
  /** Bytes per network buffer (`taskmanager.memory.segment-size`, default 32 KiB). */
  SEGMENT_SIZE: 32768,
  /** Exclusive buffers per input channel = its initial credit (`…buffers-per-channel`, default 2). */
  BUFFERS_PER_CHANNEL: 2,
  /** Floating buffers shared by the channels of one input gate (`…floating-buffers-per-gate`, default 8). */
  FLOATING_BUFFERS_PER_GATE: 8,
  /** Buffers one subpartition may hold before its pool turns unavailable (`…max-buffers-per-channel`, default 10). */
  MAX_BUFFERS_PER_CHANNEL: 10,
  /** Buffers a gate may take beyond its pool size when exhausted (`…max-overdraft-buffers-per-gate`, default 5). */
  MAX_OVERDRAFT_BUFFERS_PER_GATE: 5,
  /** Milliseconds an exclusive-buffer request waits (`…exclusive-buffers-request-timeout-ms`, default 30000). */
  EXCLUSIVE_BUFFERS_REQUEST_TIMEOUT_MS: 30000,
  /** Share of total TaskManager memory for the network (`taskmanager.memory.network.fraction`, default 0.1). */
  NETWORK_MEMORY_FRACTION: 0.1,
  /** Lower bound of network memory in bytes (`taskmanager.memory.network.min`, default 64 MiB). */
  NETWORK_MEMORY_MIN: 64 * 1024 * 1024,
  /** Upper bound of network memory in bytes (`taskmanager.memory.network.max`, default 1 GiB; newer Flink: unbounded). */
  NETWORK_MEMORY_MAX: 1024 * 1024 * 1024,
} as const;

/** Network-memory options by field name; every field is optional and defaults to {@link NetworkMemoryDefaults}. */
export interface NetworkMemoryOptions {
  /** Bytes per network buffer (default: 32768). */
  segmentSize?: number;
  /** Exclusive buffers per input channel (default: 2). */
  buffersPerChannel?: number;
  /** Floating buffers per input gate (default: 8). */
  floatingBuffersPerGate?: number;
  /** Buffers per subpartition before back-pressure (default: 10). */
  maxBuffersPerChannel?: number;
  /** Overdraft buffers per gate (default: 5). */
  maxOverdraftBuffersPerGate?: number;
  /** Exclusive-buffer request timeout in milliseconds (default: 30000). */
  exclusiveBuffersRequestTimeoutMs?: number;
  /** Fraction of TaskManager memory used for the network (default: 0.1). */
  networkMemoryFraction?: number;
  /** Minimum network memory in bytes (default: 64 MiB). */
  networkMemoryMin?: number;
  /** Maximum network memory in bytes (default: 1 GiB). */
  networkMemoryMax?: number;
}

/** Flink's configuration key → {@link NetworkMemoryOptions} field, so a Flink user finds the keys they know. */
export const NETWORK_MEMORY_CONFIG_KEYS: Readonly<Record<string, keyof NetworkMemoryOptions>> = Object.freeze({
  'taskmanager.memory.segment-size': 'segmentSize',
  'taskmanager.network.memory.buffers-per-channel': 'buffersPerChannel',
  'taskmanager.network.memory.floating-buffers-per-gate': 'floatingBuffersPerGate',
  'taskmanager.network.memory.max-buffers-per-channel': 'maxBuffersPerChannel',
  'taskmanager.network.memory.max-overdraft-buffers-per-gate': 'maxOverdraftBuffersPerGate',
  'taskmanager.network.memory.exclusive-buffers-request-timeout-ms': 'exclusiveBuffersRequestTimeoutMs',
  'taskmanager.memory.network.fraction': 'networkMemoryFraction',
  'taskmanager.memory.network.min': 'networkMemoryMin',
  'taskmanager.memory.network.max': 'networkMemoryMax',
});

const MEMORY_FIELDS: ReadonlySet<keyof NetworkMemoryOptions> = new Set(['segmentSize', 'networkMemoryMin', 'networkMemoryMax']);
const UNITS: Readonly<Record<string, number>> = {
  '': 1, b: 1, bytes: 1, k: 1024, kb: 1024, kibibytes: 1024, m: 1024 ** 2, mb: 1024 ** 2, mebibytes: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gibibytes: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tebibytes: 1024 ** 4,
};

/** Parses Flink's MemorySize text (`"32kb"`, `"64 mb"`, `"1g"`, plain bytes); units are powers of 1024. */
export function parseMemorySize(text: string, key = 'memory size'): number {
  const match = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  const factor = match === null ? undefined : UNITS[match[2]!.toLowerCase()];
  if (match === null || factor === undefined) {
    throw new IllegalArgumentException(`${key}: '${text}' is not a memory size (expected e.g. '32kb', '64 mb', '1g' or a number of bytes)`);
  }
  return Number(match[1]) * factor;
}

/**
 * Resolves options from Flink-style configuration keys and/or field names (field names win), fills the
 * defaults and validates every value. Throws `IllegalArgumentException` naming the key or field.
 *
 * @example
 * resolveNetworkMemoryOptions({ 'taskmanager.memory.segment-size': '16kb' }).segmentSize; // 16384
 */
export function resolveNetworkMemoryOptions(
  config: Readonly<Record<string, string | number | undefined>> = {},
  options: NetworkMemoryOptions = {},
): Required<NetworkMemoryOptions> {
  const resolved: Required<NetworkMemoryOptions> = {
    segmentSize: NetworkMemoryDefaults.SEGMENT_SIZE,
    buffersPerChannel: NetworkMemoryDefaults.BUFFERS_PER_CHANNEL,
    floatingBuffersPerGate: NetworkMemoryDefaults.FLOATING_BUFFERS_PER_GATE,
    maxBuffersPerChannel: NetworkMemoryDefaults.MAX_BUFFERS_PER_CHANNEL,
    maxOverdraftBuffersPerGate: NetworkMemoryDefaults.MAX_OVERDRAFT_BUFFERS_PER_GATE,
    exclusiveBuffersRequestTimeoutMs: NetworkMemoryDefaults.EXCLUSIVE_BUFFERS_REQUEST_TIMEOUT_MS,
    networkMemoryFraction: NetworkMemoryDefaults.NETWORK_MEMORY_FRACTION,
    networkMemoryMin: NetworkMemoryDefaults.NETWORK_MEMORY_MIN,
    networkMemoryMax: NetworkMemoryDefaults.NETWORK_MEMORY_MAX,
  };
  for (const [key, raw] of Object.entries(config)) {
    if (raw === undefined) continue;
    const field = NETWORK_MEMORY_CONFIG_KEYS[key];
    if (field === undefined) continue; // not a network-memory key: other layers read it
    resolved[field] = typeof raw === 'number' ? raw : MEMORY_FIELDS.has(field) ? parseMemorySize(raw, key) : Number(raw);
  }
  for (const [field, value] of Object.entries(options) as [keyof NetworkMemoryOptions, number | undefined][]) {
    if (value !== undefined) resolved[field] = value;
  }
  const keyOf = (field: keyof NetworkMemoryOptions): string =>
    `${Object.keys(NETWORK_MEMORY_CONFIG_KEYS).find((k) => NETWORK_MEMORY_CONFIG_KEYS[k] === field)} (${field})`;
  const checkInt = (field: keyof NetworkMemoryOptions, min: number): void => {
    const v = resolved[field];
    if (!Number.isSafeInteger(v) || v < min) throw new IllegalArgumentException(`${keyOf(field)}: ${v} (expected: an integer >= ${min})`);
  };
  checkInt('segmentSize', 1);
  checkInt('buffersPerChannel', 0);
  checkInt('floatingBuffersPerGate', 0);
  checkInt('maxBuffersPerChannel', 1);
  checkInt('maxOverdraftBuffersPerGate', 0);
  checkInt('exclusiveBuffersRequestTimeoutMs', 1);
  checkInt('networkMemoryMin', 0);
  checkInt('networkMemoryMax', 0);
  const fraction = resolved.networkMemoryFraction;
  if (!(fraction >= 0 && fraction < 1)) {
    throw new IllegalArgumentException(`${keyOf('networkMemoryFraction')}: ${fraction} (expected: 0 <= fraction < 1)`);
  }
  if (resolved.networkMemoryMin > resolved.networkMemoryMax) {
    throw new IllegalArgumentException(
      `${keyOf('networkMemoryMin')} ${resolved.networkMemoryMin} is larger than ${keyOf('networkMemoryMax')} ${resolved.networkMemoryMax}`,
    );
  }
  return resolved;
}
