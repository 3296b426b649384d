/**
 * Base class of every error Sluice throws. Each subclass carries a stable `code` (for programs) and a
 * message written for people: the observed value, the limit, and what to change.
 *
 * Names follow Netty's exceptions (`IllegalReferenceCountException`, `DecoderException`, …) so a reader
 * who knows Netty recognises them; `instanceof` works across the hierarchy.
 */
export class SluiceError extends Error {
  /** Stable machine-readable identifier, e.g. `SLUICE_TOO_LONG_FRAME`. */
  readonly code: string;

  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = options?.code ?? 'SLUICE_ERROR';
  }
}

/** An argument is outside its documented range (Java's IllegalArgumentException). */
export class IllegalArgumentException extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'SLUICE_ILLEGAL_ARGUMENT' });
  }
}

/** The object is not in a state that allows the call (Java's IllegalStateException). */
export class IllegalStateException extends SluiceError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, { code: 'SLUICE_ILLEGAL_STATE', ...options });
  }
}

/** An index or length is outside the bounds of a buffer or list (Java's IndexOutOfBoundsException). */
export class IndexOutOfBoundsException extends SluiceError {
  constructor(message: string) {
    super(message, { code: 'SLUICE_INDEX_OUT_OF_BOUNDS' });
  }
}

/** A named element does not exist (Java's NoSuchElementException). */
export class NoSuchElementException extends SluiceError {
  constructor(message: string) {
    super(message, { code: 'SLUICE_NO_SUCH_ELEMENT' });
  }
}

/** The operation is not supported by this implementation (Java's UnsupportedOperationException). */
export class UnsupportedOperationException extends SluiceError {
  constructor(message: string) {
    super(message, { code: 'SLUICE_UNSUPPORTED_OPERATION' });
  }
}

/** Wraps anything thrown that is not an `Error` so that every failure path carries a real Error. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new SluiceError(`Non-error value thrown: ${String(thrown)}`, { cause: thrown, code: 'SLUICE_NON_ERROR_THROWN' });
}
