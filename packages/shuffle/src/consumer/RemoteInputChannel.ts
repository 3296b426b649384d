import { IllegalArgumentException, IllegalStateException, InternalLoggerFactory } from '@sluice/channel';
import type { TaskEvent } from '../event/AbstractEvent';
import { CheckpointBarrier } from '../event/CheckpointBarrier';
import { EventAnnouncement } from '../event/EventAnnouncement';
import { EventSerializer } from '../event/EventSerializer';
import type { Buffer } from '../memory/Buffer';
import type { BufferListener } from '../memory/BufferListener';
import type { BufferProvider } from '../memory/BufferProvider';
import { DataType } from '../memory/DataType';
import type { MemorySegment } from '../memory/MemorySegment';
import type { MemorySegmentProvider } from '../memory/MemorySegmentProvider';
import { NetworkMemoryDefaults } from '../memory/NetworkMemoryDefaults';
import type { ConnectionID } from '../network/ConnectionID';
import type { ConnectionManager } from '../network/ConnectionManager';
import type { PartitionRequestClient } from '../network/PartitionRequestClient';
import { PrioritizedDeque } from '../partition/PrioritizedDeque';
import { PartitionNotFoundException } from '../partition/errors';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import { BufferManager, type BufferManagerOwner } from './BufferManager';
import { ConsumerDefaults } from './ConsumerDefaults';
import { BufferReorderingException, CancelTaskException, PartitionConnectionException } from './errors';
import { BufferAndAvailability, InputChannel, type InputChannelOptions } from './InputChannel';
import { InputChannelID } from './InputChannelID';
import type { SingleInputGate } from './SingleInputGate';

const logger = InternalLoggerFactory.getInstance('RemoteInputChannel');

/** Options of a {@link RemoteInputChannel}. */
export interface RemoteInputChannelOptions extends InputChannelOptions {
  /**
   * Exclusive buffers of the channel = its initial credit (default: 2,
   * `taskmanager.network.memory.buffers-per-channel`). 0 is allowed: the sender then announces its backlog
   * and the channel lives on floating buffers (reference §2.6). Ignored in push mode.
   */
  networkBuffersPerChannel?: number;
  /**
   * The partition-request back-off step in ms (default: 10000, `taskmanager.network.partition-request-timeout`):
   * the producer answers PartitionNotFound only after waiting this long for the partition, so each retry
   * adds it to the back-off (reference §3.3, §10 scenario 44). 0 disables retries.
   */
  partitionRequestListenerTimeoutMs?: number;
  /**
   * `true` (default): credit-based flow control (Flink ≥ 1.5). `false`: Flink 1.4's push mode — no
   * exclusive buffers, no credit; received data goes into buffers of the gate's pool.
   */
  creditBased?: boolean;
}

/** Flink's RemoteInputChannel.SequenceBuffer: a received buffer with its sequence number and subpartition. */
class SequenceBuffer {
  constructor(
    readonly buffer: Buffer,
    readonly sequenceNumber: number,
    readonly subpartitionId: number,
  ) {}
}

/** Stands in for a gate without a NetworkBufferPool: only a channel that wants exclusive buffers fails. */
const NO_SEGMENT_PROVIDER: MemorySegmentProvider = {
  requestUnpooledMemorySegments(): Promise<MemorySegment[]> {
    return Promise.reject(
      new IllegalStateException('The input gate has no memorySegmentProvider: remote channels cannot request exclusive buffers.'),
    );
  },
  recycleUnpooledMemorySegments(): void {
    throw new IllegalStateException('The input gate has no memorySegmentProvider.');
  },
};

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.RemoteInputChannel (Flink 1.20, the
 * "CreditBasedInputChannel"), with Flink 1.4's push mode as an option. Differs: one subpartition per
 * channel; `requestSubpartition()` is asynchronous (connecting cannot block) — a release while connecting
 * hands the client back with `close(this)` once it arrives; a retried request is sent after the current
 * back-off (`delayMs = currentBackoff`; Flink 1.20 sends it at once because the producer already waited
 * the listener timeout); `getNextBuffer()` reports the last announced sender backlog (Flink: 0); no
 * channel-state persistence for unaligned checkpoints (no `checkpointStarted`/`convertToPriorityEvent`,
 * barriers are not tracked); an announced timeoutable barrier is not checked for duplicates.
 *
 * Reads one subpartition of a partition produced in another process, through the
 * {@link PartitionRequestClient} shared by every channel that reads from the same {@link ConnectionID}.
 * Credit-based flow control (reference §2, §3.3):
 * - {@link setup} requests `networkBuffersPerChannel` **exclusive** buffers from the gate's NetworkBufferPool;
 *   their number is the **initial credit** sent with the PartitionRequest.
 * - The network loop asks {@link requestBuffer} for a buffer to copy each data BufferResponse into (floating
 *   first, then exclusive) and hands it back with {@link onBuffer}; sequence numbers must arrive in order
 *   (else `BufferReorderingException`).
 * - Every response carries the sender's backlog: {@link onSenderBacklog} makes the BufferManager hold
 *   `backlog + initialCredit` buffers, taking **floating** buffers from the gate's LocalBufferPool (or
 *   waiting for them as its BufferListener).
 * - Every buffer that becomes available to receive into (granted floating, recycled exclusive) is
 *   **unannounced credit**; when it goes from 0 to positive the client is asked to send an AddCredit, which
 *   collects all credit accumulated until it is written ({@link getAndResetUnannouncedCredit}).
 *
 * Received buffers wait in a {@link PrioritizedDeque} until the gate polls them; priority events jump to
 * the front and notify the gate, a timeoutable aligned barrier is announced by an `EventAnnouncement` at
 * the front. After an aligned barrier the producer blocks the subpartition until {@link resumeConsumption};
 * a channel with zero initial credit gives its floating buffers back meanwhile (reference §2.4).
 *
 * PartitionNotFound from the producer ({@link onFailedPartitionRequest}) retries the request through the
 * gate with the listener-timeout back-off; when that is exhausted the channel fails with
 * `PartitionNotFoundException`.
 *
 * Push mode (`creditBased: false`, Flink 1.4): initial credit 0, no exclusive buffers, no credit ever
 * announced, backlogs ignored; {@link requestBuffer} takes buffers straight from the gate's pool, and when
 * that is empty the connection's handler waits with {@link addBufferAvailabilityListener} (stalling the
 * whole TCP connection — the weakness credit-based flow control removed).
 *
 * ## Threading
 * One JavaScript thread: the network loop (onBuffer, onSenderBacklog), the task (getNextBuffer, recycling)
 * and pool notifications take turns, so Flink's `synchronized (receivedBuffers)`, the atomic
 * `unannouncedCredit` and the `isReleased` flag are plain fields. Credit hooks run inline inside a
 * buffer's last release.
 *
 * ## Ownership
 * {@link onBuffer} takes the buffer's reference (it is queued, or recycled on any early exit, e.g. after
 * release or a reordering). {@link getNextBuffer} hands one reference to the gate. {@link releaseAllResources}
 * recycles every queued buffer and gives back all exclusive and floating buffers (exclusive ones still in
 * use go back to the global pool when recycled), then leaves the connection.
 *
 * @example
 * const channel = new RemoteInputChannel(gate, 0, partitionId, 0, connectionId, connectionManager);
 * gate.setInputChannels(channel);
 * await gate.setup();          // exclusive buffers
 * gate.requestPartitions();    // connect, PartitionRequest(credit = 2)
 */
export class RemoteInputChannel extends InputChannel implements BufferManagerOwner {
  private readonly id = InputChannelID.random();
  private readonly connectionId: ConnectionID;
  private readonly connectionManager: ConnectionManager;
  private readonly receivedBuffers = new PrioritizedDeque<SequenceBuffer>();
  private readonly bufferManager: BufferManager;
  private readonly initialCredit: number;
  private readonly creditBased: boolean;
  private readonly partitionRequestListenerTimeout: number;
  private released = false;
  /** Set once the connection was obtained (Flink's `partitionRequestClient`). */
  private partitionRequestClient: PartitionRequestClient | null = null;
  /** The first request (connect + PartitionRequest); `null` before {@link requestSubpartition}. */
  private requestPromise: Promise<void> | null = null;
  /** True while waiting for the connection. */
  private connecting = false;
  private isSetUp = false;
  private expectedSequenceNumber = 0;
  private unannouncedCredit = 0;
  /** The backlog of the last buffer or announcement (reported with polled buffers). */
  private senderBacklog = 0;
  private reusable: BufferAndAvailability | null = null;
  // Push mode:
  /** A buffer the gate's pool handed to the waiting listener; the next {@link requestBuffer} returns it. */
  private stagedBuffer: Buffer | null = null;
  private waitingForPoolBuffer = false;
  private readonly availabilityListeners: (() => void)[] = [];
  private readonly poolListener: BufferListener;

  /**
   * @param inputGate the gate this channel belongs to (its memorySegmentProvider supplies exclusive buffers,
   *   its pool floating ones)
   * @param channelIndex index within the gate
   * @param partitionId the consumed partition
   * @param consumedSubpartitionIndex the consumed subpartition of that partition
   * @param connectionId the producer's connection
   * @param connectionManager hands out the shared {@link PartitionRequestClient} for `connectionId`
   */
  constructor(
    inputGate: SingleInputGate,
    channelIndex: number,
    partitionId: ResultPartitionID,
    consumedSubpartitionIndex: number,
    connectionId: ConnectionID,
    connectionManager: ConnectionManager,
    options: RemoteInputChannelOptions = {},
  ) {
    super(inputGate, channelIndex, partitionId, consumedSubpartitionIndex, options);
    const buffersPerChannel = options.networkBuffersPerChannel ?? NetworkMemoryDefaults.BUFFERS_PER_CHANNEL;
    if (!Number.isSafeInteger(buffersPerChannel) || buffersPerChannel < 0) {
      throw new IllegalArgumentException(`networkBuffersPerChannel: ${buffersPerChannel} (expected: an integer >= 0)`);
    }
    const timeout = options.partitionRequestListenerTimeoutMs ?? ConsumerDefaults.PARTITION_REQUEST_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeout) || timeout < 0) {
      throw new IllegalArgumentException(`partitionRequestListenerTimeoutMs: ${timeout} (expected: an integer >= 0)`);
    }
    this.connectionId = connectionId;
    this.connectionManager = connectionManager;
    this.creditBased = options.creditBased ?? true;
    this.initialCredit = this.creditBased ? buffersPerChannel : 0;
    this.partitionRequestListenerTimeout = timeout;
    this.bufferManager = new BufferManager(inputGate.getMemorySegmentProvider() ?? NO_SEGMENT_PROVIDER, this, this.initialCredit);
    this.poolListener = {
      notifyBufferAvailable: (buffer) => this.onPoolBufferAvailable(buffer),
      notifyBufferDestroyed: () => this.onPoolDestroyed(),
    };
  }

  // ---------------------------------------------------------------- properties

  /** The receiver id every message of this channel carries. */
  getInputChannelId(): InputChannelID {
    return this.id;
  }

  /** The producer connection. */
  getConnectionId(): ConnectionID {
    return this.connectionId;
  }

  /** True for credit-based flow control, false for push mode. */
  isCreditBased(): boolean {
    return this.creditBased;
  }

  /** Exclusive buffers = the credit sent with the PartitionRequest (0 in push mode). */
  override getInitialCredit(): number {
    return this.initialCredit;
  }

  // ---------------------------------------------------------------- setup and request

  /** Requests the exclusive buffers (the initial credit) from the gate's NetworkBufferPool; once. */
  override async setup(): Promise<void> {
    if (this.isSetUp) {
      throw new IllegalStateException('Bug in input channel setup logic: exclusive buffers have already been set for this input channel.');
    }
    this.isSetUp = true;
    if (this.initialCredit > 0) await this.bufferManager.requestExclusiveBuffers(this.initialCredit);
  }

  /**
   * Connects (through the connection manager) and sends the PartitionRequest with the initial credit;
   * once — later calls return the same promise. A failed connect rejects with (and stores) a
   * `PartitionConnectionException`.
   */
  requestSubpartition(): Promise<void> {
    if (this.released) return Promise.reject(new IllegalStateException(`${this.toString()} has been released already`));
    return (this.requestPromise ??= this.connectAndRequest());
  }

  private async connectAndRequest(): Promise<void> {
    logger.debug(`${this.toString()}: Requesting REMOTE subpartition ${this.consumedSubpartitionIndex} of partition ${this.partitionId.toString()}.`);
    let client: PartitionRequestClient;
    this.connecting = true;
    try {
      client = await this.connectionManager.createPartitionRequestClient(this.connectionId);
    } catch (err) {
      // Could not open a connection to the producer's process.
      const cause = new PartitionConnectionException(this.toString(), this.connectionId.getAddress(), err);
      this.setError(cause);
      throw cause;
    } finally {
      this.connecting = false;
    }
    if (this.released) {
      // Released while connecting: give the client's reference back.
      client.close(this);
      return;
    }
    this.partitionRequestClient = client;
    await client.requestSubpartition(this.partitionId, this.consumedSubpartitionIndex, this, 0);
  }

  /**
   * Retries the request after PartitionNotFound, at once (Flink 1.20): the producer's server already held
   * the request for the listener timeout before answering, so the back-off only counts that time, growing
   * by the timeout per retry; once it reaches twice the maximum back-off, the channel fails with
   * `PartitionNotFoundException`. `IllegalStateException` if the subpartition was never requested.
   */
  retriggerSubpartitionRequest(): void {
    const client = this.checkPartitionRequestQueueInitialized();
    if (this.released) return;
    if (this.increaseBackoffByListenerTimeout(this.partitionRequestListenerTimeout)) {
      client.requestSubpartition(this.partitionId, this.consumedSubpartitionIndex, this, 0).catch((err: unknown) => {
        this.setError(err);
      });
    } else {
      this.setError(new PartitionNotFoundException(this.partitionId));
    }
  }

  /** The producer answered PartitionNotFound: retry through the gate (which ignores it once closed). */
  onFailedPartitionRequest(): void {
    try {
      this.inputGate.retriggerPartitionRequest(this.partitionId.partitionId, this.channelInfo);
    } catch (err) {
      this.setError(err);
    }
  }

  /** Flink's checkPartitionRequestQueueInitialized: the stored error, or the client. */
  private checkPartitionRequestQueueInitialized(): PartitionRequestClient {
    this.checkError();
    const client = this.partitionRequestClient;
    if (client === null) throw new IllegalStateException(`${this.toString()}: Missing initial subpartition request.`);
    return client;
  }

  // ---------------------------------------------------------------- consume

  getNextBuffer(): BufferAndAvailability | null {
    this.checkError();
    const next = this.receivedBuffers.poll();
    if (next === null) {
      if (this.released) throw new CancelTaskException(`${this.toString()}: Queried for a buffer after channel has been released.`);
      if (this.partitionRequestClient === null) {
        throw new IllegalStateException(`${this.toString()}: Queried for a buffer before requesting the subpartition.`);
      }
      return null;
    }
    const peek = this.receivedBuffers.peek();
    const nextDataType = peek !== null ? peek.buffer.getDataType() : DataType.NONE;
    const buffer = next.buffer;
    this.numBytesIn.inc(buffer.getSize());
    this.numBuffersIn.inc();
    const reusable = this.reusable;
    if (reusable === null) {
      return (this.reusable = new BufferAndAvailability(buffer, nextDataType, this.senderBacklog, next.sequenceNumber));
    }
    return reusable.set(buffer, nextDataType, this.senderBacklog, next.sequenceNumber);
  }

  // ---------------------------------------------------------------- network notifications

  /**
   * A buffer to copy a received data buffer into (one reference for the caller), or `null` if none is
   * available. Credit mode: floating first, then exclusive — `null` means the sender broke the credit
   * contract. Push mode: from the gate's pool (or the buffer a waiting listener was handed); `null` means
   * "wait with {@link addBufferAvailabilityListener}"; throws if the pool was destroyed. Also `null` after
   * release: check {@link isReleased} first and drop the message.
   */
  requestBuffer(): Buffer | null {
    if (this.creditBased) return this.bufferManager.requestBuffer();
    const staged = this.stagedBuffer;
    if (staged !== null) {
      this.stagedBuffer = null;
      return staged;
    }
    if (this.released) return null;
    return this.requireFloatingBufferPool().requestBuffer();
  }

  /**
   * Push mode only: `listener` is called once when {@link requestBuffer} may succeed again (a pool buffer was
   * reserved for this channel) or the pool was destroyed (then `requestBuffer()` throws). Returns `false`
   * without registering if a buffer is available right now — or the channel is released (check
   * {@link isReleased}). The listener runs inline inside the recycling of a buffer: hop onto your event loop.
   */
  addBufferAvailabilityListener(listener: () => void): boolean {
    if (this.creditBased) {
      throw new IllegalStateException(`${this.toString()}: addBufferAvailabilityListener is for push mode (credit-based channels wait for credit instead).`);
    }
    if (this.stagedBuffer !== null || this.released) return false;
    if (!this.waitingForPoolBuffer) {
      const pool = this.requireFloatingBufferPool();
      if (!pool.addBufferListener(this.poolListener)) return false;
      this.waitingForPoolBuffer = true;
    }
    this.availabilityListeners.push(listener);
    return true;
  }

  private onPoolBufferAvailable(buffer: Buffer): boolean {
    this.waitingForPoolBuffer = false;
    if (this.released || this.stagedBuffer !== null) buffer.recycleBuffer();
    else this.stagedBuffer = buffer;
    this.fireAvailabilityListeners();
    return false;
  }

  private onPoolDestroyed(): void {
    this.waitingForPoolBuffer = false;
    this.fireAvailabilityListeners();
  }

  private fireAvailabilityListeners(): void {
    for (const listener of this.availabilityListeners.splice(0)) {
      try {
        listener();
      } catch (err) {
        logger.error(`${this.toString()}: a buffer availability listener failed`, err);
      }
    }
  }

  private requireFloatingBufferPool(): BufferProvider {
    const pool = this.getFloatingBufferPool();
    if (pool === null) throw new IllegalStateException(`${this.toString()}: the input gate has no buffer pool yet (call setup() first)`);
    return pool;
  }

  /**
   * A received buffer with its sequence number, the sender's backlog after it (-1: none) and its
   * subpartition; takes `buffer`'s reference (reference §3.3). Throws `IllegalArgumentException` if an
   * aligned barrier comes with a backlog.
   */
  onBuffer(buffer: Buffer, sequenceNumber: number, backlog: number, subpartitionId: number): void {
    let recycleBuffer = true;
    try {
      if (this.expectedSequenceNumber !== sequenceNumber) {
        this.onError(new BufferReorderingException(this.toString(), this.expectedSequenceNumber, sequenceNumber));
        return;
      }
      const dataType = buffer.getDataType();
      if (dataType.isBlockingUpstream()) {
        this.onBlockingUpstream();
        if (backlog !== 0) throw new IllegalArgumentException(`Illegal number of backlog: ${backlog}, should be 0.`);
      }
      // Never queue a buffer after releaseAllResources() emptied the queue.
      if (this.released) return;
      const wasEmpty = this.receivedBuffers.isEmpty();
      const sequenceBuffer = new SequenceBuffer(buffer, sequenceNumber, subpartitionId);
      let firstPriorityEvent = false;
      if (dataType.hasPriority()) {
        firstPriorityEvent = this.addPriorityBuffer(sequenceBuffer);
        recycleBuffer = false;
      } else {
        this.receivedBuffers.add(sequenceBuffer);
        recycleBuffer = false;
        if (dataType.requiresAnnouncement()) firstPriorityEvent = this.addPriorityBuffer(this.announce(sequenceBuffer));
      }
      ++this.expectedSequenceNumber;
      if (backlog >= 0) this.senderBacklog = backlog;

      if (firstPriorityEvent) this.notifyPriorityEvent(sequenceNumber);
      if (wasEmpty) this.notifyChannelNonEmpty();
      if (backlog >= 0) this.onSenderBacklog(backlog);
    } finally {
      if (recycleBuffer) buffer.recycleBuffer();
    }
  }

  private addPriorityBuffer(sequenceBuffer: SequenceBuffer): boolean {
    this.receivedBuffers.addPriorityElement(sequenceBuffer);
    return this.receivedBuffers.getNumPriorityElements() === 1;
  }

  /** A priority EventAnnouncement of the (timeoutable) barrier in `sequenceBuffer`, at its sequence number. */
  private announce(sequenceBuffer: SequenceBuffer): SequenceBuffer {
    const event = EventSerializer.fromBuffer(sequenceBuffer.buffer);
    if (!(event instanceof CheckpointBarrier)) {
      throw new IllegalStateException(`${this.toString()}: Only a CheckpointBarrier can be announced but found ${String(event)}`);
    }
    const announcement = EventSerializer.toBuffer(new EventAnnouncement(event, sequenceBuffer.sequenceNumber), true);
    return new SequenceBuffer(announcement, sequenceBuffer.sequenceNumber, sequenceBuffer.subpartitionId);
  }

  /**
   * The producer blocks the subpartition after this buffer (aligned barrier). With zero initial credit the
   * floating buffers could not be used until resumed: give them back for other channels (reference §2.4).
   */
  private onBlockingUpstream(): void {
    if (this.initialCredit === 0) this.bufferManager.releaseFloatingBuffers();
  }

  /** An empty data buffer (it only carries the sequence number and backlog; FLINK-1761). */
  onEmptyBuffer(sequenceNumber: number, backlog: number): void {
    if (this.released) return;
    if (this.expectedSequenceNumber !== sequenceNumber) {
      this.onError(new BufferReorderingException(this.toString(), this.expectedSequenceNumber, sequenceNumber));
      return;
    }
    this.expectedSequenceNumber++;
    if (backlog >= 0) {
      this.senderBacklog = backlog;
      this.onSenderBacklog(backlog);
    }
  }

  /**
   * The sender has `backlog` data buffers queued: hold `backlog + initialCredit` buffers (reference §2 step 7)
   * and announce what was obtained. Push mode: nothing.
   */
  onSenderBacklog(backlog: number): void {
    if (!this.creditBased) return;
    this.notifyBufferAvailable(this.bufferManager.requestFloatingBuffers(backlog + this.initialCredit));
  }

  // ---------------------------------------------------------------- credit

  /**
   * The credit hook (BufferManager): `numAvailableBuffers` more buffers to receive into. On a 0 → positive
   * transition of the unannounced credit the client is asked to send an AddCredit (reference §2 step 8).
   */
  override notifyBufferAvailable(numAvailableBuffers: number): void {
    if (numAvailableBuffers <= 0 || !this.creditBased) return;
    const before = this.unannouncedCredit;
    this.unannouncedCredit += numAvailableBuffers;
    if (before === 0) this.notifyCreditAvailable();
  }

  private notifyCreditAvailable(): void {
    const client = this.partitionRequestClient;
    if (client === null) throw new IllegalStateException(`${this.toString()}: credit available before the subpartition was requested.`);
    client.notifyCreditAvailable(this);
  }

  /** The unannounced credit, reset to 0 (the client handler builds the AddCredit with it). */
  getAndResetUnannouncedCredit(): number {
    const credit = this.unannouncedCredit;
    this.unannouncedCredit = 0;
    return credit;
  }

  /** The credit not yet announced. */
  getUnannouncedCredit(): number {
    return this.unannouncedCredit;
  }

  // ---------------------------------------------------------------- control

  resumeConsumption(): void {
    if (this.released) throw new IllegalStateException(`${this.toString()}: Channel released.`);
    const client = this.checkPartitionRequestQueueInitialized();
    // With zero initial credit, credit gathered after an aborted checkpoint (floating buffers requested
    // for data before the next barrier) was given back with the floating buffers.
    if (this.initialCredit === 0) this.unannouncedCredit = 0;
    client.resumeConsumption(this);
  }

  acknowledgeAllRecordsProcessed(): void {
    if (this.released) throw new IllegalStateException(`${this.toString()}: Channel released.`);
    this.checkPartitionRequestQueueInitialized().acknowledgeAllRecordsProcessed(this);
  }

  /**
   * Queues a NewBufferSize for the producer. Ignored while still connecting (Flink connects synchronously;
   * the producer ignores sizes announced before the request anyway, reference §2.1).
   */
  announceBufferSize(newBufferSize: number): void {
    if (this.released) throw new IllegalStateException(`${this.toString()}: Channel released.`);
    if (this.connecting) return;
    this.checkPartitionRequestQueueInitialized().notifyNewBufferSize(this, newBufferSize);
  }

  /** Sends `event` backwards to the producer (TaskEventRequest). */
  sendTaskEvent(event: TaskEvent): Promise<void> {
    if (this.released) return Promise.reject(new IllegalStateException(`${this.toString()}: Tried to send task event to producer after channel has been released.`));
    try {
      return this.checkPartitionRequestQueueInitialized().sendTaskEvent(this.partitionId, event, this);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  // ---------------------------------------------------------------- life cycle

  isReleased(): boolean {
    return this.released;
  }

  /**
   * Marks the channel released, recycles every queued buffer, gives back all exclusive and floating buffers,
   * then leaves the connection: `client.close(this)` if requested, else `closeOpenChannelConnections`
   * (a release while connecting closes the client when it arrives). Idempotent.
   */
  releaseAllResources(): void {
    if (this.released) return;
    // Set first: buffers arriving from now on are recycled instead of queued.
    this.released = true;
    const buffers: Buffer[] = [];
    for (const sequenceBuffer of this.receivedBuffers) buffers.push(sequenceBuffer.buffer);
    this.receivedBuffers.clear();
    const staged = this.stagedBuffer;
    if (staged !== null) {
      this.stagedBuffer = null;
      buffers.push(staged);
    }
    this.bufferManager.releaseAllBuffers(buffers);
    const client = this.partitionRequestClient;
    if (client !== null) client.close(this);
    else if (!this.connecting) this.connectionManager.closeOpenChannelConnections(this.connectionId);
  }

  // ---------------------------------------------------------------- metrics

  /** Queued buffers plus the floating buffers the backlog requires (reference §3.3). */
  getBuffersInUseCount(): number {
    return this.receivedBuffers.size() + Math.max(0, this.bufferManager.getNumberOfRequiredBuffers() - this.initialCredit);
  }

  override unsynchronizedGetNumberOfQueuedBuffers(): number {
    return this.receivedBuffers.size();
  }

  override unsynchronizedGetExclusiveBuffersUsed(): number {
    return Math.max(0, this.initialCredit - this.bufferManager.unsynchronizedGetAvailableExclusiveBuffers());
  }

  override unsynchronizedGetFloatingBuffersAvailable(): number {
    return this.bufferManager.unsynchronizedGetFloatingBuffersAvailable();
  }

  /** Buffers available to receive into, floating plus exclusive (for tests and diagnostics). */
  getNumberOfAvailableBuffers(): number {
    return this.bufferManager.getNumberOfAvailableBuffers();
  }

  /** Buffers the channel wants to hold: backlog + initial credit (for tests and diagnostics). */
  getNumberOfRequiredBuffers(): number {
    return this.bufferManager.getNumberOfRequiredBuffers();
  }

  /** True while waiting for floating buffers of the gate's pool (for tests and diagnostics). */
  isWaitingForFloatingBuffers(): boolean {
    return this.bufferManager.unsynchronizedIsWaitingForFloatingBuffers();
  }

  /** The buffer manager (for tests and diagnostics). */
  getBufferManager(): BufferManager {
    return this.bufferManager;
  }

  override toString(): string {
    return `RemoteInputChannel [${this.partitionId.toString()} at ${this.connectionId.toString()}, ${this.channelInfo.toString()}]`;
  }
}
