import { AbstractCompositeByteBuf, Component } from './AbstractCompositeByteBuf';
import type { ByteBuf } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { DEFAULT_MAX_CAPACITY } from './ByteBufAllocator';
import { isOutOfBounds } from './ByteBufChecks';
import { IllegalReferenceCountException } from './errors';
import { IllegalArgumentException, IndexOutOfBoundsException } from '../util/SluiceError';

function safeRelease(buf: ByteBuf): void {
  if (buf.refCnt() > 0) buf.release();
}

/**
 * Port of io.netty.buffer.CompositeByteBuf (Netty 4.1). Differs: `removeComponent(s)` trims the indices to
 * the new capacity (Netty leaves them past it); components are accessed through the buffers as added
 * (no unwrapping to the root).
 *
 * A logical concatenation of other buffers without copying: component `i` contributes its readable bytes
 * (as they were when it was added) after those of components `0..i-1`. Reads and writes that span two
 * components are split across them.
 *
 * ## Ownership
 * Adding a buffer transfers the caller's reference to the composite: it is released when the component
 * is removed, merged by {@link consolidate}, discarded, or when the composite is deallocated. If adding
 * fails, the given buffers are released. `component(i)` returns a view that is not retained.
 *
 * ## Pitfalls
 * - `addComponent(buf)` does NOT move the writer index, so the new bytes are not readable yet; use
 *   `addComponent(true, buf)` (the most common composite bug).
 * - When more than `maxNumComponents` (default 16) components are held, all of them are merged into one
 *   newly allocated buffer (a copy) and the old components released.
 * - Modifying a component buffer's indices after adding it has no effect on the composite.
 *
 * @example
 * const composite = alloc.compositeBuffer();
 * composite.addComponent(true, header).addComponent(true, body); // both readable, both owned
 * channel.write(composite); // the write releases the composite, which releases header and body
 */
export class CompositeByteBuf extends AbstractCompositeByteBuf {
  declare private readonly _maxNumComponents: number;

  /**
   * @param alloc allocator for merged buffers and capacity growth
   * @param direct ignored (Sluice has no direct memory); kept for Netty's signature
   * @param maxNumComponents components held before all are merged into one (>= 1; default 16 via allocators)
   * @param buffers initial components, owned by the composite; the writer index is set to their total length
   */
  constructor(alloc: ByteBufAllocator, direct: boolean, maxNumComponents: number, ...buffers: ByteBuf[]) {
    super(alloc);
    void direct;
    if (!Number.isInteger(maxNumComponents) || maxNumComponents < 1) {
      buffers.forEach(safeRelease);
      throw new IllegalArgumentException(`maxNumComponents: ${maxNumComponents} (expected: >= 1)`);
    }
    this._maxNumComponents = maxNumComponents;
    if (buffers.length > 0) {
      this.addComponents0(false, 0, buffers);
      this.consolidateIfNeeded();
      this._writerIndex = this.currentCapacity();
    }
  }

  // ---------------------------------------------------------------- components

  addComponent(buffer: ByteBuf): this;
  addComponent(cIndex: number, buffer: ByteBuf): this;
  addComponent(increaseWriterIndex: boolean, buffer: ByteBuf): this;
  addComponent(increaseWriterIndex: boolean, cIndex: number, buffer: ByteBuf): this;
  addComponent(a: ByteBuf | number | boolean, b?: ByteBuf | number, c?: ByteBuf): this {
    let increaseWriterIndex = false;
    let cIndex = this._components.length;
    let buffer: ByteBuf;
    if (typeof a === 'boolean') {
      increaseWriterIndex = a;
      if (typeof b === 'number') {
        cIndex = b;
        buffer = c as ByteBuf;
      } else {
        buffer = b as ByteBuf;
      }
    } else if (typeof a === 'number') {
      cIndex = a;
      buffer = b as ByteBuf;
    } else {
      buffer = a;
    }
    this.addComponent0(increaseWriterIndex, cIndex, buffer);
    this.consolidateIfNeeded();
    return this;
  }

  addComponents(...buffers: ByteBuf[]): this;
  addComponents(increaseWriterIndex: boolean, ...buffers: ByteBuf[]): this;
  addComponents(cIndex: number, ...buffers: ByteBuf[]): this;
  addComponents(...args: Array<ByteBuf | number | boolean>): this {
    let increaseWriterIndex = false;
    let cIndex = this._components.length;
    if (typeof args[0] === 'boolean') increaseWriterIndex = args.shift() as boolean;
    else if (typeof args[0] === 'number') cIndex = args.shift() as number;
    this.addComponents0(increaseWriterIndex, cIndex, args as ByteBuf[]);
    this.consolidateIfNeeded();
    return this;
  }

  /**
   * Adds the readable bytes of `buffer`; if it is itself a composite, adds its components (retained)
   * instead of nesting it, then releases `buffer`.
   */
  addFlattenedComponents(increaseWriterIndex: boolean, buffer: ByteBuf): this {
    const ridx = buffer.readerIndex();
    const widx = buffer.writerIndex();
    if (ridx === widx) {
      buffer.release();
      return this;
    }
    if (!(buffer instanceof CompositeByteBuf)) {
      this.addComponent0(increaseWriterIndex, this._components.length, buffer);
      this.consolidateIfNeeded();
      return this;
    }
    this.ensureAccessible();
    const countBefore = this._components.length;
    const writerIndexBefore = this._writerIndex;
    let added = false;
    try {
      let newOffset = this.currentCapacity();
      for (let ci = buffer.toComponentIndex0(ridx); ; ci++) {
        const from = buffer._components[ci];
        const fromIdx = Math.max(ridx, from.offset);
        const toIdx = Math.min(widx, from.endOffset);
        const len = toIdx - fromIdx;
        if (len > 0) {
          from.buf.retain();
          this._components.push(new Component(from.buf, from.idx(fromIdx) - newOffset, newOffset, newOffset + len));
          newOffset += len;
        }
        if (widx === toIdx) break;
      }
      if (increaseWriterIndex) this._writerIndex = writerIndexBefore + (widx - ridx);
      added = true;
    } finally {
      if (!added) {
        this._writerIndex = writerIndexBefore;
        for (const comp of this._components.splice(countBefore)) comp.free();
      }
    }
    this.consolidateIfNeeded();
    buffer.release();
    return this;
  }

  private addComponents0(increaseWriterIndex: boolean, cIndex: number, buffers: ByteBuf[]): void {
    let checked = false;
    let done = false;
    let i = 0;
    try {
      this.checkComponentIndex(cIndex);
      checked = true;
      for (; i < buffers.length; i++) this.addComponent0(increaseWriterIndex, cIndex + i, buffers[i]);
      done = true;
    } finally {
      // On failure addComponent0 already released buffers[i]; release the ones never reached.
      if (!done) for (let j = checked ? i + 1 : 0; j < buffers.length; j++) safeRelease(buffers[j]);
    }
  }

  private addComponent0(increaseWriterIndex: boolean, cIndex: number, buffer: ByteBuf): void {
    let added = false;
    try {
      this.checkComponentIndex(cIndex);
      if (!buffer.isAccessible()) throw new IllegalReferenceCountException(0);
      const readable = buffer.readableBytes();
      const capacity = this.currentCapacity();
      if (capacity + readable > DEFAULT_MAX_CAPACITY) {
        throw new IllegalArgumentException(`Can't increase by ${readable} as capacity(${capacity}) would overflow ${DEFAULT_MAX_CAPACITY}`);
      }
      const offset = cIndex === 0 ? 0 : this._components[cIndex - 1].endOffset;
      this._components.splice(cIndex, 0, new Component(buffer, buffer.readerIndex() - offset, offset, offset + readable));
      added = true;
      if (readable > 0 && cIndex < this._components.length - 1) this.updateComponentOffsets(cIndex);
      if (increaseWriterIndex) this._writerIndex += readable;
    } finally {
      if (!added) safeRelease(buffer);
    }
  }

  private consolidateIfNeeded(): void {
    const size = this._components.length;
    if (size > this._maxNumComponents) this.consolidate0(0, size);
  }

  private updateComponentOffsets(cIndex: number): void {
    const comps = this._components;
    let next = cIndex > 0 ? comps[cIndex - 1].endOffset : 0;
    for (let i = cIndex; i < comps.length; i++) {
      comps[i].reposition(next);
      next = comps[i].endOffset;
    }
  }

  private checkComponentIndex(cIndex: number, numComponents?: number): void {
    this.ensureAccessible();
    const count = this._components.length;
    if (numComponents === undefined) {
      if (!Number.isInteger(cIndex) || cIndex < 0 || cIndex > count) {
        throw new IndexOutOfBoundsException(`cIndex: ${cIndex} (expected: >= 0 && <= numComponents(${count}))`);
      }
    } else if (isOutOfBounds(cIndex, numComponents, count)) {
      throw new IndexOutOfBoundsException(
        `cIndex: ${cIndex}, numComponents: ${numComponents} (expected: cIndex >= 0 && cIndex + numComponents <= totalNumComponents(${count}))`,
      );
    }
  }

  /** Removes (and releases) component `cIndex`; the indices are trimmed to the new capacity. */
  removeComponent(cIndex: number): this {
    return this.removeComponents(cIndex, 1);
  }

  /** Removes (and releases) `numComponents` components from `cIndex`. */
  removeComponents(cIndex: number, numComponents: number): this {
    this.checkComponentIndex(cIndex, numComponents);
    if (numComponents === 0) return this;
    const removed = this._components.splice(cIndex, numComponents);
    let removedBytes = 0;
    for (const comp of removed) {
      if (comp === this._lastAccessed) this._lastAccessed = null;
      removedBytes += comp.length();
      comp.free();
    }
    if (removedBytes > 0) this.updateComponentOffsets(cIndex);
    this.trimIndicesToCapacity(this.currentCapacity());
    return this;
  }

  numComponents(): number {
    return this._components.length;
  }

  maxNumComponents(): number {
    return this._maxNumComponents;
  }

  /** A view (not retained) of component `cIndex`'s bytes, with reader index 0 and writer index at its end. */
  component(cIndex: number): ByteBuf {
    this.checkComponentIndex(cIndex);
    const c = this._components[cIndex];
    if (c === undefined) {
      throw new IndexOutOfBoundsException(`cIndex: ${cIndex} (expected: >= 0 && < numComponents(${this._components.length}))`);
    }
    return c.buf.slice(c.idx(c.offset), c.length());
  }

  /** The view of the component holding byte `offset`. */
  componentAtOffset(offset: number): ByteBuf {
    return this.component(this.toComponentIndex(offset));
  }

  /** The component buffer as added (no view, not retained): for code that must see the original object. */
  internalComponent(cIndex: number): ByteBuf {
    this.checkComponentIndex(cIndex, 1);
    return this._components[cIndex].buf;
  }

  /** Index of the component holding byte `offset`. */
  toComponentIndex(offset: number): number {
    this.checkIndex(offset, 1);
    return this.toComponentIndex0(offset);
  }

  /** Composite index of the first byte of component `cIndex`. */
  toByteIndex(cIndex: number): number {
    this.checkComponentIndex(cIndex, 1);
    return this._components[cIndex].offset;
  }

  /** Merges all components into one newly allocated buffer (a copy) and releases the old ones. */
  consolidate(): this;
  /** Merges `numComponents` components starting at `cIndex` into one. */
  consolidate(cIndex: number, numComponents: number): this;
  consolidate(cIndex?: number, numComponents?: number): this {
    if (cIndex === undefined) {
      this.ensureAccessible();
      this.consolidate0(0, this._components.length);
    } else {
      this.checkComponentIndex(cIndex, numComponents as number);
      this.consolidate0(cIndex, numComponents as number);
    }
    return this;
  }

  private consolidate0(cIndex: number, numComponents: number): void {
    if (numComponents <= 1) return;
    const comps = this._components;
    const endCIndex = cIndex + numComponents;
    const startOffset = comps[cIndex].offset;
    const capacity = comps[endCIndex - 1].endOffset - startOffset;
    const merged = this._alloc.heapBuffer(capacity);
    try {
      for (let i = cIndex; i < endCIndex; i++) {
        const c = comps[i];
        merged.writeBytes(c.buf, c.idx(c.offset), c.length());
      }
    } catch (err) {
      merged.release();
      throw err;
    }
    const old = comps.splice(cIndex, numComponents, new Component(merged, -startOffset, startOffset, startOffset + capacity));
    this._lastAccessed = null;
    for (const c of old) c.free();
  }

  /** Removes (and releases) the components that were read completely; lowers the indices accordingly. */
  discardReadComponents(): this {
    this.ensureAccessible();
    const readerIndex = this._readerIndex;
    if (readerIndex === 0) return this;
    const writerIndex = this._writerIndex;
    if (readerIndex === writerIndex && writerIndex === this.currentCapacity()) return this.discardAll(readerIndex);
    const comps = this._components;
    let first = 0;
    while (first < comps.length && comps[first].endOffset <= readerIndex) first++;
    if (first === 0) return this;
    for (const c of comps.splice(0, first)) {
      if (c === this._lastAccessed) this._lastAccessed = null;
      c.free();
    }
    const offset = comps[0].offset;
    this.updateComponentOffsets(0);
    this._readerIndex = readerIndex - offset;
    this._writerIndex = writerIndex - offset;
    this.adjustMarkers(offset);
    return this;
  }

  override discardReadBytes(): this {
    this.ensureAccessible();
    const readerIndex = this._readerIndex;
    if (readerIndex === 0) return this;
    const writerIndex = this._writerIndex;
    if (readerIndex === writerIndex && writerIndex === this.currentCapacity()) return this.discardAll(readerIndex);
    const comps = this._components;
    let first = 0;
    while (comps[first].endOffset <= readerIndex) first++;
    for (const c of comps.splice(0, first)) c.free();
    // The first remaining component starts before readerIndex: cut its read part.
    const c = comps[0];
    c.adjustment += readerIndex;
    c.endOffset -= readerIndex;
    c.offset = 0;
    this._lastAccessed = null;
    this.updateComponentOffsets(0);
    this._readerIndex = 0;
    this._writerIndex = writerIndex - readerIndex;
    this.adjustMarkers(readerIndex);
    return this;
  }

  override discardSomeReadBytes(): this {
    return this.discardReadComponents();
  }

  private discardAll(readerIndex: number): this {
    for (const c of this._components) c.free();
    this._components = [];
    this._lastAccessed = null;
    this._readerIndex = this._writerIndex = 0;
    this.adjustMarkers(readerIndex);
    return this;
  }

  // ---------------------------------------------------------------- capacity

  protected adjustCapacity(newCapacity: number): void {
    this.checkNewCapacity(newCapacity);
    const oldCapacity = this.currentCapacity();
    if (newCapacity > oldCapacity) {
      const paddingLength = newCapacity - oldCapacity;
      const padding = this._alloc.heapBuffer(paddingLength).setIndex(0, paddingLength);
      this.addComponent0(false, this._components.length, padding);
      this.consolidateIfNeeded();
    } else if (newCapacity < oldCapacity) {
      this._lastAccessed = null;
      const comps = this._components;
      let bytesToTrim = oldCapacity - newCapacity;
      let i = comps.length - 1;
      for (; i >= 0; i--) {
        const c = comps[i];
        const length = c.length();
        if (bytesToTrim < length) {
          c.endOffset -= bytesToTrim;
          break;
        }
        c.free();
        bytesToTrim -= length;
      }
      comps.splice(i + 1);
      this.trimIndicesToCapacity(newCapacity);
    }
  }

}
