import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';

const NOT_QUEUED = 0;
const QUEUED = 1;
const QUEUED_PRIORITY = 2;

/**
 * Port of org.apache.flink.runtime.io.network.partition.PrioritizedDeque (Flink 1.20), specialised for
 * the input gates. Differs: it holds small integer indices (channel or gate positions) in a fixed ring
 * buffer instead of objects in an `ArrayDeque`, and it carries the gate's "already queued" bit set
 * (Flink's `enqueuedInputChannelsWithData`) itself, so `contains` is O(1) and nothing is allocated per
 * operation.
 *
 * A FIFO queue whose head part holds priority elements: {@link add} with `priority` inserts behind the
 * elements that already have priority (or moves an element that is already queued there); {@link poll}
 * takes from the head. Every index is queued at most once.
 *
 * ## Threading
 * The owning gate's thread (one JavaScript thread; Flink's `synchronized (inputChannelsWithData)` becomes
 * plain program order).
 *
 * ## Pitfalls
 * Prioritising or removing an element in the middle shifts elements (O(n)); both are rare (priority
 * events, end of partition). Add, poll and contains are O(1).
 */
export class PrioritizedIndexQueue {
  private readonly ring: Int32Array;
  private readonly state: Uint8Array;
  private head = 0;
  private count = 0;
  private numPriority = 0;

  /** @param capacity the number of distinct indices, `0 … capacity - 1` */
  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new IllegalArgumentException(`capacity: ${capacity} (expected: an integer >= 0)`);
    }
    this.ring = new Int32Array(Math.max(1, capacity));
    this.state = new Uint8Array(Math.max(1, capacity));
  }

  /** Number of queued indices. */
  size(): number {
    return this.count;
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  /** Number of queued indices in the priority part. */
  getNumPriorityElements(): number {
    return this.numPriority;
  }

  /** True if `index` is queued (in either part). */
  contains(index: number): boolean {
    return this.state[index] !== NOT_QUEUED;
  }

  /** True if `index` is queued in the priority part. */
  containsPriorityElement(index: number): boolean {
    return this.state[index] === QUEUED_PRIORITY;
  }

  /**
   * Queues `index`: at the tail, or with `priority` behind the existing priority elements. If `index` is
   * already queued, a priority add moves it to the priority part and a plain add does nothing.
   */
  add(index: number, priority: boolean): void {
    const current = this.state[index];
    if (current === undefined) {
      throw new IllegalArgumentException(`index: ${index} (expected: 0-${this.state.length - 1})`);
    }
    if (current === QUEUED_PRIORITY || (current === QUEUED && !priority)) return;
    if (current === QUEUED) this.removeAt(this.positionOf(index));
    if (priority) {
      this.insertAt(this.numPriority, index);
      this.numPriority++;
      this.state[index] = QUEUED_PRIORITY;
    } else {
      this.ring[(this.head + this.count) % this.ring.length] = index;
      this.count++;
      this.state[index] = QUEUED;
    }
  }

  /** Takes the head index, or returns -1 if the queue is empty. */
  poll(): number {
    if (this.count === 0) return -1;
    const index = this.ring[this.head]!;
    this.head = (this.head + 1) % this.ring.length;
    this.count--;
    if (this.numPriority > 0) this.numPriority--;
    this.state[index] = NOT_QUEUED;
    return index;
  }

  /** The head index without taking it, or -1. */
  peek(): number {
    return this.count === 0 ? -1 : this.ring[this.head]!;
  }

  /** Removes `index` wherever it is; returns whether it was queued. */
  remove(index: number): boolean {
    if (this.state[index] === NOT_QUEUED || this.state[index] === undefined) return false;
    const position = this.positionOf(index);
    if (position < this.numPriority) this.numPriority--;
    this.removeAt(position);
    this.state[index] = NOT_QUEUED;
    return true;
  }

  /** Empties the queue. */
  clear(): void {
    while (this.poll() >= 0);
  }

  private positionOf(index: number): number {
    const length = this.ring.length;
    for (let i = 0; i < this.count; i++) {
      if (this.ring[(this.head + i) % length] === index) return i;
    }
    throw new IllegalStateException(`PrioritizedIndexQueue: ${index} is marked as queued but not in the queue`);
  }

  /** Removes the element at logical `position`, shifting the elements behind it forward. */
  private removeAt(position: number): void {
    const length = this.ring.length;
    for (let i = position; i < this.count - 1; i++) {
      this.ring[(this.head + i) % length] = this.ring[(this.head + i + 1) % length]!;
    }
    this.count--;
  }

  /** Inserts at logical `position` by moving the head back and the first `position` elements forward. */
  private insertAt(position: number, index: number): void {
    const length = this.ring.length;
    this.head = (this.head - 1 + length) % length;
    for (let i = 0; i < position; i++) {
      this.ring[(this.head + i) % length] = this.ring[(this.head + i + 1) % length]!;
    }
    this.ring[(this.head + position) % length] = index;
    this.count++;
  }

  toString(): string {
    const items: number[] = [];
    for (let i = 0; i < this.count; i++) items.push(this.ring[(this.head + i) % this.ring.length]!);
    return `PrioritizedIndexQueue[${items.join(', ')}; priority: ${this.numPriority}]`;
  }
}
