import { isReferenceCounted } from './ReferenceCounted';

/**
 * Port of io.netty.util.ReferenceCountUtil: release or retain a message only if it is reference-counted,
 * so code that handles arbitrary pipeline messages does not need to test the type itself.
 */
export const ReferenceCountUtil = {
  /** Retains `msg` if it is reference-counted; returns it either way. */
  retain<T>(msg: T, increment = 1): T {
    if (isReferenceCounted(msg)) msg.retain(increment);
    return msg;
  },

  /** Releases `msg` if it is reference-counted; returns whether it was deallocated. */
  release(msg: unknown, decrement = 1): boolean {
    return isReferenceCounted(msg) ? msg.release(decrement) : false;
  },

  /** Like {@link release} but never throws: a failure is reported to `onError` (default: ignored). */
  safeRelease(msg: unknown, onError?: (err: unknown) => void): boolean {
    try {
      return ReferenceCountUtil.release(msg);
    } catch (err) {
      onError?.(err);
      return false;
    }
  },

  /** Records an access hint for the leak detector if `msg` is reference-counted. */
  touch<T>(msg: T, hint?: unknown): T {
    if (isReferenceCounted(msg)) msg.touch(hint);
    return msg;
  },
};
