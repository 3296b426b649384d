// Test helpers for the partition and io layers: partitions on checked global pools (see PoolTestUtils),
// recording availability listeners, and buffer consumers built the way Flink's BufferBuilderTestUtils does.
import { EventSerializer } from '../../src/event';
import {
  BufferConsumer,
  DataType,
  FreeingBufferRecycler,
  MemorySegmentFactory,
  NetworkBuffer,
  type BufferPool,
  type LocalBufferPool,
  type NetworkBufferPool,
} from '../../src/memory';
import {
  ResultPartitionFactory,
  ResultPartitionManager,
  ResultPartitionType,
  type BufferAvailabilityListener,
  type PipelinedResultPartition,
  type ResultSubpartitionView,
} from '../../src/partition';
import { newGlobalPool } from '../memory/PoolTestUtils';

/** Counts notifications (Flink's AwaitableBufferAvailablityListener). */
export class RecordingListener implements BufferAvailabilityListener {
  numNotifications = 0;
  numPriorityEvents = 0;
  lastPrioritySequenceNumber = -1;
  /** Runs on every data notification (e.g. to drain). */
  onData: ((view: ResultSubpartitionView) => void) | null = null;

  notifyDataAvailable(view: ResultSubpartitionView): void {
    this.numNotifications++;
    this.onData?.(view);
  }

  notifyPriorityEvent(prioritySequenceNumber: number): void {
    this.numPriorityEvents++;
    this.lastPrioritySequenceNumber = prioritySequenceNumber;
  }
}

export interface TestPartition {
  global: NetworkBufferPool;
  manager: ResultPartitionManager;
  partition: PipelinedResultPartition;
  /** Releases the partition and destroys its pool (idempotent). */
  dispose(): void;
}

export interface TestPartitionOptions {
  subpartitions?: number;
  segmentSize?: number;
  /** Segments of the global pool (default 256). */
  globalSegments?: number;
  /** Exact size of the partition's pool (min = max); default: the factory's formula. */
  poolSize?: number;
  buffersPerChannel?: number;
  maxBuffersPerChannel?: number;
  maxOverdraftBuffersPerGate?: number;
  type?: ResultPartitionType;
}

/** A set-up pipelined partition on a fresh checked global pool. */
export function createTestPartition(options: TestPartitionOptions = {}): TestPartition {
  const subpartitions = options.subpartitions ?? 1;
  const global = newGlobalPool(options.globalSegments ?? 256, options.segmentSize ?? 128);
  const manager = new ResultPartitionManager();
  const factory = new ResultPartitionFactory(manager, {
    networkBufferPool: global,
    networkBuffersPerChannel: options.buffersPerChannel ?? 2,
    maxBuffersPerChannel: options.maxBuffersPerChannel ?? 10,
    maxOverdraftBuffersPerGate: options.maxOverdraftBuffersPerGate ?? 0,
  });
  const poolSize = options.poolSize;
  const partition = factory.create({
    numberOfSubpartitions: subpartitions,
    partitionType: options.type ?? ResultPartitionType.PIPELINED_BOUNDED,
    ...(poolSize !== undefined
      ? {
          bufferPoolFactory: (): BufferPool =>
            global.createBufferPool(poolSize, poolSize, subpartitions, options.maxBuffersPerChannel ?? poolSize, options.maxOverdraftBuffersPerGate ?? 0),
        }
      : {}),
  });
  partition.setup();
  return {
    global,
    manager,
    partition,
    dispose(): void {
      partition.release();
      partition.close();
    },
  };
}

/**
 * A consumer of a builder from `pool`, `dataSize` bytes filled (0, 1, 2, …), finished or not. The consumer
 * is created BEFORE the bytes are written and the builder finished, as Flink's test utility does: its
 * cached "finished" state is stale until the first build().
 */
export function createFilledBufferConsumer(pool: LocalBufferPool, dataSize: number, finished: boolean): BufferConsumer {
  const builder = pool.requestBufferBuilder();
  if (builder === null) throw new Error('test pool exhausted');
  const consumer = builder.createBufferConsumer();
  const bytes = new Uint8Array(dataSize);
  for (let i = 0; i < dataSize; i++) bytes[i] = i & 0xff;
  builder.appendAndCommit(bytes);
  if (finished) builder.finish();
  builder.close();
  return consumer;
}

export function createFilledFinishedBufferConsumer(pool: LocalBufferPool, dataSize: number): BufferConsumer {
  return createFilledBufferConsumer(pool, dataSize, true);
}

export function createFilledUnfinishedBufferConsumer(pool: LocalBufferPool, dataSize: number): BufferConsumer {
  return createFilledBufferConsumer(pool, dataSize, false);
}

/** A finished event-typed consumer of `size` zero bytes on a heap segment (Flink's createEventBufferConsumer). */
export function createEventBufferConsumer(size: number, dataType: DataType = DataType.EVENT_BUFFER): BufferConsumer {
  return BufferConsumer.ofStaticContent(new NetworkBuffer(MemorySegmentFactory.allocateUnpooledSegment(size), FreeingBufferRecycler.INSTANCE, dataType, size));
}

/** What {@link drainView} read: the data bytes concatenated, the events in order, the buffers polled. */
export interface Drained {
  bytes: number[];
  events: string[];
  buffers: number;
}

/** Polls `view` until it returns nothing, recycling every buffer. */
export function drainView(view: ResultSubpartitionView, into: Drained = { bytes: [], events: [], buffers: 0 }): Drained {
  let next;
  while ((next = view.getNextBuffer()) !== null) {
    const buffer = next.buffer;
    try {
      into.buffers++;
      if (buffer.isBuffer()) into.bytes.push(...buffer.getNioBufferReadable());
      else into.events.push(EventSerializer.fromBuffer(buffer).toString());
    } finally {
      buffer.recycleBuffer();
    }
  }
  return into;
}

/** `[len BE int32][payload]` for a payload. */
export function framed(payload: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setInt32(0, payload.length);
  out.set(payload, 4);
  return out;
}
