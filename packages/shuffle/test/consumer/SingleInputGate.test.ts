import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { IllegalStateException } from '@sluice/channel';
import { CancelTaskException } from '../../src/consumer/errors';
import { LocalInputChannel } from '../../src/consumer/LocalInputChannel';
import type { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { CheckpointBarrier } from '../../src/event/CheckpointBarrier';
import { CheckpointOptions } from '../../src/event/CheckpointOptions';
import { CheckpointStorageLocationReference } from '../../src/event/CheckpointStorageLocationReference';
import { CheckpointType } from '../../src/event/CheckpointType';
import { EndOfData } from '../../src/event/EndOfData';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';
import { StopMode } from '../../src/event/StopMode';
import type { BufferOrEvent } from '../../src/consumer/BufferOrEvent';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import type { NetworkBufferPool } from '../../src/memory/NetworkBufferPool';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { dataBuffer, eventBuffer, flush, newGate, TestPartitionProvider, track, type TestSubpartitionView } from './ConsumerTestUtils';

installPoolChecks();

/** A gate of `n` local channels over fake views, partitions requested. */
function setUpGate(n: number, producerPool: LocalBufferPool, floatingFrom?: NetworkBufferPool) {
  const provider = new TestPartitionProvider();
  const gate = newGate(
    { numberOfInputChannels: n, gateIndex: 3, owningTaskName: 'test task' },
    floatingFrom === undefined ? undefined : () => floatingFrom.createBufferPool(1, 4),
  );
  const views: TestSubpartitionView[] = [];
  const channels: LocalInputChannel[] = [];
  for (let i = 0; i < n; i++) {
    const partitionId = ResultPartitionID.random();
    views.push(provider.register(partitionId));
    channels.push(new LocalInputChannel(gate, i, partitionId, 0, provider));
  }
  gate.setInputChannels(...channels);
  return { gate, views, channels, provider, producerPool };
}

/** Polls everything available; returns "<channel>:<kind>" and recycles buffers. */
function drain(gate: SingleInputGate): string[] {
  const seen: string[] = [];
  let next: BufferOrEvent | null;
  while ((next = gate.pollNext()) !== null) {
    const channel = next.getChannelInfo().getInputChannelIdx();
    if (next.isBuffer()) {
      seen.push(`${channel}:${next.getBuffer().getSize()}`);
      next.getBuffer().recycleBuffer();
    } else {
      seen.push(`${channel}:${next.getEvent().toString()}`);
    }
  }
  return seen;
}

describe('SingleInputGate', () => {
  let global: NetworkBufferPool;
  let producerPool: LocalBufferPool;

  beforeEach(() => {
    global = newGlobalPool(64, 64);
    producerPool = global.createBufferPool(16, 32);
  });

  afterEach(() => {
    producerPool.lazyDestroy();
  });

  it('re-queues a channel with more data at the tail, so that channels take turns', () => {
    const { gate, views } = setUpGate(3, producerPool);
    gate.requestPartitions();
    // Channel 0 becomes non-empty first and has the most data.
    views[0]!.add(dataBuffer(producerPool, 1)).add(dataBuffer(producerPool, 2)).add(dataBuffer(producerPool, 3));
    views[1]!.add(dataBuffer(producerPool, 11)).add(dataBuffer(producerPool, 12));
    views[2]!.add(dataBuffer(producerPool, 21));

    expect(drain(gate)).toEqual(['0:1', '1:11', '2:21', '0:2', '1:12', '0:3']);
    gate.close();
  });

  it('queues a channel once however often it notifies', () => {
    const { gate, views, channels } = setUpGate(2, producerPool);
    gate.requestPartitions();
    expect(drain(gate)).toEqual([]); // the requests queued both (empty) channels once
    views[1]!.add(dataBuffer(producerPool, 5));
    channels[1]!.notifyChannelNonEmpty();
    channels[1]!.notifyChannelNonEmpty();
    views[0]!.add(dataBuffer(producerPool, 6));

    expect(drain(gate)).toEqual(['1:5', '0:6']);
    gate.close();
  });

  it('reports moreAvailable while other channels are queued', () => {
    const { gate, views } = setUpGate(2, producerPool);
    gate.requestPartitions();
    views[0]!.add(dataBuffer(producerPool, 1));
    views[1]!.add(dataBuffer(producerPool, 2));

    const first = gate.pollNext()!;
    const second = gate.pollNext()!;
    expect([first.moreAvailable(), second.moreAvailable()]).toEqual([true, false]);
    first.getBuffer().recycleBuffer();
    second.getBuffer().recycleBuffer();
    gate.close();
  });

  it('turns unavailable when pollNext finds nothing and available again on the next notification', () => {
    const { gate, views } = setUpGate(2, producerPool);
    gate.requestPartitions();
    // requestSubpartition notified once per channel; both views are empty.
    expect(gate.isAvailable()).toBe(true);
    expect(gate.pollNext()).toBeNull();
    expect(gate.isAvailable()).toBe(false);

    const future = gate.getAvailableFuture();
    views[1]!.add(dataBuffer(producerPool, 7));
    expect(future.isDone()).toBe(true);
    expect(gate.isAvailable()).toBe(true);
    expect(drain(gate)).toEqual(['1:7']);
    gate.close();
  });

  it('resolves getNext when data arrives later, while pollNext returns null at once', async () => {
    const { gate, views } = setUpGate(2, producerPool);
    gate.requestPartitions();
    expect(gate.pollNext()).toBeNull();

    const pending = track(gate.getNext());
    await flush();
    expect(pending.settled()).toBe(false);

    views[0]!.add(dataBuffer(producerPool, 9));
    await flush();
    expect(pending.settled()).toBe(true);
    const next = pending.value()!;
    expect(next.getChannelInfo().getInputChannelIdx()).toBe(0);
    expect(next.getBuffer().getSize()).toBe(9);
    next.getBuffer().recycleBuffer();
    gate.close();
  });

  it('marks a channel finished on its EndOfPartitionEvent, releases it, and finishes the gate after the last one', async () => {
    const { gate, views, channels } = setUpGate(2, producerPool);
    gate.requestPartitions();
    views[0]!.add(dataBuffer(producerPool, 1)).add(eventBuffer(EndOfPartitionEvent.INSTANCE));

    expect(drain(gate)).toEqual(['0:1', '0:EndOfPartitionEvent']);
    expect(channels[0]!.isReleased()).toBe(true);
    expect(views[0]!.released).toBe(true);
    expect(gate.isFinished()).toBe(false);

    // A late notification of the finished channel does not queue it again.
    channels[0]!.notifyChannelNonEmpty();
    expect(gate.pollNext()).toBeNull();

    const end = track(gate.getNext());
    views[1]!.add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    await flush();
    const last = end.value()!;
    expect(last.getEvent()).toBe(EndOfPartitionEvent.INSTANCE);
    expect(last.moreAvailable()).toBe(false);
    expect(gate.isFinished()).toBe(true);
    expect(gate.isAvailable()).toBe(true);
    expect(gate.pollNext()).toBeNull();
    await expect(gate.getNext()).resolves.toBeNull();
    gate.close();
  });

  it('deserializes events and recycles their buffers, hands data buffers over with one reference', () => {
    // An aligned barrier blocks the (fake) subpartition until resumeConsumption, as PipelinedSubpartition does.
    const { gate, views } = setUpGate(1, producerPool);
    gate.requestPartitions();
    const barrier = new CheckpointBarrier(7, 1234, CheckpointOptions.forCheckpointWithDefaultLocation());
    const eventBuf = eventBuffer(barrier);
    const data = dataBuffer(producerPool, 3);
    views[0]!.add(eventBuf).add(data);

    const event = gate.pollNext()!;
    expect(event.isEvent()).toBe(true);
    expect((event.getEvent() as CheckpointBarrier).getId()).toBe(7);
    expect(event.getSize()).toBeGreaterThan(4);
    expect(eventBuf.isRecycled()).toBe(true);
    expect(gate.pollNext()).toBeNull(); // blocked after the aligned barrier
    gate.resumeConsumption(event.getChannelInfo());

    const buffer = gate.pollNext()!;
    expect(buffer.getBuffer()).toBe(data);
    expect(data.refCnt()).toBe(1);
    data.recycleBuffer();
    gate.close();
  });

  it('lets a priority event overtake channels queued before it', () => {
    const { gate, views } = setUpGate(3, producerPool);
    gate.requestPartitions();
    expect(gate.pollNext()).toBeNull();
    views[0]!.add(dataBuffer(producerPool, 1));
    views[1]!.add(dataBuffer(producerPool, 2));
    const priorityFuture = gate.getPriorityEventAvailableFuture();
    const unaligned = new CheckpointBarrier(1, 1, CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, CheckpointStorageLocationReference.getDefault()));
    views[2]!.add(eventBuffer(unaligned, true));
    expect(priorityFuture.isDone()).toBe(true);

    const first = gate.pollNext()!;
    expect(first.getChannelInfo().getInputChannelIdx()).toBe(2);
    expect(first.hasPriority()).toBe(true);
    expect(gate.getPriorityEventAvailableFuture().isDone()).toBe(false);
    expect(drain(gate)).toEqual(['0:1', '1:2']);

    // A priority notification that arrives after its event was polled is ignored.
    // (The barrier was buffer 0 of channel 2's subpartition.)
    gate.notifyPriorityEvent(gate.getChannel(2), 0);
    expect(gate.getPriorityEventAvailableFuture().isDone()).toBe(false);
    expect(gate.isAvailable()).toBe(false);
    gate.close();
  });

  it('reports end of data once every channel delivered EndOfData', () => {
    const { gate, views } = setUpGate(2, producerPool);
    gate.requestPartitions();
    views[0]!.add(eventBuffer(new EndOfData(StopMode.DRAIN)));
    drain(gate);
    expect(gate.hasReceivedEndOfData()).toBe('NOT_END_OF_DATA');
    views[1]!.add(eventBuffer(new EndOfData(StopMode.NO_DRAIN)));
    drain(gate);
    expect(gate.hasReceivedEndOfData()).toBe('STOPPED');
    gate.close();
  });

  it('throws a channel error on the next poll', () => {
    const { gate, channels } = setUpGate(2, producerPool);
    gate.requestPartitions();
    drain(gate);
    channels[1]!.setError(new Error('boom'));
    expect(gate.isAvailable()).toBe(true);
    expect(() => gate.pollNext()).toThrow('boom');
    gate.close();
  });

  it('creates the floating pool in setup and destroys it on close', async () => {
    const { gate } = setUpGate(1, producerPool, global);
    expect(gate.getBufferPool()).toBeNull();
    await gate.setup();
    const pool = gate.getBufferPool()!;
    expect(pool.getNumberOfRequiredMemorySegments()).toBe(1);
    await expect(gate.setup()).rejects.toThrow(IllegalStateException);
    gate.close();
    expect(pool.isDestroyed()).toBe(true);
  });

  it('close releases every channel and returns every queued buffer; reads then throw CancelTaskException', async () => {
    const { gate, views, channels } = setUpGate(2, producerPool, global);
    await gate.setup();
    gate.requestPartitions();
    views[0]!.add(dataBuffer(producerPool, 1)).add(dataBuffer(producerPool, 2)).add(dataBuffer(producerPool, 3));
    views[1]!.add(dataBuffer(producerPool, 4));
    const read = gate.pollNext()!;
    read.getBuffer().recycleBuffer();
    expect(producerPool.bestEffortGetNumOfUsedBuffers()).toBe(3);

    gate.close();
    expect(channels.every((c) => c.isReleased())).toBe(true);
    expect(views.every((v) => v.released)).toBe(true);
    expect(producerPool.bestEffortGetNumOfUsedBuffers()).toBe(0);
    expect(() => gate.pollNext()).toThrow(CancelTaskException);
    await expect(gate.getNext()).rejects.toBeInstanceOf(CancelTaskException);
    gate.close(); // idempotent
  });

  it('wakes a waiting reader on close with CancelTaskException', async () => {
    const { gate } = setUpGate(1, producerPool);
    gate.requestPartitions();
    expect(gate.pollNext()).toBeNull();
    const pending = track(gate.getNext());
    await flush();
    gate.close();
    await flush();
    expect(pending.error()).toBeInstanceOf(CancelTaskException);
  });

  it('requests every partition once and checks that all channels are set', () => {
    const provider = new TestPartitionProvider();
    const gate = newGate({ numberOfInputChannels: 2 });
    const id = ResultPartitionID.random();
    provider.register(id);
    gate.setInputChannels(new LocalInputChannel(gate, 0, id, 0, provider));
    expect(() => gate.requestPartitions()).toThrow(/mismatch/);
    const id2 = ResultPartitionID.random();
    provider.register(id2);
    gate.setInputChannels(new LocalInputChannel(gate, 1, id2, 0, provider));
    gate.requestPartitions();
    gate.requestPartitions();
    expect(provider.requests.length).toBe(2);
    expect(gate.getChannelInfos().map((info) => info.toString())).toEqual([
      'InputChannelInfo{gateIdx=0, inputChannelIdx=0}',
      'InputChannelInfo{gateIdx=0, inputChannelIdx=1}',
    ]);
    gate.close();
    expect(() => gate.requestPartitions()).not.toThrow(); // already requested
  });

  it('forwards resumeConsumption and acknowledgeAllRecordsProcessed to the channel', () => {
    const { gate, views, channels } = setUpGate(2, producerPool);
    gate.requestPartitions();
    drain(gate);
    gate.resumeConsumption(channels[1]!.getChannelInfo());
    gate.acknowledgeAllRecordsProcessed(channels[0]!.getChannelInfo());
    expect([views[0]!.resumed, views[1]!.resumed, views[0]!.acknowledged]).toEqual([0, 1, 1]);
    gate.announceBufferSize(4096);
    expect(views[0]!.bufferSizes).toEqual([4096]);
    gate.close();
  });

  it('counts queued buffers over all channels', () => {
    const { gate, views } = setUpGate(2, producerPool);
    gate.requestPartitions();
    views[0]!.add(dataBuffer(producerPool)).add(dataBuffer(producerPool));
    views[1]!.add(dataBuffer(producerPool));
    expect(gate.getNumberOfQueuedBuffers()).toBe(3);
    gate.close();
  });
});
