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
 * channel c carries k = c, c + channels, c + 2·channels, … Allocation-free; a few ns per record.
 * FlinkPeer's consumer checks every record too, and so does the raw baseline.
 */
export class SequenceChecker {
  private readonly expected: Float64Array;

  constructor(
    private readonly writers: number,
    private readonly channels: number,
  ) {
    this.expected = new Float64Array(writers * channels);
    for (let w = 0; w < writers; w++) for (let c = 0; c < channels; c++) this.expected[w * channels + c] = c;
  }

  /** Throws unless `value` is the next record of its writer's channel. */
  check(value: number): void {
    const w = Math.floor(value * INV_WRITER_VALUE_STRIDE);
    const k = value - w * WRITER_VALUE_STRIDE;
    const c = k % this.channels;
    const index = w * this.channels + c;
    if (w >= this.writers || this.expected[index] !== k) {
      throw new Error(`record out of order or lost: got k=${k} from writer ${w} channel ${c}, expected k=${String(this.expected[index])}`);
    }
    this.expected[index] = k + this.channels;
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
