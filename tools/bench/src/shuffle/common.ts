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
 * Checks that records of round-robin writers arrive complete and in order per channel: writer w's
 * channel c carries k = c, c + channels, c + 2·channels, … Allocation-free; about a nanosecond per
 * record. FlinkPeer's consumer checks every record too, and so does the raw baseline.
 *
 * Records arrive a buffer at a time, so consecutive records are mostly of one channel: the fast path
 * only compares with that channel's next value. A record of another channel takes the slow path, which
 * stores the current channel's next value and looks the record's channel up (exactly the same check).
 */
export class SequenceChecker {
  private readonly expected: Float64Array;
  private readonly invChannels: number;
  /** Index in {@link expected} of the channel of the last record, or −1 before the first. */
  private currentIndex = -1;
  /** The value the current channel must deliver next (−1: none yet; no record is negative). */
  private next = -1;

  constructor(
    private readonly writers: number,
    private readonly channels: number,
  ) {
    this.expected = new Float64Array(writers * channels);
    this.invChannels = 1 / channels;
    // Whole values (writer offset included), so that the fast path's `next` can be stored back as is.
    for (let w = 0; w < writers; w++) for (let c = 0; c < channels; c++) this.expected[w * channels + c] = w * WRITER_VALUE_STRIDE + c;
  }

  /** Throws unless `value` is the next record of its writer's channel. */
  check(value: number): void {
    if (value === this.next) this.next = value + this.channels;
    else this.switchChannel(value);
  }

  private switchChannel(value: number): void {
    if (this.currentIndex >= 0) this.expected[this.currentIndex] = this.next;
    const w = Math.floor(value * INV_WRITER_VALUE_STRIDE);
    const k = value - w * WRITER_VALUE_STRIDE;
    // k mod channels without `%` (on a double beyond int32 range V8 calls fmod); the reciprocal's
    // rounding can put the quotient off by one: fix that up.
    const channels = this.channels;
    let c = k - Math.floor(k * this.invChannels) * channels;
    if (c < 0) c += channels;
    else if (c >= channels) c -= channels;
    const index = w * channels + c;
    if (!(w >= 0 && w < this.writers) || this.expected[index] !== value) {
      const expectedK = (this.expected[index] ?? NaN) - w * WRITER_VALUE_STRIDE;
      throw new Error(`record out of order or lost: got k=${k} from writer ${w} channel ${c}, expected k=${expectedK}`);
    }
    this.currentIndex = index;
    this.next = value + channels;
  }
}

/** FlinkPeer's record `i` of subpartition `s` is the long `s * 2^32 + i` (its README). */
export const PEER_SUBPARTITION_STRIDE = 2 ** 32;

/**
 * Checks FlinkPeer's record layout in order per channel: subpartition s carries s·2^32 + 0, 1, 2, …
 * Same fast path as {@link SequenceChecker} (consecutive records are mostly of one channel).
 */
export class PeerRecordChecker {
  private readonly expected: Float64Array;
  private currentChannel = -1;
  private next = -1;

  constructor(private readonly channels: number) {
    this.expected = new Float64Array(channels);
    for (let s = 0; s < channels; s++) this.expected[s] = s * PEER_SUBPARTITION_STRIDE;
  }

  /** Throws unless `value` is the next record of its subpartition. */
  check(value: number): void {
    if (value === this.next) this.next = value + 1;
    else this.switchChannel(value);
  }

  private switchChannel(value: number): void {
    if (this.currentChannel >= 0) this.expected[this.currentChannel] = this.next;
    const s = Math.floor(value / PEER_SUBPARTITION_STRIDE);
    if (!(s >= 0 && s < this.channels) || this.expected[s] !== value) {
      const expectedI = (this.expected[s] ?? NaN) - s * PEER_SUBPARTITION_STRIDE;
      throw new Error(`record out of order or lost: got i=${value - s * PEER_SUBPARTITION_STRIDE} on subpartition ${s}, expected i=${expectedI}`);
    }
    this.currentChannel = s;
    this.next = value + 1;
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
