// Runs tools/flink-peer (a Java/Netty implementation of Flink's protocol, not ours) for the interop tests.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Unpooled } from '@sluice/channel';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';

export const PEER_SCRIPT = path.resolve(__dirname, '../../../../tools/flink-peer/flink-peer.sh');

/** What the peer prints as `RESULT {json}` (the fields the tests read). */
export interface PeerResult {
  readonly mode: string;
  readonly errors: number;
  readonly timeout?: boolean;
  readonly error_samples?: readonly string[];
  readonly records?: number;
  readonly data_buffers?: number;
  readonly cancels?: number;
  readonly close_requests?: number;
  readonly add_credit_msgs?: number;
  readonly [key: string]: unknown;
}

/** A running peer process. */
export class PeerProcess {
  private stdout = '';
  private stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static start(args: readonly string[]): PeerProcess {
    return new PeerProcess(spawn('bash', [PEER_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** Resolves with the port once the peer printed `READY <port>`. */
  async ready(timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^READY (\d+)$/m.exec(this.stdout);
      if (m !== null) return Number(m[1]);
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`flink-peer did not start (exit ${String(this.child.exitCode)}): ${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for exit and parses RESULT. */
  async result(): Promise<{ code: number | null; result: PeerResult; stderr: string }> {
    const code = await this.exited;
    const m = /^RESULT (.*)$/m.exec(this.stdout);
    if (m === null) throw new Error(`flink-peer printed no RESULT (exit ${String(code)}): ${this.stdout}\n${this.stderr}`);
    return { code, result: JSON.parse(m[1]!) as PeerResult, stderr: this.stderr };
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * The one partition FlinkPeer's consumer requests: data set (lower 0x0DA7A5E7, upper 1) #0, produced by
 * attempt graph (0x6EA9, 1) / vertex (0x7E27E, 1) subtask 0 attempt 0.
 */
export function peerConsumerPartitionId(): ResultPartitionID {
  const buf = Unpooled.buffer(ResultPartitionID.SIZE);
  try {
    buf.writeLong(0x0da7a5e7n).writeLong(1n).writeInt(0);
    buf.writeLong(0x6ea9n).writeLong(1n).writeLong(0x7e27en).writeLong(1n).writeInt(0).writeInt(0);
    return ResultPartitionID.fromByteBuf(buf);
  } finally {
    buf.release();
  }
}

/** Record `i` of subpartition `s` in the peer's "long" payload: `s * 2^32 + i`. */
export function peerRecord(subpartition: number, i: number): number {
  return subpartition * 2 ** 32 + i;
}
