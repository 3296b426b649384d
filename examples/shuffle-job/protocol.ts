/**
 * What the JobMaster (the parent process) and the two TaskManagers (child processes) tell each other,
 * and the two ways the messages travel: Node's IPC channel of `child_process.fork` for the real run, or
 * an in-process pair of links for the test suite (messages still go through JSON, as over IPC).
 *
 * The conversation, in order:
 *
 *   master → tm: configure (the job)         tm → master: started (its data port)
 *   master → tm: deploy (descriptors)        tm → master: deployed (partitions registered / gates set up)
 *   master → tm: run                         tm → master: progress … (every 100 ms), then finished (results)
 *   master → tm: shutdown                    tm → master: closed (environment closed, pools full)
 *
 * and at any time tm → master: failed (then the master stops the whole job).
 */
import type { NettyShuffleDescriptorJSON } from '@sluice/shuffle';
import type { KeyStatsJSON } from './records';

export type Role = 'tm-source' | 'tm-agg';
export const ROLES: readonly Role[] = ['tm-source', 'tm-agg'];

export type FlowControlMode = 'credit' | 'push';

/** Everything a TaskManager needs to know about the job. */
export interface JobConfig {
  /** Records over all source subtasks. */
  readonly records: number;
  /** Source subtasks (N) = partitions. */
  readonly sources: number;
  /** Aggregator subtasks (M) = subpartitions of each partition. */
  readonly aggregators: number;
  /** Distinct keys. */
  readonly keys: number;
  readonly flowControl: FlowControlMode;
  /** `execution.buffer-timeout` in ms. */
  readonly bufferTimeoutMs: number;
  /** Network buffer size in bytes. */
  readonly segmentSize: number;
  /** Network buffers per TaskManager. */
  readonly numberOfBuffers: number;
  /** Exclusive buffers per input channel (= initial credit). */
  readonly buffersPerChannel: number;
  /** Floating buffers per input gate. */
  readonly floatingBuffersPerGate: number;
  /** Aggregator 0 sleeps 1 ms after every this many records (0 = not slow). */
  readonly slowEvery: number;
}

export type MasterMessage =
  | { readonly type: 'configure'; readonly role: Role; readonly job: JobConfig }
  | { readonly type: 'deploy'; readonly partitions: readonly NettyShuffleDescriptorJSON[] }
  | { readonly type: 'run' }
  | { readonly type: 'shutdown' };

/** Live counters of one TaskManager, per subtask. */
export interface Progress {
  readonly role: Role;
  /** Records emitted (source) or aggregated (agg) so far, per subtask. */
  readonly records: readonly number[];
  /** Source: how often each subtask found its writer back-pressured so far. */
  readonly waits?: readonly number[];
}

/** Credit and backlog of one remote input channel, sampled while the job ran. */
export interface ChannelStats {
  /** Aggregator subtask (gate) and source subtask (channel index in the gate). */
  readonly aggregator: number;
  readonly source: number;
  readonly samples: number;
  /** Buffers the channel holds free for the sender (exclusive + floating) = the credit it has granted. */
  readonly creditAvg: number;
  readonly creditMin: number;
  readonly creditMax: number;
  /** The sender's backlog as last announced to the channel. */
  readonly backlogAvg: number;
  readonly backlogMax: number;
  /** Buffers received and not yet read by the aggregator. */
  readonly queuedAvg: number;
  readonly queuedMax: number;
}

export interface SourceTaskResult {
  readonly subtask: number;
  readonly records: number;
  readonly waits: number;
  /** Back-pressured time from the task's TaskIOMetrics, ms: a record waiting for a buffer (hard)… */
  readonly hardBackPressuredMs: number;
  /** …and a written record waiting for the output to become available again (soft). */
  readonly softBackPressuredMs: number;
  readonly elapsedMs: number;
  /** Aggregator (subpartition) that each key was sent to, by key (-1 = none). */
  readonly keyTargets: readonly number[];
  readonly keyStats: KeyStatsJSON;
}

export interface AggTaskResult {
  readonly subtask: number;
  readonly records: number;
  /** Records that did not match their sequence number (value/key corrupted). */
  readonly corrupt: number;
  /** From the first record to the last, ms. */
  readonly activeMs: number;
  /** From `run` to the end of the input, ms. */
  readonly elapsedMs: number;
  /** Time the gate had nothing to read while the input had not ended, ms. */
  readonly starvedMs: number;
  readonly bytesIn: number;
  readonly buffersIn: number;
  /** End-to-end latency histogram (µs), hdr-histogram compressed base64. */
  readonly latency: string;
  readonly keyStats: KeyStatsJSON;
  readonly channels: readonly ChannelStats[];
}

export type TaskManagerResult =
  | { readonly role: 'tm-source'; readonly tasks: readonly SourceTaskResult[] }
  | { readonly role: 'tm-agg'; readonly tasks: readonly AggTaskResult[] };

export type TaskManagerMessage =
  | { readonly type: 'started'; readonly role: Role; readonly resourceId: string; readonly dataPort: number; readonly pid: number }
  | { readonly type: 'deployed' }
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'finished'; readonly result: TaskManagerResult }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly error: string };

/** One end of a conversation: sends `Out`, hears `In`. */
export interface Link<In, Out> {
  send(message: Out): void;
  onMessage(handler: (message: In) => void): void;
}

/**
 * Two links connected in this process. A message is delivered on a later macrotask, after a JSON round
 * trip, so both sides see what they would see over IPC (no shared objects).
 */
export function inProcessLinks<A, B>(): [Link<A, B>, Link<B, A>] {
  let toA: ((message: A) => void) | null = null;
  let toB: ((message: B) => void) | null = null;
  const deliver = <M>(message: M, handler: () => ((m: M) => void) | null): void => {
    const copy = JSON.parse(JSON.stringify(message)) as M;
    setImmediate(() => handler()?.(copy));
  };
  const a: Link<A, B> = {
    send: (message) => deliver(message, () => toB),
    onMessage: (handler) => {
      toA = handler;
    },
  };
  const b: Link<B, A> = {
    send: (message) => deliver(message, () => toA),
    onMessage: (handler) => {
      toB = handler;
    },
  };
  return [a, b];
}

/** The child's end of the IPC channel of `child_process.fork`. */
export function parentLink<In, Out>(): Link<In, Out> {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('not started by the JobMaster (no IPC channel): run the job without --role');
  return {
    send: (message) => {
      send(message);
    },
    onMessage: (handler) => {
      process.on('message', (message) => handler(message as In));
    },
  };
}
