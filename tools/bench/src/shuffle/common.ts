/**
 * Framework-free pieces shared by every endpoint of the `shuffle` suite (raw ones included: nothing
 * here loads @sluice/shuffle): the record layout, the in-order check of round-robin records, port
 * packing and sleeping. The Sluice endpoints' environment is in `sluice/env.ts`.
 */
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
