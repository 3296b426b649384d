/**
 * Hand-written parser of frames with a 4-byte big-endian length prefix, as a raw `node:net`
 * program would write it: the baseline that `LengthFieldBasedFrameDecoder` is measured against.
 *
 * A frame that lies whole inside a `'data'` chunk is handed over in place — `(chunk, offset,
 * length)`, no copy and no allocation. Only a frame that straddles two chunks is copied, into one
 * staging buffer allocated once.
 *
 * ## Ownership
 * The bytes handed to `onFrame` are only valid during the call when `buffer` is
 * {@link LengthPrefixedFrameParser.staging}; copy them to keep them.
 *
 * ## Pitfalls
 * A length above `maxPayload`, or different from `expectedPayload` when one is given, throws: the
 * benchmark is wrong, and its figures must not be reported.
 */
export type FrameHandler = (buffer: Buffer, offset: number, length: number) => void;

export class LengthPrefixedFrameParser {
  /** Holds the one frame that straddles chunks: header and payload. */
  readonly staging: Buffer;
  #staged = 0;

  /**
   * @param maxPayload largest payload accepted, in bytes.
   * @param onFrame called once per frame with the payload's location.
   * @param expectedPayload the only payload length accepted, or -1 for any up to `maxPayload`.
   */
  constructor(
    private readonly maxPayload: number,
    private readonly onFrame: FrameHandler,
    private readonly expectedPayload = -1,
  ) {
    this.staging = Buffer.allocUnsafe(4 + maxPayload);
  }

  /** Parses one chunk read from the socket. */
  push(chunk: Buffer): void {
    const end = chunk.length;
    let offset = 0;
    if (this.#staged > 0) {
      offset = this.#completeStaged(chunk);
      if (offset < 0) return;
    }
    while (end - offset >= 4) {
      const length = chunk.readUInt32BE(offset);
      this.#check(length);
      const frameEnd = offset + 4 + length;
      if (frameEnd > end) break;
      this.onFrame(chunk, offset + 4, length);
      offset = frameEnd;
    }
    if (offset < end) {
      chunk.copy(this.staging, 0, offset, end);
      this.#staged = end - offset;
    }
  }

  /** Continues the staged frame with the start of `chunk`; returns where the chunk goes on, or -1. */
  #completeStaged(chunk: Buffer): number {
    const staging = this.staging;
    let offset = 0;
    if (this.#staged < 4) {
      const take = Math.min(4 - this.#staged, chunk.length);
      chunk.copy(staging, this.#staged, 0, take);
      this.#staged += take;
      offset = take;
      if (this.#staged < 4) return -1;
      this.#check(staging.readUInt32BE(0));
    }
    const length = staging.readUInt32BE(0);
    const take = Math.min(4 + length - this.#staged, chunk.length - offset);
    chunk.copy(staging, this.#staged, offset, offset + take);
    this.#staged += take;
    offset += take;
    if (this.#staged < 4 + length) return -1;
    this.#staged = 0;
    this.onFrame(staging, 4, length);
    return offset;
  }

  #check(length: number): void {
    if (length > this.maxPayload || (this.expectedPayload >= 0 && length !== this.expectedPayload)) {
      throw new Error(
        `frame length ${length} is wrong: expected ${this.expectedPayload >= 0 ? this.expectedPayload : `at most ${this.maxPayload}`} bytes`,
      );
    }
  }
}
