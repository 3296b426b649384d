// PartitionRequestQueue and the credit-based reader over real pipelined partitions (reference §2.1/§2.2,
// scenarios 28, 29, 31, 32, 34), ported as our own tests from Flink's PartitionRequestQueueTest, plus
// turn-taking, one buffer in flight and writability.
import { describe, expect, it } from '@jest/globals';
import {
  ChannelOutboundHandlerAdapter,
  EmbeddedChannel,
  IllegalStateException,
  type ChannelHandlerContext,
  type ChannelPromise,
} from '@sluice/channel';
import { InputChannelID } from '../../src/consumer/InputChannelID';
import { DataType, FreeingBufferRecycler, MemorySegmentFactory, NetworkBuffer, type Buffer } from '../../src/memory';
import { CreditBasedSequenceNumberingViewReader } from '../../src/netty/CreditBasedSequenceNumberingViewReader';
import { BacklogAnnouncement } from '../../src/netty/message/BacklogAnnouncement';
import { BufferResponse } from '../../src/netty/message/BufferResponse';
import { ErrorResponse } from '../../src/netty/message/ErrorResponse';
import { PartitionRequestQueue } from '../../src/netty/PartitionRequestQueue';
import {
  BufferAndBacklog,
  ResultPartitionID,
  type AvailabilityWithBacklog,
  type BufferAvailabilityListener,
  type ResultPartitionProvider,
  type ResultSubpartitionView,
} from '../../src/partition';
import { installPoolChecks } from '../memory/PoolTestUtils';
import { closeAndRelease, blockChannel, drainBufferResponses, readAllOutbound, releaseAll, ServerTestPartition } from './PartitionRequestQueueTestUtils';

installPoolChecks();

// The leak and pool checks run in afterEach hooks registered before any of ours, so every test cleans up
// in its own `finally` (cleanUp).
const toDispose: (() => void)[] = [];
function cleanUp(): void {
  for (const dispose of toDispose.splice(0).reverse()) dispose();
}

/** Runs a test body and then disposes what it set up, also when it fails. */
function t(body: () => void): () => void {
  return () => {
    try {
      body();
    } finally {
      cleanUp();
    }
  };
}

/** A queue in an EmbeddedChannel (no encoder: NettyMessage objects come out) and a partition. */
function setup(options: { subpartitions?: number } = {}) {
  const p = new ServerTestPartition({ subpartitions: options.subpartitions ?? 1 });
  const queue = new PartitionRequestQueue();
  const channel = new EmbeddedChannel(queue);
  toDispose.push(() => p.dispose());
  toDispose.push(() => closeAndRelease(channel));
  const partitionId = p.partition.getPartitionId();
  function newReader(initialCredit: number, subpartition = 0): CreditBasedSequenceNumberingViewReader {
    const reader = new CreditBasedSequenceNumberingViewReader(InputChannelID.random(), initialCredit, queue);
    reader.requestSubpartitionViewOrRegisterListener(p.manager, partitionId, subpartition);
    return reader;
  }
  return { p, queue, channel, newReader };
}

/** A view that hands out one given buffer, then nothing (Flink's DefaultBufferResultSubpartitionView). */
class SingleBufferView implements ResultSubpartitionView {
  private buffer: Buffer | null;
  private released = false;
  constructor(buffer: Buffer) {
    this.buffer = buffer;
  }
  getNextBuffer(): BufferAndBacklog | null {
    const buffer = this.buffer;
    if (buffer === null) return null;
    this.buffer = null;
    return new BufferAndBacklog(buffer, 0, DataType.NONE, 0);
  }
  notifyDataAvailable(): void {}
  notifyPriorityEvent(): void {}
  releaseAllResources(): void {
    this.released = true;
    this.buffer?.recycleBuffer();
    this.buffer = null;
  }
  isReleased(): boolean {
    return this.released;
  }
  resumeConsumption(): void {}
  acknowledgeAllDataProcessed(): void {}
  getFailureCause(): Error | null {
    return null;
  }
  getAvailabilityAndBacklog(): AvailabilityWithBacklog {
    return { isAvailable: this.buffer !== null, backlog: 0 };
  }
  unsynchronizedGetNumberOfQueuedBuffers(): number {
    return this.buffer === null ? 0 : 1;
  }
  getNumberOfQueuedBuffers(): number {
    return this.unsynchronizedGetNumberOfQueuedBuffers();
  }
  notifyNewBufferSize(): void {}
}

/** Holds every write (promise not completed) until the test lets it through. */
class HoldingWrites extends ChannelOutboundHandlerAdapter {
  readonly held: { msg: unknown; promise: ChannelPromise; ctx: ChannelHandlerContext }[] = [];
  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    this.held.push({ msg, promise, ctx });
  }
  /** Passes the oldest held write on (it then completes). */
  releaseOne(): void {
    const next = this.held.shift()!;
    next.ctx.write(next.msg, next.promise);
    next.ctx.flush();
  }
}

describe('PartitionRequestQueue', () => {
  it('answers a reader whose partition failed with an ErrorResponse carrying the cause (scenario 28)', t(() => {
    const { p, channel, newReader } = setup();
    const reader = newReader(2);
    channel.runPendingTasks();
    expect(channel.readOutbound()).toBeNull();

    const cause = new Error('producer failed');
    p.partition.fail(cause);
    // Flink's test triggers the queue by hand: a released view does not notify.
    reader.notifyDataAvailable(null as unknown as ResultSubpartitionView);
    channel.runPendingTasks();

    const msg = channel.readOutbound<ErrorResponse>();
    expect(msg).toBeInstanceOf(ErrorResponse);
    expect(msg!.cause).toBe(cause);
    expect(msg!.receiverId!.equals(reader.getReceiverId())).toBe(true);
    expect(msg!.isFatalError()).toBe(false);
    expect(channel.readOutbound()).toBeNull();
  }));

  it.each([
    ['a normal buffer', false],
    ['a read-only slice', true],
  ])('writes exactly one BufferResponse for %s, then nothing (scenario 29)', (_name, readOnly) => t(() => {
    const queue = new PartitionRequestQueue();
    const channel = new EmbeddedChannel(queue);
    const network = new NetworkBuffer(MemorySegmentFactory.allocateUnpooledSegment(1024), FreeingBufferRecycler.INSTANCE);
    network.setSize(1024);
    const buffer = readOnly ? network.readOnlySlice() : network;
    const view = new SingleBufferView(buffer);
    const provider: ResultPartitionProvider = { createSubpartitionView: () => view };
    const reader = new CreditBasedSequenceNumberingViewReader(InputChannelID.random(), 2, queue);
    reader.requestSubpartitionViewOrRegisterListener(provider, ResultPartitionID.random(), 0);
    channel.runPendingTasks();

    const msgs = readAllOutbound(channel);
    releaseAll(msgs);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toBeInstanceOf(BufferResponse);
    expect((msgs[0] as BufferResponse).bufferSize).toBe(1024);
    expect((msgs[0] as BufferResponse).buffer).toBe(buffer);
    expect(network.isRecycled()).toBe(true);
    expect(channel.finishAndReleaseAll()).toBe(false);
  })());

  it('enqueues a reader without credit only once credit arrives, once, and sends one buffer per credit (scenario 31)', t(() => {
    const { p, queue, channel, newReader } = setup();
    p.addData(0, 10);
    const reader = newReader(2);
    reader.addCredit(-2);
    const receiverId = reader.getReceiverId();
    // Block the channel so that the intermediate state stays visible.
    const blocker = blockChannel(channel);
    expect(channel.readOutbound()).toBeNull();

    for (let i = 0; i < 5; i++) reader.notifyDataAvailable(null as unknown as ResultSubpartitionView);
    channel.runPendingTasks();
    // No credit: not enqueued although there is data.
    expect(queue.getAvailableReaders()).toHaveLength(0);
    expect(reader.hasBuffersAvailable().isAvailable).toBe(true);
    expect(reader.isRegisteredAsAvailable()).toBe(false);
    expect(reader.getNumCreditsAvailable()).toBe(0);

    for (let i = 1; i <= 3; i++) {
      queue.addCreditOrResumeConsumption(receiverId, (r) => r.addCredit(1));
      // Enqueued (credit and data), but only once; the blocked channel sends nothing.
      expect(reader.isRegisteredAsAvailable()).toBe(true);
      expect(queue.getAvailableReaders()).toEqual([reader]);
      expect(reader.getNumCreditsAvailable()).toBe(i);
      expect(reader.hasBuffersAvailable().isAvailable).toBe(true);
    }

    // Flushing makes the channel writable again: the queue sends what the credit allows.
    channel.flush();
    expect(channel.readOutbound()).toBe(blocker);
    blocker.release();
    expect(queue.getAvailableReaders()).toHaveLength(0);
    expect(reader.getNumCreditsAvailable()).toBe(0);
    expect(reader.hasBuffersAvailable().isAvailable).toBe(true);
    expect(reader.isRegisteredAsAvailable()).toBe(false);
    const responses = drainBufferResponses(channel);
    expect(responses.map((r) => r.sequenceNumber)).toEqual([0, 1, 2]);
    expect(responses.map((r) => r.backlog)).toEqual([9, 8, 7]);
    expect(responses.every((r) => r.dataType === DataType.DATA_BUFFER && r.bufferSize === 64)).toBe(true);
  }));

  it('stops after an aligned barrier and sends the rest after ResumeConsumption (scenario 32)', t(() => {
    const { p, queue, channel, newReader } = setup();
    p.addEvent(0, DataType.ALIGNED_CHECKPOINT_BARRIER);
    p.addEvent(0, DataType.DATA_BUFFER, 64); // finished static content, as in Flink's test
    const reader = newReader(2);
    reader.addCredit(Number.MAX_SAFE_INTEGER - 2);
    expect(reader.getAvailabilityAndBacklog().isAvailable).toBe(true);
    channel.runPendingTasks();

    // The barrier went out and blocked the subpartition with the data buffer still queued.
    expect(reader.getAvailabilityAndBacklog().isAvailable).toBe(false);
    expect(p.subpartition(0).unsynchronizedGetNumberOfQueuedBuffers()).toBe(1);

    queue.addCreditOrResumeConsumption(reader.getReceiverId(), (r) => r.resumeConsumption());
    expect(reader.getAvailabilityAndBacklog().isAvailable).toBe(false);
    expect(p.subpartition(0).unsynchronizedGetNumberOfQueuedBuffers()).toBe(0);

    const responses = drainBufferResponses(channel);
    expect(responses.map((r) => r.dataType)).toEqual([DataType.ALIGNED_CHECKPOINT_BARRIER, DataType.DATA_BUFFER]);
  }));

  it('announces the backlog to a receiver without exclusive buffers and no credit, then sends on credit (scenario 34)', t(() => {
    const { p, queue, channel, newReader } = setup();
    p.addData(0, 3);
    p.subpartition(0).flush(); // all three count as backlog
    const reader = newReader(0);
    expect(reader.needAnnounceBacklog()).toBe(true);
    channel.runPendingTasks();

    const announcement = channel.readOutbound<BacklogAnnouncement>();
    expect(announcement).toBeInstanceOf(BacklogAnnouncement);
    expect(announcement!.backlog).toBe(3);
    expect(announcement!.receiverId.equals(reader.getReceiverId())).toBe(true);
    expect(channel.readOutbound()).toBeNull();
    expect(queue.getAvailableReaders()).toHaveLength(0);

    queue.addCreditOrResumeConsumption(reader.getReceiverId(), (r) => r.addCredit(2));
    const responses = drainBufferResponses(channel);
    expect(responses.map((r) => r.backlog)).toEqual([2, 1]);
    expect(reader.getNumCreditsAvailable()).toBe(0);
    // Out of credit again with one buffer left: the next look at the reader announces it.
    reader.notifyDataAvailable(null as unknown as ResultSubpartitionView);
    channel.runPendingTasks();
    const again = channel.readOutbound<BacklogAnnouncement>();
    expect(again).toBeInstanceOf(BacklogAnnouncement);
    expect(again!.backlog).toBe(1);
    // A reader with exclusive buffers never announces.
    expect(new CreditBasedSequenceNumberingViewReader(InputChannelID.random(), 2, queue).needAnnounceBacklog()).toBe(false);
  }));

  it('lets the readers of one connection take turns (round robin)', t(() => {
    const { p, channel, newReader } = setup({ subpartitions: 3 });
    for (let i = 0; i < 3; i++) p.addData(i, 3);
    const blocker = blockChannel(channel);
    const readers = [newReader(10, 0), newReader(10, 1), newReader(10, 2)];
    channel.runPendingTasks();
    expect(readAllOutbound(channel)).toEqual([]);

    channel.flush();
    expect(channel.readOutbound()).toBe(blocker);
    blocker.release();
    const order = drainBufferResponses(channel).map((r) => readers.findIndex((reader) => reader.getReceiverId().equals(r.receiverId)));
    expect(order).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
  }));

  it('keeps one buffer in flight and writes the next from the completed write', t(() => {
    const p = new ServerTestPartition();
    toDispose.push(() => p.dispose());
    const holding = new HoldingWrites();
    const queue = new PartitionRequestQueue();
    const channel = new EmbeddedChannel(holding, queue);
    p.addData(0, 3);
    const reader = new CreditBasedSequenceNumberingViewReader(InputChannelID.random(), 5, queue);
    reader.requestSubpartitionViewOrRegisterListener(p.manager, p.partition.getPartitionId(), 0);
    channel.runPendingTasks();

    expect(holding.held).toHaveLength(1);
    expect(queue.getAvailableReaders()).toEqual([reader]);
    holding.releaseOne();
    expect(holding.held).toHaveLength(1);
    holding.releaseOne();
    expect(holding.held).toHaveLength(1);
    holding.releaseOne();
    expect(holding.held).toHaveLength(0);
    expect(drainBufferResponses(channel).map((r) => r.sequenceNumber)).toEqual([0, 1, 2]);
    expect(reader.getNumCreditsAvailable()).toBe(2);
    channel.finishAndReleaseAll();
  }));

  it('writes nothing while the channel is unwritable and resumes when it turns writable', t(() => {
    const { p, queue, channel, newReader } = setup();
    p.addData(0, 2);
    const blocker = blockChannel(channel);
    const reader = newReader(2);
    channel.runPendingTasks();
    expect(queue.getAvailableReaders()).toEqual([reader]);

    channel.flush();
    expect(channel.readOutbound()).toBe(blocker);
    blocker.release();
    expect(drainBufferResponses(channel)).toHaveLength(2);
  }));

  it('fails for credit for an unknown receiver with "No reader for receiverId = … exists."', t(() => {
    const { queue } = setup();
    const unknown = InputChannelID.random();
    expect(() => queue.addCreditOrResumeConsumption(unknown, (r) => r.addCredit(1))).toThrow(IllegalStateException);
    expect(() => queue.addCreditOrResumeConsumption(unknown, (r) => r.addCredit(1))).toThrow(`No reader for receiverId = ${unknown.toString()} exists.`);
    // A buffer size for an unknown receiver is ignored (consumers announce to channels not requested yet).
    expect(() => queue.notifyNewBufferSize(unknown, 1024)).not.toThrow();
  }));

  it('fails the connection on an exception: releases every reader, sends a fatal ErrorResponse and closes', t(() => {
    const { p, channel, newReader } = setup();
    const reader = newReader(2);
    channel.runPendingTasks();
    const cause = new Error('boom');
    channel.pipeline().fireExceptionCaught(cause);
    channel.runPendingTasks();

    const msg = channel.readOutbound<ErrorResponse>();
    expect(msg).toBeInstanceOf(ErrorResponse);
    expect(msg!.isFatalError()).toBe(true);
    expect(msg!.cause).toBe(cause);
    expect(channel.isOpen()).toBe(false);
    expect(reader.isReleased()).toBe(true);
    expect(p.subpartition(0).isReleased()).toBe(false); // the view, not the partition
  }));

  it('fails the connection when a BufferResponse write fails: buffer recycled, readers released, fatal ErrorResponse, closed', t(() => {
    const p = new ServerTestPartition({ subpartitions: 2 });
    toDispose.push(() => p.dispose());
    const holding = new HoldingWrites();
    const queue = new PartitionRequestQueue();
    const channel = new EmbeddedChannel(holding, queue);
    toDispose.push(() => closeAndRelease(channel));
    p.addData(0, 2);
    const readers = [0, 1].map((subpartition) => {
      const reader = new CreditBasedSequenceNumberingViewReader(InputChannelID.random(), 2, queue);
      reader.requestSubpartitionViewOrRegisterListener(p.manager, p.partition.getPartitionId(), subpartition);
      return reader;
    });
    channel.runPendingTasks();
    expect(holding.held).toHaveLength(1);

    // The transport fails the write; whoever fails a write releases its message (Netty's rule).
    const failed = holding.held.shift()!;
    expect(failed.msg).toBeInstanceOf(BufferResponse);
    (failed.msg as BufferResponse).releaseBuffer();
    const cause = new Error('write failed');
    failed.promise.setFailure(cause);
    channel.runPendingTasks();

    expect(readers.map((r) => r.isReleased())).toEqual([true, true]);
    expect(queue.getAvailableReaders()).toEqual([]);
    expect(holding.held.map((h) => h.msg)).toEqual([expect.any(ErrorResponse)]);
    const error = holding.held[0]!.msg as ErrorResponse;
    expect(error.isFatalError()).toBe(true);
    expect(error.cause).toBe(cause);
    expect(channel.isOpen()).toBe(true);
    holding.releaseOne();
    channel.runPendingTasks();
    expect(channel.isOpen()).toBe(false);
    // The second buffer never left its subpartition; releasing the partition (dispose) recycles it, and
    // the pool checks after the test see every buffer back.
  }));

  it('refuses to hand out a data buffer without credit, recycling it (the guard behind the availability check)', t(() => {
    const { p, newReader } = setup();
    p.addData(0, 1);
    const reader = newReader(0);
    expect(() => reader.getNextBuffer()).toThrow(new IllegalStateException(`no credit available (receiver ${reader.getReceiverId().toString()})`));
    // The buffer is gone from the subpartition and back in its pool (the pool checks after the test).
    expect(p.subpartition(0).getNumberOfQueuedBuffers()).toBe(0);
  }));

  it('releases every reader when the channel goes inactive', t(() => {
    const { channel, newReader } = setup({ subpartitions: 2 });
    const readers = [newReader(2, 0), newReader(2, 1)];
    channel.runPendingTasks();
    channel.close();
    expect(readers.map((r) => r.isReleased())).toEqual([true, true]);
  }));

  it('cancels one reader: removed from the queue and its view released', t(() => {
    const { p, queue, channel, newReader } = setup({ subpartitions: 2 });
    const blocker = blockChannel(channel);
    p.addData(0, 2);
    p.addData(1, 2);
    const [a, b] = [newReader(2, 0), newReader(2, 1)];
    channel.runPendingTasks();
    expect(queue.getAvailableReaders()).toEqual([a, b]);

    queue.cancel(a.getReceiverId());
    expect(a.isReleased()).toBe(true);
    expect(queue.getAvailableReaders()).toEqual([b]);
    expect(queue.hasReader(a.getReceiverId())).toBe(false);

    channel.flush();
    expect(channel.readOutbound()).toBe(blocker);
    blocker.release();
    expect(drainBufferResponses(channel).every((r) => r.receiverId.equals(b.getReceiverId()))).toBe(true);
  }));

  it('forwards NewBufferSize and AckAllUserRecordsProcessed to the view', t(() => {
    const { p, queue, newReader } = setup();
    const reader = newReader(2);
    queue.notifyNewBufferSize(reader.getReceiverId(), 96);
    // The subpartition returns the debloated size from add().
    expect(p.addData(0, 1, 16)).toBe(96);
    expect(() => queue.acknowledgeAllRecordsProcessed(reader.getReceiverId())).not.toThrow();
  }));
});
