import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';
import type { Buffer } from './Buffer';
import { DataType } from './DataType';
import { PositionMarker } from './PositionMarker';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.BufferConsumer (Flink 1.20). Differs: reads the
 * writer's position with `Atomics.load` from a shared int32 cell (see {@link PositionMarker}); `close()`
 * is idempotent per consumer (Flink's checks only the shared count, so a second close could drop a
 * copy's reference); building from a closed consumer throws.
 *
 * The reading side of a {@link BufferBuilder}: turns what the writer committed into read-only network
 * buffers. `build()` returns the bytes between this consumer's reader position and the writer's latest
 * committed position, then moves the reader position there. Several consumers of the same builder
 * (`copy()`) read the same segment independently — that is how a broadcast record is written once and
 * sent to every subpartition. Event consumers ({@link BufferConsumer.ofStaticContent}) are born finished.
 *
 * ## Threading
 * One reader thread per consumer; may differ from the writer's thread (the position is shared memory).
 * In Sluice today reference counts are plain JS fields, so builder, consumers and built buffers must
 * live on the same thread; only the position protocol is thread-safe.
 *
 * ## Ownership
 * A consumer holds one reference to the buffer; `close()` drops it (once). Each `build()` returns a slice
 * holding its own reference, released by whoever ends up with it (the socket write, the reader).
 * `copy()`/`copyWithReaderPosition()`/`copyAtCachedPosition()` return consumers holding one more
 * reference each.
 *
 * ## Pitfalls
 * - {@link isFinished} uses the position cached by the last `build()`/`skip()`/creation: call `build()`
 *   (or check {@link isDataAvailable}) to see new commits.
 * - A consumer created with `createBufferConsumer()` (not `…FromBeginning()`) does not see bytes written
 *   before its creation.
 *
 * @example
 * const consumer = builder.createBufferConsumerFromBeginning();
 * builder.appendAndCommit(bytes);
 * const slice = consumer.build();       // the committed bytes, retained
 * const more = consumer.isFinished();   // from the position seen by build()
 * socketWrite(slice);                   // the write releases the slice
 * consumer.close();
 */
export class BufferConsumer {
  private readonly _buffer: Buffer;
  private readonly _cells: Int32Array | null;
  private readonly _slot: number;
  /** Encoded writer position as of the last update (see PositionMarker). */
  private _cachedWriterPosition: number;
  private _currentReaderPosition: number;
  private _closed = false;

  /**
   * Use {@link BufferBuilder.createBufferConsumer} or {@link BufferConsumer.ofStaticContent}.
   * @param buffer the buffer, with one reference owned by this consumer
   * @param cells the shared position cells of the builder's segment, or `null` for static content
   * @param slot the cell index
   * @param readerPosition where this consumer starts reading (≤ the writer position)
   * @param knownWriterPosition the encoded writer position: required when `cells` is `null`; otherwise
   *   the value the caller knows the cell holds (the writer itself, or a copy made at a cached position),
   *   or `undefined` to read the cell
   */
  constructor(buffer: Buffer, cells: Int32Array | null, slot: number, readerPosition: number, knownWriterPosition: number | undefined) {
    this._buffer = buffer;
    this._cells = cells;
    this._slot = slot;
    // Atomics.load on shared memory is a builtin call (~8 ns on Node 20), which a broadcast fan-out
    // would pay once per subpartition: skip it when the caller knows the value.
    this._cachedWriterPosition = knownWriterPosition ?? (cells === null ? PositionMarker.FINISHED_EMPTY : Atomics.load(cells, slot));
    if (readerPosition < 0 || readerPosition > PositionMarker.getAbsolute(this._cachedWriterPosition)) {
      buffer.recycleBuffer();
      throw new IllegalArgumentException(
        `Reader position larger than writer position: ${readerPosition} > ${PositionMarker.getAbsolute(this._cachedWriterPosition)}`,
      );
    }
    this._currentReaderPosition = readerPosition;
  }

  /**
   * A finished consumer over the first `size` bytes of `buffer` (default: its size) — an event or other
   * complete content. Takes over the caller's reference to `buffer` (recycled if `size` is invalid).
   */
  static ofStaticContent(buffer: Buffer, size: number = buffer.getSize()): BufferConsumer {
    if (!Number.isInteger(size) || size < 0 || size > buffer.getMaxCapacity()) {
      buffer.recycleBuffer(); // ownership was handed over: do not leak it
      throw new IllegalArgumentException(`size: ${size} (expected: 0-${buffer.getMaxCapacity()})`);
    }
    return new BufferConsumer(buffer, null, 0, 0, PositionMarker.encode(size, true));
  }

  /**
   * True if the builder had finished as of the last `build()`/`skip()` (or creation). BEWARE: cached;
   * see the class Pitfalls.
   */
  isFinished(): boolean {
    return this._cachedWriterPosition < 0;
  }

  /**
   * The committed, not yet consumed bytes as a read-only slice holding its own reference (the caller
   * releases it), and advances the reader position past them. The slice may be empty.
   */
  build(): Buffer {
    if (this._closed) throw new IllegalStateException('BufferConsumer is closed; build() needs an open consumer');
    const cells = this._cells;
    if (cells !== null) this._cachedWriterPosition = Atomics.load(cells, this._slot);
    const writerPosition = PositionMarker.getAbsolute(this._cachedWriterPosition);
    const readerPosition = this._currentReaderPosition;
    const slice = this._buffer.readOnlySlice(readerPosition, writerPosition - readerPosition);
    this._currentReaderPosition = writerPosition;
    return slice.retainBuffer();
  }

  /** Moves the reader position `bytesToSkip` bytes forward (within the committed bytes). */
  skip(bytesToSkip: number): void {
    const cells = this._cells;
    if (cells !== null) this._cachedWriterPosition = Atomics.load(cells, this._slot);
    const readable = PositionMarker.getAbsolute(this._cachedWriterPosition) - this._currentReaderPosition;
    if (!Number.isInteger(bytesToSkip) || bytesToSkip < 0 || bytesToSkip > readable) {
      throw new IllegalStateException(`bytes to skip beyond readable range: ${bytesToSkip} > ${readable}`);
    }
    this._currentReaderPosition += bytesToSkip;
  }

  /**
   * Another consumer of the same bytes with its own reader position (copied from this one: bytes
   * already consumed here are not visible to it). Holds one more reference.
   */
  copy(): BufferConsumer {
    return this.copyWithReaderPosition(this._currentReaderPosition);
  }

  /**
   * Like {@link copy} with reader position `readerPosition` (may be below this one's, not above the
   * writer's).
   */
  copyWithReaderPosition(readerPosition: number): BufferConsumer {
    if (this._closed) throw new IllegalStateException('BufferConsumer is closed; copy() needs an open consumer');
    // Flink's copy re-reads the writer's position (CachedPositionMarker's constructor calls update()).
    const cells = this._cells;
    return new BufferConsumer(this._buffer.retainBuffer(), cells, this._slot, readerPosition, cells === null ? this._cachedWriterPosition : undefined);
  }

  /**
   * Like {@link copy}, but the copy starts from this consumer's CACHED writer position instead of
   * re-reading the shared one: the broadcast fan-out (one copy per subpartition of a consumer the writer
   * has just created, with no commit in between, so both positions are the same) pays no atomic read
   * per subpartition. Later `build()`/`isDataAvailable()` calls read the latest position as usual.
   */
  copyAtCachedPosition(): BufferConsumer {
    if (this._closed) throw new IllegalStateException('BufferConsumer is closed; copy() needs an open consumer');
    return new BufferConsumer(this._buffer.retainBuffer(), this._cells, this._slot, this._currentReaderPosition, this._cachedWriterPosition);
  }

  /** True for record data. */
  isBuffer(): boolean {
    return this._buffer.isBuffer();
  }

  /** What the buffer carries. */
  getDataType(): DataType {
    return this._buffer.getDataType();
  }

  /** Drops this consumer's reference. Idempotent. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    if (!this._buffer.isRecycled()) this._buffer.recycleBuffer();
  }

  /** True if this consumer was closed or the shared buffer was recycled. */
  isRecycled(): boolean {
    return this._closed || this._buffer.isRecycled();
  }

  /** Bytes written as of the last update (`build()`/`skip()`/creation). */
  getWrittenBytes(): number {
    return PositionMarker.getAbsolute(this._cachedWriterPosition);
  }

  /** The reader position in bytes. */
  getCurrentReaderPosition(): number {
    return this._currentReaderPosition;
  }

  /** True for a data buffer not read at all yet (reader position 0). */
  isStartOfDataBuffer(): boolean {
    return this._buffer.getDataType() === DataType.DATA_BUFFER && this._currentReaderPosition === 0;
  }

  /** Capacity of the underlying buffer in bytes. */
  getBufferSize(): number {
    return this._buffer.getMaxCapacity();
  }

  /** True if the writer committed bytes this consumer has not built yet (reads the latest position). */
  isDataAvailable(): boolean {
    const cells = this._cells;
    const latest = cells === null ? this._cachedWriterPosition : Atomics.load(cells, this._slot);
    return this._currentReaderPosition < PositionMarker.getAbsolute(latest);
  }

  toString(): string {
    return (
      `BufferConsumer(reader: ${this._currentReaderPosition}, writer: ${this.getWrittenBytes()}` +
      `${this.isFinished() ? ', finished' : ''}, dataType: ${this._buffer.getDataType().name}${this._closed ? ', closed' : ''})`
    );
  }
}
