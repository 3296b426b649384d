import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';
import { CONSUMER_CONFIG_KEYS, ConsumerDefaults } from '../consumer/ConsumerDefaults';
import { SingleInputGate, type SingleInputGateOptions } from '../consumer/SingleInputGate';
import type { EventExecutor } from '@sluice/channel';
import { DEFAULT_BUFFER_TIMEOUT, DISABLED_NETWORK_BUFFER_TIMEOUT } from '../io/writer/RecordWriter';
import { MAX_SEGMENTS_CHUNK_BYTES } from '../memory/MemorySegmentFactory';
import type { NetworkBufferPool, NetworkBufferPoolOptions } from '../memory/NetworkBufferPool';
import {
  NETWORK_MEMORY_CONFIG_KEYS,
  parseMemorySize,
  resolveNetworkMemoryOptions,
  type NetworkMemoryOptions,
} from '../memory/NetworkMemoryDefaults';
import type { ResultPartitionFactoryOptions } from '../partition/ResultPartitionFactory';
import { ShuffleConfigException } from './errors';

/**
 * The shuffle's options by field name (camelCase). Every field is optional and defaults to Flink's
 * value. Sizes in bytes also take Flink's memory-size text (`'32kb'`, `'64 mb'`, `'1g'`; units are powers
 * of 1024); times in milliseconds also take Flink's duration text (`'100 ms'`, `'10 s'`, `'1 min'`).
 *
 * How many network buffers there are (the size of the NetworkBufferPool), in this order:
 * 1. `numberOfBuffers` (Flink's legacy `taskmanager.network.numberOfBuffers`), or
 * 2. `networkMemorySize` (Sluice-only; Flink's way is `min = max`), or
 * 3. `totalFlinkMemory × networkMemoryFraction`, clamped to `[networkMemoryMin, networkMemoryMax]`
 *    (Flink's derivation from `taskmanager.memory.flink.size`), or
 * 4. `networkMemoryMin` (64 MiB = 2048 buffers of 32 KiB by default, which is also Flink's legacy
 *    default number of buffers).
 * divided by `segmentSize`. Options of different rules that contradict each other are rejected.
 */
export interface ShuffleOptions {
  /** Bytes per network buffer (`taskmanager.memory.segment-size`, default: 32768 = 32 KiB). */
  segmentSize?: number | string;
  /** Share of the total Flink memory used for the network, `0 <= f < 1` (`taskmanager.memory.network.fraction`, default: 0.1). */
  networkMemoryFraction?: number | string;
  /** Lower bound of the derived network memory in bytes (`taskmanager.memory.network.min`, default: 64 MiB). */
  networkMemoryMin?: number | string;
  /** Upper bound of the derived network memory in bytes (`taskmanager.memory.network.max`, default: 1 GiB). */
  networkMemoryMax?: number | string;
  /** Total Flink memory in bytes that the fraction applies to (`taskmanager.memory.flink.size`, default: none). */
  totalFlinkMemory?: number | string;
  /** Network memory in bytes, given outright (Sluice-only; in Flink: `min = max`; default: derived). */
  networkMemorySize?: number | string;
  /** Number of network buffers, given outright (Flink's deprecated `taskmanager.network.numberOfBuffers`; default: derived). */
  numberOfBuffers?: number;
  /** Exclusive buffers per input channel, = its initial credit (`taskmanager.network.memory.buffers-per-channel`, default: 2). */
  buffersPerChannel?: number;
  /** Floating buffers per input gate (`taskmanager.network.memory.floating-buffers-per-gate`, default: 8). */
  floatingBuffersPerGate?: number;
  /** Buffers one subpartition may hold before its pool turns unavailable (`taskmanager.network.memory.max-buffers-per-channel`, default: 10). */
  maxBuffersPerChannel?: number;
  /** Buffers a pool may take beyond its size when exhausted (`taskmanager.network.memory.max-overdraft-buffers-per-gate`, default: 5). */
  maxOverdraftBuffersPerGate?: number;
  /** Milliseconds an exclusive-buffer request waits (`taskmanager.network.memory.exclusive-buffers-request-timeout-ms`, default: 30000). */
  exclusiveBuffersRequestTimeoutMs?: number | string;
  /** Milliseconds before the first retry of a partition request (`taskmanager.network.request-backoff.initial`, default: 100). */
  initialBackoffMs?: number | string;
  /** Milliseconds the retry back-off may grow to (`taskmanager.network.request-backoff.max`, default: 10000). */
  maxBackoffMs?: number | string;
  /** Milliseconds a producer waits for a requested partition (`taskmanager.network.partition-request-timeout`, default: 10000). */
  partitionRequestListenerTimeoutMs?: number | string;
  /**
   * The record writers' flush interval in milliseconds (`execution.buffer-timeout`, default: 100): −1 flushes
   * only full buffers (and on events and finish), 0 flushes after every record, N > 0 every N ms.
   */
  bufferTimeoutMs?: number | string;
}

/**
 * Options by Flink's flat configuration keys (`'taskmanager.network.memory.buffers-per-channel': 4`).
 * Values are numbers or Flink's text (`'4'`, `'32kb'`, `'100 ms'`). The key names are checked when the
 * configuration is resolved (an unknown key is an error, with a suggestion); see {@link SHUFFLE_CONFIG_KEYS}.
 */
export type FlinkShuffleConfig = {
  readonly [key: `taskmanager.${string}`]: string | number | undefined;
  readonly [key: `execution.${string}`]: string | number | undefined;
};

/** What {@link ShuffleConfig.resolve} accepts in one object: Flink keys, field names, or both. */
export type ShuffleConfigInput = Readonly<ShuffleOptions> & FlinkShuffleConfig;

/** Options of {@link ShuffleConfig.resolve}. */
export interface ShuffleConfigResolveOptions {
  /**
   * Ignore keys that are neither known Flink keys nor field names — for a whole Flink configuration that
   * also holds other components' keys (default: false, an unknown key is an error).
   */
  allowUnknownKeys?: boolean;
}

/** How the number of network buffers was determined (see {@link ShuffleOptions}). */
export type NetworkMemorySource = 'numberOfBuffers' | 'networkMemorySize' | 'totalFlinkMemory' | 'networkMemoryMin';

type Field = keyof ShuffleOptions;

/**
 * Flink's configuration key → {@link ShuffleOptions} field: the network-memory keys
 * (`NETWORK_MEMORY_CONFIG_KEYS`), the consumer keys (`CONSUMER_CONFIG_KEYS`), and
 * `taskmanager.memory.flink.size`, `taskmanager.network.numberOfBuffers`, `execution.buffer-timeout`.
 * `networkMemorySize` has no Flink key.
 */
export const SHUFFLE_CONFIG_KEYS: Readonly<Record<string, Field>> = Object.freeze({
  ...NETWORK_MEMORY_CONFIG_KEYS,
  ...(CONSUMER_CONFIG_KEYS as Readonly<Record<string, Field>>),
  'taskmanager.memory.flink.size': 'totalFlinkMemory',
  'taskmanager.network.numberOfBuffers': 'numberOfBuffers',
  'execution.buffer-timeout': 'bufferTimeoutMs',
});

type ValueKind = 'bytes' | 'count' | 'ms' | 'fraction' | 'bufferTimeout';

interface OptionSpec {
  readonly kind: ValueKind;
  readonly min: number;
  readonly max: number;
  /** `null`: no default (the option is only used when given). */
  readonly defaultValue: number | null;
}

/** Java's Integer.MAX_VALUE: the limit of Flink's int options. */
const INT_MAX = 2147483647;
/** Largest segment one memory chunk holds together with its int32 position cell (see MemorySegmentFactory). */
const MAX_SEGMENT_SIZE = MAX_SEGMENTS_CHUNK_BYTES - 8;
/** The network-memory defaults, from the one place they are kept (NetworkMemoryDefaults). */
const MEMORY_DEFAULTS: Required<NetworkMemoryOptions> = resolveNetworkMemoryOptions();

const bytes = (min: number, defaultValue: number | null, max = Number.MAX_SAFE_INTEGER): OptionSpec => ({ kind: 'bytes', min, max, defaultValue });
const count = (min: number, defaultValue: number | null): OptionSpec => ({ kind: 'count', min, max: INT_MAX, defaultValue });
const ms = (min: number, defaultValue: number): OptionSpec => ({ kind: 'ms', min, max: INT_MAX, defaultValue });

const SPECS: { readonly [F in Field]-?: OptionSpec } = {
  segmentSize: bytes(1, MEMORY_DEFAULTS.segmentSize, MAX_SEGMENT_SIZE),
  networkMemoryFraction: { kind: 'fraction', min: 0, max: 1, defaultValue: MEMORY_DEFAULTS.networkMemoryFraction },
  networkMemoryMin: bytes(0, MEMORY_DEFAULTS.networkMemoryMin),
  networkMemoryMax: bytes(0, MEMORY_DEFAULTS.networkMemoryMax),
  totalFlinkMemory: bytes(0, null),
  networkMemorySize: bytes(1, null),
  numberOfBuffers: count(1, null),
  buffersPerChannel: count(0, MEMORY_DEFAULTS.buffersPerChannel),
  floatingBuffersPerGate: count(0, MEMORY_DEFAULTS.floatingBuffersPerGate),
  maxBuffersPerChannel: count(1, MEMORY_DEFAULTS.maxBuffersPerChannel),
  maxOverdraftBuffersPerGate: count(0, MEMORY_DEFAULTS.maxOverdraftBuffersPerGate),
  exclusiveBuffersRequestTimeoutMs: ms(1, MEMORY_DEFAULTS.exclusiveBuffersRequestTimeoutMs),
  initialBackoffMs: ms(0, ConsumerDefaults.REQUEST_BACKOFF_INITIAL_MS),
  maxBackoffMs: ms(0, ConsumerDefaults.REQUEST_BACKOFF_MAX_MS),
  partitionRequestListenerTimeoutMs: ms(1, ConsumerDefaults.PARTITION_REQUEST_TIMEOUT_MS),
  bufferTimeoutMs: { kind: 'bufferTimeout', min: DISABLED_NETWORK_BUFFER_TIMEOUT, max: INT_MAX, defaultValue: DEFAULT_BUFFER_TIMEOUT },
};

const FIELDS = Object.keys(SPECS) as Field[];

/** Field → Flink key (`null` for Sluice-only fields). */
function keyOf(field: Field): string | null {
  for (const key of Object.keys(SHUFFLE_CONFIG_KEYS)) if (SHUFFLE_CONFIG_KEYS[key] === field) return key;
  return null;
}

/** How messages name an option: `'flink.key' (field)` or just the field. */
function describeOption(field: Field): string {
  const key = keyOf(field);
  return key === null ? field : `'${key}' (${field})`;
}

function expectedText(spec: OptionSpec): string {
  const range = spec.max < Number.MAX_SAFE_INTEGER && spec.max !== INT_MAX ? ` and <= ${spec.max}` : '';
  switch (spec.kind) {
    case 'bytes':
      return `an integer number of bytes >= ${spec.min}${range}, or a memory size such as '32kb', '64 mb', '1g'`;
    case 'count':
      return `an integer >= ${spec.min}${range}`;
    case 'ms':
      return `an integer number of milliseconds >= ${spec.min}, or a duration such as '100 ms', '10 s', '1 min'`;
    case 'fraction':
      return 'a number >= 0 and < 1';
    case 'bufferTimeout':
      return "-1 (flush only full buffers), 0 (flush after every record) or a positive number of milliseconds (or a duration such as '100 ms')";
  }
}

function render(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : typeof value === 'bigint' ? `${value}n` : String(value);
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  '': 1, ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60000, min: 60000, mins: 60000, minute: 60000, minutes: 60000,
  h: 3600000, hour: 3600000, hours: 3600000,
  d: 86400000, day: 86400000, days: 86400000,
};

/** Flink's duration text (`TimeUtils.parseDuration`): an integer and a unit; a plain number is milliseconds. */
function parseDuration(text: string): number | null {
  const match = /^\s*(-?\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (match === null) return null;
  const factor = DURATION_UNITS[match[2]!.toLowerCase()];
  return factor === undefined ? null : Number(match[1]) * factor;
}

/** Parses and range-checks one value; throws {@link ShuffleConfigException} naming `name` (as given). */
function parseValue(field: Field, name: string, raw: unknown): number {
  const spec = SPECS[field];
  const fail = (cause?: unknown): never => {
    const expected = expectedText(spec);
    const other = name === field ? keyOf(field) : field;
    const label = other === null ? `'${name}'` : `'${name}' (${other})`;
    throw new ShuffleConfigException(
      'invalid-value',
      `${label} is ${render(raw)}; expected ${expected}${spec.defaultValue !== null ? ` (default: ${spec.defaultValue})` : ''}.`,
      { key: keyOf(field), field, value: raw, expected },
      cause !== undefined ? { cause } : undefined,
    );
  };
  let value: number;
  if (typeof raw === 'number') {
    value = raw;
  } else if (typeof raw === 'string') {
    switch (spec.kind) {
      case 'bytes':
        try {
          value = parseMemorySize(raw, name);
        } catch (err) {
          if (err instanceof IllegalArgumentException) return fail(err);
          throw err;
        }
        break;
      case 'ms':
      case 'bufferTimeout':
        value = parseDuration(raw) ?? fail();
        break;
      case 'count':
        value = /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : fail();
        break;
      case 'fraction':
        value = /^\s*(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw) ? Number(raw) : fail();
        break;
    }
  } else {
    return fail();
  }
  if (spec.kind === 'fraction') {
    if (!(value >= 0 && value < 1)) fail();
  } else if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
    fail(); // for the buffer timeout, min is -1: the only negative value allowed
  }
  return value;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function suggestion(name: string): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of [...Object.keys(SHUFFLE_CONFIG_KEYS), ...FIELDS]) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : null;
}

interface Given {
  readonly value: number;
  /** The key or field name as given. */
  readonly name: string;
  readonly raw: unknown;
}

function conflict(message: string, field: Field | null, value: unknown, expected: string): ShuffleConfigException {
  return new ShuffleConfigException('conflict', message, { key: field === null ? null : keyOf(field), field, value, expected });
}

/**
 * The resolved, validated configuration of the shuffle: Flink's network options with their Flink key
 * names and defaults (reference §5.5), the consumer's back-off, and the record writers' buffer timeout,
 * plus the derived size of the global buffer pool ({@link numberOfBuffers} of {@link segmentSize} bytes).
 * Sluice's counterpart of Flink's `NettyShuffleEnvironmentConfiguration` (the part the in-process shuffle
 * uses).
 *
 * Built by {@link ShuffleConfig.resolve} from Flink's flat keys, from field names, or from both; every value
 * is checked (type, range, and options that contradict each other) and a bad one fails with a
 * {@link ShuffleConfigException} naming the key, the value and what is allowed. The defaults of the
 * network-memory options are those of `NetworkMemoryDefaults` (through `resolveNetworkMemoryOptions`),
 * the back-off ones those of `ConsumerDefaults`.
 *
 * ## Threading
 * Immutable (frozen); any thread.
 *
 * ## Pitfalls
 * - The default network memory is 64 MiB (2048 buffers of 32 KiB), allocated up front by the
 *   NetworkBufferPool: set `numberOfBuffers` or `networkMemorySize` for a small process.
 * - Unlike Flink, the segment size need not be a power of two and has no 4 KiB minimum (tests use 128
 *   bytes); it is at most 1 GiB − 8 bytes.
 *
 * @example
 * const config = ShuffleConfig.resolve({
 *   'taskmanager.memory.segment-size': '16kb',
 *   'taskmanager.network.memory.buffers-per-channel': 4,
 *   numberOfBuffers: 256,
 *   bufferTimeoutMs: '5 ms',
 * });
 * config.segmentSize; // 16384
 * new NetworkBufferPool(config.numberOfBuffers, config.segmentSize, config.networkBufferPoolOptions());
 */
export class ShuffleConfig {
  /** Bytes per network buffer (`taskmanager.memory.segment-size`). */
  readonly segmentSize: number;
  /** `taskmanager.memory.network.fraction`. */
  readonly networkMemoryFraction: number;
  /** Bytes (`taskmanager.memory.network.min`). */
  readonly networkMemoryMin: number;
  /** Bytes (`taskmanager.memory.network.max`). */
  readonly networkMemoryMax: number;
  /** Bytes the fraction applies to (`taskmanager.memory.flink.size`), or `null` if not given. */
  readonly totalFlinkMemory: number | null;
  /** The network memory in bytes: `numberOfBuffers × segmentSize`. */
  readonly networkMemorySize: number;
  /** Total number of network buffers: the size of the NetworkBufferPool. */
  readonly numberOfBuffers: number;
  /** Which rule determined {@link numberOfBuffers} (see {@link ShuffleOptions}). */
  readonly networkMemorySource: NetworkMemorySource;
  /** `taskmanager.network.memory.buffers-per-channel`. */
  readonly buffersPerChannel: number;
  /** `taskmanager.network.memory.floating-buffers-per-gate`. */
  readonly floatingBuffersPerGate: number;
  /** `taskmanager.network.memory.max-buffers-per-channel`. */
  readonly maxBuffersPerChannel: number;
  /** `taskmanager.network.memory.max-overdraft-buffers-per-gate`. */
  readonly maxOverdraftBuffersPerGate: number;
  /** Milliseconds (`taskmanager.network.memory.exclusive-buffers-request-timeout-ms`). */
  readonly exclusiveBuffersRequestTimeoutMs: number;
  /** Milliseconds (`taskmanager.network.request-backoff.initial`). */
  readonly initialBackoffMs: number;
  /** Milliseconds (`taskmanager.network.request-backoff.max`). */
  readonly maxBackoffMs: number;
  /** Milliseconds (`taskmanager.network.partition-request-timeout`; used by remote channels). */
  readonly partitionRequestListenerTimeoutMs: number;
  /** Milliseconds, −1 or 0 (`execution.buffer-timeout`). */
  readonly bufferTimeoutMs: number;

  private constructor(values: ShuffleConfigValues) {
    this.segmentSize = values.segmentSize;
    this.networkMemoryFraction = values.networkMemoryFraction;
    this.networkMemoryMin = values.networkMemoryMin;
    this.networkMemoryMax = values.networkMemoryMax;
    this.totalFlinkMemory = values.totalFlinkMemory;
    this.networkMemorySize = values.networkMemorySize;
    this.numberOfBuffers = values.numberOfBuffers;
    this.networkMemorySource = values.networkMemorySource;
    this.buffersPerChannel = values.buffersPerChannel;
    this.floatingBuffersPerGate = values.floatingBuffersPerGate;
    this.maxBuffersPerChannel = values.maxBuffersPerChannel;
    this.maxOverdraftBuffersPerGate = values.maxOverdraftBuffersPerGate;
    this.exclusiveBuffersRequestTimeoutMs = values.exclusiveBuffersRequestTimeoutMs;
    this.initialBackoffMs = values.initialBackoffMs;
    this.maxBackoffMs = values.maxBackoffMs;
    this.partitionRequestListenerTimeoutMs = values.partitionRequestListenerTimeoutMs;
    this.bufferTimeoutMs = values.bufferTimeoutMs;
    Object.freeze(this);
  }

  /**
   * Resolves and validates a configuration: Flink's flat keys and/or field names (an object, or a `Map`
   * of keys, e.g. parsed from a Flink configuration file); a `ShuffleConfig` is returned as it is. Giving
   * one option both by key and by field is fine if the values agree.
   *
   * Throws {@link ShuffleConfigException}: `invalid-value` (wrong type or range), `unknown-key` (with
   * a suggestion; see {@link ShuffleConfigResolveOptions.allowUnknownKeys}), `conflict` (the same option
   * twice with different values, `networkMemoryMin > networkMemoryMax`, `initialBackoffMs > maxBackoffMs`,
   * options of two network-memory rules, or memory too small for one buffer).
   */
  static resolve(
    input: ShuffleConfigInput | ReadonlyMap<string, unknown> | ShuffleConfig = {},
    options: ShuffleConfigResolveOptions = {},
  ): ShuffleConfig {
    if (input instanceof ShuffleConfig) return input;
    let entries: [unknown, unknown][];
    if (input instanceof Map) entries = [...(input as ReadonlyMap<unknown, unknown>).entries()];
    else if (typeof input === 'object' && input !== null) entries = Object.entries(input);
    else {
      const expected = 'an object of Flink keys and/or field names, a Map of Flink keys, or a ShuffleConfig';
      throw new ShuffleConfigException('invalid-value', `the configuration is ${render(input)}; expected ${expected}.`, {
        key: null,
        field: null,
        value: input,
        expected,
      });
    }

    const given = new Map<Field, Given>();
    for (const [rawName, raw] of entries) {
      const name = String(rawName);
      if (raw === undefined) continue;
      const field: Field | undefined =
        typeof rawName === 'string' ? (SHUFFLE_CONFIG_KEYS[name] ?? (Object.hasOwn(SPECS, name) ? (name as Field) : undefined)) : undefined;
      if (field === undefined) {
        if (options.allowUnknownKeys === true) continue;
        const similar = suggestion(name);
        const expected = 'a Flink key of SHUFFLE_CONFIG_KEYS or a ShuffleOptions field';
        throw new ShuffleConfigException(
          'unknown-key',
          `unknown key '${name}'${similar !== null ? `; did you mean '${similar}'?` : '.'} Known keys are those of SHUFFLE_CONFIG_KEYS ` +
            'and the ShuffleOptions fields; pass { allowUnknownKeys: true } to ignore the keys of other components.',
          { key: name, field: null, value: raw, expected },
        );
      }
      if (!Object.hasOwn(SPECS, field)) throw new IllegalStateException(`Bug: no specification for ${name} -> ${field}`);
      const value = parseValue(field, name, raw);
      const previous = given.get(field);
      if (previous !== undefined && previous.value !== value) {
        throw conflict(
          `'${previous.name}' is ${render(previous.raw)} but '${name}' is ${render(raw)}: both set ${describeOption(field)}; give it once.`,
          field,
          raw,
          'one value per option',
        );
      }
      given.set(field, { value, name, raw });
    }

    const valueOf = (field: Field): number => given.get(field)?.value ?? SPECS[field].defaultValue!;
    const nameOf = (field: Field): string => `'${given.get(field)?.name ?? keyOf(field) ?? field}'`;

    const min = valueOf('networkMemoryMin');
    const max = valueOf('networkMemoryMax');
    if (min > max) {
      throw conflict(
        `${nameOf('networkMemoryMin')} (${min} bytes) is larger than ${nameOf('networkMemoryMax')} (${max} bytes).`,
        'networkMemoryMin',
        min,
        `networkMemoryMin <= networkMemoryMax`,
      );
    }
    const initialBackoff = valueOf('initialBackoffMs');
    const maxBackoff = valueOf('maxBackoffMs');
    if (initialBackoff > maxBackoff) {
      throw conflict(
        `${nameOf('initialBackoffMs')} (${initialBackoff} ms) is larger than ${nameOf('maxBackoffMs')} (${maxBackoff} ms).`,
        'initialBackoffMs',
        initialBackoff,
        'initialBackoffMs <= maxBackoffMs',
      );
    }

    // The network-memory options go through resolveNetworkMemoryOptions as well: one source of defaults
    // and checks for the memory layer. Everything was checked above, so this only fails on a bug.
    let memory: Required<NetworkMemoryOptions>;
    try {
      memory = resolveNetworkMemoryOptions(
        {},
        {
          segmentSize: valueOf('segmentSize'),
          buffersPerChannel: valueOf('buffersPerChannel'),
          floatingBuffersPerGate: valueOf('floatingBuffersPerGate'),
          maxBuffersPerChannel: valueOf('maxBuffersPerChannel'),
          maxOverdraftBuffersPerGate: valueOf('maxOverdraftBuffersPerGate'),
          exclusiveBuffersRequestTimeoutMs: valueOf('exclusiveBuffersRequestTimeoutMs'),
          networkMemoryFraction: valueOf('networkMemoryFraction'),
          networkMemoryMin: min,
          networkMemoryMax: max,
        },
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ShuffleConfigException('invalid-value', message, { key: null, field: null, value: undefined, expected: 'see the message' }, { cause: err });
    }

    const { size, source } = ShuffleConfig.networkMemory(given, memory);
    const segmentSize = memory.segmentSize;
    const numberOfBuffers = Math.floor(size / segmentSize);
    if (numberOfBuffers < 1 || numberOfBuffers > INT_MAX) {
      throw conflict(
        `the network memory of ${size} bytes (from ${source}) holds ${numberOfBuffers} buffers of ${segmentSize} bytes; ` +
          `expected 1 to ${INT_MAX}: change the network memory or 'taskmanager.memory.segment-size'.`,
        source,
        size,
        `at least one and at most ${INT_MAX} buffers`,
      );
    }
    const totalFlinkMemory = given.get('totalFlinkMemory')?.value ?? null;
    return new ShuffleConfig({
      segmentSize,
      networkMemoryFraction: memory.networkMemoryFraction,
      networkMemoryMin: memory.networkMemoryMin,
      networkMemoryMax: memory.networkMemoryMax,
      totalFlinkMemory,
      networkMemorySize: numberOfBuffers * segmentSize,
      numberOfBuffers,
      networkMemorySource: source,
      buffersPerChannel: memory.buffersPerChannel,
      floatingBuffersPerGate: memory.floatingBuffersPerGate,
      maxBuffersPerChannel: memory.maxBuffersPerChannel,
      maxOverdraftBuffersPerGate: memory.maxOverdraftBuffersPerGate,
      exclusiveBuffersRequestTimeoutMs: memory.exclusiveBuffersRequestTimeoutMs,
      initialBackoffMs: initialBackoff,
      maxBackoffMs: maxBackoff,
      partitionRequestListenerTimeoutMs: valueOf('partitionRequestListenerTimeoutMs'),
      bufferTimeoutMs: valueOf('bufferTimeoutMs'),
    });
  }

  /** The network memory in bytes and the rule that gave it (see {@link ShuffleOptions}). */
  private static networkMemory(given: ReadonlyMap<Field, Given>, memory: Required<NetworkMemoryOptions>): { size: number; source: NetworkMemorySource } {
    const newStyle = (['networkMemoryMin', 'networkMemoryMax', 'networkMemoryFraction'] as const).filter((f) => given.has(f));
    const names = (fields: readonly Field[]): string => fields.map((f) => `'${given.get(f)!.name}'`).join(', ');
    const explicitBuffers = given.get('numberOfBuffers');
    const explicitSize = given.get('networkMemorySize');
    if (explicitBuffers !== undefined) {
      const others: Field[] = [...(explicitSize !== undefined ? (['networkMemorySize'] as const) : []), ...newStyle];
      if (others.length > 0) {
        throw conflict(
          `'${explicitBuffers.name}' gives the number of buffers outright, but ${names(others)} also ${others.length === 1 ? 'sizes' : 'size'} the network memory ` +
            "(Flink ignores the legacy 'taskmanager.network.numberOfBuffers' when the min/max/fraction keys are set); set only one of them.",
          'numberOfBuffers',
          explicitBuffers.raw,
          'one way to size the network memory',
        );
      }
      return { size: explicitBuffers.value * memory.segmentSize, source: 'numberOfBuffers' };
    }
    if (explicitSize !== undefined) {
      const others: Field[] = [...(given.has('totalFlinkMemory') ? (['totalFlinkMemory'] as const) : []), ...newStyle];
      if (others.length > 0) {
        throw conflict(
          `'${explicitSize.name}' gives the network memory outright, but ${names(others)} also ${others.length === 1 ? 'sizes' : 'size'} it; set only one of them.`,
          'networkMemorySize',
          explicitSize.raw,
          'one way to size the network memory',
        );
      }
      return { size: explicitSize.value, source: 'networkMemorySize' };
    }
    const total = given.get('totalFlinkMemory');
    if (total !== undefined) {
      // Flink: fraction of the total Flink memory, within [min, max].
      const derived = Math.floor(total.value * memory.networkMemoryFraction);
      return { size: Math.min(memory.networkMemoryMax, Math.max(memory.networkMemoryMin, derived)), source: 'totalFlinkMemory' };
    }
    return { size: memory.networkMemoryMin, source: 'networkMemoryMin' };
  }

  // ---------------------------------------------------------------- options of the components

  /** Options of the NetworkBufferPool (the exclusive-buffer request timeout; its memory is not shared). */
  networkBufferPoolOptions(): NetworkBufferPoolOptions {
    return { requestSegmentsTimeoutMs: this.exclusiveBuffersRequestTimeoutMs };
  }

  /** Options of a ResultPartitionFactory: Flink's pool sizes, plus `networkBufferPool` if given. */
  resultPartitionFactoryOptions(networkBufferPool?: NetworkBufferPool): ResultPartitionFactoryOptions {
    return {
      ...(networkBufferPool !== undefined ? { networkBufferPool } : {}),
      networkBuffersPerChannel: this.buffersPerChannel,
      floatingNetworkBuffersPerGate: this.floatingBuffersPerGate,
      maxBuffersPerChannel: this.maxBuffersPerChannel,
      maxOverdraftBuffersPerGate: this.maxOverdraftBuffersPerGate,
    };
  }

  /**
   * The memory and executor options of an input gate (`SingleInputGateOptions`): Flink's floating pool
   * of 1 to floating-buffers-per-gate buffers (at least 1) from `networkBufferPool`, which also supplies
   * remote channels' exclusive buffers; retries run on `executor`.
   */
  inputGateOptions(
    networkBufferPool: NetworkBufferPool,
    executor: EventExecutor,
  ): Pick<SingleInputGateOptions, 'bufferPoolFactory' | 'memorySegmentProvider' | 'executor'> {
    return {
      bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(networkBufferPool, Math.max(1, this.floatingBuffersPerGate)),
      memorySegmentProvider: networkBufferPool,
      executor,
    };
  }

  /** The back-off options of input channels (`InputChannelOptions`). */
  inputChannelOptions(): { initialBackoffMs: number; maxBackoffMs: number } {
    return { initialBackoffMs: this.initialBackoffMs, maxBackoffMs: this.maxBackoffMs };
  }

  /** `[key, value]` for every option: the Flink key (the field name for Sluice-only ones), effective values. */
  entries(): [string, number][] {
    const out: [string, number][] = [];
    for (const field of FIELDS) {
      const value = (this as unknown as Record<Field, number | null>)[field];
      if (value !== null) out.push([keyOf(field) ?? field, value]);
    }
    return out;
  }

  toString(): string {
    return `ShuffleConfig{${this.entries()
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}, source=${this.networkMemorySource}}`;
  }
}

/** The data fields of {@link ShuffleConfig} (what its constructor takes). */
type ShuffleConfigValues = {
  readonly [K in keyof ShuffleConfig as ShuffleConfig[K] extends (...args: never[]) => unknown ? never : K]: ShuffleConfig[K];
};
