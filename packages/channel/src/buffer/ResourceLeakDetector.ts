import type { LeakReport } from './errors';
import { InternalLoggerFactory } from '../util/InternalLogger';
import { IllegalArgumentException } from '../util/SluiceError';

/** Netty's leak-detection levels, from cheapest to strictest. */
export const LeakDetectionLevel = {
  /** No tracking at all. */
  DISABLED: 'DISABLED',
  /** Tracks about one allocation in `samplingInterval` (128); reports say a leak happened, not where. */
  SIMPLE: 'SIMPLE',
  /** Sampled like SIMPLE, with the allocation stack and the last touch/retain/release call sites. */
  ADVANCED: 'ADVANCED',
  /** Tracks every allocation with records, and keeps the set of open records for tests. Slow. */
  PARANOID: 'PARANOID',
} as const;
export type LeakDetectionLevel = (typeof LeakDetectionLevel)[keyof typeof LeakDetectionLevel];

/** Called once per leaked object; see {@link ResourceLeakDetector.addLeakListener}. */
export type LeakListener = (report: LeakReport) => void;

/** The handle a tracked object keeps (Netty's ResourceLeakTracker). */
export interface ResourceLeakTracker<T extends object> {
  /** Records an access (touch/retain/release) with an optional hint; no-op below ADVANCED. */
  record(hint?: unknown): void;
  /** Marks the object as properly released; returns false if it was already closed. */
  close(trackedObject: T): boolean;
}

const LEVELS: readonly LeakDetectionLevel[] = ['DISABLED', 'SIMPLE', 'ADVANCED', 'PARANOID'];
const ADVANCED = 2;
const PARANOID = 3;
/** Frames kept per captured stack. */
const STACK_FRAMES = 10;
/** Distinct leak texts remembered so that the same leak is logged once (Netty's reportedLeaks). */
const MAX_REMEMBERED_REPORTS = 1024;

const logger = InternalLoggerFactory.getInstance('ResourceLeakDetector');

function parseLevel(value: string | undefined): LeakDetectionLevel | undefined {
  const v = (value ?? '').trim().toUpperCase();
  if (v === '') return undefined;
  if (/^[0-3]$/.test(v)) return LEVELS[Number(v)];
  return (LEVELS as readonly string[]).includes(v) ? (v as LeakDetectionLevel) : undefined;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const envLevel = process.env.SLUICE_LEAK_DETECTION_LEVEL;
let level: LeakDetectionLevel = parseLevel(envLevel) ?? 'SIMPLE';
let levelOrdinal = LEVELS.indexOf(level);
if (envLevel !== undefined && envLevel.trim() !== '' && parseLevel(envLevel) === undefined) {
  logger.warn(`SLUICE_LEAK_DETECTION_LEVEL=${envLevel} is not one of ${LEVELS.join(', ')} (or 0-3); using SIMPLE`);
}

const listeners = new Set<LeakListener>();
/** PARANOID only: records of tracked objects not yet released or collected. */
const openRecords = new Set<LeakRecord>();
const loggedReports = new Set<string>();
let lastId = 0;

const registry = new FinalizationRegistry<LeakRecord>((record) => record.onCollected());

/** Absolute paths of stack frames that belong to this folder (skipped at the top of captured stacks). */
const INTERNAL_DIR = __dirname;

function formatFrames(_error: Error, frames: NodeJS.CallSite[]): string {
  let out = '';
  let kept = 0;
  let leading = true;
  for (const frame of frames) {
    const file = frame.getFileName() ?? '<anonymous>';
    if (leading && file.startsWith(INTERNAL_DIR)) continue;
    leading = false;
    let name = frame.getFunctionName();
    try {
      const type = frame.isToplevel() ? null : frame.getTypeName();
      if (name !== null && type !== null && type !== 'Object') name = `${type}.${name}`;
    } catch {
      // getTypeName() can throw for exotic receivers; the bare function name is enough.
    }
    const where = `${file}:${frame.getLineNumber() ?? 0}:${frame.getColumnNumber() ?? 0}`;
    out += name ? `\n    at ${name} (${where})` : `\n    at ${where}`;
    if (++kept === STACK_FRAMES) break;
  }
  return out;
}

/**
 * Captures the caller's stack as a string, eagerly: an unformatted V8 stack keeps the receivers of its
 * frames alive, which would keep the very buffer we watch reachable. Uses a minimal formatter because
 * source-mapping formatters (jest's, `--enable-source-maps`) cost ~100 µs per stack; frame positions
 * therefore refer to the executed JavaScript.
 */
function captureStack(skip: (...args: never[]) => unknown): string {
  const holder: { stack?: string } = {};
  const prevLimit = Error.stackTraceLimit;
  const prevPrepare = Error.prepareStackTrace;
  Error.stackTraceLimit = STACK_FRAMES + 8;
  Error.prepareStackTrace = formatFrames;
  try {
    Error.captureStackTrace(holder, skip);
    return holder.stack ?? '';
  } finally {
    Error.prepareStackTrace = prevPrepare;
    Error.stackTraceLimit = prevLimit;
  }
}

function hintText(hint: unknown): string {
  if (hint === undefined) return '';
  if (typeof hint === 'object' && hint !== null && typeof (hint as { toHintString?: unknown }).toHintString === 'function') {
    return String((hint as { toHintString: () => unknown }).toHintString());
  }
  return String(hint);
}

class LeakRecord implements ResourceLeakTracker<object> {
  // Declared and assigned rather than class fields / parameter properties (one record per tracked
  // buffer; see buffer/AbstractByteBuf.ts).
  declare readonly id: number;
  declare readonly detector: ResourceLeakDetector<object>;
  declare readonly createdAt: string | undefined;
  /** Access records, newest last; `null` when the level does not record. */
  declare readonly records: string[] | null;
  /** PARANOID only: lets an open report describe the object without keeping it alive. */
  declare readonly ref: WeakRef<object> | undefined;
  declare closed: boolean;
  declare dropped: number;

  constructor(
    id: number,
    detector: ResourceLeakDetector<object>,
    createdAt: string | undefined,
    records: string[] | null,
    ref: WeakRef<object> | undefined,
  ) {
    this.id = id;
    this.detector = detector;
    this.createdAt = createdAt;
    this.records = records;
    this.ref = ref;
    this.closed = false;
    this.dropped = 0;
  }

  record(hint?: unknown): void {
    const records = this.records;
    // targetRecords 0 (SLUICE_LEAK_DETECTION_TARGET_RECORDS=0) skips the ~10 µs stack capture per access.
    if (records === null || this.closed || this.detector.targetRecords === 0) return;
    const text = hintText(hint);
    records.push((text === '' ? '' : `Hint: ${text}`) + captureStack(this.record));
    if (records.length > this.detector.targetRecords) {
      records.shift();
      this.dropped++;
    }
  }

  close(_trackedObject: object): boolean {
    if (this.closed) return false;
    this.closed = true;
    registry.unregister(this);
    openRecords.delete(this);
    return true;
  }

  onCollected(): void {
    if (this.closed) return;
    this.closed = true;
    openRecords.delete(this);
    this.detector.reportLeak(this.toReport('collected'));
  }

  toReport(kind: LeakReport['kind']): LeakReport {
    const type = this.detector.resourceType;
    const records = this.records === null ? [] : [...this.records].reverse();
    let message: string;
    if (kind === 'collected') {
      message =
        `LEAK: ${type}.release() was not called before it's garbage-collected. ` +
        `See https://netty.io/wiki/reference-counted-objects.html for the rules (Sluice follows Netty's).`;
    } else {
      const target = this.ref?.deref();
      message = `LEAK: ${type} was not released before the end of the test: ${target === undefined ? '(collected)' : String(target)}.`;
    }
    if (this.createdAt === undefined) {
      message +=
        ' Enable advanced leak reporting to find out where the leak occurred: set the environment variable ' +
        "SLUICE_LEAK_DETECTION_LEVEL=advanced (or paranoid), or call ResourceLeakDetector.setLevel('ADVANCED').";
    } else {
      if (records.length > 0) {
        message += '\nRecent access records:';
        records.forEach((r, i) => (message += `\n#${i + 1}: ${r}`));
      }
      if (this.dropped > 0) {
        message +=
          `\n${this.dropped} leak records were discarded because the leak record count is targeted to ` +
          `${this.detector.targetRecords} (SLUICE_LEAK_DETECTION_TARGET_RECORDS).`;
      }
      message += `\nCreated at:${this.createdAt}`;
    }
    return { id: this.id, resourceType: type, kind, message, createdAt: this.createdAt, records };
  }
}

/** Options of a {@link ResourceLeakDetector}. */
export interface ResourceLeakDetectorOptions {
  /** One in this many allocations is tracked at SIMPLE and ADVANCED (default: 128, env `SLUICE_LEAK_DETECTION_SAMPLING_INTERVAL`). */
  samplingInterval?: number;
  /**
   * Access records kept per tracked object, newest first (default: 4, env `SLUICE_LEAK_DETECTION_TARGET_RECORDS`);
   * 0 records nothing, which makes touch/retain/release free of stack captures even at PARANOID.
   */
  targetRecords?: number;
}

/**
 * Port of io.netty.util.ResourceLeakDetector (Netty 4.1). Differs: built on `FinalizationRegistry`
 * instead of phantom references, so a leak is reported when the garbage collector runs the cleanup
 * callbacks rather than on a later `track()`; access records are taken on touch/retain/release only
 * (Netty's `acquireAndReleaseOnly`); listeners receive every leak while the log shows each distinct leak
 * text once; PARANOID also keeps the set of open records (through `WeakRef`s, so it never keeps an object
 * alive) for `assertNoLeaks()`.
 *
 * The level is global: `SLUICE_LEAK_DETECTION_LEVEL` (`disabled`, `simple`, `advanced`, `paranoid`,
 * case-insensitive, or 0-3; default SIMPLE) or {@link ResourceLeakDetector.setLevel}. A detector tracks
 * objects of one type; buffers are tracked by their allocator (root buffers only; derived buffers record
 * through their root).
 *
 * ## Threading
 * Per JS thread (each worker has its own detector state).
 *
 * ## Pitfalls
 * - A leak is only seen after a garbage collection, which may never happen in a short program; tests use
 *   PARANOID and `assertNoLeaks()` (src/testing/LeakAssertions.ts), which also reports open records.
 * - At SIMPLE a leaked object is found only if it was sampled (1 in 128).
 * - Changing the level affects objects tracked afterwards.
 */
export class ResourceLeakDetector<T extends object> {
  /** The level names, as `ResourceLeakDetector.Level.PARANOID`. */
  static readonly Level = LeakDetectionLevel;

  /** Sets the global level; accepts the names case-insensitively or the ordinals 0-3. */
  static setLevel(newLevel: LeakDetectionLevel | string | number): void {
    const parsed = parseLevel(String(newLevel));
    if (parsed === undefined) {
      throw new IllegalArgumentException(`level: ${String(newLevel)} (expected: one of ${LEVELS.join(', ')} or 0-3)`);
    }
    level = parsed;
    levelOrdinal = LEVELS.indexOf(parsed);
  }

  static getLevel(): LeakDetectionLevel {
    return level;
  }

  static isEnabled(): boolean {
    return levelOrdinal > 0;
  }

  /** Registers a listener for every leak found by garbage collection; returns a function that removes it. */
  static addLeakListener(listener: LeakListener): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  /** Id of the most recently tracked object (0 if none); ids increase with allocation order. */
  static lastTrackedId(): number {
    return lastId;
  }

  /**
   * PARANOID only: reports (kind `open`) for tracked objects with an id greater than `sinceId` that are
   * neither released nor collected yet, oldest first, skipping ids for which `skip` returns true. Empty at
   * other levels.
   *
   * ## Pitfalls
   * Describing an open object dereferences its `WeakRef`, which keeps the object alive until the current
   * job ends: a `gc()` in the same synchronous run cannot collect it.
   */
  static openLeaks(sinceId = 0, skip?: (id: number) => boolean): LeakReport[] {
    const out: LeakReport[] = [];
    for (const record of openRecords) {
      if (record.id > sinceId && (skip === undefined || !skip(record.id))) out.push(record.toReport('open'));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  readonly samplingInterval: number;
  readonly targetRecords: number;
  /**
   * Untracked allocations left before the next sampled one (SIMPLE/ADVANCED). Sampling by countdown
   * costs one decrement per allocation; `Math.random()` on every allocation showed as ~2% of the
   * small-message sender's profile (Netty draws a random number per allocation, which is cheap in Java).
   */
  private countdown: number;

  /** @param resourceType name used in reports, e.g. `ByteBuf`. */
  constructor(readonly resourceType: string, options: ResourceLeakDetectorOptions = {}) {
    this.samplingInterval = options.samplingInterval ?? envInt('SLUICE_LEAK_DETECTION_SAMPLING_INTERVAL', 128);
    this.targetRecords = options.targetRecords ?? envInt('SLUICE_LEAK_DETECTION_TARGET_RECORDS', 4);
    if (!Number.isInteger(this.samplingInterval) || this.samplingInterval < 1) {
      throw new IllegalArgumentException(`samplingInterval: ${this.samplingInterval} (expected: an integer >= 1)`);
    }
    if (!Number.isInteger(this.targetRecords) || this.targetRecords < 0) {
      throw new IllegalArgumentException(`targetRecords: ${this.targetRecords} (expected: an integer >= 0)`);
    }
    this.countdown = this.nextSampleGap();
  }

  /**
   * Allocations until the next sample: uniform in [1, 2 × samplingInterval − 1], so one allocation in
   * `samplingInterval` is tracked on average (Netty's rate) while the random gap keeps a leak that recurs
   * with a fixed period from always falling between samples. Always 1 when the interval is 1.
   */
  private nextSampleGap(): number {
    return 1 + Math.floor(Math.random() * (2 * this.samplingInterval - 1));
  }

  /**
   * Starts tracking `obj` if the level (and sampling) says so; returns the tracker to close on release,
   * or `null`. At DISABLED this is one comparison; at SIMPLE/ADVANCED one counter decrement per call
   * (plus a `Math.random()` per sampled object).
   */
  track(obj: T): ResourceLeakTracker<T> | null {
    const ordinal = levelOrdinal;
    if (ordinal === 0) return null;
    if (ordinal < PARANOID) {
      if (--this.countdown > 0) return null;
      this.countdown = this.nextSampleGap();
    }
    return this.track0(obj, ordinal);
  }

  private track0(obj: T, ordinal: number): LeakRecord {
    const record = new LeakRecord(
      ++lastId,
      this as ResourceLeakDetector<object>,
      ordinal >= ADVANCED ? captureStack(this.track) : undefined,
      ordinal >= ADVANCED ? [] : null,
      ordinal === PARANOID ? new WeakRef(obj) : undefined,
    );
    registry.register(obj, record, record);
    if (ordinal === PARANOID) openRecords.add(record);
    return record;
  }

  /** Logs a leak (once per distinct text) and hands it to every listener. */
  reportLeak(report: LeakReport): void {
    const key = report.message;
    if (!loggedReports.has(key)) {
      if (loggedReports.size >= MAX_REMEMBERED_REPORTS) loggedReports.clear();
      loggedReports.add(key);
      logger.error(report.message);
    }
    for (const listener of listeners) {
      try {
        listener(report);
      } catch (err) {
        logger.error(`leak listener failed: ${String(err)}`);
      }
    }
  }
}
