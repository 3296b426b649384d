// Test helpers of the consumer tests: a fake subpartition view and partition provider, a remote-like
// channel with a BufferManager (the buffer side of RemoteInputChannel), a recording fake
// PartitionRequestClient + ConnectionManager for RemoteInputChannel, buffer factories.
import type { AbstractEvent } from '../../src/event/AbstractEvent';
import { EventSerializer } from '../../src/event/EventSerializer';
import { BufferManager } from '../../src/consumer/BufferManager';
import { BufferAndAvailability, InputChannel, type InputChannelOptions } from '../../src/consumer/InputChannel';
import { SingleInputGate, type SingleInputGateOptions } from '../../src/consumer/SingleInputGate';
import type { Buffer } from '../../src/memory/Buffer';
import type { BufferPool } from '../../src/memory/BufferPool';
import { DataType } from '../../src/memory/DataType';
import type { MemorySegmentProvider } from '../../src/memory/MemorySegmentProvider';
import { BufferAndBacklog } from '../../src/partition/BufferAndBacklog';
import type { BufferAvailabilityListener } from '../../src/partition/BufferAvailabilityListener';
import { PartitionNotFoundException } from '../../src/partition/errors';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import type { ResultPartitionProvider } from '../../src/partition/ResultPartitionProvider';
import type { AvailabilityWithBacklog, ResultSubpartitionView } from '../../src/partition/ResultSubpartitionView';
import type { TaskEvent } from '../../src/event/AbstractEvent';
import type { RemoteInputChannel } from '../../src/consumer/RemoteInputChannel';
import type { ConnectionID } from '../../src/network/ConnectionID';
import type { ConnectionManager } from '../../src/network/ConnectionManager';
import type { PartitionRequestClient } from '../../src/network/PartitionRequestClient';

/** A buffer from `pool` holding `payload` (or `size` zero bytes). */
export function dataBuffer(pool: BufferPool, payload: number[] | number = 4): Buffer {
  const buffer = pool.requestBuffer();
  if (buffer === null) throw new Error(`test pool exhausted: ${pool.toString()}`);
  const bytes = typeof payload === 'number' ? new Array<number>(payload).fill(0) : payload;
  const buf = buffer.asByteBuf();
  for (const b of bytes) buf.writeByte(b);
  return buffer;
}

/** An event buffer (freeing recycler). */
export function eventBuffer(event: AbstractEvent, hasPriority = false): Buffer {
  return EventSerializer.toBuffer(event, hasPriority);
}

/** A fake ResultSubpartitionView over a queue of buffers, notifying like a pipelined subpartition. */
export class TestSubpartitionView implements ResultSubpartitionView {
  readonly queue: Buffer[] = [];
  listener: BufferAvailabilityListener | null = null;
  released = false;
  failure: Error | null = null;
  blocked = false;
  sequenceNumber = 0;
  resumed = 0;
  acknowledged = 0;
  readonly bufferSizes: number[] = [];
  notifications = 0;

  /** Queues `buffer`; notifies the listener when the view goes from empty to non-empty. */
  add(buffer: Buffer): this {
    if (this.released) {
      buffer.recycleBuffer();
      return this;
    }
    this.queue.push(buffer);
    if (buffer.getDataType().hasPriority()) {
      // Priority buffers go to the head, as in PipelinedSubpartition.
      this.queue.pop();
      this.queue.unshift(buffer);
      this.listener?.notifyPriorityEvent(this.sequenceNumber);
    }
    if (this.queue.length === 1 && !this.blocked) this.notifyDataAvailable();
    return this;
  }

  getNextBuffer(): BufferAndBacklog | null {
    if (this.released || this.blocked || this.queue.length === 0) return null;
    const buffer = this.queue.shift()!;
    if (buffer.getDataType().isBlockingUpstream()) this.blocked = true;
    const next = this.blocked || this.queue.length === 0 ? DataType.NONE : this.queue[0]!.getDataType();
    return new BufferAndBacklog(buffer, this.backlog(), next, this.sequenceNumber++);
  }

  private backlog(): number {
    return this.queue.filter((b) => b.isBuffer()).length;
  }

  notifyDataAvailable(): void {
    this.notifications++;
    this.listener?.notifyDataAvailable(this);
  }

  notifyPriorityEvent(priorityBufferNumber: number): void {
    this.listener?.notifyPriorityEvent(priorityBufferNumber);
  }

  releaseAllResources(): void {
    if (this.released) return;
    this.released = true;
    for (const buffer of this.queue.splice(0)) buffer.recycleBuffer();
  }

  isReleased(): boolean {
    return this.released;
  }

  resumeConsumption(): void {
    this.resumed++;
    this.blocked = false;
  }

  acknowledgeAllDataProcessed(): void {
    this.acknowledged++;
  }

  getFailureCause(): Error | null {
    return this.failure;
  }

  getAvailabilityAndBacklog(_isCreditAvailable: boolean): AvailabilityWithBacklog {
    return { isAvailable: !this.blocked && this.queue.length > 0, backlog: this.backlog() };
  }

  unsynchronizedGetNumberOfQueuedBuffers(): number {
    return this.queue.length;
  }

  getNumberOfQueuedBuffers(): number {
    return this.queue.length;
  }

  notifyNewBufferSize(newBufferSize: number): void {
    this.bufferSizes.push(newBufferSize);
  }

  toString(): string {
    return `TestSubpartitionView(${this.queue.length} queued)`;
  }
}

/** A ResultPartitionProvider over registered fake views; unregistered partitions are not found. */
export class TestPartitionProvider implements ResultPartitionProvider {
  readonly views = new Map<string, TestSubpartitionView>();
  readonly requests: { partitionId: ResultPartitionID; subpartitionIndex: number; at: number }[] = [];
  clock: () => number = () => 0;

  /** Registers a view for `partitionId` (created now so that a test can fill it before the request). */
  register(partitionId: ResultPartitionID, view: TestSubpartitionView = new TestSubpartitionView()): TestSubpartitionView {
    this.views.set(partitionId.key(), view);
    return view;
  }

  createSubpartitionView(partitionId: ResultPartitionID, subpartitionIndex: number, listener: BufferAvailabilityListener): ResultSubpartitionView {
    this.requests.push({ partitionId, subpartitionIndex, at: this.clock() });
    const view = this.views.get(partitionId.key());
    if (view === undefined) throw new PartitionNotFoundException(partitionId);
    view.listener = listener;
    return view;
  }
}

/** A gate whose floating pool comes from `pool` (or a throwing factory if none is needed). */
export function newGate(options: Partial<SingleInputGateOptions> & { numberOfInputChannels: number }, pool?: () => BufferPool): SingleInputGate {
  return new SingleInputGate({
    bufferPoolFactory:
      pool ??
      (() => {
        throw new Error('this test gate has no floating pool');
      }),
    ...options,
  });
}

/**
 * A credit-based channel as part 2's RemoteInputChannel will be, reduced to the buffer side: exclusive
 * buffers on setup, floating ones on sender backlog, unannounced credit from the credit hook, received
 * buffers queued and polled.
 */
export class TestRemoteChannel extends InputChannel {
  readonly bufferManager: BufferManager;
  readonly initialCredit: number;
  unannouncedCredit = 0;
  readonly received: Buffer[] = [];
  private released = false;
  private sequenceNumber = 0;
  private reusable: BufferAndAvailability | null = null;

  constructor(gate: SingleInputGate, index: number, globalPool: MemorySegmentProvider, initialCredit = 2, options: InputChannelOptions = {}) {
    super(gate, index, ResultPartitionID.random(), 0, options);
    this.initialCredit = initialCredit;
    this.bufferManager = new BufferManager(globalPool, this, initialCredit);
  }

  override async setup(): Promise<void> {
    await this.bufferManager.requestExclusiveBuffers(this.initialCredit);
  }

  /** Flink's onSenderBacklog: require backlog + initialCredit buffers. */
  onSenderBacklog(backlog: number): void {
    const numRequested = this.bufferManager.requestFloatingBuffers(backlog + this.initialCredit);
    if (numRequested > 0) this.notifyBufferAvailable(numRequested);
  }

  override notifyBufferAvailable(numAvailableBuffers: number): void {
    if (numAvailableBuffers > 0) this.unannouncedCredit += numAvailableBuffers;
  }

  /** A buffer to receive into (floating first). */
  requestBuffer(): Buffer | null {
    return this.bufferManager.requestBuffer();
  }

  /** Simulates a received BufferResponse: takes a buffer, writes `size` bytes, queues it. */
  receive(size = 8): void {
    const buffer = this.requestBuffer();
    if (buffer === null) throw new Error('no credit: no buffer to receive into');
    buffer.asByteBuf().writeZero(size);
    const wasEmpty = this.received.length === 0;
    this.received.push(buffer);
    if (wasEmpty) this.notifyChannelNonEmpty();
  }

  requestSubpartition(): void {}
  retriggerSubpartitionRequest(): void {}

  getNextBuffer(): BufferAndAvailability | null {
    this.checkError();
    const buffer = this.received.shift();
    if (buffer === undefined) return null;
    this.numBytesIn.inc(buffer.getSize());
    this.numBuffersIn.inc();
    const next = this.received.length > 0 ? this.received[0]!.getDataType() : DataType.NONE;
    this.reusable ??= new BufferAndAvailability(buffer, next, 0, 0);
    return this.reusable.set(buffer, next, 0, this.sequenceNumber++);
  }

  resumeConsumption(): void {}
  acknowledgeAllRecordsProcessed(): void {}
  announceBufferSize(): void {}

  getBuffersInUseCount(): number {
    return this.received.length + Math.max(0, this.bufferManager.getNumberOfRequiredBuffers() - this.initialCredit);
  }

  isReleased(): boolean {
    return this.released;
  }

  releaseAllResources(): void {
    if (this.released) return;
    this.released = true;
    this.bufferManager.releaseAllBuffers(this.received.splice(0));
  }

  override unsynchronizedGetNumberOfQueuedBuffers(): number {
    return this.received.length;
  }

  override unsynchronizedGetExclusiveBuffersUsed(): number {
    return Math.max(0, this.initialCredit - this.bufferManager.unsynchronizedGetAvailableExclusiveBuffers());
  }

  override unsynchronizedGetFloatingBuffersAvailable(): number {
    return this.bufferManager.unsynchronizedGetFloatingBuffersAvailable();
  }

  override getInitialCredit(): number {
    return this.initialCredit;
  }

  /** Exposes the protected listener-timeout rule for scenario 44. */
  increaseBackoffWithListenerTimeout(timeoutMs: number): boolean {
    return this.increaseBackoffByListenerTimeout(timeoutMs);
  }

  /** Exposes the protected base rule. */
  increaseBackoffBase(): boolean {
    return this.increaseBackoff();
  }

  override toString(): string {
    return `TestRemoteChannel[${this.channelInfo.toString()}]`;
  }
}

export { flush } from '../memory/PoolTestUtils';

/** Follows a promise's settlement without awaiting it. */
export function track<T>(promise: Promise<T>): { settled: () => boolean; value: () => T | undefined; error: () => unknown } {
  let settled = false;
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (v) => {
      settled = true;
      value = v;
    },
    (e: unknown) => {
      settled = true;
      error = e;
    },
  );
  return { settled: () => settled, value: () => value, error: () => error };
}

/** One `requestSubpartition` call seen by {@link FakePartitionRequestClient}, with the credit it would send. */
export interface RecordedPartitionRequest {
  partitionId: ResultPartitionID;
  subpartitionIndex: number;
  channel: RemoteInputChannel;
  delayMs: number;
  /** What the PartitionRequest carries: the channel's initial credit. */
  credit: number;
}

/** A PartitionRequestClient that records every call (no network). */
export class FakePartitionRequestClient implements PartitionRequestClient {
  readonly requests: RecordedPartitionRequest[] = [];
  /** Channels in the order of their `notifyCreditAvailable` calls. */
  readonly creditNotifications: RemoteInputChannel[] = [];
  readonly newBufferSizes: { channel: RemoteInputChannel; bufferSize: number }[] = [];
  readonly resumed: RemoteInputChannel[] = [];
  readonly acknowledged: RemoteInputChannel[] = [];
  readonly taskEvents: { partitionId: ResultPartitionID; event: TaskEvent; channel: RemoteInputChannel }[] = [];
  readonly closed: RemoteInputChannel[] = [];
  /** If set, `requestSubpartition` rejects with it (a failed write). */
  requestFailure: Error | null = null;

  requestSubpartition(partitionId: ResultPartitionID, subpartitionIndex: number, channel: RemoteInputChannel, delayMs: number): Promise<void> {
    this.requests.push({ partitionId, subpartitionIndex, channel, delayMs, credit: channel.getInitialCredit() });
    return this.requestFailure === null ? Promise.resolve() : Promise.reject(this.requestFailure);
  }

  notifyCreditAvailable(channel: RemoteInputChannel): void {
    this.creditNotifications.push(channel);
  }

  notifyNewBufferSize(channel: RemoteInputChannel, bufferSize: number): void {
    this.newBufferSizes.push({ channel, bufferSize });
  }

  resumeConsumption(channel: RemoteInputChannel): void {
    this.resumed.push(channel);
  }

  acknowledgeAllRecordsProcessed(channel: RemoteInputChannel): void {
    this.acknowledged.push(channel);
  }

  sendTaskEvent(partitionId: ResultPartitionID, event: TaskEvent, channel: RemoteInputChannel): Promise<void> {
    this.taskEvents.push({ partitionId, event, channel });
    return Promise.resolve();
  }

  close(channel: RemoteInputChannel): void {
    this.closed.push(channel);
  }
}

/**
 * A ConnectionManager handing out one shared {@link FakePartitionRequestClient}; records the connection
 * ids asked for and closed. `connectFailure` makes connecting fail; `holdConnects` keeps connects pending
 * until {@link completeConnects}.
 */
export class FakeConnectionManager implements ConnectionManager {
  readonly client = new FakePartitionRequestClient();
  readonly connects: ConnectionID[] = [];
  readonly closedConnections: ConnectionID[] = [];
  connectFailure: Error | null = null;
  holdConnects = false;
  private readonly pending: (() => void)[] = [];

  start(): Promise<number> {
    return Promise.resolve(-1);
  }

  createPartitionRequestClient(connectionId: ConnectionID): Promise<PartitionRequestClient> {
    this.connects.push(connectionId);
    if (this.connectFailure !== null) return Promise.reject(this.connectFailure);
    if (!this.holdConnects) return Promise.resolve(this.client);
    return new Promise((resolve) => this.pending.push(() => resolve(this.client)));
  }

  /** Completes the connects held back by `holdConnects`. */
  completeConnects(): void {
    for (const complete of this.pending.splice(0)) complete();
  }

  closeOpenChannelConnections(connectionId: ConnectionID): void {
    this.closedConnections.push(connectionId);
  }

  getNumberOfActiveConnections(): number {
    return 0;
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
