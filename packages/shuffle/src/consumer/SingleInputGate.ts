import {
  IllegalArgumentException,
  IllegalStateException,
  InternalLoggerFactory,
  type EventExecutor,
} from '@sluice/channel';
import type { AbstractEvent } from '../event/AbstractEvent';
import { EndOfData } from '../event/EndOfData';
import { EndOfPartitionEvent } from '../event/EndOfPartitionEvent';
import { EventSerializer } from '../event/EventSerializer';
import { StopMode } from '../event/StopMode';
import { AvailabilityHelper } from '../memory/AvailabilityProvider';
import type { Buffer } from '../memory/Buffer';
import type { BufferPool } from '../memory/BufferPool';
import type { BufferPoolFactory } from '../memory/BufferPoolFactory';
import type { MemorySegmentProvider } from '../memory/MemorySegmentProvider';
import { NetworkMemoryDefaults } from '../memory/NetworkMemoryDefaults';
import type { IntermediateResultPartitionID } from '../partition/ResultPartitionID';
import { BufferOrEvent } from './BufferOrEvent';
import { CancelTaskException } from './errors';
import type { InputChannel } from './InputChannel';
import type { InputChannelInfo } from './InputChannelInfo';
import { IndexedInputGate, type EndOfDataStatus } from './InputGate';
import { PrioritizedIndexQueue } from './PrioritizedIndexQueue';

const logger = InternalLoggerFactory.getInstance('SingleInputGate');

/** Java's `Integer.MIN_VALUE`: "no priority event polled yet". */
const NO_SEQUENCE_NUMBER = -2147483648;

/** A scheduled retry that can be called off. */
export interface Cancellable {
  cancel(): unknown;
}

/** Decompresses compressed buffers (not part of Sluice yet; plug one in if producers compress). */
export interface BufferDecompressor {
  /** Returns a decompressed buffer (one reference for the caller); `compressed` is not recycled by this call. */
  decompressToIntermediateBuffer(compressed: Buffer): Buffer;
}

/** Options of a {@link SingleInputGate}. */
export interface SingleInputGateOptions {
  /** Number of input channels, one per consumed partition (required, ≥ 1). */
  numberOfInputChannels: number;
  /**
   * Creates the gate's floating buffer pool in `setup()` (required). Remote channels take floating
   * buffers from it; `close()` destroys it. See {@link SingleInputGate.floatingBufferPoolFactory}.
   */
  bufferPoolFactory: () => BufferPool;
  /** Index of the gate within its task (default: 0). */
  gateIndex?: number;
  /** Name of the owning task, for messages (default: `'unknown task'`). */
  owningTaskName?: string;
  /** Where remote channels take their exclusive buffers from (the NetworkBufferPool; default: none). */
  memorySegmentProvider?: MemorySegmentProvider;
  /**
   * Runs retried partition requests after their back-off (the event loop of the task; default: Node
   * timers). Tests pass an `EmbeddedEventLoop` to control time.
   */
  executor?: EventExecutor;
  /** Decompresses compressed buffers (default: none; a compressed buffer then fails the read). */
  bufferDecompressor?: BufferDecompressor;
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.SingleInputGate (Flink 1.20). Differs:
 * `getNext()` returns a promise (see {@link InputGate}); `setup()` is asynchronous; the queue of channels
 * with data is a {@link PrioritizedIndexQueue} of channel indices (Flink: `PrioritizedDeque` plus a
 * `BitSet`); retried local partition requests run on an `EventExecutor` instead of a `java.util.Timer`;
 * no unknown/recovered channels, task events, or channel-state recovery; the floating pool comes from a
 * plain supplier function.
 *
 * Consumes one subpartition of each partition of one intermediate result: one {@link InputChannel} per
 * partition. Channels that have data queue themselves ({@link notifyChannelNonEmpty}) — once, thanks to
 * the dedupe bits — and {@link pollNext} takes the head channel, polls one buffer and, if that channel
 * has more, queues it again **at the tail**: a busy channel never starves the others (round robin
 * between channels with data; reference §3.4). Priority events (unaligned barriers) jump the queue.
 *
 * Events are deserialized (`EventSerializer`) and their buffers recycled. An `EndOfPartitionEvent` marks
 * its channel finished, removes it from the queue and releases it; after the last channel's, the gate
 * {@link isFinished} and stays available (so waiting readers wake up and see the end).
 *
 * The gate owns a floating {@link BufferPool} (created by `setup()` through the factory) that remote
 * channels draw on for backlog beyond their exclusive buffers.
 *
 * ## Threading
 * One JavaScript thread. Producers (local channels) and the network loop (remote channels) call
 * `notifyChannelNonEmpty` inline; the availability future completes inside that call.
 *
 * ## Ownership
 * Data buffers go to the reader with one reference each; event buffers are recycled here. `close()`
 * releases every channel (they return queued buffers, exclusive buffers go back to the global pool) and
 * destroys the floating pool.
 *
 * @example
 * const gate = new SingleInputGate({
 *   numberOfInputChannels: 2,
 *   bufferPoolFactory: SingleInputGate.floatingBufferPoolFactory(networkBufferPool),
 *   executor: eventLoop,
 * });
 * gate.setInputChannels(
 *   new LocalInputChannel(gate, 0, partitionA, 0, partitionManager),
 *   new LocalInputChannel(gate, 1, partitionB, 0, partitionManager),
 * );
 * await gate.setup();
 * gate.requestPartitions();
 */
export class SingleInputGate extends IndexedInputGate {
  private readonly owningTaskName: string;
  private readonly gateIndex: number;
  private readonly numberOfInputChannels: number;
  private readonly channels: (InputChannel | undefined)[];
  private readonly channelsByPartition = new Map<string, InputChannel>();
  private numberOfChannelsSet = 0;
  private readonly inputChannelsWithData: PrioritizedIndexQueue;
  private readonly channelsWithEndOfPartitionEvents: Uint8Array;
  private numberOfChannelsWithEndOfPartition = 0;
  private readonly channelsWithEndOfUserRecords: Uint8Array;
  private numberOfChannelsWithEndOfUserRecords = 0;
  private shouldDrainOnEndOfData = true;
  private readonly lastPrioritySequenceNumber: Int32Array;
  private readonly bufferPoolFactory: () => BufferPool;
  private bufferPool: BufferPool | null = null;
  private readonly memorySegmentProvider: MemorySegmentProvider | null;
  private readonly executor: EventExecutor | null;
  private readonly bufferDecompressor: BufferDecompressor | null;
  private hasReceivedAllEndOfPartitionEvents = false;
  private requestedPartitionsFlag = false;
  private closed = false;

  constructor(options: SingleInputGateOptions) {
    super();
    const n = options.numberOfInputChannels;
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new IllegalArgumentException(`numberOfInputChannels: ${n} (expected: an integer > 0)`);
    }
    const gateIndex = options.gateIndex ?? 0;
    if (!Number.isSafeInteger(gateIndex) || gateIndex < 0) {
      throw new IllegalArgumentException(`gateIndex: ${gateIndex} (The gate index must be positive.)`);
    }
    if (typeof options.bufferPoolFactory !== 'function') {
      throw new IllegalArgumentException('bufferPoolFactory is required: a function creating the floating buffer pool');
    }
    this.owningTaskName = options.owningTaskName ?? 'unknown task';
    this.gateIndex = gateIndex;
    this.numberOfInputChannels = n;
    this.channels = new Array<InputChannel | undefined>(n).fill(undefined);
    this.inputChannelsWithData = new PrioritizedIndexQueue(n);
    this.channelsWithEndOfPartitionEvents = new Uint8Array(n);
    this.channelsWithEndOfUserRecords = new Uint8Array(n);
    this.lastPrioritySequenceNumber = new Int32Array(n).fill(NO_SEQUENCE_NUMBER);
    this.bufferPoolFactory = options.bufferPoolFactory;
    this.memorySegmentProvider = options.memorySegmentProvider ?? null;
    this.executor = options.executor ?? null;
    this.bufferDecompressor = options.bufferDecompressor ?? null;
  }

  /**
   * The usual floating-pool factory: a pool of 1 to `floatingBuffersPerGate` buffers from `factory`
   * (the NetworkBufferPool), i.e. Flink's `floating-buffers-per-gate` (default: 8).
   */
  static floatingBufferPoolFactory(
    factory: BufferPoolFactory,
    floatingBuffersPerGate: number = NetworkMemoryDefaults.FLOATING_BUFFERS_PER_GATE,
  ): () => BufferPool {
    if (!Number.isSafeInteger(floatingBuffersPerGate) || floatingBuffersPerGate < 1) {
      throw new IllegalArgumentException(`floatingBuffersPerGate: ${floatingBuffersPerGate} (expected: an integer >= 1)`);
    }
    return () => factory.createBufferPool(1, floatingBuffersPerGate);
  }

  // ---------------------------------------------------------------- setup and life cycle

  /**
   * Sets the channels, each at its own index (`channel.getChannelIndex()`); exactly
   * `numberOfInputChannels` of them over one or more calls.
   */
  setInputChannels(...channels: InputChannel[]): void {
    for (const channel of channels) {
      const index = channel.getChannelIndex();
      if (index >= this.numberOfInputChannels) {
        throw new IllegalArgumentException(`${channel.toString()}: channel index ${index} (expected: 0-${this.numberOfInputChannels - 1})`);
      }
      if (this.channels[index] !== undefined) {
        throw new IllegalStateException(`${this.toString()}: a channel with index ${index} is already set`);
      }
      this.channels[index] = channel;
      this.channelsByPartition.set(channelKey(channel.getPartitionId().partitionId, index), channel);
      this.numberOfChannelsSet++;
    }
  }

  /** Sets up every channel (remote channels request their exclusive buffers), then creates the floating pool. */
  async setup(): Promise<void> {
    if (this.bufferPool !== null) throw new IllegalStateException('Bug in input gate setup logic: Already registered buffer pool.');
    await this.setupChannels();
    this.setBufferPool(this.bufferPoolFactory());
  }

  /** Sets up every channel (exclusive buffers). `setup()` calls it; tests may call it after `setBufferPool`. */
  async setupChannels(): Promise<void> {
    for (const channel of this.channels) await channel?.setup();
  }

  /** Installs the floating pool directly (instead of `setup()` creating it). */
  setBufferPool(bufferPool: BufferPool): void {
    if (this.bufferPool !== null) {
      throw new IllegalStateException('Bug in input gate setup logic: buffer pool has already been set for this input gate.');
    }
    if (this.closed) {
      bufferPool.lazyDestroy();
      throw new CancelTaskException(`${this.toString()} was closed during setup.`);
    }
    this.bufferPool = bufferPool;
  }

  /**
   * Requests the subpartition of every channel, once. A channel whose request fails stores the error
   * (it surfaces on the next poll) and, as in Flink, the remaining channels are not requested.
   */
  requestPartitions(): void {
    if (this.requestedPartitionsFlag) return;
    if (this.closed) throw new IllegalStateException(`${this.toString()}: Already released.`);
    if (this.numberOfChannelsSet !== this.numberOfInputChannels) {
      throw new IllegalStateException(
        `Bug in input gate setup logic: mismatch between number of total input channels [${this.numberOfChannelsSet}] ` +
          `and the currently set number of input channels [${this.numberOfInputChannels}].`,
      );
    }
    this.requestedPartitionsFlag = true;
    for (const channel of this.channels) {
      const ch = channel!;
      try {
        const pending = ch.requestSubpartition();
        if (pending !== undefined) pending.catch((err: unknown) => ch.setError(err));
      } catch (err) {
        ch.setError(err);
        return;
      }
    }
  }

  /**
   * Retries the request of the channel `channelInfo` consuming `partitionId` (ignored once the gate is
   * closed). Keyed by partition AND channel, as Flink 1.20: several channels of one gate may read
   * different subpartitions of the same partition, and each retries on its own.
   */
  retriggerPartitionRequest(partitionId: IntermediateResultPartitionID, channelInfo: InputChannelInfo): void {
    if (this.closed) return;
    const channel = this.channelsByPartition.get(channelKey(partitionId, channelInfo.getInputChannelIdx()));
    if (channel === undefined) {
      throw new IllegalArgumentException(`${this.toString()}: Unknown input channel ${channelInfo.toString()} of partition ${partitionId.toString()}`);
    }
    logger.debug(`${this.owningTaskName}: Retriggering partition request ${channel.getPartitionId().toString()}:${channel.getConsumedSubpartitionIndex()}.`);
    channel.retriggerSubpartitionRequest();
  }

  /** Runs `task` after `delayMs` on the gate's executor (or a Node timer); nothing after `close()`. */
  scheduleRetrigger(task: () => void, delayMs: number): Cancellable {
    if (this.closed) return { cancel: () => false };
    if (this.executor !== null) return this.executor.schedule(task, delayMs);
    const timer = setTimeout(task, delayMs);
    return { cancel: () => clearTimeout(timer) };
  }

  /**
   * Releases every channel and destroys the floating pool (idempotent). Wakes waiting readers: their next
   * poll throws `CancelTaskException`.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    logger.debug(`${this.owningTaskName}: Releasing ${this.toString()}.`);
    for (const channel of this.channels) {
      try {
        channel?.releaseAllResources();
      } catch (err) {
        logger.warn(`${this.owningTaskName}: Error during release of channel resources of ${String(channel)}`, err);
      }
    }
    this.inputChannelsWithData.clear();
    this.bufferPool?.lazyDestroy();
    this.markAvailable();
    AvailabilityHelper.complete(this.priorityAvailabilityHelper.getUnavailableToResetAvailable());
  }

  /** True after {@link close}. */
  isClosed(): boolean {
    return this.closed;
  }

  // ---------------------------------------------------------------- properties

  getNumberOfInputChannels(): number {
    return this.numberOfInputChannels;
  }

  getGateIndex(): number {
    return this.gateIndex;
  }

  getOwningTaskName(): string {
    return this.owningTaskName;
  }

  getChannel(channelIndex: number): InputChannel {
    const channel = this.channels[channelIndex];
    if (channel === undefined) throw new IllegalArgumentException(`${this.toString()}: no channel with index ${channelIndex}`);
    return channel;
  }

  /** The channels by index (entries are `undefined` until set). */
  getInputChannels(): readonly (InputChannel | undefined)[] {
    return this.channels;
  }

  /** The floating pool (`null` before `setup()`). */
  getBufferPool(): BufferPool | null {
    return this.bufferPool;
  }

  /** Where remote channels take exclusive buffers from (`null` if not configured). */
  getMemorySegmentProvider(): MemorySegmentProvider | null {
    return this.memorySegmentProvider;
  }

  /** Buffers queued in all channels (for `inputQueueLength`). */
  getNumberOfQueuedBuffers(): number {
    let total = 0;
    for (const channel of this.channels) total += channel?.unsynchronizedGetNumberOfQueuedBuffers() ?? 0;
    return total;
  }

  isFinished(): boolean {
    return this.hasReceivedAllEndOfPartitionEvents;
  }

  hasReceivedEndOfData(): EndOfDataStatus {
    if (this.numberOfChannelsWithEndOfUserRecords < this.numberOfInputChannels) return 'NOT_END_OF_DATA';
    return this.shouldDrainOnEndOfData ? 'DRAINED' : 'STOPPED';
  }

  // ---------------------------------------------------------------- consume

  pollNext(): BufferOrEvent | null {
    if (this.hasReceivedAllEndOfPartitionEvents) return null;
    if (this.closed) throw new CancelTaskException(`${this.toString()}: Input gate is already closed.`);
    const queue = this.inputChannelsWithData;
    for (;;) {
      const index = queue.poll();
      if (index < 0) {
        this.availabilityHelper.resetUnavailable();
        return null;
      }
      const channel = this.channels[index]!;
      const next = channel.getNextBuffer();
      if (next === null) {
        if (queue.isEmpty()) this.availabilityHelper.resetUnavailable();
        continue;
      }
      // Re-queue a channel with more data at the TAIL: no channel starves the others (Flink's fairness).
      if (next.moreAvailable()) this.queueChannelUnsafe(channel, next.morePriorityEvents());
      const morePriorityEvents = queue.getNumPriorityElements() > 0;
      if (next.hasPriority()) {
        this.lastPrioritySequenceNumber[index] = next.sequenceNumber;
        if (!morePriorityEvents) this.priorityAvailabilityHelper.resetUnavailable();
      }
      if (queue.isEmpty()) this.availabilityHelper.resetUnavailable();
      const buffer = next.buffer;
      if (buffer.isBuffer()) return this.transformBuffer(buffer, !queue.isEmpty(), channel, morePriorityEvents);
      return this.transformEvent(buffer, !queue.isEmpty(), channel, morePriorityEvents);
    }
  }

  private transformBuffer(buffer: Buffer, moreAvailable: boolean, channel: InputChannel, morePriorityEvents: boolean): BufferOrEvent {
    return BufferOrEvent.ofBuffer(this.decompressBufferIfNeeded(buffer), channel.getChannelInfo(), moreAvailable, morePriorityEvents);
  }

  private transformEvent(buffer: Buffer, moreAvailable: boolean, channel: InputChannel, morePriorityEvents: boolean): BufferOrEvent {
    const hasPriority = buffer.getDataType().hasPriority();
    const size = buffer.getSize();
    let event: AbstractEvent;
    try {
      event = EventSerializer.fromBuffer(buffer);
    } finally {
      buffer.recycleBuffer();
    }
    const index = channel.getChannelIndex();
    if (event === EndOfPartitionEvent.INSTANCE) {
      if (this.channelsWithEndOfPartitionEvents[index] !== 0) {
        throw new IllegalStateException(`${this.toString()}: ${channel.toString()} delivered a second EndOfPartitionEvent`);
      }
      this.channelsWithEndOfPartitionEvents[index] = 1;
      this.hasReceivedAllEndOfPartitionEvents = ++this.numberOfChannelsWithEndOfPartition === this.numberOfInputChannels;
      this.inputChannelsWithData.remove(index);
      if (this.hasReceivedAllEndOfPartitionEvents) {
        moreAvailable = false;
        this.markAvailable();
      }
      channel.releaseAllResources();
    } else if (event instanceof EndOfData) {
      if (this.channelsWithEndOfUserRecords[index] !== 0) {
        throw new IllegalStateException(`${this.toString()}: ${channel.toString()} delivered a second EndOfData`);
      }
      this.channelsWithEndOfUserRecords[index] = 1;
      this.numberOfChannelsWithEndOfUserRecords++;
      this.shouldDrainOnEndOfData &&= event.getStopMode() === StopMode.DRAIN;
    }
    return BufferOrEvent.ofEvent(event, hasPriority, channel.getChannelInfo(), moreAvailable, size, morePriorityEvents);
  }

  private decompressBufferIfNeeded(buffer: Buffer): Buffer {
    if (!buffer.isCompressed()) return buffer;
    try {
      if (this.bufferDecompressor === null) {
        throw new IllegalStateException(`${this.toString()}: received a compressed buffer but no bufferDecompressor is set.`);
      }
      return this.bufferDecompressor.decompressToIntermediateBuffer(buffer);
    } finally {
      buffer.recycleBuffer();
    }
  }

  private markAvailable(): void {
    AvailabilityHelper.complete(this.availabilityHelper.getUnavailableToResetAvailable());
  }

  resumeConsumption(channelInfo: InputChannelInfo): void {
    if (this.isFinished()) throw new IllegalStateException(`${this.toString()}: InputGate already finished.`);
    this.getChannel(channelInfo.getInputChannelIdx()).resumeConsumption();
  }

  acknowledgeAllRecordsProcessed(channelInfo: InputChannelInfo): void {
    this.getChannel(channelInfo.getInputChannelIdx()).acknowledgeAllRecordsProcessed();
  }

  /** Tells every channel's producer the buffer size to use (debloating), in bytes. */
  announceBufferSize(newBufferSize: number): void {
    for (const channel of this.channels) {
      if (channel !== undefined && !channel.isReleased()) channel.announceBufferSize(newBufferSize);
    }
  }

  // ---------------------------------------------------------------- channel notifications

  /** `channel` has data (or an error): queue it unless it is queued already. */
  notifyChannelNonEmpty(channel: InputChannel): void {
    this.queueChannel(channel, NO_SEQUENCE_NUMBER, false);
  }

  /**
   * `channel` has a priority event at its head with sequence number `prioritySequenceNumber`: move it to
   * the priority part. Ignored if that event was polled meanwhile.
   */
  notifyPriorityEvent(channel: InputChannel, prioritySequenceNumber: number): void {
    this.queueChannel(channel, prioritySequenceNumber, false);
  }

  /** Like {@link notifyPriorityEvent} without the sequence-number check. */
  notifyPriorityEventForce(channel: InputChannel): void {
    this.queueChannel(channel, NO_SEQUENCE_NUMBER, true);
  }

  private queueChannel(channel: InputChannel, prioritySequenceNumber: number, forcePriority: boolean): void {
    const priority = prioritySequenceNumber !== NO_SEQUENCE_NUMBER || forcePriority;
    const index = channel.getChannelIndex();
    if (this.channels[index] !== channel) return; // not (or no longer) this gate's channel
    if (!forcePriority && priority && isOutdated(prioritySequenceNumber, this.lastPrioritySequenceNumber[index]!)) {
      // The priority event was polled before this notification arrived: ignore it.
      return;
    }
    if (!this.queueChannelUnsafe(channel, priority)) return;
    // Complete futures only now that the queue is consistent (listeners run inline).
    if (priority && this.inputChannelsWithData.getNumPriorityElements() === 1) {
      AvailabilityHelper.complete(this.priorityAvailabilityHelper.getUnavailableToResetAvailable());
    }
    if (this.inputChannelsWithData.size() === 1) this.markAvailable();
  }

  /** Queues `channel` unless it finished or is queued already (in the priority part, for a priority add). */
  private queueChannelUnsafe(channel: InputChannel, priority: boolean): boolean {
    const index = channel.getChannelIndex();
    if (this.channelsWithEndOfPartitionEvents[index] !== 0 || this.closed) return false;
    const queue = this.inputChannelsWithData;
    if (queue.contains(index) && (!priority || queue.containsPriorityElement(index))) return false;
    queue.add(index, priority);
    return true;
  }

  override toString(): string {
    return `SingleInputGate{owningTaskName='${this.owningTaskName}', gateIndex=${this.gateIndex}}`;
  }
}

function isOutdated(sequenceNumber: number, lastSequenceNumber: number): boolean {
  if (lastSequenceNumber < 0 !== sequenceNumber < 0 && Math.max(lastSequenceNumber, sequenceNumber) > 0x3fffffff) {
    // Probably an overflow of one of the two numbers: the negative one is the greater one then.
    return lastSequenceNumber < 0;
  }
  return lastSequenceNumber >= sequenceNumber;
}

/** Key of a channel in the by-partition map: the partition and the channel's index in the gate. */
function channelKey(partitionId: IntermediateResultPartitionID, channelIndex: number): string {
  return `${partitionId.toString()}#${channelIndex}`;
}
