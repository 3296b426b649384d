import { IllegalStateException, type Future } from '@sluice/channel';
import type { AbstractEvent } from '../event/AbstractEvent';
import { CheckpointBarrier } from '../event/CheckpointBarrier';
import { EndOfChannelStateEvent } from '../event/EndOfChannelStateEvent';
import { EndOfData } from '../event/EndOfData';
import { DeserializationDelegate } from '../io/serialization/DeserializationDelegate';
import {
  SpillingAdaptiveSpanningRecordDeserializer,
  type SpillingAdaptiveSpanningRecordDeserializerOptions,
} from '../io/serialization/SpillingAdaptiveSpanningRecordDeserializer';
import type { NonSpanningWrapper } from '../io/serialization/NonSpanningWrapper';
import type { TypeSerializer } from '../io/typeutils/TypeSerializer';
import type { Counter } from '../metrics/Counter';
import type { BufferOrEvent } from './BufferOrEvent';
import { EventInsideRecordException } from './errors';
import type { InputChannelInfo } from './InputChannelInfo';
import type { InputGate } from './InputGate';

type Deserializer<T> = SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<T>>;

/** Called for every event a {@link RecordReader} reads (see {@link RecordReader.defaultEventHandler}). */
export type RecordReaderEventHandler = (event: AbstractEvent, channelInfo: InputChannelInfo, gate: InputGate) => void;

/** Options of a {@link RecordReader}. */
export interface RecordReaderOptions {
  /**
   * What to do with events (checkpoint barriers, EndOfData, …); `EndOfPartitionEvent`s are handled by the
   * gate. Default: {@link RecordReader.defaultEventHandler}.
   */
  onEvent?: RecordReaderEventHandler;
  /** Options of each channel's deserializer: spill directories and threshold for huge records. */
  deserializer?: Omit<SpillingAdaptiveSpanningRecordDeserializerOptions, 'channel'>;
  /** Counts records read (e.g. `TaskIOMetrics.numRecordsIn`; default: none). */
  numRecordsIn?: Counter;
}

/**
 * Port of org.apache.flink.runtime.io.network.api.reader.RecordReader / AbstractRecordReader (Flink 1.20).
 * Differs: records are read with a synchronous {@link pollNext} (undefined when nothing is ready) plus the
 * gate's availability future, or with `for await` — where Flink's task thread blocks in `hasNext()`;
 * events other than the end of partition go to a handler instead of failing the reader (task events and
 * supersteps are not supported); the reader requests the gate's partitions on the first read, as Flink's
 * does; fixed-length records (a serializer with `readFixed`) that lie wholly in the current buffer are
 * read straight from its memory, the twin of RecordWriter's fast path (others, and records spanning
 * buffers, go through the deserializer).
 *
 * The task API: reads the records of an {@link InputGate} (a SingleInputGate or a UnionInputGate) with
 * one {@link SpillingAdaptiveSpanningRecordDeserializer} per input channel, so a record that spans buffers
 * is reassembled from its own channel's buffers. Records of different channels interleave (buffer by
 * buffer, in the gate's fair order) but each channel's records come in the order they were written. The
 * input ends when the gate is finished (every channel delivered its `EndOfPartitionEvent`).
 *
 * Two ways to read:
 * - `for await (const record of reader)` — simple; one promise per record.
 * - the hot-loop path: call {@link pollNext} while it returns records (no allocation per record beyond
 *   the record itself), then await {@link getAvailableFuture} and repeat until {@link isFinished}.
 *
 * ## Threading
 * One JavaScript thread; the reader shares it with the producers and the network loop, so a long
 * synchronous loop over `pollNext()` delays them — yield (await) between batches.
 *
 * ## Ownership
 * Each polled buffer goes to its channel's deserializer, which recycles it once its records were read.
 * A record is the serializer's value; the reader keeps no reference. {@link clearBuffers} (or
 * {@link close}) recycles what the deserializers still hold, e.g. after leaving a `for await` early.
 *
 * ## Pitfalls
 * - Records must not be `undefined` (that is `pollNext()`'s "nothing now"); a serializer returning
 *   `undefined` fails the read.
 * - The gate must be set up (`await gate.setup()`) before reading.
 *
 * @example
 * const reader = new RecordReader(gate, LongSerializer.INSTANCE);
 * for await (const value of reader) sum += value;
 *
 * // hot loop, allocation-free per record:
 * while (!reader.isFinished()) {
 *   for (let v = reader.pollNext(); v !== undefined; v = reader.pollNext()) sum += v;
 *   if (!reader.isFinished()) await reader.getAvailableFuture();
 * }
 */
export class RecordReader<T> implements AsyncIterable<T> {
  private readonly gate: InputGate;
  private readonly delegate: DeserializationDelegate<T>;
  private readonly serializer: TypeSerializer<T>;
  /** Record length when the fixed-length fast path applies (the serializer has `readFixed`), else −1. */
  private readonly fixedLength: number;
  private readonly onEvent: RecordReaderEventHandler;
  private readonly deserializerOptions: Omit<SpillingAdaptiveSpanningRecordDeserializerOptions, 'channel'>;
  private readonly numRecordsIn: Counter | null;
  /** Deserializers by gate index, then channel index (created on a channel's first buffer). */
  private readonly deserializers: (Deserializer<T> | undefined)[][] = [];
  private current: Deserializer<T> | null = null;
  /** {@link current}'s fixed-length record source when the fast path applies, else null (one test on the hot path). */
  private fixedLengthSource: NonSpanningWrapper | null = null;
  private requestedPartitions = false;
  private finished = false;

  constructor(gate: InputGate, serializer: TypeSerializer<T>, options: RecordReaderOptions = {}) {
    this.gate = gate;
    this.delegate = new DeserializationDelegate(serializer);
    this.serializer = serializer;
    this.fixedLength = serializer.getLength() >= 0 && typeof serializer.readFixed === 'function' ? serializer.getLength() : -1;
    this.onEvent = options.onEvent ?? RecordReader.defaultEventHandler;
    this.deserializerOptions = options.deserializer ?? {};
    this.numRecordsIn = options.numRecordsIn ?? null;
  }

  /**
   * The default event handling of a reader without checkpointing: an aligned barrier or the end of
   * recovered state blocks its channel, so consumption is resumed right away (no alignment); `EndOfData`
   * is acknowledged (the records before it were handed out); anything else is ignored.
   */
  static defaultEventHandler(this: void, event: AbstractEvent, channelInfo: InputChannelInfo, gate: InputGate): void {
    if ((event instanceof CheckpointBarrier && event.getCheckpointOptions().needsAlignment()) || event instanceof EndOfChannelStateEvent) {
      gate.resumeConsumption(channelInfo);
    } else if (event instanceof EndOfData) {
      gate.acknowledgeAllRecordsProcessed(channelInfo);
    }
  }

  /**
   * The next record if one can be read now, else `undefined` — then either {@link isFinished} or the
   * gate has nothing queued (await {@link getAvailableFuture}). Throws what the gate or a deserializer
   * throws (a failed channel, `CancelTaskException` after close, broken serialization).
   */
  pollNext(): T | undefined {
    // Fast path, kept tiny so that it inlines into the caller's loop: a fixed-length record wholly in the
    // current buffer, read straight from its memory. Everything else (the buffer's end, spanning records,
    // the next buffer or event) is pollNextSlow's.
    const record = this.tryReadFixedLengthRecord();
    return record !== undefined ? record : this.pollNextSlow();
  }

  /** The next record through the fixed-length fast path, or `undefined` (nothing consumed). */
  private tryReadFixedLengthRecord(): T | undefined {
    const source = this.fixedLengthSource;
    if (source === null) return undefined;
    const record = source.tryReadFixed(this.serializer, this.fixedLength);
    if (record !== undefined && this.numRecordsIn !== null) this.numRecordsIn.inc();
    return record;
  }

  private pollNextSlow(): T | undefined {
    if (this.finished) return undefined;
    if (!this.requestedPartitions) {
      this.gate.requestPartitions();
      this.requestedPartitions = true;
    }
    for (;;) {
      const deserializer = this.current;
      if (deserializer !== null) {
        const fixed = this.tryReadFixedLengthRecord();
        if (fixed !== undefined) return fixed;
        const result = deserializer.getNextRecord(this.delegate);
        if (result.isBufferConsumed()) this.setCurrent(null);
        if (result.isFullRecord()) {
          const record = this.delegate.getInstance();
          if (record === undefined) throw new IllegalStateException('The record serializer returned undefined; RecordReader records must not be undefined.');
          this.numRecordsIn?.inc();
          return record;
        }
      }
      const next = this.gate.pollNext();
      if (next === null) {
        if (this.gate.isFinished()) this.finished = true;
        return undefined;
      }
      if (next.isBuffer()) {
        const target = this.deserializerFor(next.getChannelInfo());
        this.setCurrent(target);
        target.setNextBuffer(next.getBuffer());
      } else {
        this.handleEvent(next);
      }
    }
  }

  private setCurrent(deserializer: Deserializer<T> | null): void {
    this.current = deserializer;
    this.fixedLengthSource = this.fixedLength >= 0 && deserializer !== null ? deserializer.getFixedLengthRecordSource() : null;
  }

  private handleEvent(next: BufferOrEvent): void {
    const channelInfo = next.getChannelInfo();
    const event = next.getEvent();
    const deserializer = this.deserializers[channelInfo.getGateIdx()]?.[channelInfo.getInputChannelIdx()];
    if (deserializer !== undefined && deserializer.hasPartialRecord()) {
      throw new EventInsideRecordException(channelInfo.toString(), event.constructor.name);
    }
    this.onEvent(event, channelInfo, this.gate);
  }

  private deserializerFor(channelInfo: InputChannelInfo): Deserializer<T> {
    const gateIdx = channelInfo.getGateIdx();
    const channelIdx = channelInfo.getInputChannelIdx();
    const byChannel = (this.deserializers[gateIdx] ??= []);
    let deserializer = byChannel[channelIdx];
    if (deserializer === undefined) {
      deserializer = new SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<T>>({
        ...this.deserializerOptions,
        channel: channelInfo.toString(),
      });
      byChannel[channelIdx] = deserializer;
    }
    return deserializer;
  }

  /**
   * Completed when {@link pollNext} may return something again (or the input ended): the gate's
   * availability future.
   */
  getAvailableFuture(): Future<void> {
    return this.gate.getAvailableFuture();
  }

  /** True once the gate finished and every record was read. */
  isFinished(): boolean {
    return this.finished;
  }

  /** The next record, waiting for one; `undefined` at the end of the input. One promise per call. */
  async next(): Promise<T | undefined> {
    for (;;) {
      const record = this.pollNext();
      if (record !== undefined || this.finished) return record;
      await this.gate.getAvailableFuture();
    }
  }

  /** Iterates over every record until the input ends. Leaving early keeps the reader usable. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      let record: T | undefined;
      while ((record = this.pollNext()) !== undefined) yield record;
      if (this.finished) return;
      await this.gate.getAvailableFuture();
    }
  }

  /** Recycles the buffers the deserializers hold and drops partial records (Flink's `clearBuffers`). */
  clearBuffers(): void {
    this.setCurrent(null);
    for (const byChannel of this.deserializers) {
      if (byChannel === undefined) continue;
      for (const deserializer of byChannel) deserializer?.clear();
    }
  }

  /** {@link clearBuffers} and close the gate. */
  close(): void {
    this.clearBuffers();
    this.gate.close();
  }
}
