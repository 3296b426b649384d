// Partition-request listeners of ResultPartitionManager (Flink 1.20's
// createSubpartitionViewOrRegisterListener / PartitionRequestListenerManager), without the network.
import { describe, expect, it } from '@jest/globals';
import { IllegalArgumentException } from '@sluice/channel';
import { InputChannelID } from '../../src/consumer/InputChannelID';
import {
  PartitionNotFoundException,
  ResultPartitionFactory,
  ResultPartitionID,
  ResultPartitionManager,
  type ResultPartition,
  type ResultSubpartitionView,
} from '../../src/partition';
import { supportsPartitionRequestListeners, type PartitionRequestListener } from '../../src/partition/PartitionRequestListener';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { RecordingListener } from './PartitionTestUtils';

installPoolChecks();

/** Records what happens to it; its "timer" is fired by hand. */
class TestListener implements PartitionRequestListener {
  readonly receiverId = InputChannelID.random();
  created: ResultPartition | null = null;
  view: ResultSubpartitionView | null = null;
  timedOut = 0;
  released = 0;
  scheduled: { timeoutMs: number; onTimeout: () => void } | null = null;

  constructor(
    private readonly partitionId: ResultPartitionID,
    private readonly manager: ResultPartitionManager,
  ) {}

  getResultPartitionId(): ResultPartitionID {
    return this.partitionId;
  }
  getReceiverId(): InputChannelID {
    return this.receiverId;
  }
  notifyPartitionCreated(partition: ResultPartition): void {
    this.created = partition;
    this.view = partition.createSubpartitionView(0, new RecordingListener());
  }
  notifyPartitionCreatedTimeout(): void {
    this.timedOut++;
  }
  releaseListener(): void {
    this.released++;
    this.manager.releasePartitionRequestListener(this);
  }
  scheduleTimeout(timeoutMs: number, onTimeout: () => void): void {
    this.scheduled = { timeoutMs, onTimeout };
  }
}

function setup(timeoutMs?: number) {
  const global = newGlobalPool(32, 128);
  const manager = new ResultPartitionManager(timeoutMs === undefined ? {} : { partitionRequestListenerTimeoutMs: timeoutMs });
  const factory = new ResultPartitionFactory(manager, { networkBufferPool: global });
  const partition = factory.create({ numberOfSubpartitions: 1 });
  const dispose = (): void => {
    partition.release();
    partition.close();
  };
  return { manager, partition, dispose };
}

describe('ResultPartitionManager partition-request listeners', () => {
  it('creates the view at once when the partition is registered', () => {
    const { manager, partition, dispose } = setup();
    partition.setup();
    const listener = new TestListener(partition.getPartitionId(), manager);
    const view = manager.createSubpartitionViewOrRegisterListener(partition.getPartitionId(), 0, new RecordingListener(), listener);
    expect(view).not.toBeNull();
    expect(listener.scheduled).toBeNull();
    expect(manager.getNumberOfWaitingPartitionRequests()).toBe(0);
    view!.releaseAllResources();
    dispose();
  });

  it('keeps a request for an unregistered partition and hands it the partition on registration', () => {
    const { manager, partition, dispose } = setup();
    const listener = new TestListener(partition.getPartitionId(), manager);
    expect(manager.createSubpartitionViewOrRegisterListener(partition.getPartitionId(), 0, new RecordingListener(), listener)).toBeNull();
    expect(manager.getNumberOfWaitingPartitionRequests()).toBe(1);
    expect(listener.scheduled!.timeoutMs).toBe(10000); // the default

    partition.setup();
    expect(listener.created).toBe(partition);
    expect(listener.view).not.toBeNull();
    expect(manager.getNumberOfWaitingPartitionRequests()).toBe(0);
    // A late timer does nothing any more.
    listener.scheduled!.onTimeout();
    expect(listener.timedOut).toBe(0);
    listener.view!.releaseAllResources();
    dispose();
  });

  it('times a waiting request out: removed and told once', () => {
    const { manager, partition, dispose } = setup(250);
    const listener = new TestListener(partition.getPartitionId(), manager);
    manager.createSubpartitionViewOrRegisterListener(partition.getPartitionId(), 0, new RecordingListener(), listener);
    expect(listener.scheduled!.timeoutMs).toBe(250);
    listener.scheduled!.onTimeout();
    listener.scheduled!.onTimeout();
    expect(listener.timedOut).toBe(1);
    expect(manager.getNumberOfWaitingPartitionRequests()).toBe(0);
    partition.setup();
    expect(listener.created).toBeNull();
    dispose();
  });

  it('arms no timer with timeout 0 (wait until registration or release)', () => {
    const { manager, partition, dispose } = setup(0);
    const listener = new TestListener(partition.getPartitionId(), manager);
    manager.createSubpartitionViewOrRegisterListener(partition.getPartitionId(), 0, new RecordingListener(), listener);
    expect(listener.scheduled).toBeNull();
    listener.releaseListener();
    expect(manager.getNumberOfWaitingPartitionRequests()).toBe(0);
    dispose();
  });

  it('answers waiting requests "not found" on release of the partition id and on shutdown', () => {
    const { manager, partition, dispose } = setup();
    const a = new TestListener(partition.getPartitionId(), manager);
    const other = ResultPartitionID.random();
    const b = new TestListener(other, manager);
    manager.createSubpartitionViewOrRegisterListener(partition.getPartitionId(), 0, new RecordingListener(), a);
    manager.createSubpartitionViewOrRegisterListener(other, 0, new RecordingListener(), b);
    manager.releasePartition(partition.getPartitionId());
    expect([a.timedOut, b.timedOut]).toEqual([1, 0]);
    manager.shutdown();
    expect([a.timedOut, b.timedOut]).toEqual([1, 1]);
    expect(manager.getNumberOfWaitingPartitionRequests()).toBe(0);
    // After shutdown nothing waits any more.
    expect(() => manager.createSubpartitionViewOrRegisterListener(other, 0, new RecordingListener(), b)).toThrow(PartitionNotFoundException);
    dispose();
  });

  it('keeps the local-channel API unchanged and validates the timeout', () => {
    const manager = new ResultPartitionManager();
    expect(() => manager.createSubpartitionView(ResultPartitionID.random(), 0, new RecordingListener())).toThrow(PartitionNotFoundException);
    expect(supportsPartitionRequestListeners(manager)).toBe(true);
    expect(supportsPartitionRequestListeners({ createSubpartitionView: manager.createSubpartitionView.bind(manager) })).toBe(false);
    expect(() => new ResultPartitionManager({ partitionRequestListenerTimeoutMs: -1 })).toThrow(IllegalArgumentException);
  });
});
