/**
 * Locating and driving FlinkPeer (tools/flink-peer: an independent Java/Netty implementation of Flink's
 * credit-based protocol and record path) from the benchmark children.
 *
 * FlinkPeer is optional: it needs `java`, `javac` and Debian's Netty jars (`flink-peer.sh` installs them
 * with apt-get on first use where it may). {@link flinkPeerUnavailable} says why it cannot run here, so
 * the suite can leave the variant out with a warning instead of failing.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../../harness/Reporter';

/** `flink-peer.sh`: `$SLUICE_FLINK_PEER`, else the repository's copy, else the shared one. */
export function flinkPeerScript(): string {
  const candidates = [process.env['SLUICE_FLINK_PEER'], join(REPO_ROOT, 'tools', 'flink-peer', 'flink-peer.sh'), '/work/shared/tools/flink-peer/flink-peer.sh'];
  for (const candidate of candidates) if (candidate !== undefined && candidate !== '' && existsSync(candidate)) return candidate;
  return candidates[1]!;
}

/** Why FlinkPeer cannot run on this machine, or null if it can. */
export function flinkPeerUnavailable(): string | null {
  const script = flinkPeerScript();
  if (!existsSync(script)) return `${script} not found`;
  const java = spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 20_000 });
  if (java.error !== undefined || java.status !== 0) return `no working 'java' on PATH (${java.error?.message ?? `exit ${String(java.status)}`}); install openjdk-17-jdk-headless`;
  if (!existsSync('/usr/share/java/netty-transport.jar')) return 'Netty jars missing (/usr/share/java/netty-transport.jar); install libnetty-java';
  return null;
}

/** Starts `flink-peer.sh <args>`; every stdout line goes to `onLine`, stderr to ours. */
export function startFlinkPeer(args: readonly string[], onLine: (line: string) => void): ChildProcess {
  const child = spawn('bash', [flinkPeerScript(), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: child.stdout! }).on('line', onLine);
  return child;
}

/** FlinkPeer's `--records` per channel for a run of about `ms` at `recordsPerMs`. */
export function flinkPeerRecordsPerChannel(channels: number, ms: number, recordsPerMs: number): number {
  return Math.max(10_000, Math.round((recordsPerMs * ms) / channels));
}

/**
 * FlinkPeer's `--payload` for the parameter `flinkPeerRecordBytes`: 8 is its default record (an 8-byte
 * long); more gives records of that many bytes (`bytesK`: the long, then filler), each with its 4-byte
 * length prefix — 32,764 makes a record of exactly one 32 KiB buffer, as in the `bulk` benchmark.
 */
export function flinkPeerPayloadArgs(recordBytes: number): string[] {
  return recordBytes === 8 ? [] : ['--payload', `bytes${recordBytes}`];
}
