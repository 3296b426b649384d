import type { Future } from '@sluice/channel';
import type { AbstractEvent } from '../../event/AbstractEvent';
import type { StopMode } from '../../event/StopMode';
import type { AvailabilityProvider } from '../../memory/AvailabilityProvider';
import type { TaskIOMetrics } from '../../metrics/TaskIOMetrics';
// Type-only imports against the layer arrows (partition/ → io/): Flink's interface names these partition
// types too; nothing is imported at runtime.
import type { BufferAvailabilityListener } from '../../partition/BufferAvailabilityListener';
import type { ResultPartitionID } from '../../partition/ResultPartitionID';
import type { ResultSubpartitionView } from '../../partition/ResultSubpartitionView';
import type { TypeSerializer } from '../typeutils/TypeSerializer';

/**
 * Port of org.apache.flink.runtime.io.network.api.writer.ResultPartitionWriter (Flink 1.20). Differs:
 * writes never block — {@link emitRecord}/{@link broadcastRecord} return `false` when they ran out of
 * buffers and keep the unwritten remainder (see "Back-pressure" below); records are `Uint8Array`s plus a
 * length instead of `ByteBuffer`s; a fast path for fixed-length records
 * ({@link tryEmitFixedLengthRecord}); no metric-group or checkpoint hooks yet.
 *
 * The producer side of one result partition: the record writer puts length-prefixed serialized records
 * and events into its subpartitions.
 *
 * ## Back-pressure (non-blocking contract)
 * Flink's task thread blocks in `emitRecord` until the buffer pool has a buffer. Here a write that cannot
 * get a buffer keeps a reference to the record's unwritten bytes, returns `false` and makes the writer
 * unavailable ({@link isAvailable} false). {@link getAvailableFuture} completes once that remainder has
 * been written (in a microtask after a buffer came back) AND a buffer is available again. Until then the
 * caller must not write records, events, or finish (those throw `WriterNotAvailableException`), and must
 * not modify the bytes it passed. Flushes are allowed.
 *
 * ## Threading
 * One JavaScript thread; "blocking" calls return futures.
 *
 * ## Ownership
 * The writer owns its buffer pool: `close()` destroys it. `release()` recycles every queued buffer.
 */
export interface ResultPartitionWriter extends AvailabilityProvider {
  /** Registers with the partition manager and acquires the buffer pool. Call once, before writing. */
  setup(): void;
  getPartitionId(): ResultPartitionID;
  getNumberOfSubpartitions(): number;
  /** Key groups of the consumer (max parallelism), for key-group partitioners. */
  getNumTargetKeyGroups(): number;
  /** Counts into the task's numBytesOut/numBuffersOut and times hard back-pressure from now on. */
  setMetricGroup(metrics: TaskIOMetrics): void;

  /**
   * Writes `record[0, length)` (a serialized record with its 4-byte length prefix; `length` defaults to
   * `record.length`) to `targetSubpartition`. Returns false if it had to stop for lack of buffers (the
   * remainder is written later; see the class comment).
   */
  emitRecord(record: Uint8Array, targetSubpartition: number, length?: number): boolean;
  /**
   * Fast path: if the current buffer of `targetSubpartition` has room for `recordLength + 4` bytes, writes
   * the length prefix and `serializer.writeFixed(record, …)` straight into it and returns true; otherwise
   * writes nothing and returns false (the caller serializes and uses {@link emitRecord}).
   */
  tryEmitFixedLengthRecord<T>(record: T, serializer: TypeSerializer<T>, recordLength: number, targetSubpartition: number): boolean;
  /** Writes `record[0, length)` once into a buffer shared by all subpartitions. Back-pressure as {@link emitRecord}. */
  broadcastRecord(record: Uint8Array, length?: number): boolean;
  /** Fast path of {@link broadcastRecord}, like {@link tryEmitFixedLengthRecord}. */
  tryBroadcastFixedLengthRecord<T>(record: T, serializer: TypeSerializer<T>, recordLength: number): boolean;
  /** Finishes the current buffers and adds `event` to every subpartition. */
  broadcastEvent(event: AbstractEvent, isPriorityEvent: boolean): void;
  /** Broadcasts EndOfData once (stop-with-savepoint / end of input). */
  notifyEndOfData(mode: StopMode): void;
  /** Completes once every consumer acknowledged all records (after EndOfData). */
  getAllDataProcessedFuture(): Future<void>;

  /** A reading view of one subpartition (throws if released, or if it already has a reader). */
  createSubpartitionView(index: number, availabilityListener: BufferAvailabilityListener): ResultSubpartitionView;

  /** Makes what was written to `subpartitionIndex` available to its reader. */
  flush(subpartitionIndex: number): void;
  /** {@link flush} for every subpartition. */
  flushAll(): void;
  /** Finishes the partition: EndOfPartition to every subpartition; nothing can be written after. */
  finish(): void;
  isFinished(): boolean;
  /** Releases the partition and all buffers (idempotent); `cause` is reported to readers. */
  release(cause?: Error | null): void;
  isReleased(): boolean;
  /** Why the partition was released, if it failed. */
  getFailureCause(): Error | null;
  /** The producer failed: destroys the pool early and releases the partition through the manager. */
  fail(cause: Error | null): void;
  /** Closes the writer: releases its current buffer builders and destroys its buffer pool. */
  close(): void;
}
