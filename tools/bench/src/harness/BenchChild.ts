/**
 * Parent-side handle on one benchmark endpoint process: forks it, routes its messages, bounds every
 * wait with a timeout, and guarantees it is killed.
 *
 * ## Pitfalls
 * Every forked child is tracked in a process-wide set and SIGKILLed when the harness exits for any
 * reason ({@link killAllChildren} runs from an `exit` hook and from the signal handlers in
 * `main.ts`), so an interrupted run never leaves a sender saturating the loopback.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ChildMessage, ParentMessage, ProgressMessage, WorkerConfig } from './protocol';
import { isChildMessage } from './protocol';

const live = new Set<ChildProcess>();

/** SIGKILLs every child still running. Safe to call more than once, and from an `exit` hook. */
export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

process.on('exit', killAllChildren);

/** A failure of a benchmark child: it reported an error, died, or missed a deadline. */
export class BenchChildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchChildError';
  }
}

type MessageType = Exclude<ChildMessage['type'], 'progress' | 'error'>;
type MessageOf<T extends MessageType> = Extract<ChildMessage, { type: T }>;

interface Waiter {
  readonly type: MessageType;
  resolve(message: ChildMessage): void;
  reject(error: Error): void;
}

export class BenchChild {
  readonly #child: ChildProcess;
  readonly #queue: ChildMessage[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #failureListeners: Array<(error: Error) => void> = [];
  #failure: Error | undefined;
  #stopping = false;
  #hasExited = false;
  #lastMessageAt = Date.now();
  #progress: ((message: ProgressMessage) => void) | undefined;
  readonly #exited: Promise<void>;

  private constructor(
    readonly label: string,
    script: string,
    config: WorkerConfig,
    execArgv: readonly string[],
    cpu: number | undefined,
  ) {
    if (!existsSync(script)) {
      throw new BenchChildError(
        `${label}: endpoint script ${script} does not exist; build the harness first (npx tsc -b tools/bench)`,
      );
    }
    const args = [JSON.stringify(config)];
    // Children's output goes to our stderr: stdout carries only the report.
    const stdio: ['ignore', 2, 2, 'ipc'] = ['ignore', 2, 2, 'ipc'];
    this.#child =
      cpu === undefined
        ? fork(script, args, { execArgv: [...execArgv], stdio, serialization: 'json' })
        : // taskset execs node in place (same pid), and node finds the IPC channel fork would open
          // through NODE_CHANNEL_FD, which spawn sets for an 'ipc' stdio entry.
          spawn('taskset', ['-c', String(cpu), process.execPath, ...execArgv, script, ...args], { stdio, serialization: 'json' });
    live.add(this.#child);
    this.#child.on('message', (message: unknown) => this.#onMessage(message));
    this.#child.on('error', (error) => this.#fail(new BenchChildError(`${this.label}: ${error.message}`)));
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        live.delete(this.#child);
        // Messages the child sent before exiting arrive before its IPC channel closes: settle
        // only then, so that its own error message wins over "exited unexpectedly".
        const settle = (): void => this.#onExit(code, signal, resolve);
        if (!this.#child.connected) {
          settle();
          return;
        }
        const fallback = setTimeout(settle, 1000);
        this.#child.once('disconnect', () => {
          clearTimeout(fallback);
          settle();
        });
      });
    });
  }

  /**
   * Forks `script` with `config` in `argv[2]` and the given Node options (e.g. `--expose-gc`),
   * pinned to CPU `cpu` with `taskset` when one is given.
   */
  static fork(label: string, script: string, config: WorkerConfig, execArgv: readonly string[] = [], cpu?: number): BenchChild {
    return new BenchChild(label, script, config, execArgv, cpu);
  }

  /** Routes progress reports to `listener`. */
  onProgress(listener: (message: ProgressMessage) => void): void {
    this.#progress = listener;
  }

  /**
   * Resolves with the next message of `type`; rejects if the child fails first, if nothing arrives
   * within `timeoutMs`, or (with `idleMs`) if the child sends no message at all, progress included,
   * for `idleMs`.
   */
  waitFor<T extends MessageType>(type: T, timeoutMs: number, idleMs?: number): Promise<MessageOf<T>> {
    const queued = this.#queue.findIndex((m) => m.type === type);
    if (queued >= 0) {
      const [message] = this.#queue.splice(queued, 1);
      return Promise.resolve(message as MessageOf<T>);
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#hasExited) return Promise.reject(new BenchChildError(`${this.label}: exited before sending '${type}'`));
    return new Promise<MessageOf<T>>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        if (idleTimer !== undefined) clearInterval(idleTimer);
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new BenchChildError(`${this.label}: no '${type}' message within ${timeoutMs} ms`));
      }, timeoutMs);
      const idleTimer =
        idleMs === undefined
          ? undefined
          : setInterval(() => {
              if (Date.now() - this.#lastMessageAt > idleMs) {
                cleanup();
                reject(new BenchChildError(`${this.label}: silent for more than ${idleMs} ms while waiting for '${type}'`));
              }
            }, Math.min(1000, idleMs));
      const waiter: Waiter = {
        type,
        resolve: (message) => {
          cleanup();
          resolve(message as MessageOf<T>);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** A promise that only ever rejects: when the child fails. Race it against another child's wait. */
  failed(): Promise<never> {
    const failed = new Promise<never>((_, reject) => {
      if (this.#failure !== undefined) {
        reject(this.#failure);
        return;
      }
      this.#failureListeners.push(reject);
    });
    failed.catch(() => undefined); // handled by whoever races it; never an unhandled rejection
    return failed;
  }

  /** The child's failure, if it failed (reported an error, died, or exited non-zero). */
  /** The child's process id (taskset execs node in place, so it is the endpoint's), if it started. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Asks the child to stop; from now on its exit is expected. */
  stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#child.connected) {
      const message: ParentMessage = { type: 'stop' };
      this.#child.send(message, (error) => {
        // The child may already be exiting; the exit wait below covers it.
        if (error !== null && error !== undefined) this.kill();
      });
    } else {
      this.kill();
    }
  }

  /** Waits for the child to exit, SIGKILLing it after `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILLs the child if it is still running. */
  kill(): void {
    this.#stopping = true;
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null, resolve: () => void): void {
    if (this.#hasExited) return;
    this.#hasExited = true;
    if (!this.#stopping || (code !== 0 && code !== null)) {
      this.#fail(
        new BenchChildError(
          `${this.label}: exited unexpectedly (code ${String(code)}, signal ${String(signal)})` +
            (this.#stopping ? ' while stopping' : ''),
        ),
      );
    }
    // A clean exit after stop: whatever is still awaited will not come.
    for (const waiter of this.#waiters.splice(0)) {
      waiter.reject(new BenchChildError(`${this.label}: exited before sending '${waiter.type}'`));
    }
    resolve();
  }

  #onMessage(message: unknown): void {
    this.#lastMessageAt = Date.now();
    if (!isChildMessage(message)) {
      this.#fail(new BenchChildError(`${this.label}: malformed message ${JSON.stringify(message)}`));
      return;
    }
    switch (message.type) {
      case 'progress':
        this.#progress?.(message);
        return;
      case 'error':
        this.#fail(new BenchChildError(message.message));
        return;
      default: {
        const index = this.#waiters.findIndex((w) => w.type === message.type);
        if (index >= 0) {
          const [waiter] = this.#waiters.splice(index, 1);
          waiter?.resolve(message);
        } else {
          this.#queue.push(message);
        }
      }
    }
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    const waiters = this.#waiters.splice(0);
    for (const waiter of waiters) waiter.reject(error);
    for (const listener of this.#failureListeners.splice(0)) listener(error);
    this.kill();
  }
}
