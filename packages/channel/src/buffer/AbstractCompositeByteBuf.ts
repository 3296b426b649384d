// The module's `Buffer`, not the global one: on Node 20 the global is a getter, called on every use.
import { Buffer } from 'node:buffer';
import { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
import type { ByteBuf, ByteProcessor } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { DEFAULT_MAX_CAPACITY } from './ByteBufAllocator';
import { IllegalStateException, UnsupportedOperationException } from '../util/SluiceError';

const EMPTY = Buffer.alloc(0);

/** One part of a composite: the bytes `[offset, endOffset)` of the composite are `buf` at `index + adjustment`. */
export class Component {
  // `declare` + assignment rather than parameter properties: see the note on field declarations in
  // AbstractByteBuf (class fields are defined, not assigned, under the ES2022 target).
  /** The added buffer; the composite owns one reference to it. */
  declare readonly buf: ByteBuf;
  declare adjustment: number;
  declare offset: number;
  declare endOffset: number;

  constructor(buf: ByteBuf, adjustment: number, offset: number, endOffset: number) {
    this.buf = buf;
    this.adjustment = adjustment;
    this.offset = offset;
    this.endOffset = endOffset;
  }

  length(): number {
    return this.endOffset - this.offset;
  }

  idx(index: number): number {
    return index + this.adjustment;
  }

  reposition(newOffset: number): void {
    const move = newOffset - this.offset;
    this.endOffset += move;
    this.adjustment -= move;
    this.offset = newOffset;
  }

  free(): void {
    this.buf.release();
  }
}

/**
 * The memory-access half of io.netty.buffer.CompositeByteBuf (Netty 4.1), split out by role. Differs: a
 * separate class only to keep files readable; {@link CompositeByteBuf} adds the component management.
 *
 * Holds the component list and maps composite indices to components (binary search plus a
 * last-accessed cache); typed accessors, bulk transfers, `Buffer` views and searches are served by the
 * component(s) they touch, and values spanning two components are assembled byte by byte.
 *
 * ## Ownership
 * Each component holds one reference to its buffer; all are released when the composite is deallocated.
 */
export abstract class AbstractCompositeByteBuf extends AbstractReferenceCountedByteBuf {
  declare protected readonly _alloc: ByteBufAllocator;
  declare protected _components: Component[];
  declare protected _lastAccessed: Component | null;
  declare private _freed: boolean;

  protected constructor(alloc: ByteBufAllocator) {
    super(DEFAULT_MAX_CAPACITY);
    this._alloc = alloc;
    this._components = [];
    this._lastAccessed = null;
    this._freed = false;
  }

  protected toComponentIndex0(offset: number): number {
    const comps = this._components;
    let low = 0;
    let high = comps.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const c = comps[mid];
      if (offset >= c.endOffset) low = mid + 1;
      else if (offset < c.offset) high = mid - 1;
      else return mid;
    }
    throw new IllegalStateException(`no component holds offset ${offset} (capacity ${this.currentCapacity()})`);
  }

  protected findComponent(offset: number): Component {
    const last = this._lastAccessed;
    if (last !== null && offset >= last.offset && offset < last.endOffset) return last;
    const found = this._components[this.toComponentIndex0(offset)];
    this._lastAccessed = found;
    return found;
  }

  alloc(): ByteBufAllocator {
    return this._alloc;
  }

  protected currentCapacity(): number {
    const comps = this._components;
    return comps.length > 0 ? comps[comps.length - 1].endOffset : 0;
  }

  hasArray(): boolean {
    const comps = this._components;
    return comps.length === 0 || (comps.length === 1 && comps[0].buf.hasArray());
  }

  array(): Uint8Array {
    this.ensureAccessible();
    const comps = this._components;
    if (comps.length === 0) return EMPTY;
    if (comps.length === 1) return comps[0].buf.array();
    throw new UnsupportedOperationException(`array(): a composite of ${comps.length} components has no single array`);
  }

  arrayOffset(): number {
    const comps = this._components;
    if (comps.length === 0) return 0;
    if (comps.length === 1) return comps[0].idx(comps[0].buf.arrayOffset());
    throw new UnsupportedOperationException(`arrayOffset(): a composite of ${comps.length} components has no single array`);
  }

  override nioBufferCount(): number {
    const comps = this._components;
    if (comps.length === 0) return 1;
    let count = 0;
    for (const c of comps) count += c.buf.nioBufferCount();
    return count;
  }

  protected nioBuffer0(index: number, length: number): Buffer {
    if (length === 0) return EMPTY;
    const c = this.findComponent(index);
    if (index + length <= c.endOffset) return c.buf.nioBuffer(c.idx(index), length);
    const merged = Buffer.allocUnsafe(length);
    this.getBytesToArray(index, merged, 0, length);
    return merged;
  }

  protected nioBuffers0(index: number, length: number): Buffer[] {
    if (length === 0) return [EMPTY];
    const out: Buffer[] = [];
    this.forEachPart(index, length, (c, at, len) => {
      for (const b of c.buf.nioBuffers(c.idx(at), len)) out.push(b);
    });
    return out;
  }

  /** Calls `fn` for each component piece of `[index, index + length)` (length > 0, bounds checked). */
  private forEachPart(index: number, length: number, fn: (c: Component, at: number, len: number) => void): void {
    const comps = this._components;
    for (let i = this.toComponentIndex0(index); length > 0; i++) {
      const c = comps[i];
      const len = Math.min(length, c.endOffset - index);
      if (len > 0) fn(c, index, len);
      index += len;
      length -= len;
    }
  }

  protected getBytesToArray(index: number, dst: Uint8Array, dstIndex: number, length: number): void {
    if (length === 0) return;
    let to = dstIndex;
    this.forEachPart(index, length, (c, at, len) => {
      c.buf.getBytes(c.idx(at), dst, to, len);
      to += len;
    });
  }

  protected getBytesToBuf(index: number, dst: ByteBuf, dstIndex: number, length: number): void {
    if (length === 0) return;
    let to = dstIndex;
    this.forEachPart(index, length, (c, at, len) => {
      c.buf.getBytes(c.idx(at), dst, to, len);
      to += len;
    });
  }

  protected setBytesFromArray(index: number, src: Uint8Array, srcIndex: number, length: number): void {
    if (length === 0) return;
    let from = srcIndex;
    this.forEachPart(index, length, (c, at, len) => {
      c.buf.setBytes(c.idx(at), src, from, len);
      from += len;
    });
  }

  protected setBytesFromBuf(index: number, src: ByteBuf, srcIndex: number, length: number): void {
    if (length === 0) return;
    if (src === this) {
      // Overlapping copy within this composite (discardReadBytes of a subclass): go through a temporary.
      const tmp = new Uint8Array(length);
      this.getBytesToArray(srcIndex, tmp, 0, length);
      this.setBytesFromArray(index, tmp, 0, length);
      return;
    }
    let from = srcIndex;
    this.forEachPart(index, length, (c, at, len) => {
      c.buf.setBytes(c.idx(at), src, from, len);
      from += len;
    });
  }

  protected override setZero0(index: number, length: number): void {
    if (length === 0) return;
    this.forEachPart(index, length, (c, at, len) => c.buf.setZero(c.idx(at), len));
  }

  protected copy0(index: number, length: number): ByteBuf {
    const copy = this._alloc.heapBuffer(length);
    try {
      this.getBytesToBuf(index, copy, 0, length);
      return copy.writerIndex(length);
    } catch (err) {
      copy.release();
      throw err;
    }
  }

  protected override forEachByteAsc0(start: number, end: number, processor: ByteProcessor): number {
    if (end <= start) return -1;
    const comps = this._components;
    for (let i = this.toComponentIndex0(start), index = start; index < end; i++) {
      const c = comps[i];
      const len = Math.min(end, c.endOffset) - index;
      if (len > 0) {
        const found = c.buf.forEachByte(c.idx(index), len, processor);
        if (found >= 0) return found - c.adjustment;
        index += len;
      }
    }
    return -1;
  }

  protected override forEachByteDesc0(start: number, end: number, processor: ByteProcessor): number {
    if (end <= start) return -1;
    const comps = this._components;
    for (let i = this.toComponentIndex0(end - 1), index = end; index > start; i--) {
      const c = comps[i];
      const from = Math.max(start, c.offset);
      const len = index - from;
      if (len > 0) {
        const found = c.buf.forEachByteDesc(c.idx(from), len, processor);
        if (found >= 0) return found - c.adjustment;
        index = from;
      }
    }
    return -1;
  }

  protected override describe(): string {
    const text = super.describe();
    return this.refCnt() === 0 ? text : `${text.slice(0, -1)}, components=${this._components.length})`;
  }

  protected deallocate(): void {
    if (this._freed) return;
    this._freed = true;
    const comps = this._components;
    this._components = [];
    this._lastAccessed = null;
    for (const c of comps) c.free();
  }

  // ---------------------------------------------------------------- primitives (split across components)

  protected _getByte(index: number): number {
    const c = this.findComponent(index);
    return c.buf.getByte(c.idx(index));
  }
  protected _getShort(index: number): number {
    const c = this.findComponent(index);
    if (index + 2 <= c.endOffset) return c.buf.getShort(c.idx(index));
    return (((this._getByte(index) & 0xff) << 24) >> 16) | (this._getByte(index + 1) & 0xff);
  }
  protected _getShortLE(index: number): number {
    const c = this.findComponent(index);
    if (index + 2 <= c.endOffset) return c.buf.getShortLE(c.idx(index));
    return (this._getByte(index) & 0xff) | ((this._getByte(index + 1) << 24) >> 16);
  }
  protected _getUnsignedMedium(index: number): number {
    const c = this.findComponent(index);
    if (index + 3 <= c.endOffset) return c.buf.getUnsignedMedium(c.idx(index));
    return ((this._getShort(index) & 0xffff) << 8) | (this._getByte(index + 2) & 0xff);
  }
  protected _getUnsignedMediumLE(index: number): number {
    const c = this.findComponent(index);
    if (index + 3 <= c.endOffset) return c.buf.getUnsignedMediumLE(c.idx(index));
    return (this._getShortLE(index) & 0xffff) | ((this._getByte(index + 2) & 0xff) << 16);
  }
  protected _getInt(index: number): number {
    const c = this.findComponent(index);
    if (index + 4 <= c.endOffset) return c.buf.getInt(c.idx(index));
    return ((this._getShort(index) & 0xffff) << 16) | (this._getShort(index + 2) & 0xffff);
  }
  protected _getIntLE(index: number): number {
    const c = this.findComponent(index);
    if (index + 4 <= c.endOffset) return c.buf.getIntLE(c.idx(index));
    return (this._getShortLE(index) & 0xffff) | ((this._getShortLE(index + 2) & 0xffff) << 16);
  }
  protected _getLong(index: number): bigint {
    const c = this.findComponent(index);
    if (index + 8 <= c.endOffset) return c.buf.getLong(c.idx(index));
    return (BigInt(this._getInt(index)) << 32n) | BigInt(this._getInt(index + 4) >>> 0);
  }
  protected _getLongLE(index: number): bigint {
    const c = this.findComponent(index);
    if (index + 8 <= c.endOffset) return c.buf.getLongLE(c.idx(index));
    return (BigInt(this._getIntLE(index + 4)) << 32n) | BigInt(this._getIntLE(index) >>> 0);
  }
  protected _setByte(index: number, value: number): void {
    const c = this.findComponent(index);
    c.buf.setByte(c.idx(index), value);
  }
  protected _setShort(index: number, value: number): void {
    const c = this.findComponent(index);
    if (index + 2 <= c.endOffset) c.buf.setShort(c.idx(index), value);
    else {
      this._setByte(index, value >>> 8);
      this._setByte(index + 1, value);
    }
  }
  protected _setShortLE(index: number, value: number): void {
    const c = this.findComponent(index);
    if (index + 2 <= c.endOffset) c.buf.setShortLE(c.idx(index), value);
    else {
      this._setByte(index, value);
      this._setByte(index + 1, value >>> 8);
    }
  }
  protected _setMedium(index: number, value: number): void {
    const c = this.findComponent(index);
    if (index + 3 <= c.endOffset) c.buf.setMedium(c.idx(index), value);
    else {
      this._setShort(index, value >> 8);
      this._setByte(index + 2, value);
    }
  }
  protected _setMediumLE(index: number, value: number): void {
    const c = this.findComponent(index);
    if (index + 3 <= c.endOffset) c.buf.setMediumLE(c.idx(index), value);
    else {
      this._setShortLE(index, value);
      this._setByte(index + 2, value >>> 16);
    }
  }
  protected _setInt(index: number, value: number): void {
    const c = this.findComponent(index);
    if (index + 4 <= c.endOffset) c.buf.setInt(c.idx(index), value);
    else {
      this._setShort(index, value >>> 16);
      this._setShort(index + 2, value);
    }
  }
  protected _setIntLE(index: number, value: number): void {
    const c = this.findComponent(index);
    if (index + 4 <= c.endOffset) c.buf.setIntLE(c.idx(index), value);
    else {
      this._setShortLE(index, value);
      this._setShortLE(index + 2, value >>> 16);
    }
  }
  protected _setLong(index: number, value: bigint): void {
    const c = this.findComponent(index);
    if (index + 8 <= c.endOffset) c.buf.setLong(c.idx(index), value);
    else {
      this._setInt(index, Number(BigInt.asIntN(32, value >> 32n)));
      this._setInt(index + 4, Number(BigInt.asIntN(32, value)));
    }
  }
  protected _setLongLE(index: number, value: bigint): void {
    const c = this.findComponent(index);
    if (index + 8 <= c.endOffset) c.buf.setLongLE(c.idx(index), value);
    else {
      this._setIntLE(index, Number(BigInt.asIntN(32, value)));
      this._setIntLE(index + 4, Number(BigInt.asIntN(32, value >> 32n)));
    }
  }
}
