/**
 * Framework-free pieces shared by every endpoint of the `shuffle` suite (raw ones included: nothing
 * here loads @sluice/shuffle): the record layouts, the in-order checks of round-robin and FlinkPeer
 * records, the throughput consumers' measurement window, port packing and sleeping. The Sluice
 * endpoints' environment is in `sluice/env.ts`.
 */
import type { Worker } from '../harness/worker';
import { CounterWindow, cpuMs } from '../shuffle-local/cooperative';

/** Records are 8-byte longs: 12 bytes on the wire with the length prefix. */
export const RECORD_BYTES = 12;
/** Writer w's k-th record is the long `w * 2^40 + k` (as in the shuffle-local suite). */
export const WRITER_VALUE_STRIDE = 2 ** 40;
const INV_WRITER_VALUE_STRIDE = 1 / WRITER_VALUE_STRIDE;

/**
 * Checks that records arrive complete and in order per channel, where each channel's records form an
 * arithmetic sequence of step {@link step}. Allocation-free; about a nanosecond per record. FlinkPeer's
 * consumer checks every record too, and so does the raw baseline.
 *
 * Records arrive a buffer at a time, so consecutive records are mostly of one channel: the fast path
 * only compares with that channel's next value. A record of another channel takes the slow path, which
 * stores the current channel's next value and looks the record's channel up (exactly the same check).
 * Subclasses say where a value belongs ({@link indexOf}) and how to report a mismatch.
 */
abstract class InOrderChecker {
  /** The next value of each channel, whole (so that the fast path's `next` can be stored back as is). */
  protected readonly expected: Float64Array;
  /** Index in {@link expected} of the channel of the last record, or −1 before the first. */
  private currentIndex = -1;
  /** The value the current channel must deliver next (−1: none yet; no record is negative). */
  private next = -1;

  protected constructor(
    channelCount: number,
    private readonly step: number,
  ) {
    this.expected = new Float64Array(channelCount);
  }

  /** Throws unless `value` is the next record of its channel. */
  check(value: number): void {
    if (value === this.next) this.next = value + this.step;
    else this.switchChannel(value);
  }

  private switchChannel(value: number): void {
    if (this.currentIndex >= 0) this.expected[this.currentIndex] = this.next;
    const index = this.indexOf(value);
    if (index < 0 || this.expected[index] !== value) throw new Error(this.mismatch(value));
    this.currentIndex = index;
    this.next = value + this.step;
  }

  /** The index in {@link expected} of the channel `value` belongs to, or −1 if it belongs to none. */
  protected abstract indexOf(value: number): number;

  /** The error message for a record that is not its channel's next. */
  protected abstract mismatch(value: number): string;
}

/**
 * {@link InOrderChecker} for round-robin writers: writer w's channel c carries k = c, c + channels,
 * c + 2·channels, … (the value is w·2^40 + k).
 */
export class SequenceChecker extends InOrderChecker {
  private readonly invChannels: number;

  constructor(
    private readonly writers: number,
    private readonly channels: number,
  ) {
    super(writers * channels, channels);
    this.invChannels = 1 / channels;
    for (let w = 0; w < writers; w++) for (let c = 0; c < channels; c++) this.expected[w * channels + c] = w * WRITER_VALUE_STRIDE + c;
  }

  protected indexOf(value: number): number {
    const w = Math.floor(value * INV_WRITER_VALUE_STRIDE);
    return w >= 0 && w < this.writers ? w * this.channels + this.channelOf(value - w * WRITER_VALUE_STRIDE) : -1;
  }

  protected mismatch(value: number): string {
    const w = Math.floor(value * INV_WRITER_VALUE_STRIDE);
    const k = value - w * WRITER_VALUE_STRIDE;
    const c = this.channelOf(k);
    const expectedK = (this.expected[w * this.channels + c] ?? NaN) - w * WRITER_VALUE_STRIDE;
    return `record out of order or lost: got k=${k} from writer ${w} channel ${c}, expected k=${expectedK}`;
  }

  /**
   * k mod channels without `%` (on a double beyond int32 range V8 calls fmod); the reciprocal's rounding
   * can put the quotient off by one: fix that up.
   */
  private channelOf(k: number): number {
    const channels = this.channels;
    const c = k - Math.floor(k * this.invChannels) * channels;
    if (c < 0) return c + channels;
    return c >= channels ? c - channels : c;
  }
}

/** FlinkPeer's record `i` of subpartition `s` is the long `s * 2^32 + i` (its README). */
export const PEER_SUBPARTITION_STRIDE = 2 ** 32;

/** {@link InOrderChecker} for FlinkPeer's record layout: subpartition s carries s·2^32 + 0, 1, 2, … */
export class PeerRecordChecker extends InOrderChecker {
  constructor(private readonly channels: number) {
    super(channels, 1);
    for (let s = 0; s < channels; s++) this.expected[s] = s * PEER_SUBPARTITION_STRIDE;
  }

  protected indexOf(value: number): number {
    const s = Math.floor(value / PEER_SUBPARTITION_STRIDE);
    return s >= 0 && s < this.channels ? s : -1;
  }

  protected mismatch(value: number): string {
    const s = Math.floor(value / PEER_SUBPARTITION_STRIDE);
    const expectedI = (this.expected[s] ?? NaN) - s * PEER_SUBPARTITION_STRIDE;
    return `record out of order or lost: got i=${value - s * PEER_SUBPARTITION_STRIDE} on subpartition ${s}, expected i=${expectedI}`;
  }
}

/**
 * The measurement window of the `throughput-*` consumers (raw and Sluice alike): records and buffers
 * (or frames) read, from `counters()`, reported as records/ms, `cpu/wall` of the process and records
 * per buffer. `onClose` runs first when the window closes (the consumer stops reading).
 */
export function throughputWindow(worker: Worker, counters: () => readonly [records: number, buffers: number], onClose: () => void): CounterWindow {
  return new CounterWindow(
    worker,
    () => [...counters(), cpuMs()],
    (perSecond) => `${Math.round(perSecond / 1000).toLocaleString('en-US')} records/ms`,
    (deltas, seconds) => {
      onClose();
      const [records = 0, buffers = 0, cpu = 0] = deltas;
      worker.result({
        'records/ms': records / seconds / 1000,
        'cpu/wall': cpu / (seconds * 1000),
        'records/buffer': buffers > 0 ? records / buffers : 0,
        records,
        seconds,
      });
    },
  );
}

/**
 * Two ports in the one number the harness relays from the first child to the second: the data port
 * and a control port (latency benchmark: the echo side must learn the client's data port).
 */
export function packPorts(dataPort: number, controlPort: number): number {
  return dataPort + controlPort * 65536;
}

export function unpackPorts(packed: number): { dataPort: number; controlPort: number } {
  return { dataPort: packed % 65536, controlPort: Math.floor(packed / 65536) };
}

/** Resolves after `ms` milliseconds (a macrotask). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
