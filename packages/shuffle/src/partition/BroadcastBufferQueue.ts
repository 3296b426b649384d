import { IllegalStateException } from '@sluice/channel';
import type { BufferConsumer } from '../memory/BufferConsumer';

/** Java's Integer.MAX_VALUE: "no debloating target". */
const MAX_BUFFER_SIZE = 2147483647;

/**
 * Sluice-specific (no Flink counterpart): the broadcast buffers of one pipelined result partition that
 * some of its subpartitions have not taken yet — Flink's per-subpartition `BufferConsumer.copy()` of a
 * broadcast buffer, made when the subpartition needs it instead of by the producer up front.
 *
 * Why (issue 3): Flink's `createBroadcastBufferConsumers` queues a copy in every subpartition per new
 * broadcast buffer, and `PipelinedSubpartition.add` decides each reader's notification. In V8 that is,
 * per subpartition and buffer, two allocations, a store of a young object into a long-lived queue (a
 * write barrier) and reads of cold subpartition state: ~40 ns, so at 1000 subpartitions the producer's
 * time per 8-byte record was 2.5× the 1-subpartition figure. Here the producer appends the buffer ONCE;
 * a {@link PipelinedSubpartition} takes its copy when its reader polls it (a finished buffer is then
 * built from the copy without entering the subpartition's queue at all) or when anything else needs the
 * queue itself (a unicast buffer or event added after it, `finish()`, the `buffers` getter). The copy is
 * the one Flink would have queued: reader position 0 and the writer position cached when the buffer was
 * appended. Every query (backlog, availability, counts, flush) sees "queue, then the buffers not taken
 * yet", so no caller can tell the difference.
 *
 * The producer still makes Flink's add-time decisions per subpartition (notify the reader at the first
 * finished buffer; the smallest desirable buffer size), reading subpartition state only. It skips even
 * that scan ({@link skipsScan}) when it cannot change anything: no subpartition was polled, resized or
 * detached since the last scan, and each had at least 2 buffers queued then — Flink's add() does not
 * notify at the third, whatever the reader's state.
 *
 * Buffers carry sequence numbers; each attached subpartition keeps a cursor (the first sequence number it
 * has not taken). A buffer is held by the consumer given to {@link append} until every subpartition that
 * was attached when it was appended has taken or dropped it; the consumer is then closed.
 *
 * ## Invariants
 * A subpartition takes or drops its buffers in sequence order; one that detaches drops all it has not
 * taken, and buffers appended after its detach do not count it. So the number of subpartitions owing a
 * buffer never grows along the queue, and buffers are done with strictly from the front.
 *
 * ## Threading
 * One JavaScript thread (the producer's and the readers' calls take turns on it).
 *
 * ## Ownership
 * Owns each appended consumer (one buffer reference) until the last owing subpartition is done with it;
 * every {@link take} returns a new consumer holding its own reference, owned by the caller. Taking never
 * recycles the buffer (the copy is retained before the shared consumer is closed); dropping may.
 */
export class BroadcastBufferQueue {
  /** Sequence number of the oldest buffer still held. */
  private base = 0;
  /** Sequence number the next appended buffer gets. */
  private _end = 0;
  /** Ring index of {@link base}. */
  private head = 0;
  private consumers: (BufferConsumer | null)[] = new Array<BufferConsumer | null>(8).fill(null);
  private partialRecordLengths = new Int32Array(8);
  /** Per buffer: the subpartitions that have neither taken nor dropped it yet. */
  private owing = new Int32Array(8);
  /** Subpartitions that take the buffers appended from now on. */
  private attached = 0;
  private lastTakenPartialRecordLength = 0;

  // The producer's scan (see skipsScan): whether a subpartition may have fewer buffers or a new buffer
  // size since the last scan, the fewest buffers an attached subpartition had queued then (plus the
  // appends since), and the desirable buffer size the scan found.
  private changedSinceScan = true;
  private minQueuedBuffers = 0;
  private desirableBufferSize = MAX_BUFFER_SIZE;

  /** The sequence number the next appended buffer gets (a cursor equal to it: nothing pending). */
  end(): number {
    return this._end;
  }

  /** Buffers appended and not yet done with by every subpartition. */
  size(): number {
    return this._end - this.base;
  }

  /** Registers a subpartition for the buffers appended from now on; returns its starting cursor. */
  attach(): number {
    this.attached++;
    return this._end;
  }

  /** Unregisters a subpartition that took or dropped every buffer up to {@link end}. */
  detach(): void {
    this.attached--;
    this.changedSinceScan = true;
  }

  /**
   * A subpartition may have fewer buffers queued (a poll) or a new desirable buffer size: the next
   * append must scan. (Nothing else can lower a subpartition's count; and the reader's flags do not
   * matter to {@link skipsScan}, since at 3 buffers or more no flag makes Flink notify.)
   */
  markChanged(): void {
    this.changedSinceScan = true;
  }

  /**
   * True if the buffer just appended needs no per-subpartition work from the producer: no subpartition
   * changed since the last scan, and each attached one had at least 2 buffers queued before it — with 3
   * or more, Flink's add() does not notify (it does only when the FIRST finished buffer appears), and the
   * desirable buffer size is the one of the last scan ({@link desirableBufferSizeOfScan}). Otherwise the
   * producer scans: {@link beginScan}, every subpartition, {@link endScan}.
   */
  skipsScan(): boolean {
    if (this.changedSinceScan || this.minQueuedBuffers < 2) return false;
    this.minQueuedBuffers++;
    return true;
  }

  /** Starts a scan (changes made during the scan, e.g. by a reader notified in it, count for the next). */
  beginScan(): void {
    this.changedSinceScan = false;
  }

  /**
   * Ends a scan: the fewest buffers an attached subpartition has queued now (the appended one included),
   * and the smallest desirable buffer size among them.
   */
  endScan(minQueuedBuffers: number, desirableBufferSize: number): void {
    this.minQueuedBuffers = minQueuedBuffers;
    this.desirableBufferSize = desirableBufferSize;
  }

  /** The desirable buffer size found by the last scan (2^31 − 1: none attached). */
  desirableBufferSizeOfScan(): number {
    return this.desirableBufferSize;
  }

  /**
   * Appends `consumer` (taking over its reference) for every attached subpartition. With none attached
   * (all finished or released) it is closed at once and `false` returned.
   */
  append(consumer: BufferConsumer, partialRecordLength: number): boolean {
    if (this.attached === 0) {
      consumer.close();
      return false;
    }
    if (this._end - this.base === this.consumers.length) this.grow();
    const index = (this.head + this._end - this.base) & (this.consumers.length - 1);
    this.consumers[index] = consumer;
    this.partialRecordLengths[index] = partialRecordLength;
    this.owing[index] = this.attached;
    this._end++;
    return true;
  }

  /**
   * The consumer of buffer `sequence` shared by the subpartitions, for queries only (data type, cached
   * `isFinished()`, `isDataAvailable()` — the same answers as a copy not built yet); never build or close it.
   */
  sharedConsumerAt(sequence: number): BufferConsumer {
    return this.consumers[this.indexOf(sequence)]!;
  }

  /**
   * One subpartition takes buffer `sequence`: returns its copy (one more reference; reader position 0 and
   * the writer position cached when the buffer was appended — what Flink's eager `copy()` would have
   * queued), leaves the buffer's partial record length for {@link getTakenPartialRecordLength}, and is done
   * with the buffer.
   */
  take(sequence: number): BufferConsumer {
    const index = this.indexOf(sequence);
    // Checked before the copy exists, so that a misuse does not leak it.
    if (this.owing[index] === 1 && sequence !== this.base) this.failOrder(sequence);
    const copy = this.consumers[index]!.copyAtCachedPosition();
    this.lastTakenPartialRecordLength = this.partialRecordLengths[index]!;
    this.release0(sequence, index);
    return copy;
  }

  /** The partial record length of the buffer {@link take} returned a copy of last. */
  getTakenPartialRecordLength(): number {
    return this.lastTakenPartialRecordLength;
  }

  /** One subpartition drops buffer `sequence` without taking it (released). */
  release(sequence: number): void {
    this.release0(sequence, this.indexOf(sequence));
  }

  private release0(sequence: number, index: number): void {
    const owing = this.owing[index]! - 1;
    this.owing[index] = owing;
    if (owing > 0) return;
    if (sequence !== this.base) this.failOrder(sequence);
    const consumer = this.consumers[index]!;
    this.consumers[index] = null;
    this.head = (index + 1) & (this.consumers.length - 1);
    this.base++;
    consumer.close();
  }

  private indexOf(sequence: number): number {
    if (!(sequence >= this.base && sequence < this._end)) this.failNotHeld(sequence);
    return (this.head + sequence - this.base) & (this.consumers.length - 1);
  }

  private failNotHeld(sequence: number): never {
    throw new IllegalStateException(`Broadcast buffer ${sequence} is not held (held: ${this.base}..${this._end - 1})`);
  }

  private failOrder(sequence: number): never {
    throw new IllegalStateException(`Broadcast buffer ${sequence} done with before buffer ${this.base} (subpartitions must take them in order)`);
  }

  private grow(): void {
    const size = this._end - this.base;
    const capacity = this.consumers.length;
    const mask = capacity - 1;
    const consumers = new Array<BufferConsumer | null>(capacity * 2).fill(null);
    const partialRecordLengths = new Int32Array(capacity * 2);
    const owing = new Int32Array(capacity * 2);
    for (let i = 0; i < size; i++) {
      const from = (this.head + i) & mask;
      consumers[i] = this.consumers[from]!;
      partialRecordLengths[i] = this.partialRecordLengths[from]!;
      owing[i] = this.owing[from]!;
    }
    this.consumers = consumers;
    this.partialRecordLengths = partialRecordLengths;
    this.owing = owing;
    this.head = 0;
  }

  toString(): string {
    return `BroadcastBufferQueue(held: ${this.size()}, attached subpartitions: ${this.attached})`;
  }
}
