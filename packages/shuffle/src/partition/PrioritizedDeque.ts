import { NoSuchElementException } from '@sluice/channel';

/**
 * Port of org.apache.flink.runtime.io.network.partition.PrioritizedDeque (Flink 1.20). Differs: a ring
 * buffer over a JS array instead of an ArrayDeque; no `getAndRemove(predicate)` yet.
 *
 * A deque whose head holds the priority elements (in the order they were added), followed by the
 * normal elements. `addPriorityElement` inserts after the last priority element; `add` appends at the
 * tail; `poll`/`peek` work on the head.
 *
 * ## Threading
 * Not synchronised (Flink guards it with `synchronized (buffers)`; here one thread).
 */
export class PrioritizedDeque<T> implements Iterable<T> {
  private elements: (T | undefined)[] = new Array<T | undefined>(8);
  private head = 0;
  private count = 0;
  private numPriorityElements = 0;

  /** Appends a normal element at the tail. */
  add(element: T): void {
    if (this.count === this.elements.length) this.grow();
    this.elements[(this.head + this.count) & (this.elements.length - 1)] = element;
    this.count++;
  }

  /** Adds a priority element after the existing priority elements. */
  addPriorityElement(element: T): void {
    if (this.count === this.elements.length) this.grow();
    const mask = this.elements.length - 1;
    // Shift the normal elements one slot towards the tail, then insert.
    for (let i = this.count; i > this.numPriorityElements; i--) {
      this.elements[(this.head + i) & mask] = this.elements[(this.head + i - 1) & mask];
    }
    this.elements[(this.head + this.numPriorityElements) & mask] = element;
    this.count++;
    this.numPriorityElements++;
  }

  /** Adds as priority or normal element. */
  addWithPriority(element: T, priority: boolean): void {
    if (priority) this.addPriorityElement(element);
    else this.add(element);
  }

  /** Removes and returns the head, or null if empty. */
  poll(): T | null {
    if (this.count === 0) return null;
    const element = this.elements[this.head] as T;
    this.elements[this.head] = undefined;
    this.head = (this.head + 1) & (this.elements.length - 1);
    this.count--;
    if (this.numPriorityElements > 0) this.numPriorityElements--;
    return element;
  }

  /** The head, or null if empty. */
  peek(): T | null {
    return this.count === 0 ? null : (this.elements[this.head] as T);
  }

  /** The tail, or null if empty. */
  peekLast(): T | null {
    return this.count === 0 ? null : (this.elements[(this.head + this.count - 1) & (this.elements.length - 1)] as T);
  }

  /** The head; throws NoSuchElementException if empty. */
  getFirst(): T {
    if (this.count === 0) throw new NoSuchElementException('PrioritizedDeque is empty');
    return this.elements[this.head] as T;
  }

  /** Number of priority elements at the head. */
  getNumPriorityElements(): number {
    return this.numPriorityElements;
  }

  /** True if the head is a priority element. */
  containsPriorityElement(): boolean {
    return this.numPriorityElements > 0;
  }

  size(): number {
    return this.count;
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  /** Removes everything. */
  clear(): void {
    this.elements = new Array<T | undefined>(8);
    this.head = 0;
    this.count = 0;
    this.numPriorityElements = 0;
  }

  *[Symbol.iterator](): Iterator<T> {
    const mask = this.elements.length - 1;
    for (let i = 0; i < this.count; i++) yield this.elements[(this.head + i) & mask] as T;
  }

  private grow(): void {
    const old = this.elements;
    const next = new Array<T | undefined>(old.length * 2);
    const mask = old.length - 1;
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & mask];
    this.elements = next;
    this.head = 0;
  }

  toString(): string {
    return `PrioritizedDeque(size: ${this.count}, priority: ${this.numPriorityElements})`;
  }
}
