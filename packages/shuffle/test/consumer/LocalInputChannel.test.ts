import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { IllegalStateException } from '@sluice/channel';
import { EmbeddedEventLoop } from '@sluice/channel/testing';
import { CancelTaskException } from '../../src/consumer/errors';
import { LocalInputChannel } from '../../src/consumer/LocalInputChannel';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import { SimpleCounter } from '../../src/metrics/Counter';
import { PartitionNotFoundException } from '../../src/partition/errors';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { dataBuffer, eventBuffer, newGate, TestPartitionProvider, TestRemoteChannel, TestSubpartitionView } from './ConsumerTestUtils';

installPoolChecks();

describe('LocalInputChannel', () => {
  let producerPool: LocalBufferPool;
  let loop: EmbeddedEventLoop;

  beforeEach(() => {
    producerPool = newGlobalPool(32, 64).createBufferPool(8, 16);
    loop = new EmbeddedEventLoop();
    loop.freezeTime();
  });

  afterEach(() => {
    loop.cancelScheduledTasks();
    producerPool.lazyDestroy();
  });

  it('requests the view with itself as the listener and reads the producer buffers in order', () => {
    const provider = new TestPartitionProvider();
    const partitionId = ResultPartitionID.random();
    const view = provider.register(partitionId);
    const gate = newGate({ numberOfInputChannels: 1 });
    const numBytesIn = new SimpleCounter();
    const numBuffersIn = new SimpleCounter();
    const channel = new LocalInputChannel(gate, 0, partitionId, 2, provider, { numBytesIn, numBuffersIn });
    gate.setInputChannels(channel);
    gate.requestPartitions();

    expect(provider.requests).toEqual([{ partitionId, subpartitionIndex: 2, at: 0 }]);
    expect(view.listener).toBe(channel);
    expect(channel.getSubpartitionView()).toBe(view);

    view.add(dataBuffer(producerPool, [1, 2, 3])).add(dataBuffer(producerPool, [4]));
    const first = channel.getNextBuffer()!;
    expect(first.moreAvailable()).toBe(true);
    expect(first.buffersInBacklog).toBe(1);
    expect(first.sequenceNumber).toBe(0);
    first.buffer.recycleBuffer();
    const second = channel.getNextBuffer()!;
    expect(second.moreAvailable()).toBe(false);
    expect(second.buffer.getNioBufferReadable()[0]).toBe(4);
    second.buffer.recycleBuffer();
    expect(channel.getNextBuffer()).toBeNull();
    expect([numBytesIn.getCount(), numBuffersIn.getCount()]).toEqual([4, 2]);
    gate.close();
  });

  it('queues itself at the gate when the view notifies data', () => {
    const provider = new TestPartitionProvider();
    const partitionId = ResultPartitionID.random();
    const view = provider.register(partitionId);
    const gate = newGate({ numberOfInputChannels: 1 });
    gate.setInputChannels(new LocalInputChannel(gate, 0, partitionId, 0, provider));
    gate.requestPartitions();
    expect(gate.pollNext()).toBeNull();
    expect(gate.isAvailable()).toBe(false);

    view.add(dataBuffer(producerPool, 2));
    expect(gate.isAvailable()).toBe(true);
    const next = gate.pollNext()!;
    expect(next.getBuffer().getSize()).toBe(2);
    next.getBuffer().recycleBuffer();
    gate.close();
  });

  it('skips and recycles empty buffers, counting them as buffers', () => {
    const provider = new TestPartitionProvider();
    const partitionId = ResultPartitionID.random();
    const view = provider.register(partitionId);
    const gate = newGate({ numberOfInputChannels: 1 });
    const numBuffersIn = new SimpleCounter();
    const channel = new LocalInputChannel(gate, 0, partitionId, 0, provider, { numBuffersIn });
    gate.setInputChannels(channel);
    gate.requestPartitions();
    const empty = dataBuffer(producerPool, 0);
    view.add(empty).add(dataBuffer(producerPool, 5));
    const next = channel.getNextBuffer()!;
    expect(next.buffer.getSize()).toBe(5);
    expect(empty.isRecycled()).toBe(true);
    expect(numBuffersIn.getCount()).toBe(2);
    next.buffer.recycleBuffer();
    gate.close();
  });

  it('retries a partition that is not found after the back-off, doubling it, and succeeds once it appears', () => {
    const provider = new TestPartitionProvider();
    provider.clock = () => loop.currentTimeMillis();
    const start = loop.currentTimeMillis();
    const partitionId = ResultPartitionID.random();
    const gate = newGate({ numberOfInputChannels: 1, executor: loop });
    const channel = new LocalInputChannel(gate, 0, partitionId, 0, provider, { initialBackoffMs: 100, maxBackoffMs: 1000 });
    gate.setInputChannels(channel);
    gate.requestPartitions();
    expect(channel.getCurrentBackoff()).toBe(100);

    loop.advanceTimeBy(99);
    loop.runScheduledTasks();
    expect(provider.requests.length).toBe(1);
    loop.advanceTimeBy(1);
    loop.runScheduledTasks();
    expect(provider.requests.length).toBe(2);
    expect(channel.getCurrentBackoff()).toBe(200);

    const view = provider.register(partitionId);
    view.add(dataBuffer(producerPool, 3));
    loop.advanceTimeBy(200);
    loop.runScheduledTasks();
    expect(provider.requests.map((r) => Math.round(r.at - start))).toEqual([0, 100, 300]);
    expect(channel.getSubpartitionView()).toBe(view);
    const next = gate.pollNext()!;
    expect(next.getBuffer().getSize()).toBe(3);
    next.getBuffer().recycleBuffer();
    gate.close();
  });

  it('fails with PartitionNotFoundException once the maximum back-off is exceeded', () => {
    const provider = new TestPartitionProvider();
    provider.clock = () => loop.currentTimeMillis();
    const start = loop.currentTimeMillis();
    const partitionId = ResultPartitionID.random();
    const gate = newGate({ numberOfInputChannels: 1, executor: loop });
    const channel = new LocalInputChannel(gate, 0, partitionId, 0, provider, { initialBackoffMs: 100, maxBackoffMs: 400 });
    gate.setInputChannels(channel);
    gate.requestPartitions();
    for (let i = 0; i < 10; i++) {
      loop.advanceTimeBy(100);
      loop.runScheduledTasks();
    }
    // Requests at 0, then after 100, 200 and 400 ms of back-off; the fourth miss fails.
    expect(provider.requests.map((r) => Math.round(r.at - start))).toEqual([0, 100, 300, 700]);
    expect(gate.isAvailable()).toBe(true);
    expect(() => gate.pollNext()).toThrow(PartitionNotFoundException);
    expect(loop.nextScheduledTaskDelay()).toBe(-1);
    gate.close();
  });

  it('fails at once when the back-off is disabled', () => {
    const provider = new TestPartitionProvider();
    const gate = newGate({ numberOfInputChannels: 1, executor: loop });
    const channel = new LocalInputChannel(gate, 0, ResultPartitionID.random(), 0, provider, { initialBackoffMs: 0, maxBackoffMs: 0 });
    gate.setInputChannels(channel);
    gate.requestPartitions();
    expect(channel.getError()).toBeInstanceOf(PartitionNotFoundException);
    expect(() => gate.pollNext()).toThrow(PartitionNotFoundException);
    gate.close();
  });

  it('retries with real timers when the gate has no executor', async () => {
    const provider = new TestPartitionProvider();
    const partitionId = ResultPartitionID.random();
    const gate = newGate({ numberOfInputChannels: 1 });
    gate.setInputChannels(new LocalInputChannel(gate, 0, partitionId, 0, provider, { initialBackoffMs: 5, maxBackoffMs: 20 }));
    gate.requestPartitions();
    provider.register(partitionId).add(dataBuffer(producerPool, 1));
    const next = await gate.getNext();
    expect(provider.requests.length).toBe(2);
    next!.getBuffer().recycleBuffer();
    gate.close();
  });

  it('cancels a pending retry when the gate closes', () => {
    const provider = new TestPartitionProvider();
    const gate = newGate({ numberOfInputChannels: 1, executor: loop });
    gate.setInputChannels(new LocalInputChannel(gate, 0, ResultPartitionID.random(), 0, provider, { initialBackoffMs: 100, maxBackoffMs: 400 }));
    gate.requestPartitions();
    expect(Math.round(loop.nextScheduledTaskDelay())).toBe(100);
    gate.close();
    expect(loop.nextScheduledTaskDelay()).toBe(-1);
    loop.advanceTimeBy(1000);
    loop.runScheduledTasks();
    expect(provider.requests.length).toBe(1);
  });

  it('throws CancelTaskException when the consumed partition was released, with the producer failure as cause', () => {
    const provider = new TestPartitionProvider();
    const partitionId = ResultPartitionID.random();
    const view = provider.register(partitionId);
    const gate = newGate({ numberOfInputChannels: 1 });
    const channel = new LocalInputChannel(gate, 0, partitionId, 0, provider);
    gate.setInputChannels(channel);
    gate.requestPartitions();
    view.failure = new Error('producer failed');
    view.releaseAllResources();
    let thrown: unknown;
    try {
      channel.getNextBuffer();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CancelTaskException);
    expect((thrown as Error).cause).toBe(view.failure);
    gate.close();
  });

  it('is released by its EndOfPartitionEvent and then ignores late notifications', () => {
    const provider = new TestPartitionProvider();
    const partitionId = ResultPartitionID.random();
    const view = provider.register(partitionId);
    const gate = newGate({ numberOfInputChannels: 1 });
    const channel = new LocalInputChannel(gate, 0, partitionId, 0, provider);
    gate.setInputChannels(channel);
    gate.requestPartitions();
    view.add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    expect(gate.pollNext()!.getEvent()).toBe(EndOfPartitionEvent.INSTANCE);
    expect(channel.isReleased()).toBe(true);
    expect(view.released).toBe(true);
    expect(channel.getNextBuffer()).toBeNull();
    channel.notifyDataAvailable(view);
    expect(gate.isFinished()).toBe(true);
    expect(() => channel.requestSubpartition()).toThrow(IllegalStateException);
    gate.close();
  });

  it('resumes consumption through the view and re-queues itself if data is waiting', () => {
    const provider = new TestPartitionProvider();
    const partitionId = ResultPartitionID.random();
    const view = provider.register(partitionId, new TestSubpartitionView());
    const gate = newGate({ numberOfInputChannels: 1 });
    const channel = new LocalInputChannel(gate, 0, partitionId, 0, provider);
    gate.setInputChannels(channel);
    gate.requestPartitions();
    expect(gate.pollNext()).toBeNull();
    view.blocked = true;
    view.add(dataBuffer(producerPool, 1));
    expect(gate.isAvailable()).toBe(false);
    channel.resumeConsumption();
    expect(view.resumed).toBe(1);
    expect(gate.isAvailable()).toBe(true);
    gate.pollNext()!.getBuffer().recycleBuffer();
    channel.acknowledgeAllRecordsProcessed();
    expect(view.acknowledged).toBe(1);
    gate.close();
    expect(() => channel.resumeConsumption()).toThrow(IllegalStateException);
  });

  it('throws IllegalStateException when polled before its subpartition was requested', () => {
    const gate = newGate({ numberOfInputChannels: 1 });
    const channel = new LocalInputChannel(gate, 0, ResultPartitionID.random(), 0, new TestPartitionProvider());
    expect(() => channel.getNextBuffer()).toThrow(/before requesting the subpartition/);
    gate.close();
  });
});

describe('InputChannel back-off', () => {
  it('doubles from the initial back-off up to the maximum, then fails (Flink 1.20 base rule)', () => {
    const gate = newGate({ numberOfInputChannels: 1 });
    const global = newGlobalPool(2, 32);
    const channel = new TestRemoteChannel(gate, 0, global, 0, { initialBackoffMs: 500, maxBackoffMs: 3000 });
    const backoffs: number[] = [];
    while (channel.increaseBackoffBase()) backoffs.push(channel.getCurrentBackoff());
    expect(backoffs).toEqual([500, 1000, 2000, 3000]);
  });

  it('grows by the listener timeout while below twice the maximum (§10 scenario 44)', () => {
    const gate = newGate({ numberOfInputChannels: 1 });
    const global = newGlobalPool(2, 32);
    /** Retriggers until one fails; the back-off reported after each retrigger and whether it was allowed. */
    const retriggers = (timeout: number, max: number): string[] => {
      const channel = new TestRemoteChannel(gate, 0, global, 0, { initialBackoffMs: 0, maxBackoffMs: max });
      const reported: string[] = [];
      for (;;) {
        const allowed = channel.increaseBackoffWithListenerTimeout(timeout);
        reported.push(`${channel.getCurrentBackoff()}${allowed ? '' : ' fails'}`);
        if (!allowed) return reported;
      }
    };
    // 500/1000: the back-off reads 500, 1000, 1500, 2000; reaching 2 x max fails the request.
    expect(retriggers(500, 1000)).toEqual(['500', '1000', '1500', '2000 fails']);
    // 500/500: one retry (500), then failure; 0/0: the first retrigger fails.
    expect(retriggers(500, 500)).toEqual(['500', '1000 fails']);
    expect(retriggers(0, 0)).toEqual(['0 fails']);
  });
});
