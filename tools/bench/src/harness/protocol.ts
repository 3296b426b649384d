/**
 * The message protocol between the harness (parent) and a benchmark endpoint process (child).
 *
 * A child is started with `child_process.fork(script, [JSON.stringify(config)])`, so its
 * {@link WorkerConfig} is in `process.argv[2]` from its first line on. Messages travel over the IPC
 * channel that `fork` opens:
 *
 * ```
 * parent                      receiver                     sender
 *   | fork(receiverScript) ----> listen(0)
 *   | <------------------------ {ready, port}
 *   | fork(senderScript, port) --------------------------> connect(port)
 *   | <------------- {progress} (the measuring side, every ~250 ms)
 *   | <------------- {result}   (the measuring side, when its window closes)
 *   | {stop} --------------------------------------------> (reports its own {result}, exits)
 *   | {stop} -----> exits
 * ```
 *
 * ## Pitfalls
 * Children must never write to stdout (it is the harness's report); their stdout and stderr are
 * both redirected to the harness's stderr.
 */

/** Which endpoint a child plays. `worker` is an in-process benchmark with no socket. */
export type WorkerRole = 'receiver' | 'sender' | 'worker';

/** Configuration handed to every child as JSON in `process.argv[2]`. */
export interface WorkerConfig {
  readonly role: WorkerRole;
  /** Address to listen on or connect to (default: 127.0.0.1). */
  readonly host: string;
  /** Port to connect to; 0 for a receiver (it listens on an ephemeral port) or a worker. */
  readonly port: number;
  /** Milliseconds from the start of traffic that are not measured. */
  readonly warmupMs: number;
  /** Milliseconds of the measurement window that follows the warm-up. */
  readonly durationMs: number;
  /** Benchmark parameters (frame sizes, batch sizes, cycle counts), shared by every variant. */
  readonly params: Readonly<Record<string, number>>;
}

/** Child → parent: the receiver listens on `port`. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly port: number;
}

/** Child → parent: how far the measuring side is. `done`/`total` share a unit (ms or cycles). */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly phase: 'warmup' | 'measure';
  readonly done: number;
  readonly total: number;
  /** A short live figure for the progress bar, e.g. `2410 MB/s`. */
  readonly label: string;
}

/** Child → parent: figures keyed by metric name (e.g. `MB/s`) plus diagnostics. */
export interface ResultMessage {
  readonly type: 'result';
  readonly metrics: Readonly<Record<string, number>>;
}

/** Child → parent: the child failed; it exits right after sending this. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
}

export type ChildMessage = ReadyMessage | ProgressMessage | ResultMessage | ErrorMessage;

/** Parent → child: stop traffic, report a result if not done yet, and exit. */
export interface StopMessage {
  readonly type: 'stop';
}

export type ParentMessage = StopMessage;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isNumberRecord(value: unknown): value is Record<string, number> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'number');
}

/** Validates a message received from a child; anything else is a protocol error. */
export function isChildMessage(value: unknown): value is ChildMessage {
  if (!isRecord(value)) return false;
  switch (value['type']) {
    case 'ready':
      return typeof value['port'] === 'number';
    case 'progress':
      return (
        (value['phase'] === 'warmup' || value['phase'] === 'measure') &&
        typeof value['done'] === 'number' &&
        typeof value['total'] === 'number' &&
        typeof value['label'] === 'string'
      );
    case 'result':
      return isNumberRecord(value['metrics']);
    case 'error':
      return typeof value['message'] === 'string';
    default:
      return false;
  }
}

/** Validates a message received from the parent. */
export function isParentMessage(value: unknown): value is ParentMessage {
  return isRecord(value) && value['type'] === 'stop';
}

/** Parses and validates the configuration a child finds in `process.argv[2]`. */
export function parseWorkerConfig(json: string | undefined): WorkerConfig {
  if (json === undefined) {
    throw new Error('bench worker: missing configuration in argv[2]; start this script through the bench harness');
  }
  const value: unknown = JSON.parse(json);
  if (
    !isRecord(value) ||
    (value['role'] !== 'receiver' && value['role'] !== 'sender' && value['role'] !== 'worker') ||
    typeof value['host'] !== 'string' ||
    typeof value['port'] !== 'number' ||
    typeof value['warmupMs'] !== 'number' ||
    typeof value['durationMs'] !== 'number' ||
    !isNumberRecord(value['params'])
  ) {
    throw new Error(`bench worker: malformed configuration ${json}`);
  }
  return {
    role: value['role'],
    host: value['host'],
    port: value['port'],
    warmupMs: value['warmupMs'],
    durationMs: value['durationMs'],
    params: value['params'],
  };
}
