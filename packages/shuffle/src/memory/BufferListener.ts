import type { Buffer } from './Buffer';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.BufferListener (Flink 1.20). Differs: the return
 * value of {@link notifyBufferAvailable} means "keep me registered" (Flink 1.x's "notify me next time"),
 * and the buffer is ALWAYS handed over; Flink 1.20 instead returns "buffer used" and takes an unused
 * buffer back. Always handing it over keeps every buffer's ownership explicit (and leak-checked).
 *
 * Waits for a buffer of a {@link BufferProvider} that had none: registered with
 * `addBufferListener(listener)` (only when no buffer is available), notified once per recycled segment,
 * in registration order. Input channels' buffer managers use it to wait for floating buffers.
 *
 * ## Threading
 * Called inline from `recycle()` on the pool's thread — possibly deep inside someone else's release (a
 * socket write callback). Keep it short; do not throw (errors are logged and the listener is dropped).
 *
 * ## Ownership
 * `notifyBufferAvailable(buffer)` transfers one reference: the listener must recycle the buffer, also
 * when it does not want it (recycling it hands it to the next listener).
 *
 * @example
 * const listener: BufferListener = {
 *   notifyBufferAvailable(buffer) { floating.push(buffer); return floating.length < wanted; },
 *   notifyBufferDestroyed() { waiting = false; },
 * };
 * if (!pool.addBufferListener(listener)) useNow(pool.requestBuffer()); // available right now
 */
export interface BufferListener {
  /**
   * A buffer became available and is now owned by the listener. Return `true` to stay registered for the
   * next one, `false` to be removed. Do not also call `addBufferListener` from here (double registration).
   */
  notifyBufferAvailable(buffer: Buffer): boolean;
  /** The provider was destroyed; no buffer will come. Called at most once per registration. */
  notifyBufferDestroyed(): void;
}
