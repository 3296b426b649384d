/**
 * The main demo (`npm start`): a real two-stage streaming job on loopback, Flink-style. This process is
 * the JobMaster; it forks two TaskManagers (this same file with `--role`):
 *
 *   tm-source: N source subtasks ──keyBy(key)──▶ tm-agg: M aggregator subtasks (count + checksum per key)
 *
 * Each TaskManager composes @sluice/shuffle with inversify (`shuffleModule` + `networkModule`, its
 * resource id) and starts its NettyShuffleEnvironment (a data port on 127.0.0.1). The JobMaster makes a
 * NettyShuffleDescriptor per source partition with the NettyShuffleMaster and ships them (JSON, over
 * the IPC channel) to both: tm-source creates its result partitions from them, tm-agg one input gate per
 * aggregator over subpartition j of every partition. All N × M channels share one TCP connection
 * between the two processes, with credit-based flow control (or Flink 1.4's push mode).
 *
 * While it runs: progress bars. At the end: records, MB/s, end-to-end latency p50/p99 (per aggregator
 * too), per-channel credit/backlog, and a check that every record arrived exactly once (count and
 * checksum per key, every key at the aggregator the partitioner chose). Exit status 1 if it did not.
 *
 *   npm start                                                   # build, then the default job
 *   node examples/dist/shuffle-job.js --records 2000000 --sources 4 --aggregators 4
 *   node examples/dist/shuffle-job.js --slow-consumer                  # aggregator 1 is slow
 *   node examples/dist/shuffle-job.js --slow-consumer --flow-control push   # …and no credit
 *
 * What to look for with --slow-consumer: in credit mode the slow aggregator's channels run out of
 * credit and only they wait — the connection keeps carrying the other aggregators' data, so their
 * latency stays low. In push mode a channel without a free buffer stops reading the whole connection:
 * every aggregator waits behind the slow one (records/s, "starved" and p99 latency of aggregators 2…M).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ExecutionAttemptID, IntermediateResultPartitionID, NettyShuffleMaster, type NettyShuffleDescriptorJSON } from '@sluice/shuffle';
import { NO_PROGRESS, progressBars, type ProgressView } from './shuffle-job/progress';
import {
  ROLES,
  inProcessLinks,
  parentLink,
  type AggTaskResult,
  type FlowControlMode,
  type JobConfig,
  type Link,
  type MasterMessage,
  type Role,
  type SourceTaskResult,
  type TaskManagerMessage,
} from './shuffle-job/protocol';
import { runTaskManager } from './shuffle-job/roles';
import { formatSummary, summarize, type JobSummary } from './shuffle-job/summary';

export { formatSummary, summarize, type JobSummary } from './shuffle-job/summary';
export type { JobConfig } from './shuffle-job/protocol';

/** Where the job prints; the test passes a collector instead of `console.log`. */
export type Log = (line: string) => void;

/** Options of {@link runShuffleJob}; every field has the CLI's default. */
export interface ShuffleJobOptions {
  /** Records over all sources (default 2 000 000). */
  records?: number;
  /** Source subtasks N (default 4). */
  sources?: number;
  /** Aggregator subtasks M (default 4). */
  aggregators?: number;
  /** Distinct keys (default 256). */
  keys?: number;
  /** Flow control (default 'credit'). */
  flowControl?: FlowControlMode;
  /** `execution.buffer-timeout`, ms (default 10). */
  bufferTimeoutMs?: number;
  /** Network buffer size, bytes (default 32 KiB). */
  segmentSize?: number;
  /** Network buffers per TaskManager (default 1024). */
  numberOfBuffers?: number;
  /** Exclusive buffers per channel = initial credit (default 2). */
  buffersPerChannel?: number;
  /** Floating buffers per gate (default 8). */
  floatingBuffersPerGate?: number;
  /** Aggregator 1 sleeps 1 ms after every this many records (0 = no slow consumer; `--slow-consumer` = 100). */
  slowEvery?: number;
  /** 'processes' (default): fork two TaskManagers; 'in-process': run them here (tests). */
  mode?: 'processes' | 'in-process';
  /** The compiled file forked with `--role` (default: this file, when it is JavaScript). */
  workerScript?: string;
  /** The whole job must end by then, or the TaskManagers are killed (default 120 s). */
  deadlineMs?: number;
  /** Progress bars on stderr (default: true when stderr is a terminal). */
  progress?: boolean;
  log?: Log;
}

/** Default slow-consumer pace: 1 ms of "work" per this many records (≤ ~80 000 records/s, a fifth of a fast aggregator). */
export const DEFAULT_SLOW_EVERY = 100;

function jobConfig(o: ShuffleJobOptions): JobConfig {
  const job: JobConfig = {
    records: o.records ?? 2_000_000,
    sources: o.sources ?? 4,
    aggregators: o.aggregators ?? 4,
    keys: o.keys ?? 256,
    flowControl: o.flowControl ?? 'credit',
    bufferTimeoutMs: o.bufferTimeoutMs ?? 10,
    segmentSize: o.segmentSize ?? 32 * 1024,
    numberOfBuffers: o.numberOfBuffers ?? 1024,
    buffersPerChannel: o.buffersPerChannel ?? 2,
    floatingBuffersPerGate: o.floatingBuffersPerGate ?? 8,
    slowEvery: o.slowEvery ?? 0,
  };
  const positive = (name: string, v: number, min = 1): void => {
    if (!Number.isSafeInteger(v) || v < min) throw new Error(`${name}: ${v} (expected an integer >= ${min})`);
  };
  positive('records', job.records, 0);
  positive('sources', job.sources);
  positive('aggregators', job.aggregators);
  positive('keys', job.keys);
  positive('buffer timeout', job.bufferTimeoutMs, -1);
  positive('segment size', job.segmentSize, 64);
  positive('number of buffers', job.numberOfBuffers);
  positive('slow-consumer pace', job.slowEvery, 0);
  if (job.flowControl !== 'credit' && job.flowControl !== 'push') throw new Error(`flow control: '${String(job.flowControl)}' (expected credit or push)`);
  return job;
}

/** The JobMaster's handle on one TaskManager. */
interface TaskManagerHandle {
  readonly role: Role;
  readonly link: Link<TaskManagerMessage, MasterMessage>;
  /** Settles when the TaskManager is gone (process exit, or the in-process run ended). */
  readonly gone: Promise<void>;
  kill(): void;
}

/** Thrown when the job fails: a TaskManager failed or died, the deadline passed, or the check failed. */
export class ShuffleJobException extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ShuffleJobException';
  }
}

function forkTaskManager(role: Role, script: string): TaskManagerHandle {
  const child: ChildProcess = fork(script, ['--role', role], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  let handler: ((m: TaskManagerMessage) => void) | null = null;
  child.on('message', (m) => handler?.(m as TaskManagerMessage));
  const gone = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new ShuffleJobException(`${role} (pid ${child.pid}) exited with ${signal ?? `status ${code}`}`));
    });
  });
  return {
    role,
    link: {
      send: (m) => {
        if (child.connected) child.send(m);
      },
      onMessage: (h) => {
        handler = h;
      },
    },
    gone,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function inProcessTaskManager(role: Role): TaskManagerHandle {
  const [master, tm] = inProcessLinks<TaskManagerMessage, MasterMessage>();
  const gone = runTaskManager(tm);
  return { role, link: master, gone, kill: () => undefined };
}

/**
 * Runs the job and resolves with its summary (also when the exactly-once check failed: see `ok`);
 * rejects if a TaskManager failed or the deadline passed (after stopping both TaskManagers).
 */
export async function runShuffleJob(options: ShuffleJobOptions = {}): Promise<JobSummary> {
  const job = jobConfig(options);
  const log = options.log ?? console.log;
  const mode = options.mode ?? 'processes';
  const script = options.workerScript ?? __filename;
  if (mode === 'processes' && (!script.endsWith('.js') || !existsSync(script))) {
    throw new ShuffleJobException(`cannot fork ${script}: build the examples first (npm run build) or use mode 'in-process'`);
  }
  const tms = ROLES.map((role) => (mode === 'processes' ? forkTaskManager(role, script) : inProcessTaskManager(role)));
  const [source, agg] = tms as [TaskManagerHandle, TaskManagerHandle];
  let view: ProgressView = NO_PROGRESS;

  // Messages other than progress wait in a per-TaskManager queue until the master expects them.
  let failure: ShuffleJobException | null = null;
  let onFailure: (err: ShuffleJobException) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    onFailure = reject;
  });
  failed.catch(() => undefined);
  const fail = (err: ShuffleJobException): void => {
    if (failure !== null) return;
    failure = err;
    onFailure(err);
  };
  const inbox = new Map<TaskManagerHandle, { queued: TaskManagerMessage[]; waiting: ((m: TaskManagerMessage) => void) | null }>();
  for (const tm of tms) {
    const box = { queued: [] as TaskManagerMessage[], waiting: null as ((m: TaskManagerMessage) => void) | null };
    inbox.set(tm, box);
    tm.link.onMessage((m) => {
      if (m.type === 'progress') view.update(m.progress);
      else if (m.type === 'failed') fail(new ShuffleJobException(`${tm.role} failed: ${m.error}`));
      else if (box.waiting !== null) {
        const w = box.waiting;
        box.waiting = null;
        w(m);
      } else box.queued.push(m);
    });
    tm.gone.then(
      () => undefined,
      (err: unknown) => fail(err instanceof ShuffleJobException ? err : new ShuffleJobException(`${tm.role} stopped: ${String(err)}`, { cause: err })),
    );
  }
  const next = async <T extends TaskManagerMessage['type']>(tm: TaskManagerHandle, type: T): Promise<Extract<TaskManagerMessage, { type: T }>> => {
    const box = inbox.get(tm)!;
    const m =
      box.queued.shift() ??
      (await Promise.race([
        new Promise<TaskManagerMessage>((resolve) => {
          box.waiting = resolve;
        }),
        failed,
      ]));
    if (m.type !== type) throw new ShuffleJobException(`${tm.role}: expected '${type}', got '${m.type}'`);
    return m as Extract<TaskManagerMessage, { type: T }>;
  };

  const deadlineMs = options.deadlineMs ?? 120_000;
  const deadline = setTimeout(() => fail(new ShuffleJobException(`the job did not finish within ${deadlineMs / 1000} s (--deadline)`)), deadlineMs);
  try {
    // 1. Both TaskManagers start their shuffle environments and report their data ports.
    for (const tm of tms) tm.link.send({ type: 'configure', role: tm.role, job });
    const started = await Promise.all(tms.map((tm) => next(tm, 'started')));
    const sourcePort = started[0].dataPort;

    // 2. One partition per source subtask, M subpartitions each, all reached through connection index 0
    //    of tm-source's address: one TCP connection between the two processes.
    const master = new NettyShuffleMaster();
    const partitions: NettyShuffleDescriptorJSON[] = [];
    for (let s = 0; s < job.sources; s++) {
      const sd = await master.registerPartitionWithProducer(
        'shuffle-job',
        { partitionId: IntermediateResultPartitionID.random(s), numberOfSubpartitions: job.aggregators, connectionIndex: 0 },
        { producerLocation: started[0].resourceId, producerExecutionId: ExecutionAttemptID.random(), address: '127.0.0.1', dataPort: sourcePort },
      );
      partitions.push(sd.toJSON());
    }
    await master.close();

    // 3. Deploy the producers first (their partitions are registered when `deployed` comes back), then
    //    the consumers; then let both run.
    source.link.send({ type: 'deploy', partitions });
    await next(source, 'deployed');
    agg.link.send({ type: 'deploy', partitions });
    await next(agg, 'deployed');

    if (options.progress ?? process.stderr.isTTY === true) view = progressBars(job, job.slowEvery > 0);
    const t0 = performance.now();
    for (const tm of tms) tm.link.send({ type: 'run' });
    const [sourceDone, aggDone] = await Promise.all([next(source, 'finished'), next(agg, 'finished')]);
    const elapsedMs = performance.now() - t0;
    view.stop(true);
    view = NO_PROGRESS;

    // 4. Consumers go first (their channels leave the connection), then the producers.
    agg.link.send({ type: 'shutdown' });
    await next(agg, 'closed');
    source.link.send({ type: 'shutdown' });
    await next(source, 'closed');
    await Promise.race([Promise.all(tms.map((tm) => tm.gone)), failed]);

    if (sourceDone.result.role !== 'tm-source' || aggDone.result.role !== 'tm-agg') throw new ShuffleJobException('results came from the wrong roles');
    const summary = summarize(job, sourceDone.result.tasks as SourceTaskResult[], aggDone.result.tasks as AggTaskResult[], elapsedMs);
    for (const line of formatSummary(summary)) log(line);
    return summary;
  } catch (err) {
    view.stop();
    // Stop everything: in-process TaskManagers close their environments, forked ones are killed.
    for (const tm of tms) {
      tm.link.send({ type: 'shutdown' });
      tm.kill();
    }
    await Promise.race([Promise.allSettled(tms.map((tm) => tm.gone)), new Promise((r) => setTimeout(r, 5000).unref())]);
    throw failure ?? err;
  } finally {
    clearTimeout(deadline);
  }
}

/** A forked TaskManager: serves the JobMaster over IPC until it says shutdown. */
function runAsChild(role: string): void {
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`--role ${role}: expected one of ${ROLES.join(', ')}`);
  let done = false;
  // The JobMaster went away without a shutdown: nothing left to serve.
  process.on('disconnect', () => {
    if (!done) process.exit(2);
  });
  runTaskManager(parentLink<MasterMessage, TaskManagerMessage>()).then(
    () => {
      done = true;
      process.disconnect();
      // Everything is closed; the process ends when its event loop is empty. If a handle is still open
      // after 2 s, say so (a bug) and leave anyway.
      setTimeout(() => {
        console.error(`${role}: still running 2 s after shutdown (an open handle); exiting`);
        process.exit(0);
      }, 2000).unref();
    },
    () => {
      // The JobMaster got a 'failed' message with the details.
      done = true;
      process.exitCode = 1;
      setTimeout(() => process.exit(1), 200).unref();
    },
  );
}

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      role: { type: 'string' },
      records: { type: 'string', default: '2000000' },
      sources: { type: 'string', short: 'n', default: '4' },
      aggregators: { type: 'string', short: 'm', default: '4' },
      keys: { type: 'string', default: '256' },
      'slow-consumer': { type: 'boolean', default: false },
      'slow-every': { type: 'string', default: String(DEFAULT_SLOW_EVERY) },
      'flow-control': { type: 'string', default: 'credit' },
      'buffer-timeout': { type: 'string', default: '10' },
      'segment-size': { type: 'string', default: '32768' },
      buffers: { type: 'string', default: '1024' },
      'in-process': { type: 'boolean', default: false },
      deadline: { type: 'string', default: '120' },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.role !== undefined) {
    runAsChild(values.role);
    return 0;
  }
  if (values.help) {
    console.log(
      [
        'usage: node examples/dist/shuffle-job.js [options]',
        '  --records N           records over all sources (default 2000000)',
        '  --sources N, -n N     source subtasks (default 4)',
        '  --aggregators M, -m M aggregator subtasks (default 4)',
        '  --keys K              distinct keys (default 256)',
        '  --slow-consumer       aggregator 1 sleeps 1 ms every --slow-every records (default 100)',
        '  --flow-control MODE   credit (default) or push (Flink 1.4: no credit, a full channel stalls the connection)',
        '  --buffer-timeout MS   execution.buffer-timeout (default 10; 0 = flush every record, -1 = only full buffers)',
        '  --segment-size BYTES  network buffer size (default 32768)',
        '  --buffers N           network buffers per TaskManager (default 1024)',
        '  --in-process          run both TaskManagers in this process (still over TCP)',
        '  --deadline S          kill the TaskManagers and fail after S seconds (default 120)',
        '  --quiet, -q           no progress bars',
      ].join('\n'),
    );
    return 0;
  }
  const num = (name: keyof typeof values): number => {
    const v = Number(values[name]);
    if (!Number.isFinite(v)) throw new Error(`--${name} ${String(values[name])}: expected a number`);
    return v;
  };
  const summary = await runShuffleJob({
    records: num('records'),
    sources: num('sources'),
    aggregators: num('aggregators'),
    keys: num('keys'),
    flowControl: values['flow-control'] as FlowControlMode,
    bufferTimeoutMs: num('buffer-timeout'),
    segmentSize: num('segment-size'),
    numberOfBuffers: num('buffers'),
    slowEvery: values['slow-consumer'] ? num('slow-every') : 0,
    mode: values['in-process'] ? 'in-process' : 'processes',
    deadlineMs: num('deadline') * 1000,
    progress: !values.quiet && process.stderr.isTTY === true,
  });
  return summary.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => {
      if (status !== 0) process.exitCode = status;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
