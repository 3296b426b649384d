/**
 * CPU time of the two processes of a socket benchmark over its measurement window, each process
 * counted with all its descendants (a FlinkPeer endpoint is a Node wrapper around a JVM), read from
 * Linux's `/proc/<pid>/stat` by the harness — so every variant, Java included, is measured the same
 * way and from outside.
 *
 * Why: a two-process benchmark on two cores is limited by whichever side saturates its core. The
 * CPU each side spends per record (or per buffer) says which side that is and how far each is from
 * the other variants, which a records/ms figure alone cannot.
 *
 * Resolution: `/proc` counts in clock ticks of 10 ms (USER_HZ is 100 on Linux, fixed by its ABI),
 * under 1 % of a 3 s window at one core. Elsewhere than Linux nothing is measured (`cores()` is
 * undefined) and the benchmarks leave the per-side figures out.
 */
import { readdirSync, readFileSync } from 'node:fs';

const MS_PER_TICK = 10;

interface ProcStat {
  readonly ppid: number;
  readonly ticks: number;
}

/** utime + stime (all threads) and parent of one process, or undefined if it is gone. */
function readStat(pid: string): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) is parenthesised and may hold spaces: fields 3… follow the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[i] is field i + 3: ppid is field 4, utime 14, stime 15.
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU milliseconds of each root and its live descendants, or undefined without `/proc`. */
export function processTreeCpuMs(roots: readonly number[]): number[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const stats = new Map<number, ProcStat>();
  for (const name of entries) {
    const stat = readStat(name);
    if (stat !== undefined) stats.set(Number(name), stat);
  }
  return roots.map((root) => {
    let ticks = 0;
    for (const [pid, stat] of stats) {
      // Walk up to the root (or to init); process trees here are a few levels deep.
      for (let p: number | undefined = pid; p !== undefined && p > 1; p = stats.get(p)?.ppid) {
        if (p === root) {
          ticks += stat.ticks;
          break;
        }
      }
    }
    return ticks * MS_PER_TICK;
  });
}

/**
 * Cores used by each of a benchmark's processes over a window given by `tick()` calls: the first
 * starts it, each later one moves its end. A sample in which a process tree's CPU went down (a
 * descendant exited, taking its time with it: FlinkPeer's JVM ends before its wrapper reports) does
 * not move the end, so the window ends at the last whole sample.
 */
export class WindowCpu {
  #start: { at: bigint; ms: number[] } | undefined;
  #end: { at: bigint; ms: number[] } | undefined;
  #unavailable = false;

  constructor(private readonly pids: readonly number[]) {}

  tick(): void {
    if (this.#unavailable) return;
    const ms = processTreeCpuMs(this.pids);
    if (ms === undefined) {
      this.#unavailable = true;
      return;
    }
    const sample = { at: process.hrtime.bigint(), ms };
    const last = this.#end ?? this.#start;
    if (last === undefined) this.#start = sample;
    else if (ms.every((value, i) => value >= (last.ms[i] ?? 0))) this.#end = sample;
  }

  /** Cores per process over the window (CPU time / wall time), or undefined if there was none. */
  cores(): number[] | undefined {
    const start = this.#start;
    const end = this.#end;
    if (start === undefined || end === undefined) return undefined;
    const wallMs = Number(end.at - start.at) / 1e6;
    if (wallMs < 100) return undefined;
    return end.ms.map((ms, i) => (ms - (start.ms[i] ?? 0)) / wallMs);
  }
}
