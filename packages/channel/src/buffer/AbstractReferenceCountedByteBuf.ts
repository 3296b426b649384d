import { AbstractAccessorByteBuf } from './AbstractAccessorByteBuf';
import type { ByteBuf } from './ByteBuf';
import { checkPositive } from './ByteBufChecks';
import { DuplicatedByteBuf } from './DuplicatedByteBuf';
import { IllegalReferenceCountException } from './errors';
import { ReadOnlyByteBuf } from './ReadOnlyByteBuf';
import { ResourceLeakDetector, type ResourceLeakTracker } from './ResourceLeakDetector';
import { SlicedByteBuf } from './SlicedByteBuf';

/** Java's `Integer.MAX_VALUE`: the largest reference count. */
const MAX_REF_CNT = 2147483647;

/** The detector behind every root buffer made by an allocator or `Unpooled` (reports say `ByteBuf`). */
const LEAK_DETECTOR = new ResourceLeakDetector<ByteBuf>('ByteBuf');

/**
 * Port of io.netty.buffer.AbstractReferenceCountedByteBuf (Netty 4.1). Differs: the count is a plain
 * field (one JS thread, no atomic updater), and leak tracking is built in (a tracker field set by the
 * allocator) instead of wrapping the buffer in a leak-aware decorator.
 *
 * The base of every root buffer: holds the reference count, performs retain/release with Netty's
 * exception messages, calls {@link deallocate} when the count reaches 0, and creates the derived views
 * (`slice`, `duplicate`, `asReadOnly`), which share this count.
 *
 * ## Ownership
 * The creator holds the first reference. `retain(n)` adds owners; each owner calls `release()` once.
 * `release()` returns true exactly when this call freed the buffer.
 *
 * ## Pitfalls
 * - `release()` on a freed buffer throws `refCnt: 0, decrement: 1` (a double release).
 * - Derived views release this same count: `buf.slice().release()` frees `buf`.
 */
export abstract class AbstractReferenceCountedByteBuf extends AbstractAccessorByteBuf {
  declare protected _refCnt: number;
  declare protected _leak: ResourceLeakTracker<ByteBuf> | null;

  protected constructor(maxCapacity: number) {
    super(maxCapacity);
    this._refCnt = 1;
    this._leak = null;
  }

  /**
   * Lets the leak detector track `buf` if the current level (and sampling) says so. Called by allocators
   * and `Unpooled` on the buffers they create; returns `buf`.
   */
  static trackLeak<T extends AbstractReferenceCountedByteBuf>(buf: T): T {
    const leak = LEAK_DETECTOR.track(buf);
    if (leak !== null) buf._leak = leak;
    return buf;
  }

  /** Frees the memory; called once, when the count reaches 0. */
  protected abstract deallocate(): void;

  protected override ensureAccessible(): void {
    if (this._refCnt === 0) throw new IllegalReferenceCountException(0);
  }

  override isAccessible(): boolean {
    return this._refCnt !== 0;
  }

  refCnt(): number {
    return this._refCnt;
  }

  retain(increment = 1): this {
    if (increment !== 1) checkPositive(increment, 'increment');
    const count = this._refCnt;
    if (count === 0 || count > MAX_REF_CNT - increment) throw new IllegalReferenceCountException(count, increment);
    this._refCnt = count + increment;
    if (this._leak !== null) this._leak.record();
    return this;
  }

  release(decrement = 1): boolean {
    if (decrement !== 1) checkPositive(decrement, 'decrement');
    const count = this._refCnt;
    if (count === decrement) {
      this._refCnt = 0;
      const leak = this._leak;
      if (leak !== null) {
        this._leak = null;
        leak.close(this);
      }
      this.deallocate();
      return true;
    }
    if (count < decrement) throw new IllegalReferenceCountException(count, -decrement);
    this._refCnt = count - decrement;
    if (this._leak !== null) this._leak.record();
    return false;
  }

  touch(hint?: unknown): this {
    if (this._leak !== null) this._leak.record(hint);
    return this;
  }

  unwrap(): ByteBuf | null {
    return null;
  }

  protected newSlice(index: number, length: number): ByteBuf {
    return new SlicedByteBuf(this, index, length);
  }

  duplicate(): ByteBuf {
    this.ensureAccessible();
    return new DuplicatedByteBuf(this);
  }

  asReadOnly(): ByteBuf {
    this.ensureAccessible();
    return new ReadOnlyByteBuf(this);
  }
}
