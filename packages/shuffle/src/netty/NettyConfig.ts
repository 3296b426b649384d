import { IllegalArgumentException } from '@sluice/channel';
import { parseMemorySize } from '../memory/NetworkMemoryDefaults';
import { BufferResponse } from './message/BufferResponse';
import { NettyMessage } from './NettyMessage';

/**
 * Default largest frame a data connection accepts, in bytes (64 MiB; at least two segments when the
 * segment size is larger). Flink has no limit (Integer.MAX_VALUE): a corrupt or hostile length there
 * makes a decoder wait for up to 2 GiB. Every message this stack sends is far smaller — a BufferResponse
 * is one segment plus a 47-byte header, the other messages are a few bytes up to a serialized
 * exception's text — so a frame announcing more is refused as soon as its length is read.
 */
export const DEFAULT_MAX_FRAME_LENGTH = 64 * 1024 * 1024;

/** How buffers flow over a connection: Flink ≥ 1.5's credit-based flow control, or Flink 1.4's push mode. */
export type FlowControlMode = 'credit' | 'push';

/** Options of {@link NettyConfig}; every field is optional (Flink's defaults). */
export interface NettyConfigOptions {
  /** Address the server binds to (`taskmanager.host` / bind host; default: '127.0.0.1'). */
  serverAddress?: string;
  /** Data port; 0 = any free port (`taskmanager.data.port`, default: 0). */
  serverPort?: number;
  /** Bytes per network buffer, for the server's write-buffer watermarks (`taskmanager.memory.segment-size`, default 32768). */
  segmentSize?: number;
  /** Client connect timeout in seconds (`taskmanager.network.netty.client.connectTimeoutSec`, default: 120). */
  clientConnectTimeoutSeconds?: number;
  /** Extra connection attempts after a failed connect (`taskmanager.network.retries`, default: 0). */
  connectionRetries?: number;
  /** TCP connections per producer address; channels fold their connection index onto these (`taskmanager.network.max-num-tcp-connections`, default: 1). */
  maxNumberOfConnections?: number;
  /** `credit` (default) or Flink 1.4's `push` (Sluice's switch; Flink's old `taskmanager.network.credit-based-flow-control.enabled`). */
  flowControlMode?: FlowControlMode;
  /**
   * Largest frame accepted on a data connection, header included, by both the server's and the
   * client's decoder (Sluice's; Flink has none). A longer announced length closes the connection
   * with a ProtocolException naming the remote (default {@link DEFAULT_MAX_FRAME_LENGTH}; at least a
   * BufferResponse of one full segment). Memory-size text ('64mb') is accepted by `resolve`.
   */
  maxFrameLength?: number;
  /** TLS for data connections (`security.ssl.internal.enabled`, default: false); needs the key material below. */
  sslEnabled?: boolean;
  /** PEM key, certificate and CA for TLS (both sides use the same material, as Flink's internal SSL does). */
  sslKey?: string | Buffer;
  sslCert?: string | Buffer;
  sslCa?: string | Buffer;
}

/**
 * Flink's configuration keys of the network options → {@link NettyConfigOptions} fields.
 * `taskmanager.network.credit-based-flow-control.enabled` (Flink 1.5–1.10) maps `false` to push mode.
 */
export const NETTY_CONFIG_KEYS: Readonly<Record<string, keyof NettyConfigOptions>> = Object.freeze({
  'taskmanager.data.bind-host': 'serverAddress',
  'taskmanager.data.port': 'serverPort',
  'taskmanager.memory.segment-size': 'segmentSize',
  'taskmanager.network.netty.client.connectTimeoutSec': 'clientConnectTimeoutSeconds',
  'taskmanager.network.retries': 'connectionRetries',
  'taskmanager.network.max-num-tcp-connections': 'maxNumberOfConnections',
  'taskmanager.network.credit-based-flow-control.enabled': 'flowControlMode',
  'security.ssl.internal.enabled': 'sslEnabled',
});

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyConfig (Flink 1.20). Differs: plain fields
 * instead of a Configuration; no thread counts or arena settings (one event loop per connection here;
 * the pooled allocator is `@sluice/channel`'s); adds the flow-control switch.
 *
 * Immutable, validated on construction.
 */
export class NettyConfig {
  readonly serverAddress: string;
  readonly serverPort: number;
  readonly segmentSize: number;
  readonly clientConnectTimeoutSeconds: number;
  readonly connectionRetries: number;
  readonly maxNumberOfConnections: number;
  readonly flowControlMode: FlowControlMode;
  readonly maxFrameLength: number;
  readonly sslEnabled: boolean;
  readonly sslKey: string | Buffer | undefined;
  readonly sslCert: string | Buffer | undefined;
  readonly sslCa: string | Buffer | undefined;
  /** What this config was built from (for {@link withSegmentSize}). */
  private readonly options: NettyConfigOptions;

  constructor(options: NettyConfigOptions = {}) {
    this.options = { ...options };
    this.serverAddress = options.serverAddress ?? '127.0.0.1';
    this.serverPort = check('serverPort', options.serverPort ?? 0, 0, 65535);
    this.segmentSize = check('segmentSize', options.segmentSize ?? 32768, 1, 0x7fffffff);
    this.clientConnectTimeoutSeconds = check('clientConnectTimeoutSeconds', options.clientConnectTimeoutSeconds ?? 120, 1, 0x7fffffff);
    this.connectionRetries = check('connectionRetries', options.connectionRetries ?? 0, 0, 0x7fffffff);
    this.maxNumberOfConnections = check('maxNumberOfConnections', options.maxNumberOfConnections ?? 1, 1, 0x7fffffff);
    const mode = options.flowControlMode ?? 'credit';
    if (mode !== 'credit' && mode !== 'push') {
      throw new IllegalArgumentException(`flowControlMode: '${String(mode)}' (expected: 'credit' or 'push')`);
    }
    this.flowControlMode = mode;
    // A BufferResponse of one full segment (without partial-buffer sizes) must fit.
    const minFrame = NettyMessage.FRAME_HEADER_LENGTH + BufferResponse.MESSAGE_HEADER_LENGTH + this.segmentSize;
    const defaultFrame = Math.min(0x7fffffff, Math.max(DEFAULT_MAX_FRAME_LENGTH, 2 * this.segmentSize));
    this.maxFrameLength = check('maxFrameLength', options.maxFrameLength ?? defaultFrame, minFrame, 0x7fffffff);
    this.sslEnabled = options.sslEnabled ?? false;
    this.sslKey = options.sslKey;
    this.sslCert = options.sslCert;
    this.sslCa = options.sslCa;
    if (this.sslEnabled && (this.sslKey === undefined || this.sslCert === undefined)) {
      throw new IllegalArgumentException('sslEnabled: true needs sslKey and sslCert (PEM), and sslCa to verify the peer');
    }
  }

  /**
   * Builds a config from field names and/or Flink's keys ({@link NETTY_CONFIG_KEYS}); numbers may be given
   * as text, the segment size also as Flink's memory-size text (`'32kb'`). Unknown keys are an error naming the key.
   */
  static resolve(input: NettyConfigOptions | Readonly<Record<string, unknown>> = {}): NettyConfig {
    const fields = new Set<string>(Object.values(NETTY_CONFIG_KEYS).concat(['maxFrameLength', 'sslKey', 'sslCert', 'sslCa']));
    const out: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(input)) {
      if (raw === undefined) continue;
      const field = NETTY_CONFIG_KEYS[name] ?? (fields.has(name) ? name : undefined);
      if (field === undefined) {
        throw new IllegalArgumentException(`unknown network option '${name}' (expected a NettyConfigOptions field or one of: ${Object.keys(NETTY_CONFIG_KEYS).join(', ')})`);
      }
      let value = raw;
      if (name === 'taskmanager.network.credit-based-flow-control.enabled') value = String(raw) === 'false' ? 'push' : 'credit';
      else if (field === 'sslEnabled') value = raw === true || raw === 'true';
      else if ((field === 'segmentSize' || field === 'maxFrameLength') && typeof raw === 'string') value = parseMemorySize(raw, name);
      else if (typeof raw === 'string' && field !== 'serverAddress' && field !== 'flowControlMode' && !field.startsWith('ssl')) value = Number(raw);
      out[field] = value;
    }
    return new NettyConfig(out as NettyConfigOptions);
  }

  /**
   * This config with another segment size (the shuffle configuration's, which the network follows): a
   * frame limit that was not given explicitly is derived again from it.
   */
  withSegmentSize(segmentSize: number): NettyConfig {
    return segmentSize === this.segmentSize ? this : new NettyConfig({ ...this.options, segmentSize });
  }

  /** True in credit-based mode (the default). */
  isCreditBased(): boolean {
    return this.flowControlMode === 'credit';
  }

  toString(): string {
    return (
      `NettyConfig{server=${this.serverAddress}:${this.serverPort}, segmentSize=${this.segmentSize}, connectTimeout=${this.clientConnectTimeoutSeconds}s, ` +
      `retries=${this.connectionRetries}, maxConnections=${this.maxNumberOfConnections}, flowControl=${this.flowControlMode}, ` +
      `maxFrameLength=${this.maxFrameLength}, ssl=${this.sslEnabled}}`
    );
  }
}

function check(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new IllegalArgumentException(`${name}: ${value} (expected: an integer in [${min}, ${max}])`);
  }
  return value;
}
