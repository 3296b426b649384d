import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { IllegalStateException } from '@sluice/channel';
import { BufferReorderingException, CancelTaskException, PartitionConnectionException } from '../../src/consumer/errors';
import { RecordReader } from '../../src/consumer/RecordReader';
import { RemoteInputChannel, type RemoteInputChannelOptions } from '../../src/consumer/RemoteInputChannel';
import type { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { TaskEvent, type AbstractEvent } from '../../src/event/AbstractEvent';
import { CheckpointBarrier } from '../../src/event/CheckpointBarrier';
import { CheckpointOptions } from '../../src/event/CheckpointOptions';
import { CheckpointStorageLocationReference } from '../../src/event/CheckpointStorageLocationReference';
import { CheckpointType } from '../../src/event/CheckpointType';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';
import { EventAnnouncement } from '../../src/event/EventAnnouncement';
import { LongSerializer } from '../../src/io/typeutils/LongSerializer';
import type { Buffer as NetworkBufferLike } from '../../src/memory/Buffer';
import { BufferPoolDestroyedException } from '../../src/memory/errors';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import type { NetworkBufferPool } from '../../src/memory/NetworkBufferPool';
import { SimpleCounter } from '../../src/metrics/Counter';
import { ConnectionID } from '../../src/network/ConnectionID';
import { PartitionNotFoundException } from '../../src/partition/errors';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { eventBuffer, FakeConnectionManager, flush, newGate } from './ConsumerTestUtils';

installPoolChecks();

const CONNECTION = new ConnectionID('127.0.0.1', 4711, 0);

/** A task event with no body. */
class PingTaskEvent extends TaskEvent {
  override write(): void {}
  override read(): void {}
}

interface Setup {
  global: NetworkBufferPool;
  gate: SingleInputGate;
  channels: RemoteInputChannel[];
  channel: RemoteInputChannel;
  manager: FakeConnectionManager;
  pool: LocalBufferPool;
  requestBuffer: ReturnType<typeof jest.spyOn>;
  addBufferListener: ReturnType<typeof jest.spyOn>;
}

/**
 * Flink's RemoteInputChannelTest setup: a global pool of `totalSegments` 32-byte segments, remote channels
 * (2 exclusive buffers each unless `options` say otherwise) and a fixed floating pool of `floating`
 * buffers whose requests and listener registrations are counted. The gate is set up; the channels are not
 * requested yet.
 */
async function setUp(totalSegments: number, floating: number, options: RemoteInputChannelOptions = {}, numChannels = 1): Promise<Setup> {
  const global = newGlobalPool(totalSegments, 32);
  let pool: LocalBufferPool | null = null;
  const gate = newGate(
    { numberOfInputChannels: numChannels, memorySegmentProvider: global },
    () => (pool = global.createBufferPool(floating, floating)),
  );
  const manager = new FakeConnectionManager();
  const channels: RemoteInputChannel[] = [];
  for (let i = 0; i < numChannels; i++) {
    channels.push(new RemoteInputChannel(gate, i, ResultPartitionID.random(), i, CONNECTION, manager, options));
  }
  gate.setInputChannels(...channels);
  await gate.setup();
  const created = pool as unknown as LocalBufferPool;
  return {
    global,
    gate,
    channels,
    channel: channels[0]!,
    manager,
    pool: created,
    requestBuffer: jest.spyOn(created, 'requestBuffer'),
    addBufferListener: jest.spyOn(created, 'addBufferListener'),
  };
}

/** A set-up and requested single channel. */
async function requested(totalSegments = 16, floating = 14, options: RemoteInputChannelOptions = {}): Promise<Setup> {
  const setup = await setUp(totalSegments, floating, options);
  await setup.channel.requestSubpartition();
  return setup;
}

function state(channel: RemoteInputChannel, pool: LocalBufferPool) {
  return {
    available: channel.getNumberOfAvailableBuffers(),
    required: channel.getNumberOfRequiredBuffers(),
    poolAvailable: pool.getNumberOfAvailableMemorySegments(),
    waiting: channel.isWaitingForFloatingBuffers(),
  };
}

/** Fills a buffer of the channel (as the client decoder would) with `bytes`. */
function received(channel: RemoteInputChannel, bytes: number[]): NetworkBufferLike {
  const buffer = channel.requestBuffer();
  if (buffer === null) throw new Error(`${channel.toString()}: no buffer to receive into`);
  const buf = buffer.asByteBuf();
  for (const b of bytes) buf.writeByte(b);
  return buffer;
}

function barrier(id: number, options: CheckpointOptions = CheckpointOptions.forCheckpointWithDefaultLocation()): CheckpointBarrier {
  return new CheckpointBarrier(id, id, options);
}

function eventOf(setup: Setup): AbstractEvent {
  const next = setup.gate.pollNext();
  if (next === null || !next.isEvent()) throw new Error(`expected an event, got ${String(next)}`);
  return next.getEvent();
}

describe('RemoteInputChannel', () => {
  describe('setup and partition request', () => {
    it('takes its exclusive buffers in setup and requests the subpartition once with credit = exclusive buffers', async () => {
      const { global, gate, channel, manager } = await setUp(10, 4);
      expect(channel.getInitialCredit()).toBe(2);
      expect(channel.unsynchronizedGetExclusiveBuffersUsed()).toBe(0);
      expect(channel.getNumberOfAvailableBuffers()).toBe(2);
      expect(global.getNumTotalRequiredBuffers()).toBe(2 + 4);
      await expect(channel.setup()).rejects.toThrow(/exclusive buffers have already been set/);

      const first = channel.requestSubpartition();
      expect(channel.requestSubpartition()).toBe(first);
      await first;
      expect(manager.connects).toEqual([CONNECTION]);
      expect(manager.client.requests).toEqual([
        { partitionId: channel.getPartitionId(), subpartitionIndex: 0, channel, delayMs: 0, credit: 2 },
      ]);
      gate.close();
      expect(manager.client.closed).toEqual([channel]);
      expect(manager.closedConnections).toEqual([]);
    });

    it('§10 scenario 35: request, then retrigger twice → three PartitionRequests, each with credit = exclusive buffers', async () => {
      const { gate, channel, manager } = await requested(10, 4, { networkBuffersPerChannel: 3, partitionRequestListenerTimeoutMs: 1, maxBackoffMs: 2, initialBackoffMs: 1 });
      channel.retriggerSubpartitionRequest();
      expect(channel.getCurrentBackoff()).toBe(1);
      channel.retriggerSubpartitionRequest();
      expect(channel.getCurrentBackoff()).toBe(2);
      // Sent at once (Flink 1.20): the producer's server held each request for the listener timeout already.
      expect(manager.client.requests.map((r) => [r.credit, r.delayMs, r.subpartitionIndex])).toEqual([
        [3, 0, 0],
        [3, 0, 0],
        [3, 0, 0],
      ]);
      expect(manager.connects).toHaveLength(1);
      gate.close();
    });

    it('wraps a failed connect in a PartitionConnectionException, stored on the channel', async () => {
      const { gate, channel, manager } = await setUp(10, 4);
      const cause = new Error('connection refused');
      manager.connectFailure = cause;
      const error = await channel.requestSubpartition().then(
        () => null,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(PartitionConnectionException);
      expect((error as PartitionConnectionException).address).toBe('127.0.0.1:4711');
      expect((error as PartitionConnectionException).cause).toBe(cause);
      expect(() => channel.getNextBuffer()).toThrow(error as Error);
      expect(() => gate.pollNext()).toThrow(PartitionConnectionException);
      gate.close();
      // Never connected: the open connection (if any) is closed through the manager.
      expect(manager.closedConnections).toEqual([CONNECTION]);
    });

    it('a failure through the gate surfaces on the next poll', async () => {
      const { gate, manager } = await setUp(10, 4);
      manager.connectFailure = new Error('no route to host');
      gate.requestPartitions();
      await flush();
      expect(() => gate.pollNext()).toThrow(PartitionConnectionException);
      gate.close();
    });

    it('§10 scenario 43: retrigger before any request → IllegalStateException', async () => {
      const { gate, channel } = await setUp(10, 4);
      expect(() => channel.retriggerSubpartitionRequest()).toThrow(IllegalStateException);
      gate.close();
    });

    it('§10 scenario 44: listener timeout 500, max back-off 1000 → 500, 1000, 1500, then the retrigger at 2000 fails', async () => {
      const { gate, channel, manager } = await requested(10, 4, { partitionRequestListenerTimeoutMs: 500, initialBackoffMs: 500, maxBackoffMs: 1000 });
      const backoffs: number[] = [];
      for (let i = 0; i < 3; i++) {
        channel.retriggerSubpartitionRequest();
        backoffs.push(channel.getCurrentBackoff());
        expect(channel.getNextBuffer()).toBeNull(); // no error yet
      }
      expect(backoffs).toEqual([500, 1000, 1500]);
      // Every retry goes out at once: the back-off only accounts for the time the server held each request.
      expect(manager.client.requests.map((r) => r.delayMs)).toEqual([0, 0, 0, 0]);

      channel.retriggerSubpartitionRequest();
      expect(manager.client.requests).toHaveLength(4);
      expect(() => channel.getNextBuffer()).toThrow(PartitionNotFoundException);
      // The error queued the channel at the gate, so the reader sees it.
      expect(() => gate.pollNext()).toThrow(PartitionNotFoundException);
      gate.close();
    });

    it('§10 scenario 44: 500/500 → one retry (500), then failure; driven by PartitionNotFound through the gate', async () => {
      const { gate, channel, manager } = await requested(10, 4, { partitionRequestListenerTimeoutMs: 500, initialBackoffMs: 500, maxBackoffMs: 500 });
      channel.onFailedPartitionRequest();
      expect(manager.client.requests.map((r) => r.delayMs)).toEqual([0, 0]);
      expect(channel.getCurrentBackoff()).toBe(500);
      expect(channel.getNextBuffer()).toBeNull();
      channel.onFailedPartitionRequest();
      expect(manager.client.requests).toHaveLength(2);
      expect(() => channel.getNextBuffer()).toThrow(PartitionNotFoundException);
      gate.close();
    });

    it('§10 scenario 44: 0/0 → the first retrigger fails', async () => {
      const { gate, channel, manager } = await requested(10, 4, { partitionRequestListenerTimeoutMs: 0, initialBackoffMs: 0, maxBackoffMs: 0 });
      channel.retriggerSubpartitionRequest();
      expect(manager.client.requests).toHaveLength(1);
      expect(() => channel.getNextBuffer()).toThrow(PartitionNotFoundException);
      gate.close();
    });

    it('ignores PartitionNotFound once the gate is closed', async () => {
      const { gate, channel, manager } = await requested(10, 4);
      gate.close();
      channel.onFailedPartitionRequest();
      expect(manager.client.requests).toHaveLength(1);
      expect(channel.getError()).toBeNull();
    });

    it('stores a failed write of the retried request on the channel', async () => {
      const { gate, channel, manager } = await requested(10, 4);
      manager.client.requestFailure = new Error('write failed');
      channel.retriggerSubpartitionRequest();
      await flush();
      expect(() => channel.getNextBuffer()).toThrow('write failed');
      gate.close();
    });
  });

  describe('receiving', () => {
    it('queues received buffers in order, notifies the gate once when non-empty, counts bytes and buffers', async () => {
      const numBytesIn = new SimpleCounter();
      const numBuffersIn = new SimpleCounter();
      const { gate, channel } = await requested(10, 4, { numBytesIn, numBuffersIn });
      const notify = jest.spyOn(gate, 'notifyChannelNonEmpty');
      channel.onBuffer(received(channel, [1, 2, 3]), 0, 0, 0);
      channel.onBuffer(received(channel, [4]), 1, 0, 0);
      expect(notify).toHaveBeenCalledTimes(1);
      expect(channel.unsynchronizedGetNumberOfQueuedBuffers()).toBe(2);

      const first = channel.getNextBuffer()!;
      expect([first.buffer.getSize(), first.sequenceNumber, first.moreAvailable()]).toEqual([3, 0, true]);
      first.buffer.recycleBuffer();
      const second = channel.getNextBuffer()!;
      expect([second.buffer.getSize(), second.sequenceNumber, second.moreAvailable()]).toEqual([1, 1, false]);
      second.buffer.recycleBuffer();
      expect(channel.getNextBuffer()).toBeNull();
      expect([numBytesIn.getCount(), numBuffersIn.getCount()]).toEqual([4, 2]);
      gate.close();
    });

    it('§10 scenario 41: seq 0 then 29 → the next poll throws; the extra buffer is recycled only on release', async () => {
      const { gate, channel } = await requested(10, 4);
      const buffer = received(channel, [1, 2, 3, 4]);
      channel.onBuffer(buffer.retainBuffer(), 0, -1, 0);
      // Does not throw yet: the error is stored on the channel.
      channel.onBuffer(buffer, 29, -1, 0);
      expect(() => channel.getNextBuffer()).toThrow(BufferReorderingException);
      const error = channel.getError() as BufferReorderingException;
      expect([error.expectedSequenceNumber, error.actualSequenceNumber]).toEqual([1, 29]);
      expect(buffer.isRecycled()).toBe(false);
      channel.releaseAllResources();
      expect(buffer.isRecycled()).toBe(true);
      gate.close();
    });

    it('counts empty buffers in the sequence and reads their backlog; an out-of-order one fails the channel', async () => {
      const { gate, channel, pool } = await requested(16, 14);
      channel.onEmptyBuffer(0, 3);
      expect(state(channel, pool)).toMatchObject({ available: 5, required: 5 });
      channel.onBuffer(received(channel, [1]), 1, 3, 0);
      channel.onEmptyBuffer(5, -1);
      expect(() => channel.getNextBuffer()).toThrow(BufferReorderingException);
      gate.close();
    });

    it('recycles buffers that arrive after release; polling a released channel throws CancelTaskException', async () => {
      const { gate, channel } = await requested(10, 4);
      const late = received(channel, [1]);
      channel.releaseAllResources();
      channel.releaseAllResources(); // idempotent
      channel.onBuffer(late, 0, 1, 0);
      expect(late.isRecycled()).toBe(true);
      channel.onEmptyBuffer(1, 1);
      expect(channel.getNumberOfAvailableBuffers()).toBe(0);
      expect(() => channel.getNextBuffer()).toThrow(CancelTaskException);
      gate.close();
    });

    it('puts priority events at the front and tells the gate', async () => {
      const setup = await requested(10, 4);
      const { gate, channel } = setup;
      const priority = jest.spyOn(gate, 'notifyPriorityEvent');
      channel.onBuffer(received(channel, [1]), 0, 0, 0);
      const unaligned = barrier(7, CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, CheckpointStorageLocationReference.getDefault()));
      channel.onBuffer(eventBuffer(unaligned, true), 1, 0, 0);
      expect(priority).toHaveBeenCalledWith(channel, 1);
      expect(eventOf(setup)).toEqual(unaligned);
      const data = gate.pollNext()!;
      expect(data.isBuffer()).toBe(true);
      data.getBuffer().recycleBuffer();
      gate.close();
    });

    it('announces a timeoutable aligned barrier with a priority EventAnnouncement at its sequence number', async () => {
      const setup = await requested(10, 4);
      const { gate, channel } = setup;
      const priority = jest.spyOn(gate, 'notifyPriorityEvent');
      channel.onBuffer(received(channel, [1]), 0, 0, 0);
      const timeoutable = barrier(3, CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, CheckpointStorageLocationReference.getDefault(), 1000));
      channel.onBuffer(eventBuffer(timeoutable), 1, 0, 0);
      expect(priority).toHaveBeenCalledWith(channel, 1);

      const announcement = eventOf(setup);
      expect(announcement).toBeInstanceOf(EventAnnouncement);
      expect((announcement as EventAnnouncement).getSequenceNumber()).toBe(1);
      expect((announcement as EventAnnouncement).getAnnouncedEvent()).toEqual(timeoutable);
      const data = gate.pollNext()!;
      data.getBuffer().recycleBuffer();
      expect(eventOf(setup)).toEqual(timeoutable);
      gate.close();
    });

    it('§10 scenario 49: an aligned barrier with initial credit 0 releases the floating buffers; resumeConsumption resets unannounced credit', async () => {
      const setup = await requested(10, 4, { networkBuffersPerChannel: 0 });
      const { gate, channel, pool, manager } = setup;
      expect(channel.getInitialCredit()).toBe(0);
      expect(manager.client.requests[0]!.credit).toBe(0);
      channel.onSenderBacklog(2); // BacklogAnnouncement
      expect(state(channel, pool)).toMatchObject({ available: 2, required: 2, waiting: false });
      expect(channel.unsynchronizedGetFloatingBuffersAvailable()).toBe(2);
      expect(pool.bestEffortGetNumOfUsedBuffers()).toBe(2);
      expect(channel.getUnannouncedCredit()).toBe(2);
      expect(manager.client.creditNotifications).toEqual([channel]);

      channel.onBuffer(received(channel, [1]), 0, 1, 0);
      channel.onBuffer(eventBuffer(barrier(1)), 1, 0, 0);
      // The unused floating buffer went back to the pool; only the queued data buffer is in use.
      expect(state(channel, pool)).toMatchObject({ available: 0, required: 0, waiting: false });
      expect(pool.bestEffortGetNumOfUsedBuffers()).toBe(1);
      const data = gate.pollNext()!;
      data.getBuffer().recycleBuffer();
      expect(pool.bestEffortGetNumOfUsedBuffers()).toBe(0);
      expect(eventOf(setup)).toEqual(barrier(1));

      // Credit gathered before the barrier is void while blocked.
      expect(channel.getUnannouncedCredit()).toBe(2);
      gate.resumeConsumption(channel.getChannelInfo());
      expect(channel.getUnannouncedCredit()).toBe(0);
      expect(manager.client.resumed).toEqual([channel]);
      gate.close();
    });

    it('rejects an aligned barrier that comes with a backlog (and recycles it)', async () => {
      const { gate, channel } = await requested(10, 4);
      const buffer = eventBuffer(barrier(1));
      expect(() => channel.onBuffer(buffer, 0, 2, 0)).toThrow(/Illegal number of backlog: 2/);
      expect(buffer.isRecycled()).toBe(true);
      gate.close();
    });
  });

  describe('credit', () => {
    it('announces credit only on the 0 → positive transition and coalesces the rest', async () => {
      const { gate, channel, manager } = await requested(16, 8);
      channel.onSenderBacklog(2); // requires 4: two floating
      expect(channel.getUnannouncedCredit()).toBe(2);
      expect(manager.client.creditNotifications).toHaveLength(1);
      channel.onSenderBacklog(3); // one more floating: coalesced
      expect(channel.getUnannouncedCredit()).toBe(3);
      expect(manager.client.creditNotifications).toHaveLength(1);
      channel.onSenderBacklog(1); // fewer required: nothing requested, nothing announced
      expect(manager.client.creditNotifications).toHaveLength(1);

      expect(channel.getAndResetUnannouncedCredit()).toBe(3);
      expect(channel.getUnannouncedCredit()).toBe(0);
      channel.onSenderBacklog(4);
      expect(channel.getUnannouncedCredit()).toBe(1);
      expect(manager.client.creditNotifications).toHaveLength(2);
      gate.close();
    });

    it('a recycled exclusive buffer announces one credit', async () => {
      const { gate, channel, manager } = await requested(10, 4);
      const exclusive = channel.requestBuffer()!;
      expect(exclusive.getRecycler()).toBe(channel.getBufferManager());
      expect(channel.unsynchronizedGetExclusiveBuffersUsed()).toBe(1);
      exclusive.recycleBuffer();
      expect(channel.getUnannouncedCredit()).toBe(1);
      expect(manager.client.creditNotifications).toEqual([channel]);
      expect(channel.unsynchronizedGetExclusiveBuffersUsed()).toBe(0);
      gate.close();
    });

    it('a floating buffer granted to the waiting channel announces one credit', async () => {
      const { gate, channel, pool, manager } = await requested(10, 2);
      const taken = [pool.requestBuffer()!, pool.requestBuffer()!];
      channel.onSenderBacklog(1); // requires 3, has 2 exclusive, pool empty → waits
      expect(channel.isWaitingForFloatingBuffers()).toBe(true);
      expect(manager.client.creditNotifications).toHaveLength(0);
      taken[0]!.recycleBuffer();
      expect(channel.getUnannouncedCredit()).toBe(1);
      expect(manager.client.creditNotifications).toEqual([channel]);
      taken[1]!.recycleBuffer();
      expect(state(channel, pool)).toEqual({ available: 3, required: 3, poolAvailable: 1, waiting: false });
      gate.close();
    });

    it('§10 scenario 46: backlog 14 → 15 requests, one listener, 13 available, 16 required, waiting; backlog 16 → nothing more', async () => {
      // 2 exclusive + 14 floating; the test holds 1 exclusive and 2 floating buffers, 12 floating are left.
      const { gate, channel, pool, requestBuffer, addBufferListener, manager } = await requested(16, 14);
      const exclusive = channel.requestBuffer()!;
      const floating = [pool.requestBuffer()!, pool.requestBuffer()!];
      expect(requestBuffer).toHaveBeenCalledTimes(2);

      channel.onSenderBacklog(14);
      expect(requestBuffer).toHaveBeenCalledTimes(15);
      expect(addBufferListener).toHaveBeenCalledTimes(1);
      expect(addBufferListener).toHaveBeenCalledWith(channel.getBufferManager());
      expect(state(channel, pool)).toEqual({ available: 13, required: 16, poolAvailable: 0, waiting: true });
      expect(channel.getUnannouncedCredit()).toBe(12);
      expect(manager.client.creditNotifications).toHaveLength(1);

      channel.onSenderBacklog(16);
      expect(requestBuffer).toHaveBeenCalledTimes(15);
      expect(addBufferListener).toHaveBeenCalledTimes(1);
      expect(state(channel, pool)).toEqual({ available: 13, required: 18, poolAvailable: 0, waiting: true });

      exclusive.recycleBuffer();
      expect(state(channel, pool)).toEqual({ available: 14, required: 18, poolAvailable: 0, waiting: true });
      floating.shift()!.recycleBuffer();
      expect(state(channel, pool)).toEqual({ available: 15, required: 18, poolAvailable: 0, waiting: true });
      expect(channel.getUnannouncedCredit()).toBe(14);
      expect(manager.client.creditNotifications).toHaveLength(1);
      channel.onSenderBacklog(13);
      floating.shift()!.recycleBuffer();
      expect(state(channel, pool)).toEqual({ available: 15, required: 15, poolAvailable: 1, waiting: false });
      expect(channel.getBuffersInUseCount()).toBe(0 + (15 - 2));
      expect(channel.unsynchronizedGetFloatingBuffersAvailable()).toBe(13);
      gate.close();
    });

    it('§10 scenario 47: backlog 8 → 11 requests, no listener, 10 available = 10 required; backlog 10 → listener, 11 available, 12 required', async () => {
      // 2 exclusive + 12 floating; the test holds 1 exclusive and 2 floating buffers, 10 floating are left.
      const { gate, channel, pool, requestBuffer, addBufferListener } = await requested(14, 12);
      const exclusive = channel.requestBuffer()!;
      const floating = [pool.requestBuffer()!, pool.requestBuffer()!];

      channel.onSenderBacklog(8);
      expect(requestBuffer).toHaveBeenCalledTimes(11);
      expect(addBufferListener).not.toHaveBeenCalled();
      expect(state(channel, pool)).toEqual({ available: 10, required: 10, poolAvailable: 1, waiting: false });

      channel.onSenderBacklog(10);
      expect(addBufferListener).toHaveBeenCalledTimes(1);
      expect(state(channel, pool)).toEqual({ available: 11, required: 12, poolAvailable: 0, waiting: true });

      exclusive.recycleBuffer();
      for (const buffer of floating) buffer.recycleBuffer();
      expect(state(channel, pool)).toEqual({ available: 12, required: 12, poolAvailable: 2, waiting: false });
      gate.close();
    });

    it('counts buffers in use as queued buffers plus required floating ones', async () => {
      const { gate, channel } = await requested(16, 8);
      channel.onBuffer(received(channel, [1]), 0, 3, 0);
      channel.onBuffer(received(channel, [2]), 1, 3, 0);
      expect(channel.getBuffersInUseCount()).toBe(2 + 3);
      expect(channel.unsynchronizedGetNumberOfQueuedBuffers()).toBe(2);
      gate.close();
    });
  });

  describe('credit invariant (property)', () => {
    type Op =
      | { kind: 'backlog'; backlog: number }
      | { kind: 'receive'; backlog: number }
      | { kind: 'consume' }
      | { kind: 'announce' }
      | { kind: 'take' }
      | { kind: 'give' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('backlog' as const), backlog: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ kind: fc.constant('receive' as const), backlog: fc.integer({ min: -1, max: 8 }) }),
      fc.constant({ kind: 'consume' as const }),
      fc.constant({ kind: 'announce' as const }),
      fc.constant({ kind: 'take' as const }),
      fc.constant({ kind: 'give' as const }),
    );

    it('available buffers = credit the sender holds + unannounced credit; credit is never missing when the sender may send; one AddCredit request per 0 → positive', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.array(op, { maxLength: 60 }), async (initialCredit, ops) => {
          const { global, gate, channel, manager, pool } = await requested(16, 5, { networkBuffersPerChannel: initialCredit });
          const notifications = manager.client.creditNotifications;
          let senderCredit = initialCredit;
          let sequenceNumber = 0;
          let pending = false;
          const held: NetworkBufferLike[] = [];
          for (const next of ops) {
            const before = notifications.length;
            switch (next.kind) {
              case 'backlog':
                channel.onSenderBacklog(next.backlog);
                break;
              case 'receive':
                if (senderCredit > 0) {
                  channel.onBuffer(received(channel, [sequenceNumber & 0xff]), sequenceNumber++, next.backlog, 0);
                  senderCredit--;
                }
                break;
              case 'consume':
                gate.pollNext()?.getBuffer().recycleBuffer();
                break;
              case 'announce':
                if (pending) {
                  senderCredit += channel.getAndResetUnannouncedCredit();
                  pending = false;
                }
                break;
              case 'take': {
                const buffer = pool.requestBuffer();
                if (buffer !== null) held.push(buffer);
                break;
              }
              case 'give':
                held.shift()?.recycleBuffer();
                break;
            }
            const calls = notifications.length - before;
            expect(calls).toBeLessThanOrEqual(1);
            if (calls === 1) {
              expect(pending).toBe(false); // coalesced while an AddCredit is pending
              pending = true;
            }
            if (channel.getUnannouncedCredit() > 0) expect(pending).toBe(true);
            expect(channel.getNumberOfAvailableBuffers()).toBe(senderCredit + channel.getUnannouncedCredit());
          }
          for (const buffer of held) buffer.recycleBuffer();
          gate.close();
          expect(global.getNumberOfAvailableMemorySegments()).toBe(global.getTotalNumberOfMemorySegments());
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('release', () => {
    it('gives every buffer back (queued, floating, exclusive; in-use ones when recycled) and leaves the connection', async () => {
      const { global, gate, channel, manager, pool } = await requested(10, 4);
      channel.onSenderBacklog(2); // 2 exclusive + 2 floating
      channel.onBuffer(received(channel, [1]), 0, 2, 0); // floating, queued
      channel.onBuffer(received(channel, [2]), 1, 2, 0); // floating, queued (then one more floating requested)
      const held = channel.getNextBuffer()!.buffer; // in the reader's hands
      const heldExclusive = channel.requestBuffer(); // in the decoder's hands
      expect(global.getNumberOfAvailableMemorySegments()).toBeLessThan(10);

      channel.releaseAllResources();
      expect(manager.client.closed).toEqual([channel]);
      expect(channel.getNumberOfAvailableBuffers()).toBe(0);
      expect(channel.unsynchronizedGetNumberOfQueuedBuffers()).toBe(0);
      held.recycleBuffer();
      heldExclusive?.recycleBuffer();
      expect(pool.bestEffortGetNumOfUsedBuffers()).toBe(0);
      gate.close();
      expect(global.getNumberOfAvailableMemorySegments()).toBe(global.getTotalNumberOfMemorySegments());
      expect(manager.client.closed).toEqual([channel]); // once
    });

    it('a never-requested channel closes the open connection through the manager', async () => {
      const { gate, channel, manager } = await setUp(10, 4);
      channel.releaseAllResources();
      expect(manager.closedConnections).toEqual([CONNECTION]);
      expect(manager.client.closed).toEqual([]);
      gate.close();
    });

    it('released while connecting: gives the client back when it arrives and sends no request', async () => {
      const { gate, channel, manager } = await setUp(10, 4);
      manager.holdConnects = true;
      const request = channel.requestSubpartition();
      gate.announceBufferSize(64); // ignored while connecting
      expect(manager.client.newBufferSizes).toEqual([]);
      channel.releaseAllResources();
      expect(manager.closedConnections).toEqual([]);
      manager.completeConnects();
      await request;
      expect(manager.client.requests).toEqual([]);
      expect(manager.client.closed).toEqual([channel]);
      await expect(channel.requestSubpartition()).rejects.toThrow(/has been released/);
      gate.close();
    });
  });

  describe('gate integration', () => {
    it('records written into the channel buffers arrive through the gate; EndOfPartition finishes it and closes the client', async () => {
      const { gate, channels, manager } = await setUp(24, 8, {}, 2);
      gate.requestPartitions();
      await flush();
      expect(manager.client.requests.map((r) => [r.channel, r.subpartitionIndex, r.credit])).toEqual([
        [channels[0], 0, 2],
        [channels[1], 1, 2],
      ]);
      const reader = new RecordReader(gate, LongSerializer.INSTANCE);
      const sequence = [0, 0];
      const send = (index: number, values: number[]) => {
        const channel = channels[index]!;
        for (const value of values) {
          const bytes = Buffer.alloc(12);
          bytes.writeInt32BE(8, 0);
          bytes.writeBigInt64BE(BigInt(value), 4);
          channel.onBuffer(received(channel, [...bytes]), sequence[index]!++, 0, index);
        }
      };
      send(0, [1, 2]);
      send(1, [101]);
      expect([reader.pollNext(), reader.pollNext(), reader.pollNext(), reader.pollNext()]).toEqual([1, 101, 2, undefined]);
      send(1, [102]);
      const pending = reader.next();
      await expect(pending).resolves.toBe(102);

      gate.announceBufferSize(64);
      expect(manager.client.newBufferSizes.map((n) => [n.channel, n.bufferSize])).toEqual([
        [channels[0], 64],
        [channels[1], 64],
      ]);
      gate.acknowledgeAllRecordsProcessed(channels[1]!.getChannelInfo());
      expect(manager.client.acknowledged).toEqual([channels[1]]);

      channels[0]!.onBuffer(eventBuffer(EndOfPartitionEvent.INSTANCE), sequence[0]!++, 0, 0);
      expect(reader.pollNext()).toBeUndefined();
      expect(channels[0]!.isReleased()).toBe(true);
      expect(manager.client.closed).toEqual([channels[0]]);
      gate.announceBufferSize(128); // skips the released channel
      expect(manager.client.newBufferSizes).toHaveLength(3);

      channels[1]!.onBuffer(eventBuffer(EndOfPartitionEvent.INSTANCE), sequence[1]!++, 0, 1);
      expect(reader.pollNext()).toBeUndefined();
      expect(reader.isFinished()).toBe(true);
      expect(manager.client.closed).toEqual([channels[0], channels[1]]);
      gate.close();
    });

    it('forwards task events to the client', async () => {
      const { gate, channel, manager } = await requested(10, 4);
      const event = new PingTaskEvent();
      await channel.sendTaskEvent(event);
      expect(manager.client.taskEvents).toEqual([{ partitionId: channel.getPartitionId(), event, channel }]);
      gate.close();
      await expect(channel.sendTaskEvent(event)).rejects.toThrow(/released/);
    });
  });

  describe('push mode (Flink 1.4, creditBased: false)', () => {
    it('takes no exclusive buffers, requests with credit 0, ignores backlog and never announces credit', async () => {
      const { global, gate, channel, manager, pool } = await requested(10, 4, { creditBased: false });
      expect(channel.isCreditBased()).toBe(false);
      expect(channel.getInitialCredit()).toBe(0);
      expect(global.getNumTotalRequiredBuffers()).toBe(4);
      expect(manager.client.requests[0]!.credit).toBe(0);

      const buffer = channel.requestBuffer()!;
      expect(buffer.getRecycler()).toBe(pool);
      buffer.asByteBuf().writeByte(1);
      channel.onBuffer(buffer, 0, 5, 0);
      expect(channel.getNumberOfAvailableBuffers()).toBe(0);
      expect(channel.getUnannouncedCredit()).toBe(0);
      const next = gate.pollNext()!;
      next.getBuffer().recycleBuffer();
      expect(manager.client.creditNotifications).toEqual([]);
      expect(channel.addBufferAvailabilityListener(() => {})).toBe(false); // the pool has buffers
      gate.close();
    });

    it('waits for a pool buffer with a one-shot listener that reserves the buffer for the next requestBuffer()', async () => {
      const { gate, channel, pool } = await requested(10, 2, { creditBased: false });
      const taken = [channel.requestBuffer()!, channel.requestBuffer()!];
      expect(channel.requestBuffer()).toBeNull();

      let calls = 0;
      expect(channel.addBufferAvailabilityListener(() => calls++)).toBe(true);
      taken[0]!.recycleBuffer();
      expect(calls).toBe(1);
      expect(pool.getNumberOfAvailableMemorySegments()).toBe(0); // reserved for the channel
      expect(channel.addBufferAvailabilityListener(() => calls++)).toBe(false); // available right now

      const reserved = channel.requestBuffer()!;
      expect(reserved).not.toBeNull();
      taken[1]!.recycleBuffer(); // nobody waits: back to the pool
      expect(calls).toBe(1);
      expect(channel.addBufferAvailabilityListener(() => calls++)).toBe(false);
      reserved.recycleBuffer();
      gate.close();
    });

    it('wakes the waiting listener when the pool is destroyed; requestBuffer then throws', async () => {
      const { gate, channel } = await requested(10, 1, { creditBased: false });
      const taken = channel.requestBuffer()!;
      let calls = 0;
      expect(channel.addBufferAvailabilityListener(() => calls++)).toBe(true);
      gate.getBufferPool()!.lazyDestroy();
      expect(calls).toBe(1);
      channel.releaseAllResources();
      expect(channel.requestBuffer()).toBeNull(); // released
      taken.recycleBuffer();
      gate.close();
    });

    it('requestBuffer throws once the pool is destroyed and the channel is alive', async () => {
      const { gate, channel } = await requested(10, 1, { creditBased: false });
      gate.getBufferPool()!.lazyDestroy();
      expect(() => channel.requestBuffer()).toThrow(BufferPoolDestroyedException);
      gate.close();
    });

    it('credit-based channels refuse addBufferAvailabilityListener', async () => {
      const { gate, channel } = await requested(10, 2);
      expect(() => channel.addBufferAvailabilityListener(() => {})).toThrow(IllegalStateException);
      gate.close();
    });
  });
});
