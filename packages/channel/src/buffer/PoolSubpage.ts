import type { PoolChunk } from './PoolChunk';
import { IllegalStateException } from '../util/SluiceError';

/**
 * Port of io.netty.buffer.PoolSubpage (Netty 4.1). Differs: no locks (one JS thread).
 *
 * A run of pages split into equal elements of one small size class, with a bitmap of the elements in
 * use. Subpages with free elements sit in their arena's list for that size class (a circular list with a
 * sentinel head).
 */
export class PoolSubpage {
  prev: PoolSubpage;
  next: PoolSubpage;
  readonly maxNumElems: number;
  numAvail: number;
  private readonly bitmap: Int32Array;
  private nextAvail: number;

  /** A sentinel head (`chunk === null`) when called without a chunk. */
  constructor(
    readonly chunk: PoolChunk | null,
    readonly runOffset: number,
    readonly runSize: number,
    readonly elemSize: number,
  ) {
    this.prev = this;
    this.next = this;
    this.maxNumElems = chunk === null ? 0 : Math.floor(runSize / elemSize);
    this.numAvail = this.maxNumElems;
    this.bitmap = new Int32Array((this.maxNumElems + 31) >>> 5);
    this.nextAvail = 0;
  }

  /** Takes a free element; returns its index, or -1 if none is free. */
  allocate(): number {
    if (this.numAvail === 0) return -1;
    let idx = this.nextAvail;
    if (idx >= 0) this.nextAvail = -1;
    else idx = this.findNextAvail();
    this.bitmap[idx >>> 5] |= 1 << (idx & 31);
    this.numAvail--;
    return idx;
  }

  /** Returns element `idx`. */
  free(idx: number): void {
    const bit = 1 << (idx & 31);
    if ((this.bitmap[idx >>> 5] & bit) === 0) {
      throw new IllegalStateException(`subpage element ${idx} (elemSize ${this.elemSize}) freed twice`);
    }
    this.bitmap[idx >>> 5] ^= bit;
    this.nextAvail = idx;
    this.numAvail++;
  }

  private findNextAvail(): number {
    const bitmap = this.bitmap;
    for (let i = 0; i < bitmap.length; i++) {
      const free = ~bitmap[i];
      if (free !== 0) {
        const idx = (i << 5) + (31 - Math.clz32(free & -free));
        return idx < this.maxNumElems ? idx : -1;
      }
    }
    return -1;
  }

  /** Links this subpage right after `head`. */
  addToPool(head: PoolSubpage): void {
    this.prev = head;
    this.next = head.next;
    head.next.prev = this;
    head.next = this;
  }

  removeFromPool(): void {
    this.prev.next = this.next;
    this.next.prev = this.prev;
    this.prev = this;
    this.next = this;
  }

  /** True if this is the only subpage in its pool list. */
  isOnlyInPool(): boolean {
    return this.prev === this.next && this.prev !== this;
  }
}
