import {
  IllegalStateException,
  InternalLoggerFactory,
  UnsupportedOperationException,
  type Future,
} from '@sluice/channel';
import type { AbstractEvent } from '../event/AbstractEvent';
import type { StopMode } from '../event/StopMode';
import type { ResultPartitionWriter } from '../io/writer/ResultPartitionWriter';
import type { TypeSerializer } from '../io/typeutils/TypeSerializer';
import type { BufferPool } from '../memory/BufferPool';
import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import type { ResultPartitionID } from './ResultPartitionID';
import type { ResultPartitionManager } from './ResultPartitionManager';
import type { ResultPartitionType } from './ResultPartitionType';
import type { ResultSubpartitionView } from './ResultSubpartitionView';
import { SimpleCounter, type Counter } from '../metrics/Counter';
import type { TaskIOMetrics } from '../metrics/TaskIOMetrics';

const logger = InternalLoggerFactory.getInstance('ResultPartition');

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultPartition (Flink 1.20). Differs: no
 * compressor; the metric group is a {@link TaskIOMetrics} (only its byte/buffer counters are used); the
 * buffer pool factory is a function; EndOfData/all-data-processed are implemented by
 * PipelinedResultPartition only.
 *
 * The data one task produces for one intermediate result: its subpartitions (one per consumer subtask)
 * share one buffer pool. Lifecycle: {@link setup} (pool + registration with the
 * {@link ResultPartitionManager}) → produce (records, events, flushes) → {@link finish} → consumers read →
 * {@link release} (explicitly, through the manager, or automatically for pipelined partitions once all
 * consumers and the producer are done) and {@link close} by the producer (destroys the pool).
 *
 * ## Threading
 * One JavaScript thread.
 *
 * ## Ownership
 * Owns its buffer pool (destroyed by `close()`/`fail()`) and, until consumed, every queued buffer
 * (recycled by `release()`).
 */
export abstract class ResultPartition implements ResultPartitionWriter {
  protected readonly owningTaskName: string;
  protected readonly partitionIndex: number;
  protected readonly partitionId: ResultPartitionID;
  protected readonly partitionType: ResultPartitionType;
  protected readonly partitionManager: ResultPartitionManager;
  protected readonly numSubpartitions: number;
  private readonly numTargetKeyGroups: number;
  private released = false;
  protected bufferPool: BufferPool | null = null;
  private finished = false;
  private cause: Error | null = null;
  private readonly bufferPoolFactory: () => BufferPool;
  /** Bytes of finished buffers (broadcast buffers count once per subpartition); replaced by {@link setMetricGroup}. */
  numBytesOut: Counter = new SimpleCounter();
  /** Finished buffers (broadcast buffers count once per subpartition); replaced by {@link setMetricGroup}. */
  numBuffersOut: Counter = new SimpleCounter();

  protected constructor(
    owningTaskName: string,
    partitionIndex: number,
    partitionId: ResultPartitionID,
    partitionType: ResultPartitionType,
    numSubpartitions: number,
    numTargetKeyGroups: number,
    partitionManager: ResultPartitionManager,
    bufferPoolFactory: () => BufferPool,
  ) {
    if (!(partitionIndex >= 0)) throw new IllegalStateException('The partition index must be positive.');
    this.owningTaskName = owningTaskName;
    this.partitionIndex = partitionIndex;
    this.partitionId = partitionId;
    this.partitionType = partitionType;
    this.numSubpartitions = numSubpartitions;
    this.numTargetKeyGroups = numTargetKeyGroups;
    this.partitionManager = partitionManager;
    this.bufferPoolFactory = bufferPoolFactory;
  }

  /** Creates the buffer pool and registers with the partition manager. Once. */
  setup(): void {
    if (this.bufferPool !== null) throw new IllegalStateException('Bug in result partition setup logic: Already registered buffer pool.');
    this.bufferPool = this.bufferPoolFactory();
    this.setupInternal();
    this.partitionManager.registerResultPartition(this);
  }

  /** Checks after the pool was created (subclasses). */
  protected setupInternal(): void {}

  getOwningTaskName(): string {
    return this.owningTaskName;
  }

  getPartitionId(): ResultPartitionID {
    return this.partitionId;
  }

  getPartitionIndex(): number {
    return this.partitionIndex;
  }

  getNumberOfSubpartitions(): number {
    return this.numSubpartitions;
  }

  /** The pool (after setup). */
  getBufferPool(): BufferPool {
    return this.checkedPool();
  }

  getPartitionType(): ResultPartitionType {
    return this.partitionType;
  }

  getNumTargetKeyGroups(): number {
    return this.numTargetKeyGroups;
  }

  /** Counts into the task's numBytesOut/numBuffersOut from now on (Flink's `setMetricGroup`). */
  setMetricGroup(metrics: TaskIOMetrics): void {
    this.numBytesOut = metrics.numBytesOut;
    this.numBuffersOut = metrics.numBuffersOut;
  }

  /** Buffers queued in all subpartitions, or in `targetSubpartition` only. */
  abstract getNumberOfQueuedBuffers(targetSubpartition?: number): number;

  abstract emitRecord(record: Uint8Array, targetSubpartition: number, length?: number): boolean;
  abstract tryEmitFixedLengthRecord<T>(record: T, serializer: TypeSerializer<T>, recordLength: number, targetSubpartition: number): boolean;
  abstract broadcastRecord(record: Uint8Array, length?: number): boolean;
  abstract tryBroadcastFixedLengthRecord<T>(record: T, serializer: TypeSerializer<T>, recordLength: number): boolean;
  abstract broadcastEvent(event: AbstractEvent, isPriorityEvent: boolean): void;
  abstract createSubpartitionView(index: number, availabilityListener: BufferAvailabilityListener): ResultSubpartitionView;
  abstract flush(subpartitionIndex: number): void;
  abstract flushAll(): void;

  notifyEndOfData(_mode: StopMode): void {
    throw new UnsupportedOperationException(`${this.constructor.name} does not support EndOfData`);
  }

  getAllDataProcessedFuture(): Future<void> {
    throw new UnsupportedOperationException(`${this.constructor.name} does not support EndOfData`);
  }

  /** A consumer processed all user records of `subpartition` (EndOfData acknowledged). */
  onSubpartitionAllDataProcessed(_subpartition: number): void {}

  /** After this, nothing can be written. Subclasses add EndOfPartition to the subpartitions first. */
  finish(): void {
    this.checkInProduceState();
    this.finished = true;
  }

  isFinished(): boolean {
    return this.finished;
  }

  release(cause: Error | null = null): void {
    if (this.released) return;
    this.released = true;
    logger.debug(`${this.owningTaskName}: Releasing ${this.toString()}.`);
    if (cause !== null) this.cause = cause;
    this.releaseInternal();
  }

  /** Releases all produced data (every queued buffer). */
  protected abstract releaseInternal(): void;

  private closeBufferPool(): void {
    if (this.bufferPool !== null) this.bufferPool.lazyDestroy();
  }

  close(): void {
    this.closeBufferPool();
  }

  fail(throwable: Error | null): void {
    // Releases the output buffer pool early (Flink's task canceler thread does this).
    this.closeBufferPool();
    this.partitionManager.releasePartition(this.partitionId, throwable);
  }

  getFailureCause(): Error | null {
    return this.cause;
  }

  isReleased(): boolean {
    return this.released;
  }

  getAvailableFuture(): Future<void> {
    return this.checkedPool().getAvailableFuture();
  }

  isAvailable(): boolean {
    return this.checkedPool().isAvailable();
  }

  isApproximatelyAvailable(): boolean {
    return this.checkedPool().isApproximatelyAvailable();
  }

  /** Notification that the consumer of `subpartitionIndex` released its view. */
  onConsumedSubpartition(subpartitionIndex: number): void {
    if (this.released) return;
    logger.debug(`${this.toString()}: Received release notification for subpartition ${subpartitionIndex}.`);
  }

  protected checkInProduceState(): void {
    if (this.finished) throw new IllegalStateException(`Partition already finished: ${this.toString()}`);
  }

  protected checkedPool(): BufferPool {
    const pool = this.bufferPool;
    if (pool === null) throw new IllegalStateException(`${this.toString()} is not set up: call setup() first`);
    return pool;
  }

  getPartitionManager(): ResultPartitionManager {
    return this.partitionManager;
  }

  toString(): string {
    return `ResultPartition ${this.partitionId.toString()} [${this.partitionType.toString()}, ${this.numSubpartitions} subpartitions]`;
  }
}
