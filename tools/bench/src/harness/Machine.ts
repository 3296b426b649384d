/** The machine a run happened on, recorded with every result because absolute figures depend on it. */
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly totalMemoryBytes: number;
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  readonly loadAvg1m: number;
  /** Caveat that applies to every socket figure on this machine, if any. */
  readonly note?: string;
}

/** Two-process socket benchmarks need two cores to themselves; say so when they do not have more. */
export const SHARED_CORES_NOTE = 'sender and receiver share the same 2 cores';

export function describeMachine(): MachineInfo {
  const list = cpus();
  const cores = list.length;
  const info: MachineInfo = {
    cores,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    totalMemoryBytes: totalmem(),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    loadAvg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
  return cores <= 2 ? { ...info, note: cores === 2 ? SHARED_CORES_NOTE : `sender and receiver share ${cores} core` } : info;
}

/** One human line: `machine: 2 cores, AMD EPYC, 23.4 GiB, Node v20.20.2, linux/x64, load 0.12 — note`. */
export function machineHeader(machine: MachineInfo): string {
  const gib = (machine.totalMemoryBytes / 2 ** 30).toFixed(1);
  const busy = machine.loadAvg1m >= machine.cores ? ' (busy: other work skews absolute figures; compare ratios)' : '';
  const base =
    `machine: ${machine.cores} cores, ${machine.cpuModel}, ${gib} GiB, Node ${machine.node}, ${machine.platform}/${machine.arch}, ` +
    `load ${machine.loadAvg1m.toFixed(2)}${busy}`;
  return machine.note === undefined ? base : `${base} — ${machine.note}`;
}
