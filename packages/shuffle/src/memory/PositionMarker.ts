/**
 * Port of org.apache.flink.runtime.io.network.buffer.BufferBuilder.PositionMarker (Flink 1.20). Differs:
 * the "volatile int" is a 32-bit cell next to the segment (`Int32Array` over the segment's chunk, see
 * {@link MemorySegment}) written with `Atomics.store` and read with `Atomics.load`, so that in shared
 * memory the protocol also holds between a writer on a worker thread and a reader on the network loop.
 *
 * The encoding of the published writer position (one int32):
 * - `p >= 0`: not finished, `p` bytes written and committed;
 * - `p < 0` and `p !== FINISHED_EMPTY`: finished with `-p` bytes;
 * - `FINISHED_EMPTY` (`-2^31`, Java's `Integer.MIN_VALUE`): finished with 0 bytes (`-0` would read as
 *   "not finished").
 *
 * `Atomics.store`/`Atomics.load` are sequentially consistent, so every byte the writer stored before a
 * commit is visible to a reader that loaded that (or a later) position — the same happens-before
 * guarantee as Java's volatile write/read.
 */
export const PositionMarker = {
  /** Finished with no bytes (`Integer.MIN_VALUE`). */
  FINISHED_EMPTY: -2147483648,

  /** True if the encoded position means "finished". */
  isFinished(position: number): boolean {
    return position < 0;
  },

  /** The number of bytes an encoded position stands for. */
  getAbsolute(position: number): number {
    if (position === -2147483648) return 0;
    return position < 0 ? -position : position;
  },

  /** Encodes `bytes` written, finished or not. */
  encode(bytes: number, finished: boolean): number {
    if (!finished) return bytes;
    return bytes === 0 ? -2147483648 : -bytes;
  },
} as const;
