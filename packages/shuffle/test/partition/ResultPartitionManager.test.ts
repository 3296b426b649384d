import { describe, expect, it } from '@jest/globals';
import { IllegalStateException } from '@sluice/channel';
import { PartitionNotFoundException, ResultPartitionFactory, ResultPartitionID, ResultPartitionManager, ResultPartitionType } from '../../src/partition';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { RecordingListener } from './PartitionTestUtils';

installPoolChecks();

describe('ResultPartitionManager', () => {
  function setup(subpartitions = 2) {
    const global = newGlobalPool(32, 128);
    const manager = new ResultPartitionManager();
    const factory = new ResultPartitionFactory(manager, { networkBufferPool: global });
    const partition = factory.create({ numberOfSubpartitions: subpartitions });
    partition.setup();
    return { global, manager, factory, partition };
  }

  it('registers partitions on setup and creates views of them', () => {
    const { manager, partition } = setup();
    expect(manager.getUnreleasedPartitions().map((id) => id.key())).toEqual([partition.getPartitionId().key()]);
    // An equal id made from the same parts finds the partition.
    const copy = new ResultPartitionID(partition.getPartitionId().partitionId, partition.getPartitionId().producerId);
    const view = manager.createSubpartitionView(copy, 1, new RecordingListener());
    expect(view.isReleased()).toBe(false);
    view.releaseAllResources();
    partition.release();
    partition.close();
  });

  it('throws PartitionNotFoundException naming an unknown partition', () => {
    const manager = new ResultPartitionManager();
    const id = ResultPartitionID.random();
    let error: unknown;
    try {
      manager.createSubpartitionView(id, 0, new RecordingListener());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PartitionNotFoundException);
    expect((error as PartitionNotFoundException).code).toBe('SLUICE_PARTITION_NOT_FOUND');
    expect((error as PartitionNotFoundException).partitionId).toBe(id);
    expect((error as Error).message).toContain(id.toString());
  });

  it('refuses a second registration of the same id', () => {
    const { manager, partition } = setup();
    expect(() => manager.registerResultPartition(partition)).toThrow(IllegalStateException);
    partition.release();
    partition.close();
  });

  it('releases a partition with its cause and forgets it', () => {
    const { manager, partition } = setup();
    const cause = new Error('producer failed');
    manager.releasePartition(partition.getPartitionId(), cause);
    expect(partition.isReleased()).toBe(true);
    expect(partition.getFailureCause()).toBe(cause);
    expect(manager.size()).toBe(0);
    expect(() => manager.createSubpartitionView(partition.getPartitionId(), 0, new RecordingListener())).toThrow(PartitionNotFoundException);
    partition.close();
  });

  it('releases a pipelined partition once every view and the producer are done', () => {
    const { manager, partition } = setup(2);
    const v0 = partition.createSubpartitionView(0, new RecordingListener());
    const v1 = partition.createSubpartitionView(1, new RecordingListener());
    v0.releaseAllResources();
    v0.releaseAllResources(); // repeated: ignored
    partition.close();
    expect(partition.isReleased()).toBe(false);
    v1.releaseAllResources();
    expect(partition.isReleased()).toBe(true);
    expect(manager.getUnreleasedPartitions()).toEqual([]);
  });

  it('fails a partition through the manager and destroys its pool', () => {
    const { manager, partition } = setup();
    partition.fail(new Error('boom'));
    expect(partition.isReleased()).toBe(true);
    expect(partition.getBufferPool().isDestroyed()).toBe(true);
    expect(manager.size()).toBe(0);
  });

  it('releases everything on shutdown and refuses registrations afterwards', () => {
    const { manager, factory, partition } = setup();
    manager.shutdown();
    expect(partition.isReleased()).toBe(true);
    const late = factory.create({ numberOfSubpartitions: 1, partitionType: ResultPartitionType.PIPELINED });
    expect(() => late.setup()).toThrow(/shut down/);
    late.close();
    partition.close();
  });

  it('creates only pipelined partitions so far', () => {
    const manager = new ResultPartitionManager();
    const factory = new ResultPartitionFactory(manager);
    expect(() => factory.create({ numberOfSubpartitions: 1, partitionType: ResultPartitionType.BLOCKING })).toThrow(/not supported yet/);
  });
});
