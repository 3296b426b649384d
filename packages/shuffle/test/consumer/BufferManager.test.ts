import { describe, expect, it, jest } from '@jest/globals';
import type { Buffer } from '../../src/memory/Buffer';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import type { NetworkBufferPool } from '../../src/memory/NetworkBufferPool';
import type { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { newGate, TestRemoteChannel } from './ConsumerTestUtils';

installPoolChecks();

interface Setup {
  global: NetworkBufferPool;
  gate: SingleInputGate;
  channels: TestRemoteChannel[];
  pool: LocalBufferPool;
  requestBuffer: ReturnType<typeof jest.spyOn>;
  addBufferListener: ReturnType<typeof jest.spyOn>;
}

/**
 * Flink's RemoteInputChannelTest setup: a global pool of `totalSegments`, `numChannels` channels with 2
 * exclusive buffers each, and a floating pool of `floating` buffers whose requests and listener
 * registrations are counted.
 */
async function setUp(totalSegments: number, floating: number, numChannels = 1, initialCredit = 2): Promise<Setup> {
  const global = newGlobalPool(totalSegments, 32);
  let pool: LocalBufferPool | null = null;
  const gate = newGate({ numberOfInputChannels: numChannels, memorySegmentProvider: global }, () => (pool = global.createBufferPool(floating, floating)));
  const channels: TestRemoteChannel[] = [];
  for (let i = 0; i < numChannels; i++) channels.push(new TestRemoteChannel(gate, i, global, initialCredit));
  gate.setInputChannels(...channels);
  await gate.setup();
  const created = pool as unknown as LocalBufferPool;
  return {
    global,
    gate,
    channels,
    pool: created,
    requestBuffer: jest.spyOn(created, 'requestBuffer'),
    addBufferListener: jest.spyOn(created, 'addBufferListener'),
  };
}

function state(channel: TestRemoteChannel, pool: LocalBufferPool) {
  const manager = channel.bufferManager;
  return {
    available: manager.getNumberOfAvailableBuffers(),
    required: manager.getNumberOfRequiredBuffers(),
    poolAvailable: pool.getNumberOfAvailableMemorySegments(),
    waiting: manager.unsynchronizedIsWaitingForFloatingBuffers(),
  };
}

describe('BufferManager', () => {
  it('requests exclusive buffers from the global pool on setup and hands out floating buffers first', async () => {
    const { global, gate, channels, pool } = await setUp(10, 4);
    const manager = channels[0]!.bufferManager;
    expect(manager.unsynchronizedGetAvailableExclusiveBuffers()).toBe(2);
    expect(global.getNumTotalRequiredBuffers()).toBe(2 + 4);

    channels[0]!.onSenderBacklog(1); // requires 3: one floating
    expect(manager.unsynchronizedGetFloatingBuffersAvailable()).toBe(1);
    const first = manager.requestBuffer()!;
    expect(first.getRecycler()).toBe(pool);
    const second = manager.requestBuffer()!;
    expect(second.getRecycler()).toBe(manager);
    first.recycleBuffer();
    second.recycleBuffer();
    gate.close();
  });

  it('§10 scenario 46: backlog 14 → 15 requests, one listener, 13 available, 16 required, waiting; backlog 16 → nothing more', async () => {
    // 2 exclusive + 14 floating; the test holds 1 exclusive and 2 floating buffers, 12 floating are left.
    const { gate, channels, pool, requestBuffer, addBufferListener } = await setUp(16, 14);
    const channel = channels[0]!;
    const exclusive = channel.requestBuffer()!;
    const floating = [pool.requestBuffer()!, pool.requestBuffer()!];
    expect(requestBuffer).toHaveBeenCalledTimes(2);

    channel.onSenderBacklog(14);
    expect(requestBuffer).toHaveBeenCalledTimes(15);
    expect(addBufferListener).toHaveBeenCalledTimes(1);
    expect(addBufferListener).toHaveBeenCalledWith(channel.bufferManager);
    expect(state(channel, pool)).toEqual({ available: 13, required: 16, poolAvailable: 0, waiting: true });
    expect(channel.unannouncedCredit).toBe(12);

    channel.onSenderBacklog(16);
    expect(requestBuffer).toHaveBeenCalledTimes(15);
    expect(addBufferListener).toHaveBeenCalledTimes(1);
    expect(state(channel, pool)).toEqual({ available: 13, required: 18, poolAvailable: 0, waiting: true });

    // The exclusive buffer comes back to the channel directly: one more credit.
    exclusive.recycleBuffer();
    expect(state(channel, pool)).toEqual({ available: 14, required: 18, poolAvailable: 0, waiting: true });
    expect(channel.unannouncedCredit).toBe(13);

    // A floating buffer goes to the waiting channel, which still needs more.
    floating.shift()!.recycleBuffer();
    expect(state(channel, pool)).toEqual({ available: 15, required: 18, poolAvailable: 0, waiting: true });
    expect(channel.unannouncedCredit).toBe(14);

    // The backlog shrinks: only the requirement changes.
    channel.onSenderBacklog(13);
    expect(state(channel, pool)).toEqual({ available: 15, required: 15, poolAvailable: 0, waiting: true });

    // The next floating buffer is not needed: it stays in the pool and the channel stops waiting.
    floating.shift()!.recycleBuffer();
    expect(state(channel, pool)).toEqual({ available: 15, required: 15, poolAvailable: 1, waiting: false });
    expect(channel.unannouncedCredit).toBe(14);

    // The backlog grows again: the idle buffer is taken, then the channel waits again.
    channel.onSenderBacklog(15);
    expect(state(channel, pool)).toEqual({ available: 16, required: 17, poolAvailable: 0, waiting: true });
    expect(addBufferListener).toHaveBeenCalledTimes(2);
    gate.close();
  });

  it('§10 scenario 47: backlog 8 → 11 requests, no listener, 10 available = 10 required; backlog 10 → listener, 11 available, 12 required', async () => {
    // 2 exclusive + 12 floating; the test holds 1 exclusive and 2 floating buffers, 10 floating are left.
    const { gate, channels, pool, requestBuffer, addBufferListener } = await setUp(14, 12);
    const channel = channels[0]!;
    const exclusive = channel.requestBuffer()!;
    const floating = [pool.requestBuffer()!, pool.requestBuffer()!];

    channel.onSenderBacklog(8);
    expect(requestBuffer).toHaveBeenCalledTimes(11);
    expect(addBufferListener).not.toHaveBeenCalled();
    expect(state(channel, pool)).toEqual({ available: 10, required: 10, poolAvailable: 1, waiting: false });

    channel.onSenderBacklog(10);
    expect(addBufferListener).toHaveBeenCalledTimes(1);
    expect(state(channel, pool)).toEqual({ available: 11, required: 12, poolAvailable: 0, waiting: true });

    // The exclusive buffer completes the requirement; the floating ones are then not needed.
    exclusive.recycleBuffer();
    expect(state(channel, pool)).toEqual({ available: 12, required: 12, poolAvailable: 0, waiting: true });
    for (const buffer of floating) buffer.recycleBuffer();
    expect(state(channel, pool)).toEqual({ available: 12, required: 12, poolAvailable: 2, waiting: false });
    gate.close();
  });

  it('returns a recycled floating buffer to the pool when the channel is not waiting, and swaps a floating one for a recycled exclusive one once enough are available', async () => {
    // Flink's testAvailableBuffersEqualToRequiredBuffers.
    const { gate, channels, pool } = await setUp(16, 14);
    const channel = channels[0]!;
    const exclusive = channel.requestBuffer()!;
    const floating = pool.requestBuffer()!;
    channel.onSenderBacklog(12);
    expect(state(channel, pool)).toEqual({ available: 14, required: 14, poolAvailable: 0, waiting: false });
    const credit = channel.unannouncedCredit;

    floating.recycleBuffer();
    expect(state(channel, pool)).toEqual({ available: 14, required: 14, poolAvailable: 1, waiting: false });

    exclusive.recycleBuffer();
    expect(state(channel, pool)).toEqual({ available: 14, required: 14, poolAvailable: 2, waiting: false });
    expect(channel.bufferManager.unsynchronizedGetAvailableExclusiveBuffers()).toBe(2);
    expect(channel.unannouncedCredit).toBe(credit); // notifyBufferAvailable(0): no credit
    gate.close();
  });

  it('keeps buffers beyond the requirement until an exclusive buffer comes back (backlog decrease)', async () => {
    // Flink's testAvailableBuffersMoreThanRequiredBuffers.
    const { gate, channels, pool } = await setUp(16, 14);
    const channel = channels[0]!;
    const exclusive = channel.requestBuffer()!;
    const floating = pool.requestBuffer()!;
    channel.onSenderBacklog(12);
    channel.onSenderBacklog(10);
    expect(state(channel, pool)).toEqual({ available: 14, required: 12, poolAvailable: 0, waiting: false });
    exclusive.recycleBuffer();
    expect(state(channel, pool)).toEqual({ available: 14, required: 12, poolAvailable: 1, waiting: false });
    floating.recycleBuffer();
    expect(state(channel, pool)).toEqual({ available: 14, required: 12, poolAvailable: 2, waiting: false });
    gate.close();
  });

  it('distributes recycled floating buffers fairly among waiting channels, one credit each', async () => {
    // Flink's testFairDistributionFloatingBuffers: 3 channels x 2 exclusive, 3 floating.
    const { gate, channels, pool, addBufferListener } = await setUp(12, 3, 3);
    const taken: Buffer[] = [pool.requestBuffer()!, pool.requestBuffer()!, pool.requestBuffer()!];
    for (const channel of channels) {
      channel.onSenderBacklog(8);
      expect(addBufferListener).toHaveBeenLastCalledWith(channel.bufferManager);
      expect(channel.bufferManager.getNumberOfAvailableBuffers()).toBe(2);
    }
    for (const buffer of taken) buffer.recycleBuffer();
    for (const channel of channels) {
      expect(channel.bufferManager.getNumberOfAvailableBuffers()).toBe(3);
      expect(channel.unannouncedCredit).toBe(1);
    }
    gate.close();
  });

  it('gives every buffer back on release: floating to the gate pool, exclusive to the global pool, in-use ones when recycled', async () => {
    const { global, gate, channels, pool } = await setUp(10, 4);
    const channel = channels[0]!;
    channel.onSenderBacklog(2); // 2 exclusive + 2 floating available
    channel.receive(8); // one floating in the received queue
    const held = channel.requestBuffer()!; // floating in the reader's hands
    const heldExclusive = channel.requestBuffer()!;
    expect(global.getNumTotalRequiredBuffers()).toBe(2 + 4);

    channel.releaseAllResources();
    expect(channel.bufferManager.getNumberOfAvailableBuffers()).toBe(0);
    // The exclusive reservation stays until the last exclusive segment is back.
    heldExclusive.recycleBuffer();
    held.recycleBuffer();
    expect(global.getNumTotalRequiredBuffers()).toBe(4);
    expect(pool.bestEffortGetNumOfUsedBuffers()).toBe(0);

    // Late floating notifications and requests are refused after release.
    expect(channel.bufferManager.requestFloatingBuffers(5)).toBe(0);
    gate.close();
  });

  it('stores a failure of the credit hook on the channel and still keeps the buffer', async () => {
    const { gate, channels, pool } = await setUp(10, 1);
    const channel = channels[0]!;
    const taken = pool.requestBuffer()!;
    channel.onSenderBacklog(1); // needs 3, has 2 → waits
    expect(channel.bufferManager.unsynchronizedIsWaitingForFloatingBuffers()).toBe(true);
    channel.notifyBufferAvailable = () => {
      throw new Error('credit announcement failed');
    };
    taken.recycleBuffer();
    expect(() => channel.checkError()).toThrow('credit announcement failed');
    expect(channel.bufferManager.getNumberOfAvailableBuffers()).toBe(3);
    gate.close();
  });

  it('refuses a floating buffer it did not wait for and lets the pool give it to the next listener', async () => {
    const { gate, channels } = await setUp(10, 2);
    const buffer = gate.getBufferPool()!.requestBuffer()!;
    const other = gate.getBufferPool()!.requestBuffer()!;
    // Not waiting: the notification is a bug, reported on the channel; the buffer is recycled.
    expect(channels[0]!.bufferManager.notifyBufferAvailable(buffer)).toBe(false);
    expect(buffer.isRecycled()).toBe(true);
    expect(() => channels[0]!.checkError()).toThrow(/should be waiting for floating buffers/);
    other.recycleBuffer();
    gate.close();
  });
});
