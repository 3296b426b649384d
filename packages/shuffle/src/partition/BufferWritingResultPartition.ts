import { DefaultPromise, IllegalStateException, IndexOutOfBoundsException, type Future } from '@sluice/channel';
import type { AbstractEvent } from '../event/AbstractEvent';
import { EventSerializer } from '../event/EventSerializer';
import { WriterNotAvailableException } from '../io/errors';
import type { TypeSerializer } from '../io/typeutils/TypeSerializer';
import type { BufferBuilder } from '../memory/BufferBuilder';
import type { BufferConsumer } from '../memory/BufferConsumer';
import type { BufferPool } from '../memory/BufferPool';
import type { TaskIOMetrics } from '../metrics/TaskIOMetrics';
import type { TimerGauge } from '../metrics/TimerGauge';
import type { BufferAvailabilityListener } from './BufferAvailabilityListener';
import { PartitionReleasedException } from './errors';
import { ResultPartition } from './ResultPartition';
import type { ResultPartitionID } from './ResultPartitionID';
import type { ResultPartitionManager } from './ResultPartitionManager';
import type { ResultPartitionType } from './ResultPartitionType';
import { ResultSubpartition } from './ResultSubpartition';
import type { ResultSubpartitionView } from './ResultSubpartitionView';

/** `pendingTarget` of a broadcast record. */
const BROADCAST = -1;

/**
 * Port of org.apache.flink.runtime.io.network.partition.BufferWritingResultPartition (Flink 1.20).
 * Differs: writes never block (below); a fast path writes fixed-length records straight into the current
 * buffer; no compression, no hard-back-pressure timer gauge.
 *
 * A result partition whose records go straight into its subpartitions' buffers (reference §4.2): one
 * unicast {@link BufferBuilder} per subpartition (or none) plus one broadcast builder shared by all
 * subpartitions; switching between unicast and broadcast finishes the builders of the other mode. A new
 * builder's consumer is queued in the subpartition at once (so the reader can send what is committed while
 * the builder fills up); a record that does not fit continues in new builders whose consumers carry
 * `partialRecordLength` = the bytes of the record they hold (appended BEFORE the consumer is created,
 * Flink's order). A full builder is finished (numBytesOut/numBuffersOut count it then).
 *
 * ## Fast path
 * {@link tryEmitFixedLengthRecord} writes a small fixed-length record (prefix + `writeFixed`) straight
 * into the current builder's memory at a writer position the partition keeps itself (typed arrays, no
 * call into the builder, no commit per record). The builder's own position is synced from it before any
 * other use of the builder (general path, finish, flush), and published to the reader (`commit()`) on
 * flush, when the buffer is finished, or by the next record taking the general path. So fast-path bytes
 * become visible at the same points Flink makes data available (flush, full buffer, events, finish),
 * just not byte by byte in between.
 *
 * ## Back-pressure (non-blocking contract)
 * Flink requests a buffer without blocking, then blocks the task thread. Here, when the pool has no
 * buffer, {@link emitRecord}/{@link broadcastRecord} keep a reference to the record bytes with the
 * position reached and return `false`; {@link isAvailable} turns false. When the pool reports a buffer
 * again, the rest of the record is written (in a microtask, never inside the `recycle()` that freed the
 * buffer), and {@link getAvailableFuture} completes once that is done and the pool is available. Until
 * then writes, events and `finish()` throw `WriterNotAvailableException`; flushes are fine. Releasing or
 * closing the partition drops the remainder and fails that future with `PartitionReleasedException`.
 *
 * ## Threading
 * One JavaScript thread; listener notifications are direct calls from inside the write.
 *
 * ## Ownership
 * `close()` closes the current builders and destroys the pool; `release()` recycles queued buffers.
 */
export abstract class BufferWritingResultPartition extends ResultPartition {
  /** The subpartitions (at least one); filled by the factory right after construction. */
  protected readonly subpartitions: ResultSubpartition[];
  private readonly unicastBufferBuilders: (BufferBuilder | null)[];
  private broadcastBufferBuilder: BufferBuilder | null = null;
  private totalWrittenBytes = 0;

  // Fast-path shadow state of the current builders (see "Fast path" in the class comment): the writer
  // position (ahead of the builder's own until synced), the capacity (0 = no builder) and the DataView.
  private readonly unicastViews: (DataView | null)[];
  private readonly unicastPositions: Int32Array;
  private readonly unicastLimits: Int32Array;
  private broadcastView: DataView | null = null;
  private broadcastPosition = 0;
  private broadcastLimit = 0;
  /**
   * True from a broadcast builder's ensureBroadcastMode (all unicast builders finished) until
   * {@link finishBroadcastBufferBuilder} is called from outside the broadcast path. No unicast builder can
   * exist meanwhile, because every unicast builder is requested after finishBroadcastBufferBuilder()
   * (ensureUnicastMode) — so the next broadcast builder may skip the O(subpartitions) scan.
   */
  private inBroadcastMode = false;

  // Back-pressure state: the record being written when the pool ran dry.
  /** The task's hard back-pressure timer (see {@link setMetricGroup}); null: not measured. */
  private hardBackPressuredTime: TimerGauge | null = null;
  /** The task's soft back-pressure timer: a suspended record written, the pool still empty. */
  private softBackPressuredTime: TimerGauge | null = null;
  private pendingRecord: Uint8Array | null = null;
  private pendingOffset = 0;
  private pendingEnd = 0;
  private pendingTarget = 0;
  /** True if the remainder continues a record already partly written (partialRecordLength > 0). */
  private pendingContinuation = false;
  private pendingAvailability: DefaultPromise<void> | null = null;
  private resumeScheduled = false;
  private readonly onPoolAvailable = (): void => {
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    queueMicrotask(this.resumeTask);
  };
  private readonly resumeTask = (): void => this.resumePendingRecord();

  protected constructor(
    owningTaskName: string,
    partitionIndex: number,
    partitionId: ResultPartitionID,
    partitionType: ResultPartitionType,
    subpartitions: ResultSubpartition[],
    numTargetKeyGroups: number,
    partitionManager: ResultPartitionManager,
    bufferPoolFactory: () => BufferPool,
  ) {
    super(owningTaskName, partitionIndex, partitionId, partitionType, subpartitions.length, numTargetKeyGroups, partitionManager, bufferPoolFactory);
    this.subpartitions = subpartitions;
    this.unicastBufferBuilders = new Array<BufferBuilder | null>(subpartitions.length).fill(null);
    this.unicastViews = new Array<DataView | null>(subpartitions.length).fill(null);
    this.unicastPositions = new Int32Array(subpartitions.length);
    this.unicastLimits = new Int32Array(subpartitions.length);
  }

  protected override setupInternal(): void {
    if (this.checkedPool().getNumberOfRequiredMemorySegments() < this.numSubpartitions) {
      throw new IllegalStateException('Bug in result partition setup logic: Buffer pool has not enough guaranteed buffers for this result partition.');
    }
  }

  getNumberOfQueuedBuffers(targetSubpartition?: number): number {
    if (targetSubpartition !== undefined) return this.subpartition(targetSubpartition).unsynchronizedGetNumberOfQueuedBuffers();
    let total = 0;
    for (const subpartition of this.subpartitions) total += subpartition.unsynchronizedGetNumberOfQueuedBuffers();
    return total;
  }

  /** Bytes written but not yet polled by the readers. */
  getSizeOfQueuedBuffersUnsafe(): number {
    let polled = 0;
    for (const subpartition of this.subpartitions) polled += Math.max(0, subpartition.getTotalNumberOfBytesUnsafe());
    return this.totalWrittenBytes - polled;
  }

  /** All subpartitions (tests). */
  getAllPartitions(): readonly ResultSubpartition[] {
    return this.subpartitions;
  }

  protected flushSubpartition(targetSubpartition: number, finishProducers: boolean): void {
    if (finishProducers) {
      this.finishBroadcastBufferBuilder();
      this.finishUnicastBufferBuilder(targetSubpartition);
    } else {
      // Publish what the fast path wrote.
      this.commitBroadcast();
      this.commitUnicast(targetSubpartition);
    }
    this.subpartitions[targetSubpartition]!.flush();
  }

  protected flushAllSubpartitions(finishProducers: boolean): void {
    if (finishProducers) {
      this.finishBroadcastBufferBuilder();
      this.finishUnicastBufferBuilders();
    } else {
      this.commitBroadcast();
      for (let i = 0; i < this.numSubpartitions; i++) this.commitUnicast(i);
    }
    for (const subpartition of this.subpartitions) subpartition.flush();
  }

  // ---------------------------------------------------------------- records

  emitRecord(record: Uint8Array, targetSubpartition: number, length: number = record.length): boolean {
    if (this.pendingRecord !== null) throw new WriterNotAvailableException(this.toString());
    this.checkSubpartition(targetSubpartition);
    this.totalWrittenBytes += length;
    this.syncUnicast(targetSubpartition);
    let builder = this.unicastBufferBuilders[targetSubpartition]!;
    if (builder === null) {
      const fresh = this.requestNewUnicastBufferBuilder(targetSubpartition);
      if (fresh === null) return this.suspend(record, 0, length, targetSubpartition, false);
      builder = fresh;
      this.addToSubpartition(builder, targetSubpartition, 0, length);
    }
    let offset = this.append(record, 0, length, builder);
    while (offset < length) {
      // Full buffer, partial record.
      this.finishUnicastBufferBuilder(targetSubpartition);
      const next = this.requestNewUnicastBufferBuilder(targetSubpartition);
      if (next === null) return this.suspend(record, offset, length, targetSubpartition, true);
      builder = next;
      // Append BEFORE creating the consumer: partialRecordLength must be known (Flink's order).
      const partialRecordBytes = this.append(record, offset, length, builder);
      offset += partialRecordBytes;
      this.addToSubpartition(builder, targetSubpartition, partialRecordBytes, partialRecordBytes);
    }
    // Full buffer, full record.
    if (builder.isFull()) this.finishUnicastBufferBuilder(targetSubpartition);
    else this.captureUnicast(targetSubpartition);
    return true;
  }

  tryEmitFixedLengthRecord<T>(record: T, serializer: TypeSerializer<T>, recordLength: number, targetSubpartition: number): boolean {
    const position = this.unicastPositions[targetSubpartition]!;
    const end = position + recordLength + 4;
    // A missing builder has limit 0; an invalid index reads undefined: both fail this test.
    if (!(end <= this.unicastLimits[targetSubpartition]!) || this.pendingRecord !== null) return false;
    const view = this.unicastViews[targetSubpartition]!;
    view.setInt32(position, recordLength);
    serializer.writeFixed!(record, view, position + 4);
    this.unicastPositions[targetSubpartition] = end;
    this.totalWrittenBytes += recordLength + 4;
    if (end === this.unicastLimits[targetSubpartition]) this.finishUnicastBufferBuilder(targetSubpartition);
    return true;
  }

  broadcastRecord(record: Uint8Array, length: number = record.length): boolean {
    if (this.pendingRecord !== null) throw new WriterNotAvailableException(this.toString());
    this.totalWrittenBytes += length * this.numSubpartitions;
    this.syncBroadcast();
    let builder = this.broadcastBufferBuilder;
    if (builder === null) {
      const fresh = this.requestNewBroadcastBufferBuilder();
      if (fresh === null) return this.suspend(record, 0, length, BROADCAST, false);
      builder = fresh;
      this.createBroadcastBufferConsumers(builder, 0, length);
    }
    let offset = this.append(record, 0, length, builder);
    while (offset < length) {
      this.finishBroadcastBufferBuilderInBroadcastMode();
      const next = this.requestNewBroadcastBufferBuilder();
      if (next === null) return this.suspend(record, offset, length, BROADCAST, true);
      builder = next;
      const partialRecordBytes = this.append(record, offset, length, builder);
      offset += partialRecordBytes;
      this.createBroadcastBufferConsumers(builder, partialRecordBytes, partialRecordBytes);
    }
    if (builder.isFull()) this.finishBroadcastBufferBuilderInBroadcastMode();
    else this.captureBroadcast();
    return true;
  }

  tryBroadcastFixedLengthRecord<T>(record: T, serializer: TypeSerializer<T>, recordLength: number): boolean {
    const position = this.broadcastPosition;
    const end = position + recordLength + 4;
    if (end > this.broadcastLimit || this.pendingRecord !== null) return false;
    const view = this.broadcastView!;
    view.setInt32(position, recordLength);
    serializer.writeFixed!(record, view, position + 4);
    this.broadcastPosition = end;
    this.totalWrittenBytes += (recordLength + 4) * this.numSubpartitions;
    if (end === this.broadcastLimit) this.finishBroadcastBufferBuilderInBroadcastMode();
    return true;
  }

  broadcastEvent(event: AbstractEvent, isPriorityEvent: boolean): void {
    if (this.pendingRecord !== null) throw new WriterNotAvailableException(this.toString());
    this.checkInProduceState();
    this.finishBroadcastBufferBuilder();
    this.finishUnicastBufferBuilders();
    const eventBufferConsumer = EventSerializer.toBufferConsumer(event, isPriorityEvent);
    try {
      this.totalWrittenBytes += eventBufferConsumer.getWrittenBytes() * this.numSubpartitions;
      // Each subpartition gets (and eventually recycles) its own reference.
      for (const subpartition of this.subpartitions) subpartition.add(eventBufferConsumer.copy(), 0);
    } finally {
      eventBufferConsumer.close();
    }
  }

  createSubpartitionView(subpartitionIndex: number, availabilityListener: BufferAvailabilityListener): ResultSubpartitionView {
    this.checkSubpartition(subpartitionIndex);
    if (this.isReleased()) throw new IllegalStateException(`Partition released: ${this.toString()}`);
    return this.subpartitions[subpartitionIndex]!.createReadView(availabilityListener);
  }

  override finish(): void {
    if (this.pendingRecord !== null) throw new WriterNotAvailableException(this.toString());
    this.checkInProduceState();
    this.finishBroadcastBufferBuilder();
    this.finishUnicastBufferBuilders();
    for (const subpartition of this.subpartitions) this.totalWrittenBytes += subpartition.finish();
    super.finish();
  }

  protected releaseInternal(): void {
    this.dropPendingRecord();
    for (const subpartition of this.subpartitions) {
      try {
        subpartition.release();
      } catch {
        // Release every subpartition whatever happens to one (Flink logs and goes on).
      }
    }
  }

  override close(): void {
    this.dropPendingRecord();
    // Builders are closed here, not in release(): only the producer touches them (Flink's comment).
    if (this.broadcastBufferBuilder !== null) {
      this.broadcastBufferBuilder.close();
      this.broadcastBufferBuilder = null;
      this.captureBroadcast();
    }
    for (let i = 0; i < this.unicastBufferBuilders.length; i++) {
      const builder = this.unicastBufferBuilders[i]!;
      if (builder !== null) {
        builder.close();
        this.unicastBufferBuilders[i] = null;
        this.captureUnicast(i);
      }
    }
    super.close();
  }

  override fail(throwable: Error | null): void {
    // The pool is destroyed at once: a pending remainder could never be written.
    if (this.pendingRecord !== null) this.failPending(new PartitionReleasedException(this.partitionId, throwable));
    super.fail(throwable);
  }

  /**
   * Also times back-pressure (Flink's override): hard from a record suspended for want of a buffer until
   * its remainder is written, then soft until the pool is available again.
   */
  override setMetricGroup(metrics: TaskIOMetrics): void {
    super.setMetricGroup(metrics);
    this.hardBackPressuredTime = metrics.hardBackPressuredTimeMsPerSecond;
    this.softBackPressuredTime = metrics.softBackPressuredTimeMsPerSecond;
  }

  override getAvailableFuture(): Future<void> {
    return this.pendingAvailability ?? super.getAvailableFuture();
  }

  override isAvailable(): boolean {
    return this.pendingAvailability === null && super.isAvailable();
  }

  override isApproximatelyAvailable(): boolean {
    return this.pendingAvailability === null && super.isApproximatelyAvailable();
  }

  /** True while the remainder of a record waits for buffers. */
  hasPendingRecord(): boolean {
    return this.pendingRecord !== null;
  }

  // ---------------------------------------------------------------- builders

  /** Flink's `append`: appendAndCommit, widening a debloated buffer when the pool is exhausted. */
  private append(record: Uint8Array, offset: number, end: number, builder: BufferBuilder): number {
    const remaining = end - offset;
    if (remaining >= builder.getWritableBytes() && !this.checkedPool().isAvailable()) {
      // Avoid hard back-pressure: ignore the debloating hint and extend the buffer if possible (+1 byte
      // so that the buffer is not flushed at once and may fit the next record).
      const newSize = builder.getMaxCapacity() + (remaining - builder.getWritableBytes()) + 1;
      builder.trim(Math.max(builder.getMaxCapacity(), newSize));
    }
    return builder.appendAndCommit(record, offset, remaining);
  }

  private addToSubpartition(builder: BufferBuilder, targetSubpartition: number, partialRecordLength: number, minDesirableBufferSize: number): void {
    const desirableBufferSize = this.subpartitions[targetSubpartition]!.add(builder.createBufferConsumerFromBeginning(), partialRecordLength);
    this.resizeBuffer(builder, desirableBufferSize, minDesirableBufferSize);
  }

  /** Adds a consumer to `targetSubpartition` directly (Flink's protected addToSubpartition). */
  protected addConsumerToSubpartition(targetSubpartition: number, bufferConsumer: BufferConsumer, partialRecordLength: number): number {
    this.totalWrittenBytes += bufferConsumer.getWrittenBytes();
    return this.subpartitions[targetSubpartition]!.add(bufferConsumer, partialRecordLength);
  }

  private resizeBuffer(builder: BufferBuilder, desirableBufferSize: number, minDesirableBufferSize: number): void {
    // Partially written data bounds the size from below (trim never cuts written bytes).
    if (desirableBufferSize > 0) builder.trim(Math.max(minDesirableBufferSize, desirableBufferSize));
  }

  private createBroadcastBufferConsumers(builder: BufferBuilder, partialRecordBytes: number, minDesirableBufferSize: number): void {
    const desirableBufferSize = this.addBroadcastBufferConsumer(builder.createBufferConsumerFromBeginning(), partialRecordBytes);
    this.resizeBuffer(builder, desirableBufferSize, minDesirableBufferSize);
  }

  /**
   * Gives every subpartition its own copy of `consumer` (a new broadcast buffer's consumer, created just
   * now from its builder; taken over and closed here) and returns the smallest desired buffer size they
   * reported (2^31 − 1 if none: all finished or released). Flink's loop; a subclass may defer the
   * per-subpartition copies (PipelinedResultPartition).
   */
  protected addBroadcastBufferConsumer(consumer: BufferConsumer, partialRecordLength: number): number {
    try {
      let desirableBufferSize = 2147483647;
      for (const subpartition of this.subpartitions) {
        // No commit since the consumer was created: its cached writer position is the latest.
        const size = subpartition.add(consumer.copyAtCachedPosition(), partialRecordLength);
        if (size !== ResultSubpartition.ADD_BUFFER_ERROR_CODE) desirableBufferSize = Math.min(desirableBufferSize, size);
      }
      return desirableBufferSize;
    } finally {
      consumer.close();
    }
  }

  private requestNewUnicastBufferBuilder(targetSubpartition: number): BufferBuilder | null {
    this.checkInProduceState();
    this.finishBroadcastBufferBuilder(); // ensureUnicastMode
    const builder = this.checkedPool().requestBufferBuilder(targetSubpartition);
    this.unicastBufferBuilders[targetSubpartition] = builder;
    this.captureUnicast(targetSubpartition);
    return builder;
  }

  private requestNewBroadcastBufferBuilder(): BufferBuilder | null {
    this.checkInProduceState();
    if (!this.inBroadcastMode) {
      // ensureBroadcastMode: a scan of every subpartition, needed only after a possible unicast write.
      this.finishUnicastBufferBuilders();
      this.inBroadcastMode = true;
    }
    const builder = this.checkedPool().requestBufferBuilder(0);
    this.broadcastBufferBuilder = builder;
    this.captureBroadcast();
    return builder;
  }

  private finishUnicastBufferBuilder(targetSubpartition: number): void {
    const builder = this.unicastBufferBuilders[targetSubpartition]!;
    if (builder !== null) {
      this.syncUnicast(targetSubpartition);
      const bytes = builder.finish();
      this.numBytesOut.inc(bytes);
      this.numBuffersOut.inc();
      this.unicastBufferBuilders[targetSubpartition] = null;
      this.captureUnicast(targetSubpartition);
      builder.close();
    }
  }

  private finishUnicastBufferBuilders(): void {
    for (let subpartition = 0; subpartition < this.numSubpartitions; subpartition++) this.finishUnicastBufferBuilder(subpartition);
  }

  /**
   * Finishes the broadcast builder (if any) for any caller outside the broadcast path — among them
   * ensureUnicastMode, so the partition may be about to write unicast: leaves {@link inBroadcastMode}.
   */
  private finishBroadcastBufferBuilder(): void {
    this.inBroadcastMode = false;
    this.finishBroadcastBufferBuilderInBroadcastMode();
  }

  /** Finishes the broadcast builder (if any) where the next write is a broadcast again (full buffer, spanning record). */
  private finishBroadcastBufferBuilderInBroadcastMode(): void {
    const builder = this.broadcastBufferBuilder;
    if (builder !== null) {
      this.syncBroadcast();
      const bytes = builder.finish();
      this.numBytesOut.inc(bytes * this.numSubpartitions);
      this.numBuffersOut.inc(this.numSubpartitions);
      this.broadcastBufferBuilder = null;
      this.captureBroadcast();
      builder.close();
    }
  }

  // ---------------------------------------------------------------- fast-path shadow state

  /** Moves the builder's writer position up to what the fast path wrote. */
  private syncUnicast(i: number): void {
    const builder = this.unicastBufferBuilders[i]!;
    if (builder !== null && this.unicastPositions[i]! > builder.writerPosition()) builder.setWriterPosition(this.unicastPositions[i]!);
  }

  /** Reloads the shadow state from builder `i` (after the general path moved it, or it changed). */
  private captureUnicast(i: number): void {
    const builder = this.unicastBufferBuilders[i]!;
    if (builder === null) {
      this.unicastViews[i] = null;
      this.unicastPositions[i] = 0;
      this.unicastLimits[i] = 0;
    } else {
      this.unicastViews[i] = builder.dataView();
      this.unicastPositions[i] = builder.writerPosition();
      this.unicastLimits[i] = builder.getMaxCapacity();
    }
  }

  /** Sync and publish builder `i` (flush). */
  private commitUnicast(i: number): void {
    const builder = this.unicastBufferBuilders[i]!;
    if (builder !== null && this.unicastPositions[i]! > builder.writerPosition()) {
      builder.setWriterPosition(this.unicastPositions[i]!);
      builder.commit();
    }
  }

  private syncBroadcast(): void {
    const builder = this.broadcastBufferBuilder;
    if (builder !== null && this.broadcastPosition > builder.writerPosition()) builder.setWriterPosition(this.broadcastPosition);
  }

  private captureBroadcast(): void {
    const builder = this.broadcastBufferBuilder;
    if (builder === null) {
      this.broadcastView = null;
      this.broadcastPosition = 0;
      this.broadcastLimit = 0;
    } else {
      this.broadcastView = builder.dataView();
      this.broadcastPosition = builder.writerPosition();
      this.broadcastLimit = builder.getMaxCapacity();
    }
  }

  private commitBroadcast(): void {
    const builder = this.broadcastBufferBuilder;
    if (builder !== null && this.broadcastPosition > builder.writerPosition()) {
      builder.setWriterPosition(this.broadcastPosition);
      builder.commit();
    }
  }

  private checkSubpartition(index: number): void {
    if ((index >>> 0) !== index || index >= this.numSubpartitions) {
      throw new IndexOutOfBoundsException(`Subpartition ${index} not found (expected: 0-${this.numSubpartitions - 1}) in ${this.toString()}`);
    }
  }

  private subpartition(index: number): ResultSubpartition {
    this.checkSubpartition(index);
    return this.subpartitions[index]!;
  }

  // ---------------------------------------------------------------- back-pressure

  private suspend(record: Uint8Array, offset: number, end: number, target: number, continuation: boolean): false {
    // Flink times requestBufferBuilderBlocking as hard back-pressure; here the "block" lasts until the
    // remainder of the record is written (resumePendingRecord) or dropped (failPending).
    this.hardBackPressuredTime?.markStart();
    this.pendingRecord = record;
    this.pendingOffset = offset;
    this.pendingEnd = end;
    this.pendingTarget = target;
    this.pendingContinuation = continuation;
    this.pendingAvailability ??= new DefaultPromise<void>();
    this.checkedPool().getAvailableFuture().addListener(this.onPoolAvailable);
    return false;
  }

  /** Writes the remainder of the pending record into new buffers as long as the pool gives them. */
  private resumePendingRecord(): void {
    this.resumeScheduled = false;
    const record = this.pendingRecord;
    if (record === null) return;
    const target = this.pendingTarget;
    const end = this.pendingEnd;
    let offset = this.pendingOffset;
    let continuation = this.pendingContinuation;
    try {
      for (;;) {
        const builder = target === BROADCAST ? this.requestNewBroadcastBufferBuilder() : this.requestNewUnicastBufferBuilder(target);
        if (builder === null) {
          this.pendingOffset = offset;
          this.pendingContinuation = continuation;
          this.checkedPool().getAvailableFuture().addListener(this.onPoolAvailable);
          return;
        }
        if (continuation) {
          const partialRecordBytes = this.append(record, offset, end, builder);
          offset += partialRecordBytes;
          if (target === BROADCAST) this.createBroadcastBufferConsumers(builder, partialRecordBytes, partialRecordBytes);
          else this.addToSubpartition(builder, target, partialRecordBytes, partialRecordBytes);
        } else {
          if (target === BROADCAST) this.createBroadcastBufferConsumers(builder, 0, end);
          else this.addToSubpartition(builder, target, 0, end);
          offset += this.append(record, offset, end, builder);
        }
        if (offset < end) {
          if (target === BROADCAST) this.finishBroadcastBufferBuilder();
          else this.finishUnicastBufferBuilder(target);
          continuation = true;
          continue;
        }
        if (builder.isFull()) {
          if (target === BROADCAST) this.finishBroadcastBufferBuilder();
          else this.finishUnicastBufferBuilder(target);
        } else if (target === BROADCAST) {
          this.captureBroadcast();
        } else {
          this.captureUnicast(target);
        }
        break;
      }
    } catch (err) {
      // The pool was destroyed or the partition finished/released meanwhile.
      this.failPending(err instanceof Error ? err : new PartitionReleasedException(this.partitionId));
      return;
    }
    this.hardBackPressuredTime?.markEnd();
    const promise = this.pendingAvailability!;
    this.pendingRecord = null;
    this.pendingAvailability = null;
    // Available again once the pool is (Flink's writer would now check the pool's future too). The
    // record is written: waiting on from here is soft back-pressure, as Flink's mailbox would time it.
    const poolFuture = this.checkedPool().getAvailableFuture();
    const soft = poolFuture.isDone() ? null : this.softBackPressuredTime;
    soft?.markStart();
    poolFuture.addListener((f: Future<void>) => {
      soft?.markEnd();
      if (f.isSuccess()) promise.trySuccess();
      else promise.tryFailure(f.cause());
    });
  }

  private dropPendingRecord(): void {
    if (this.pendingRecord === null) return;
    this.failPending(new PartitionReleasedException(this.partitionId, this.getFailureCause()));
  }

  private failPending(cause: Error): void {
    this.hardBackPressuredTime?.markEnd();
    const promise = this.pendingAvailability;
    this.pendingRecord = null;
    this.pendingAvailability = null;
    if (promise !== null) promise.tryFailure(cause);
  }
}
