import {
  DefaultPromise,
  IllegalArgumentException,
  toError,
  type EventExecutorGroup,
  type Future,
  type ScheduledFuture,
} from '@sluice/channel';
import type { AbstractEvent } from '../../event/AbstractEvent';
import type { AvailabilityProvider } from '../../memory/AvailabilityProvider';
import { SimpleCounter, type Counter } from '../../metrics/Counter';
import type { TaskIOMetrics } from '../../metrics/TaskIOMetrics';
import type { TimerGauge } from '../../metrics/TimerGauge';
import { DataOutputSerializer } from '../DataOutputSerializer';
import { OutputFlusherException, WriterNotAvailableException } from '../errors';
import type { TypeSerializer } from '../typeutils/TypeSerializer';
import type { ResultPartitionWriter } from './ResultPartitionWriter';

/** Options shared by the record writers (see {@link RecordWriterBuilder}). */
export interface RecordWriterOptions {
  /**
   * Flink's `execution.buffer-timeout` in milliseconds (default 100): 0 flushes after every record, −1
   * flushes only full buffers (and on events/finish), N > 0 flushes all subpartitions every N ms on
   * `eventLoop`.
   */
  timeout?: number;
  /** Runs the periodic flush when `timeout > 0` (required then). Any `EventExecutor`/`EventLoop` of @sluice/channel. */
  eventLoop?: EventExecutorGroup;
  /** Task name for messages (default 'RecordWriter'). */
  taskName?: string;
}

/** Flink's ExecutionOptions.DISABLED_NETWORK_BUFFER_TIMEOUT. */
export const DISABLED_NETWORK_BUFFER_TIMEOUT = -1;
/** Flink's ExecutionOptions.FLUSH_AFTER_EVERY_RECORD. */
export const FLUSH_AFTER_EVERY_RECORD = 0;
/** Flink's default `execution.buffer-timeout` (100 ms). */
export const DEFAULT_BUFFER_TIMEOUT = 100;

/**
 * Port of org.apache.flink.runtime.io.network.api.writer.RecordWriter (Flink 1.20). Differs: writes never
 * block (see "Back-pressure"); records are serialized by a {@link TypeSerializer} given at construction
 * (Flink's records serialize themselves); fixed-length records take a fast path straight into the network
 * buffer; the OutputFlusher thread is a periodic task on an event loop of @sluice/channel; `emit(record,
 * target)` is {@link emitTo}.
 *
 * The task's output: serializes each record once (4-byte big-endian length prefix + bytes, reference §6)
 * and writes it to the subpartition(s) of a {@link ResultPartitionWriter}. Subclasses choose the
 * subpartition: {@link ChannelSelectorRecordWriter} with a {@link ChannelSelector},
 * {@link BroadcastRecordWriter} to all at once.
 *
 * Fast path: if the serializer is fixed-length with `writeFixed` (int, long, double, tuples of those…),
 * a record whose length-prefixed form fits in the current buffer of its subpartition is written straight
 * into the buffer's memory — no intermediate copy, no allocation. Otherwise (variable length, no room,
 * no current buffer) the record is serialized into a reusable {@link DataOutputSerializer} and copied,
 * spanning as many buffers as needed.
 *
 * Buffer timeout (Flink's `OutputFlusher`): `0` flushes the target subpartition after every record (after
 * a record that returned `false`: every subpartition, once the writer is available again); `N`
 * ms schedules `flushAll()` every N ms on the given event loop (an exception there is surfaced by the
 * next emit); `−1` never flushes on time: data leaves when a buffer is full, on events and on finish.
 *
 * ## Back-pressure (non-blocking contract)
 * Flink's `emit` blocks the task thread until a buffer is free. Here every `emit*` returns a boolean:
 * - `true`: the whole record was written;
 * - `false`: the pool ran out of buffers; the partition (or this writer, for a multi-channel broadcast)
 *   keeps the unwritten remainder and writes it as soon as buffers come back. {@link isAvailable} is
 *   false until then, and {@link getAvailableFuture} completes once the remainder was written and a buffer
 *   is available again.
 * The caller MUST await {@link getAvailableFuture} (or see {@link isAvailable} true) after a `false`
 * before emitting, broadcasting an event or finishing — those throw `WriterNotAvailableException`
 * meanwhile. No record is lost, duplicated or reordered. Callers that want to avoid `false` altogether
 * check `isAvailable()` before each emit (Flink's mailbox does the same). Flushes are always allowed.
 *
 * ## Threading
 * One JavaScript thread. The periodic flush runs as a task of `eventLoop`; everything else runs where the
 * caller runs. Listener notifications (data available) are direct calls.
 *
 * ## Ownership
 * The writer does not own the partition: `close()` stops the flusher only.
 *
 * ## Pitfalls
 * - A writer with `timeout > 0` must be `close()`d, or its timer keeps running.
 * - The record objects are not retained; the serialized bytes are (until availability) after `false`.
 *
 * @example
 * const writer = new RecordWriterBuilder<number>().setSerializer(LongSerializer.INSTANCE)
 *   .setChannelSelector(new RoundRobinChannelSelector()).setTimeout(-1).build(partition);
 * for (const value of values) {
 *   if (!writer.emit(value)) await writer.getAvailableFuture();
 * }
 * writer.close();
 */
export abstract class RecordWriter<T> implements AvailabilityProvider {
  protected readonly targetPartition: ResultPartitionWriter;
  protected readonly numberOfSubpartitions: number;
  /** Reusable output for the general (copying) path; starts at 128 bytes as in Flink. */
  protected readonly serializationBuffer = new DataOutputSerializer(128);
  protected readonly recordSerializer: TypeSerializer<T>;
  /** Serialized record length when the fast path applies, else −1. */
  protected readonly fixedLength: number;
  protected readonly flushAlways: boolean;
  protected readonly taskName: string;
  private readonly outputFlusher: ScheduledFuture<void> | null;
  private flusherException: Error | null = null;
  /** True when emits must go through {@link checkWritable} (flusher error, pending record or broadcast). */
  protected blocked = false;
  /** Every record emitted; a plain counter on the hot path, summed by a task's TaskIOMetrics. */
  protected readonly numRecordsOut = new SimpleCounter();
  private softBackPressuredTime: TimerGauge | null = null;
  private readonly markSoftBackPressureEnd = (): void => this.softBackPressuredTime?.markEnd();
  /** The partition holds the remainder of a record (its last write returned false). */
  private partitionPending = false;
  /** Completed when a pending multi-channel broadcast finished (see ChannelSelectorRecordWriter). */
  protected pendingAvailability: DefaultPromise<void> | null = null;
  private readonly onPartitionAvailable = (written: Future<void>): void => {
    this.partitionPending = false;
    this.updateBlocked();
    // Flush-after-every-record also covers a record whose remainder the partition wrote later (Flink's emit
    // blocks until the record is written, then flushes); without this its tail stays unflushed.
    if (this.flushAlways && written.isSuccess()) this.targetPartition.flushAll();
  };

  protected constructor(writer: ResultPartitionWriter, serializer: TypeSerializer<T>, options: RecordWriterOptions = {}) {
    const timeout = options.timeout ?? DEFAULT_BUFFER_TIMEOUT;
    if (!Number.isSafeInteger(timeout) || timeout < DISABLED_NETWORK_BUFFER_TIMEOUT) {
      throw new IllegalArgumentException(`Buffer timeout ${timeout} (expected: -1 (disabled), 0 (flush every record) or a positive number of ms)`);
    }
    this.targetPartition = writer;
    this.numberOfSubpartitions = writer.getNumberOfSubpartitions();
    this.recordSerializer = serializer;
    this.fixedLength = serializer.getLength() >= 0 && typeof serializer.writeFixed === 'function' ? serializer.getLength() : -1;
    this.flushAlways = timeout === FLUSH_AFTER_EVERY_RECORD;
    this.taskName = options.taskName ?? 'RecordWriter';
    if (timeout > 0) {
      const loop = options.eventLoop;
      if (loop === undefined) {
        throw new IllegalArgumentException(`Buffer timeout ${timeout} ms needs an eventLoop to run the periodic flush (or use 0 or -1)`);
      }
      this.outputFlusher = loop.scheduleAtFixedRate(() => this.flushOnTimeout(), timeout, timeout);
    } else {
      this.outputFlusher = null;
    }
  }

  /** Writes `record` to the subpartition(s) this writer chooses. See the class comment for `false`. */
  abstract emit(record: T): boolean;

  /** Writes `record` to every subpartition. */
  abstract broadcastEmit(record: T): boolean;

  /** Writes `record` to a random subpartition (Flink uses it for latency markers). */
  randomEmit(record: T): boolean {
    return this.emitTo(record, Math.floor(Math.random() * this.numberOfSubpartitions));
  }

  /** Writes `record` to `targetSubpartition` (Flink's `emit(record, targetSubpartition)`). */
  emitTo(record: T, targetSubpartition: number): boolean {
    if (this.blocked) this.checkWritable();
    return this.emitToUnchecked(record, targetSubpartition);
  }

  /** {@link emitTo} after the caller checked {@link blocked} (before choosing the channel). */
  protected emitToUnchecked(record: T, targetSubpartition: number): boolean {
    this.numRecordsOut.inc();
    const partition = this.targetPartition;
    let complete = true;
    if (this.fixedLength < 0 || !partition.tryEmitFixedLengthRecord(record, this.recordSerializer, this.fixedLength, targetSubpartition)) {
      const serialized = this.serializeRecord(record);
      complete = partition.emitRecord(serialized, targetSubpartition, this.serializationBuffer.length());
      if (!complete) this.onPartitionPending();
    }
    if (this.flushAlways) partition.flush(targetSubpartition);
    return complete;
  }

  /**
   * A write returned false: the partition keeps the rest of the record, which still lives in the
   * serialization buffer — so nothing may be serialized (or emitted) until the partition is available.
   */
  protected onPartitionPending(): void {
    this.partitionPending = true;
    this.blocked = true;
    this.targetPartition.getAvailableFuture().addListener(this.onPartitionAvailable);
  }

  /** Recomputes {@link blocked} from its reasons. */
  protected updateBlocked(): void {
    this.blocked = this.flusherException !== null || this.partitionPending || this.pendingAvailability !== null;
  }

  /**
   * Serializes `record` into the shared serialization buffer with its length prefix (Flink's static
   * `serializeRecord`) and returns the buffer; the bytes are `[0, serializationBuffer.length())`.
   */
  protected serializeRecord(record: T): Uint8Array {
    const out = this.serializationBuffer;
    out.clear();
    out.skipBytesToWrite(4);
    this.recordSerializer.serialize(record, out);
    out.writeIntUnsafe(out.length() - 4, 0);
    return out.getSharedBuffer();
  }

  /** Finishes the current buffers and sends `event` to every subpartition; flushes if flushing always. */
  broadcastEvent(event: AbstractEvent, isPriorityEvent = false): void {
    if (this.blocked) this.checkWritable();
    this.targetPartition.broadcastEvent(event, isPriorityEvent);
    if (this.flushAlways) this.flushAll();
  }

  /** Flushes every subpartition. */
  flushAll(): void {
    this.targetPartition.flushAll();
  }

  /**
   * Completes when the writer may write again (see the class comment). Asked while the output is
   * unavailable with every record written (the pool is merely empty), the wait counts as soft
   * back-pressure until the future completes — Flink's mailbox waiting for `isAvailable()`. A record
   * the partition holds half-written is hard back-pressure, timed by the partition instead.
   */
  getAvailableFuture(): Future<void> {
    const future = this.pendingAvailability ?? this.targetPartition.getAvailableFuture();
    const soft = this.softBackPressuredTime;
    if (soft !== null && !future.isDone() && !this.partitionPending && this.pendingAvailability === null && !soft.isMeasuring()) {
      soft.markStart();
      future.addListener(this.markSoftBackPressureEnd);
    }
    return future;
  }

  /**
   * Counts this writer's records into `metrics.numRecordsOut`, its partition's bytes and buffers into
   * `numBytesOut`/`numBuffersOut`, and times soft and hard back-pressure (Flink's `setMetricGroup`).
   * Call once, before writing.
   */
  setMetricGroup(metrics: TaskIOMetrics): void {
    metrics.reuseRecordsOutputCounter(this.numRecordsOut);
    this.softBackPressuredTime = metrics.softBackPressuredTimeMsPerSecond;
    this.targetPartition.setMetricGroup(metrics);
  }

  /** Records emitted (a broadcast record counts once), whether or not a metric group was set. */
  getNumRecordsOutCounter(): Counter {
    return this.numRecordsOut;
  }

  isAvailable(): boolean {
    return this.pendingAvailability === null && this.targetPartition.isAvailable();
  }

  isApproximatelyAvailable(): boolean {
    return this.pendingAvailability === null && this.targetPartition.isApproximatelyAvailable();
  }

  /** Number of subpartitions written to. */
  getNumberOfSubpartitions(): number {
    return this.numberOfSubpartitions;
  }

  /** True if the fast path applies to this writer's records. */
  usesFixedLengthFastPath(): boolean {
    return this.fixedLength >= 0;
  }

  /** Stops the periodic flusher (the partition stays open). Idempotent. */
  close(): void {
    this.outputFlusher?.cancel();
  }

  /** Throws the error of the failed periodic flush, or WriterNotAvailableException while a record is pending. */
  protected checkWritable(): void {
    if (this.flusherException !== null) throw new OutputFlusherException(this.flusherException);
    if (this.partitionPending || this.pendingAvailability !== null) throw new WriterNotAvailableException(`RecordWriter of ${this.taskName}`);
  }

  private flushOnTimeout(): void {
    try {
      this.targetPartition.flushAll();
    } catch (err) {
      // Flink's notifyFlusherException: the first error wins and fails the next emit.
      if (this.flusherException === null) this.flusherException = toError(err);
      this.blocked = true;
      this.outputFlusher?.cancel();
    }
  }

  /** The first exception of the periodic flush, if any. */
  getFlusherException(): Error | null {
    return this.flusherException;
  }

  toString(): string {
    return `${this.constructor.name}(${this.taskName}, ${this.numberOfSubpartitions} subpartitions)`;
  }
}
