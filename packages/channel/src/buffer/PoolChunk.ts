import type { PoolSubpage } from './PoolSubpage';
import { IllegalStateException } from '../util/SluiceError';

function ctz(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

/**
 * Port of io.netty.buffer.PoolChunk (Netty 4.1, the run-based allocator of 4.1.52+). Differs: free runs
 * are kept in one doubly linked list per run length plus a bitmap of non-empty lengths (Netty uses
 * priority queues); allocation takes the smallest free run that fits (best fit), splits it, and freeing
 * coalesces with both neighbours. No locks (one JS thread).
 *
 * One slab of `chunkSize` bytes (default 4 MiB = 512 pages of 8 KiB) in a single `Buffer` — over an
 * `ArrayBuffer` or a `SharedArrayBuffer` — from which runs of whole pages are handed out. Runs for small
 * size classes are further split by a {@link PoolSubpage}, registered in {@link subpages} under the run's
 * first page.
 *
 * ## Pitfalls
 * All bookkeeping is in typed arrays indexed by page; a run is identified by its first page.
 */
export class PoolChunk {
  /** The slab. Buffers allocated here are views `[offset, offset + length)` of it. */
  readonly memory: Buffer;
  /** A `DataView` over {@link memory}, shared by every buffer of this chunk. */
  readonly view: DataView;
  readonly pageShifts: number;
  readonly pageCount: number;
  /** Bytes in free runs. */
  freeBytes: number;
  /** Subpage whose run starts at a page, for small allocations. */
  readonly subpages: Array<PoolSubpage | null>;

  /** At the first page of any run (free or used): its length in pages. */
  private readonly runLen: Int32Array;
  /** At the first page of a used run: 1. */
  private readonly used: Uint8Array;
  /** At the first page of a free run: 1. */
  private readonly freeStart: Uint8Array;
  /** At the last page of a free run: its first page + 1 (0 elsewhere). */
  private readonly freeEnd: Int32Array;
  /** Free-run lists per length: head, and next/prev links indexed by first page (-1 = none). */
  private readonly heads: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** Bit `n` is set while the list of free runs of length `n` is non-empty. */
  private readonly nonEmpty: Uint32Array;

  constructor(memory: Buffer, pageShifts: number, pageCount: number) {
    this.memory = memory;
    this.view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
    this.pageShifts = pageShifts;
    this.pageCount = pageCount;
    this.freeBytes = 0;
    this.subpages = new Array<PoolSubpage | null>(pageCount).fill(null);
    this.runLen = new Int32Array(pageCount);
    this.used = new Uint8Array(pageCount);
    this.freeStart = new Uint8Array(pageCount);
    this.freeEnd = new Int32Array(pageCount);
    this.heads = new Int32Array(pageCount + 1).fill(-1);
    this.next = new Int32Array(pageCount).fill(-1);
    this.prev = new Int32Array(pageCount).fill(-1);
    this.nonEmpty = new Uint32Array(((pageCount + 1) >>> 5) + 1);
    this.insertFree(0, pageCount);
    this.freeBytes = pageCount << pageShifts;
  }

  /** Chunk size in bytes. */
  get chunkSize(): number {
    return this.pageCount << this.pageShifts;
  }

  /** Allocates a run of `pages` pages; returns its first page, or -1 if no free run is large enough. */
  allocateRun(pages: number): number {
    const len = this.findFit(pages);
    if (len < 0) return -1;
    const start = this.heads[len];
    this.removeFree(start, len);
    if (len > pages) this.insertFree(start + pages, len - pages);
    this.runLen[start] = pages;
    this.used[start] = 1;
    this.freeBytes -= pages << this.pageShifts;
    return start;
  }

  /** Frees the run starting at `start`, merging it with free neighbours. */
  freeRun(start: number): void {
    if (this.used[start] !== 1) {
      throw new IllegalStateException(`page ${start} of a pool chunk is not the start of a used run (double free?)`);
    }
    this.used[start] = 0;
    const pages = this.runLen[start];
    this.freeBytes += pages << this.pageShifts;
    let first = start;
    let len = pages;
    if (start > 0) {
      const prevEnd = this.freeEnd[start - 1];
      if (prevEnd !== 0) {
        first = prevEnd - 1;
        const prevLen = this.runLen[first];
        this.removeFree(first, prevLen);
        len += prevLen;
      }
    }
    const after = start + pages;
    if (after < this.pageCount && this.freeStart[after] === 1) {
      const nextLen = this.runLen[after];
      this.removeFree(after, nextLen);
      len += nextLen;
    }
    this.insertFree(first, len);
  }

  /** Length of the smallest non-empty free-run list for runs of at least `pages`, or -1. */
  private findFit(pages: number): number {
    const words = this.nonEmpty;
    let word = pages >>> 5;
    if (word >= words.length) return -1;
    let bits = words[word] & (-1 << (pages & 31));
    while (bits === 0) {
      if (++word >= words.length) return -1;
      bits = words[word];
    }
    return (word << 5) + ctz(bits);
  }

  private insertFree(start: number, len: number): void {
    this.runLen[start] = len;
    this.freeStart[start] = 1;
    this.freeEnd[start + len - 1] = start + 1;
    const head = this.heads[len];
    this.next[start] = head;
    this.prev[start] = -1;
    if (head !== -1) this.prev[head] = start;
    else this.nonEmpty[len >>> 5] |= 1 << (len & 31);
    this.heads[len] = start;
  }

  private removeFree(start: number, len: number): void {
    const p = this.prev[start];
    const n = this.next[start];
    if (p !== -1) this.next[p] = n;
    else this.heads[len] = n;
    if (n !== -1) this.prev[n] = p;
    if (this.heads[len] === -1) this.nonEmpty[len >>> 5] &= ~(1 << (len & 31));
    this.freeStart[start] = 0;
    this.freeEnd[start + len - 1] = 0;
  }
}
