import { IllegalArgumentException } from '../util/SluiceError';

/** Smallest size class (bytes): requests are rounded up to multiples of 16 at the small end. */
const QUANTUM = 16;

/**
 * Port of io.netty.buffer.SizeClasses (Netty 4.1, jemalloc-style). Differs: the table is computed
 * directly (16, 32, 48, 64, then four classes per doubling: 80, 96, 112, 128, 160, …, up to the chunk
 * size) instead of through Netty's log2Group/log2Delta columns; same sizes.
 *
 * Maps a requested capacity to a size class and tells whether that class is "small" (carved from a
 * run of pages as equal elements) or "normal" (a run of whole pages). Requests larger than a chunk are
 * "huge" and not pooled.
 */
export class SizeClasses {
  readonly pageSize: number;
  readonly pageShifts: number;
  readonly chunkSize: number;
  /** Number of size classes (the largest is `chunkSize`). */
  readonly nSizes: number;
  /** Classes `[0, nSubpages)` are small: smaller than four pages. */
  readonly nSubpages: number;
  private readonly sizes: Int32Array;
  /** Run size (bytes) used for the subpages of each small class. */
  private readonly runSizes: Int32Array;

  constructor(pageSize: number, chunkSize: number) {
    if (chunkSize < pageSize) {
      throw new IllegalArgumentException(`chunkSize: ${chunkSize} (expected: >= pageSize ${pageSize})`);
    }
    this.pageSize = pageSize;
    this.pageShifts = 31 - Math.clz32(pageSize);
    this.chunkSize = chunkSize;
    const sizes: number[] = [16, 32, 48, 64];
    for (let x = 6; ; x++) {
      const base = 2 ** x;
      const delta = base / 4;
      let n = 1;
      for (; n <= 4 && base + n * delta <= chunkSize; n++) sizes.push(base + n * delta);
      if (n <= 4) break;
    }
    this.sizes = Int32Array.from(sizes.filter((s) => s <= chunkSize));
    this.nSizes = this.sizes.length;
    let nSubpages = 0;
    while (nSubpages < this.nSizes && this.sizes[nSubpages] < pageSize * 4) nSubpages++;
    this.nSubpages = nSubpages;
    this.runSizes = new Int32Array(nSubpages);
    for (let i = 0; i < nSubpages; i++) this.runSizes[i] = this.calculateRunSize(this.sizes[i]);
  }

  /** Size-class index for a request of `size` bytes; `nSizes` if it is larger than a chunk (huge). */
  size2SizeIdx(size: number): number {
    if (size > this.chunkSize) return this.nSizes;
    if (size <= 64) return size <= QUANTUM ? 0 : ((size + 15) >>> 4) - 1;
    const x = 31 - Math.clz32(size - 1);
    const n = ((size - (1 << x) - 1) >>> (x - 2)) + 1;
    return 4 + (x - 6) * 4 + (n - 1);
  }

  /** Size in bytes of class `sizeIdx`. */
  sizeIdx2size(sizeIdx: number): number {
    return this.sizes[sizeIdx];
  }

  /** The size class a request of `size` bytes is rounded up to (`size` itself when huge). */
  normalizeSize(size: number): number {
    const idx = this.size2SizeIdx(size);
    return idx < this.nSizes ? this.sizes[idx] : size;
  }

  /** Bytes of the page run split into elements of small class `sizeIdx`. */
  runSize(sizeIdx: number): number {
    return this.runSizes[sizeIdx];
  }

  /** Smallest multiple of the page size that is also a multiple of `elemSize` (Netty's calculateRunSize). */
  private calculateRunSize(elemSize: number): number {
    const maxElements = this.pageSize / QUANTUM;
    let runSize = 0;
    let nElements: number;
    do {
      runSize += this.pageSize;
      nElements = Math.floor(runSize / elemSize);
    } while (nElements < maxElements && runSize !== nElements * elemSize);
    while (nElements > maxElements) {
      runSize -= this.pageSize;
      nElements = Math.floor(runSize / elemSize);
    }
    return runSize;
  }
}
