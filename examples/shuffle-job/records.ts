/**
 * The records of the shuffle job and the per-key bookkeeping both stages keep for the exactly-once check.
 *
 * A record is fully determined by its sequence number (key and value are hashes of it), so the
 * aggregators can tell a corrupted record from a good one, and both sides can sum up, per key, how many
 * records there were and an order-independent checksum of them: the source while emitting, the
 * aggregators while reading. Equal counts and checksums for every key mean every record arrived exactly
 * once (a lost record changes the count, a duplicate the count and the checksum, a corrupted one the
 * checksum).
 */
import type { DataInputView, DataOutputView, TypeSerializer } from '@sluice/shuffle';

/** One record of the job: Flink's `Tuple4<Integer, Long, Integer, Double>`. */
export interface JobRecord {
  /** The aggregation key, in [0, keys). */
  key: number;
  /** Unique over the job: source subtask s emits s, s + N, s + 2N, … */
  seq: number;
  /** A hash of `seq` (so a flipped bit anywhere shows in the checksum). */
  value: number;
  /** When the source emitted it: `performance.timeOrigin + performance.now()` of the source's process, ms. */
  emittedAt: number;
}

const TWO_32 = 4294967296;

/** MurmurHash3's 32-bit finalizer: a cheap, well-mixing hash of an int. */
export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a safe-integer sequence number. */
function hashSeq(seq: number): number {
  return fmix32((seq >>> 0) ^ fmix32(Math.floor(seq / TWO_32) + 0x9e3779b9));
}

/** The key of record `seq` among `keys` keys. */
export function keyOf(seq: number, keys: number): number {
  return hashSeq(seq) % keys;
}

/** The value of record `seq`. */
export function valueOf(seq: number): number {
  return hashSeq(seq ^ 0x5bd1e995) & 0x7fffffff;
}

/** The checksum contribution of one record (summed modulo 2³², so the order of arrival does not matter). */
export function recordHash(key: number, seq: number, value: number): number {
  return fmix32(hashSeq(seq) ^ Math.imul(key + 1, 0x27d4eb2d) ^ value);
}

/**
 * Serializer of {@link JobRecord}: int key, long seq, int value, double emittedAt — 24 bytes, big-endian,
 * Flink's layout for those field types. Fixed length, so writer and reader take the copy-free fast path.
 */
export class JobRecordSerializer implements TypeSerializer<JobRecord> {
  static readonly INSTANCE = new JobRecordSerializer();
  static readonly LENGTH = 24;

  getLength(): number {
    return JobRecordSerializer.LENGTH;
  }

  serialize(record: JobRecord, target: DataOutputView): void {
    target.writeInt(record.key);
    target.writeLongNumber(record.seq);
    target.writeInt(record.value);
    target.writeDouble(record.emittedAt);
  }

  deserialize(source: DataInputView): JobRecord {
    const key = source.readInt();
    const seq = source.readLongNumber();
    const value = source.readInt();
    const emittedAt = source.readDouble();
    return { key, seq, value, emittedAt };
  }

  writeFixed(record: JobRecord, target: DataView, offset: number): void {
    target.setInt32(offset, record.key);
    // seq is a non-negative safe integer: its Java long is the high and low 32 bits.
    target.setInt32(offset + 4, Math.floor(record.seq / TWO_32));
    target.setUint32(offset + 8, record.seq >>> 0);
    target.setInt32(offset + 12, record.value);
    target.setFloat64(offset + 16, record.emittedAt);
  }

  readFixed(source: DataView, offset: number): JobRecord {
    return {
      key: source.getInt32(offset),
      seq: source.getInt32(offset + 4) * TWO_32 + source.getUint32(offset + 8),
      value: source.getInt32(offset + 12),
      emittedAt: source.getFloat64(offset + 16),
    };
  }
}

/** Per-key counts and checksums as shipped over IPC (plain arrays, index = key). */
export interface KeyStatsJSON {
  readonly counts: number[];
  readonly checksums: number[];
}

/** Per-key record counts and checksums of one subtask (or a merge of several). */
export class KeyStats {
  readonly counts: Float64Array;
  readonly checksums: Uint32Array;

  constructor(readonly keys: number) {
    this.counts = new Float64Array(keys);
    this.checksums = new Uint32Array(keys);
  }

  add(key: number, seq: number, value: number): void {
    this.counts[key]! += 1;
    this.checksums[key] = this.checksums[key]! + recordHash(key, seq, value);
  }

  merge(other: KeyStats | KeyStatsJSON): void {
    for (let k = 0; k < this.keys; k++) {
      this.counts[k]! += other.counts[k] ?? 0;
      this.checksums[k] = this.checksums[k]! + (other.checksums[k] ?? 0);
    }
  }

  total(): number {
    let sum = 0;
    for (const c of this.counts) sum += c;
    return sum;
  }

  toJSON(): KeyStatsJSON {
    return { counts: Array.from(this.counts), checksums: Array.from(this.checksums) };
  }

  static fromJSON(keys: number, json: KeyStatsJSON): KeyStats {
    const stats = new KeyStats(keys);
    stats.merge(json);
    return stats;
  }
}
