import { SluiceError, UnsupportedOperationException } from '../util/SluiceError';

/**
 * Port of io.netty.util.IllegalReferenceCountException (Netty 4.1): a reference-counted object was used
 * after its count reached 0, released more often than retained, or retained past the maximum count.
 *
 * Messages match Netty's, because people grep them: `refCnt: 0` (access after release),
 * `refCnt: 0, increment: 1` (retain after release), `refCnt: 0, decrement: 1` (double release) and
 * `refCnt: C, decrement: N` (releasing more references than are held).
 */
export class IllegalReferenceCountException extends SluiceError {
  /** The reference count observed when the call failed. */
  readonly refCnt: number;
  /** The attempted change: positive for retain, negative for release, 0 for a plain access. */
  readonly delta: number;

  constructor(refCnt: number, delta = 0) {
    super(
      delta === 0
        ? `refCnt: ${refCnt}`
        : `refCnt: ${refCnt}, ${delta > 0 ? `increment: ${delta}` : `decrement: ${-delta}`}`,
      { code: 'SLUICE_ILLEGAL_REFERENCE_COUNT' },
    );
    this.refCnt = refCnt;
    this.delta = delta;
  }
}

/**
 * Port of java.nio.ReadOnlyBufferException as Netty throws it from read-only buffers: a write was
 * attempted on a buffer made with `asReadOnly()`. Like the Java class, it is an
 * {@link UnsupportedOperationException} (code `SLUICE_UNSUPPORTED_OPERATION`).
 */
export class ReadOnlyBufferException extends UnsupportedOperationException {
  constructor(message = 'read-only buffer: writes are not allowed; write to the buffer it was made from') {
    super(message);
  }
}

/**
 * A 64-bit value read with a `*LongNumber*` accessor does not fit a JS number without losing precision
 * (it lies outside `Number.MIN_SAFE_INTEGER..Number.MAX_SAFE_INTEGER`). Sluice-only: Java has no such case.
 * Read the value with the `bigint` accessor (`getLong`/`readLong`) instead.
 */
export class UnsafeIntegerException extends SluiceError {
  /** The exact value that was read. */
  readonly value: bigint;
  /** Buffer index the value was read from. */
  readonly index: number;

  constructor(value: bigint, index: number) {
    super(
      `64-bit value ${value} at index ${index} is outside the safe integer range of a JS number ` +
        `(±${Number.MAX_SAFE_INTEGER}); read it with getLong()/readLong() to get a bigint`,
      { code: 'SLUICE_UNSAFE_INTEGER' },
    );
    this.value = value;
    this.index = index;
  }
}

/** One leak found by the leak detector or by {@link LeakDetectedException}'s checks. */
export interface LeakReport {
  /** Sequence number of the tracked object (unique per process, increasing with allocation order). */
  readonly id: number;
  /** Type name of the leaked resource, e.g. `ByteBuf`. */
  readonly resourceType: string;
  /**
   * `collected`: the object was garbage-collected while still referenced (a definite leak).
   * `open`: the object is still alive and unreleased when a test ended (found by `assertNoLeaks`).
   */
  readonly kind: 'collected' | 'open';
  /** The full human-readable report, starting with `LEAK: `. */
  readonly message: string;
  /** Stack captured when the object was allocated (ADVANCED and PARANOID levels), or `undefined`. */
  readonly createdAt: string | undefined;
  /** Recent access records (touch/retain/release), newest first; empty below ADVANCED. */
  readonly records: readonly string[];
}

/**
 * Thrown by `assertNoLeaks()` (src/testing/LeakAssertions.ts): reference-counted objects were leaked.
 * `leaks` lists each one with where it was allocated.
 */
export class LeakDetectedException extends SluiceError {
  readonly leaks: readonly LeakReport[];

  constructor(leaks: readonly LeakReport[]) {
    const collected = leaks.filter((l) => l.kind === 'collected').length;
    const open = leaks.length - collected;
    super(
      `${leaks.length} leak(s) detected (${collected} garbage-collected while referenced, ${open} still ` +
        `unreleased); release every reference-counted object you own exactly once. Stack positions refer to ` +
        `the executed JavaScript (under ts-jest a few lines off the TypeScript source).\n\n` +
        // Frames are shown as "- at …" so that test runners do not mistake them for this error's own stack.
        leaks.map((l, i) => `[${i + 1}] ${l.message.replace(/\n(\s*)at /g, '\n$1- at ')}`).join('\n\n'),
      { code: 'SLUICE_LEAK_DETECTED' },
    );
    this.leaks = leaks;
  }
}
