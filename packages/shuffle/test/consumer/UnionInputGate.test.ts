import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { BufferOrEvent } from '../../src/consumer/BufferOrEvent';
import { CancelTaskException } from '../../src/consumer/errors';
import { LocalInputChannel } from '../../src/consumer/LocalInputChannel';
import { UnionInputGate } from '../../src/consumer/UnionInputGate';
import type { InputGate } from '../../src/consumer/InputGate';
import { CheckpointBarrier } from '../../src/event/CheckpointBarrier';
import { CheckpointOptions } from '../../src/event/CheckpointOptions';
import { CheckpointStorageLocationReference } from '../../src/event/CheckpointStorageLocationReference';
import { CheckpointType } from '../../src/event/CheckpointType';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { dataBuffer, eventBuffer, flush, newGate, TestPartitionProvider, track, type TestSubpartitionView } from './ConsumerTestUtils';

installPoolChecks();

function gateOf(gateIndex: number, channels: number, provider: TestPartitionProvider) {
  const gate = newGate({ numberOfInputChannels: channels, gateIndex });
  const views: TestSubpartitionView[] = [];
  for (let i = 0; i < channels; i++) {
    const id = ResultPartitionID.random();
    views.push(provider.register(id));
    gate.setInputChannels(new LocalInputChannel(gate, i, id, 0, provider));
  }
  return { gate, views };
}

/** Polls everything available: "<gate>/<channel>:<size or event>". */
function drain(gate: InputGate): string[] {
  const seen: string[] = [];
  let next: BufferOrEvent | null;
  while ((next = gate.pollNext()) !== null) {
    const info = next.getChannelInfo();
    const what = next.isBuffer() ? String(next.getBuffer().getSize()) : next.getEvent().toString();
    if (next.isBuffer()) next.getBuffer().recycleBuffer();
    seen.push(`${info.getGateIdx()}/${info.getInputChannelIdx()}:${what}`);
  }
  return seen;
}

describe('UnionInputGate', () => {
  let pool: LocalBufferPool;

  beforeEach(() => {
    pool = newGlobalPool(32, 64).createBufferPool(8, 16);
  });

  afterEach(() => {
    pool.lazyDestroy();
  });

  it('takes turns between gates, re-queueing a gate with more data at the tail', () => {
    const provider = new TestPartitionProvider();
    const a = gateOf(0, 2, provider);
    const b = gateOf(1, 1, provider);
    const union = new UnionInputGate(a.gate, b.gate);
    union.requestPartitions();
    expect(drain(union)).toEqual([]);

    a.views[0]!.add(dataBuffer(pool, 1)).add(dataBuffer(pool, 2)).add(dataBuffer(pool, 3));
    a.views[1]!.add(dataBuffer(pool, 4));
    b.views[0]!.add(dataBuffer(pool, 5)).add(dataBuffer(pool, 6));

    expect(drain(union)).toEqual(['0/0:1', '1/0:5', '0/1:4', '1/0:6', '0/0:2', '0/0:3']);
    union.close();
  });

  it('keeps channel infos and flat channel indices of the combined gates', () => {
    const provider = new TestPartitionProvider();
    const a = gateOf(4, 2, provider);
    const b = gateOf(7, 3, provider);
    const union = new UnionInputGate(a.gate, b.gate);
    expect(union.getNumberOfInputChannels()).toBe(5);
    expect(union.getChannel(1)).toBe(a.gate.getChannel(1));
    expect(union.getChannel(2)).toBe(b.gate.getChannel(0));
    expect(union.getChannel(4)).toBe(b.gate.getChannel(2));
    expect(() => union.getChannel(5)).toThrow();
    expect(union.getChannelInfos().map((i) => i.key())).toEqual(['4:0', '4:1', '7:0', '7:1', '7:2']);
    union.requestPartitions();
    union.resumeConsumption(b.gate.getChannel(1).getChannelInfo());
    expect(b.views[1]!.resumed).toBe(1);
    union.close();
  });

  it('resolves getNext with data of whichever gate gets some, and finishes when every gate has', async () => {
    const provider = new TestPartitionProvider();
    const a = gateOf(0, 1, provider);
    const b = gateOf(1, 1, provider);
    const union = new UnionInputGate(a.gate, b.gate);
    union.requestPartitions();
    expect(drain(union)).toEqual([]);
    expect(union.isAvailable()).toBe(false);

    const pending = track(union.getNext());
    await flush();
    expect(pending.settled()).toBe(false);
    b.views[0]!.add(dataBuffer(pool, 9));
    await flush();
    expect(pending.value()!.getBuffer().getSize()).toBe(9);
    pending.value()!.getBuffer().recycleBuffer();

    b.views[0]!.add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    expect(drain(union)).toEqual(['1/0:EndOfPartitionEvent']);
    expect(b.gate.isFinished()).toBe(true);
    expect(union.isFinished()).toBe(false);

    a.views[0]!.add(dataBuffer(pool, 1)).add(eventBuffer(EndOfPartitionEvent.INSTANCE));
    expect(drain(union)).toEqual(['0/0:1', '0/0:EndOfPartitionEvent']);
    expect(union.isFinished()).toBe(true);
    expect(union.isAvailable()).toBe(true);
    await expect(union.getNext()).resolves.toBeNull();
    union.close();
  });

  it('closes every gate; reads then throw CancelTaskException', async () => {
    const provider = new TestPartitionProvider();
    const a = gateOf(0, 1, provider);
    const b = gateOf(1, 1, provider);
    const union = new UnionInputGate(a.gate, b.gate);
    union.requestPartitions();
    drain(union);
    const pending = track(union.getNext());
    a.views[0]!.add(dataBuffer(pool, 1));
    await flush();
    pending.value()!.getBuffer().recycleBuffer();
    b.views[0]!.add(dataBuffer(pool, 2));
    union.close();
    expect(a.gate.isClosed() && b.gate.isClosed()).toBe(true);
    expect(pool.bestEffortGetNumOfUsedBuffers()).toBe(0);
    expect(() => union.pollNext()).toThrow(CancelTaskException);
  });

  it('lets a gate with a priority event overtake gates queued before it', () => {
    const provider = new TestPartitionProvider();
    const a = gateOf(0, 1, provider);
    const b = gateOf(1, 1, provider);
    const union = new UnionInputGate(a.gate, b.gate);
    union.requestPartitions();
    drain(union);
    a.views[0]!.add(dataBuffer(pool, 1)).add(dataBuffer(pool, 2));
    const priority = union.getPriorityEventAvailableFuture();
    const unaligned = new CheckpointBarrier(3, 3, CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, CheckpointStorageLocationReference.getDefault()));
    b.views[0]!.add(eventBuffer(unaligned, true));
    expect(priority.isDone()).toBe(true);
    const first = union.pollNext()!;
    expect(first.getChannelInfo().getGateIdx()).toBe(1);
    expect(first.hasPriority()).toBe(true);
    expect(union.getPriorityEventAvailableFuture().isDone()).toBe(false);
    expect(drain(union)).toEqual(['0/0:1', '0/0:2']);
    // A second priority event of the same gate is noticed again.
    b.views[0]!.add(eventBuffer(unaligned, true));
    expect(union.getPriorityEventAvailableFuture().isDone()).toBe(true);
    expect(drain(union)).toEqual([`1/0:${unaligned.toString()}`]);
    union.close();
  });

  it('needs at least two gates with distinct indices', () => {
    const provider = new TestPartitionProvider();
    const a = gateOf(0, 1, provider);
    const b = gateOf(0, 1, provider);
    expect(() => new UnionInputGate(a.gate)).toThrow(/at least two/);
    expect(() => new UnionInputGate(a.gate, b.gate)).toThrow(/gate index 0/);
    a.gate.close();
    b.gate.close();
  });
});
