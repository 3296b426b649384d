/**
 * Port of io.netty.util.ReferenceCounted (Netty 4.1): an object whose resources are freed explicitly when
 * its reference count drops to zero.
 *
 * ## Ownership
 * A new object starts with a count of 1. Whoever holds a reference releases it exactly once; passing an
 * object on (to the next handler, into a write) passes the reference with it. `retain()` adds a reference
 * for a second owner. Access after the count reached 0 throws `IllegalReferenceCountException`.
 */
export interface ReferenceCounted {
  /** Current reference count; 0 means the object has been deallocated. */
  refCnt(): number;
  /** Adds `increment` references (default 1) and returns this object. */
  retain(increment?: number): this;
  /** Records the current access location for the leak detector (ADVANCED and PARANOID levels). */
  touch(hint?: unknown): this;
  /**
   * Drops `decrement` references (default 1). Returns true exactly when the count reached 0 and the
   * object was deallocated.
   */
  release(decrement?: number): boolean;
}

/** Type guard: does `msg` implement {@link ReferenceCounted}? */
export function isReferenceCounted(msg: unknown): msg is ReferenceCounted {
  return (
    typeof msg === 'object' &&
    msg !== null &&
    typeof (msg as ReferenceCounted).release === 'function' &&
    typeof (msg as ReferenceCounted).refCnt === 'function' &&
    typeof (msg as ReferenceCounted).retain === 'function'
  );
}
