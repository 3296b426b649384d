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

/** utime + stime (all threads, exited ones included) and parent of one process, or undefined if it is gone. */
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

/**
 * The live processes of each root's tree (the root first), from one scan of `/proc` (~1 ms here), or
 * undefined without `/proc`.
 */
export function processTrees(roots: readonly number[]): number[][] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const parents = new Map<number, number>();
  for (const name of entries) {
    const stat = readStat(name);
    if (stat !== undefined) parents.set(Number(name), stat.ppid);
  }
  return roots.map((root) => {
    const tree = [root];
    for (const pid of parents.keys()) {
      if (pid === root) continue;
      // Walk up to the root (or to init); process trees here are a few levels deep.
      for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
        if (p === root) {
          tree.push(pid);
          break;
        }
      }
    }
    return tree;
  });
}

/** CPU milliseconds of `pids` together, or undefined if one of them is gone. */
export function cpuMsOf(pids: readonly number[]): number | undefined {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readStat(String(pid));
    if (stat === undefined) return undefined;
    ticks += stat.ticks;
  }
  return ticks * MS_PER_TICK;
}

/**
 * Cores used by each of a benchmark's process trees over a window given by `tick()` calls: the first
 * finds the trees (every process exists by then: the window follows a warm-up) and starts the window,
 * each later one moves its end — unless a process of a tree is gone (FlinkPeer's JVM ends before its
 * wrapper reports, taking its CPU time with it), so the window ends at the last whole sample. A tick
 * reads only the trees' own `stat` files.
 */
export class WindowCpu {
  #trees: number[][] | undefined;
  #start: { at: bigint; ms: number[] } | undefined;
  #end: { at: bigint; ms: number[] } | undefined;
  #unavailable = false;

  constructor(private readonly roots: readonly number[]) {}

  tick(): void {
    if (this.#unavailable) return;
    if (this.#trees === undefined) {
      this.#trees = processTrees(this.roots);
      if (this.#trees === undefined) {
        this.#unavailable = true;
        return;
      }
    }
    const ms: number[] = [];
    for (const tree of this.#trees) {
      const value = cpuMsOf(tree);
      if (value === undefined) return;
      ms.push(value);
    }
    const sample = { at: process.hrtime.bigint(), ms };
    const last = this.#end ?? this.#start;
    if (last === undefined) this.#start = sample;
    // CPU time never goes down; if it did, a pid was reused: keep the last whole sample.
    else if (ms.every((value, i) => value >= (last.ms[i] ?? 0))) this.#end = sample;
  }

  /** Cores per process tree over the window (CPU time / wall time), or undefined if there was none. */
  cores(): number[] | undefined {
    const start = this.#start;
    const end = this.#end;
    if (start === undefined || end === undefined) return undefined;
    const wallMs = Number(end.at - start.at) / 1e6;
    if (wallMs < 100) return undefined;
    return end.ms.map((ms, i) => (ms - (start.ms[i] ?? 0)) / wallMs);
  }
}
