// Test helpers for the server side (PartitionRequestQueue, readers, PartitionRequestServerHandler): real
// pipelined partitions on checked global pools, data added straight to a subpartition, and readers of the
// NettyMessage objects an EmbeddedChannel without encoder writes out.
import { Unpooled, type ByteBuf, type EmbeddedChannel } from '@sluice/channel';
import type { DataType, LocalBufferPool } from '../../src/memory';
import { BufferResponse } from '../../src/netty/message/BufferResponse';
import type { PipelinedSubpartition } from '../../src/partition';
import { createEventBufferConsumer, createFilledFinishedBufferConsumer, createTestPartition, type TestPartition, type TestPartitionOptions } from '../partition/PartitionTestUtils';

/** A registered pipelined partition plus a pool to build test buffers from. */
export class ServerTestPartition {
  readonly env: TestPartition;
  private readonly pool: LocalBufferPool;

  constructor(options: TestPartitionOptions & { dataBuffers?: number } = {}) {
    this.env = createTestPartition({ segmentSize: 128, globalSegments: 128, ...options });
    const n = options.dataBuffers ?? 32;
    this.pool = this.env.global.createBufferPool(n, n);
  }

  get partition(): TestPartition['partition'] {
    return this.env.partition;
  }

  get manager(): TestPartition['manager'] {
    return this.env.manager;
  }

  subpartition(index = 0): PipelinedSubpartition {
    return this.env.partition.getAllPartitions()[index] as PipelinedSubpartition;
  }

  /**
   * Adds `count` finished data buffers of `size` bytes (0, 1, 2, …) to subpartition `index` and flushes
   * it (so that the last one counts too: a consumer's cached "finished" state is stale until built);
   * returns what the last `add` returned (the subpartition's desired buffer size).
   */
  addData(index: number, count: number, size = 64): number {
    let result = 0;
    for (let i = 0; i < count; i++) result = this.subpartition(index).add(createFilledFinishedBufferConsumer(this.pool, size));
    this.subpartition(index).flush();
    return result;
  }

  /** Adds a finished event buffer of `dataType` (e.g. an aligned barrier). */
  addEvent(index: number, dataType: DataType, size = 32): void {
    this.subpartition(index).add(createEventBufferConsumer(size, dataType));
  }

  /** Releases the partition (recycling what is queued) and destroys the pools. */
  dispose(): void {
    this.env.dispose();
    this.pool.lazyDestroy();
  }
}

/** Everything written out so far, in order. */
export function readAllOutbound(channel: EmbeddedChannel): unknown[] {
  const out: unknown[] = [];
  let msg: unknown;
  while ((msg = channel.readOutbound()) !== null) out.push(msg);
  return out;
}

/** Releases the buffers of the BufferResponses among `msgs` (and ByteBufs). */
export function releaseAll(msgs: readonly unknown[]): void {
  for (const msg of msgs) {
    if (msg instanceof BufferResponse) msg.releaseBuffer();
    else if (typeof msg === 'object' && msg !== null && typeof (msg as { release?: unknown }).release === 'function') (msg as ByteBuf).release();
  }
}

/** Closes the channel, releasing the buffers of every message written before and while closing. */
export function closeAndRelease(channel: EmbeddedChannel): void {
  if (channel.isOpen()) channel.runPendingTasks();
  releaseAll(readAllOutbound(channel));
  channel.close();
  releaseAll(readAllOutbound(channel));
}

/** Reads all outbound messages, checks they are BufferResponses, releases them and returns them. */
export function drainBufferResponses(channel: EmbeddedChannel): BufferResponse[] {
  const msgs = readAllOutbound(channel);
  releaseAll(msgs);
  for (const msg of msgs) {
    if (!(msg instanceof BufferResponse)) throw new Error(`expected only BufferResponses, got ${String(msg)}`);
  }
  return msgs as BufferResponse[];
}

/**
 * Makes the channel unwritable: writes (without flushing) one ByteBuf just above the high water mark, as
 * Flink's PartitionRequestQueueTest.blockChannel does. `channel.flush()` makes it writable again; read
 * the returned buffer from the outbound queue and release it.
 */
export function blockChannel(channel: EmbeddedChannel): ByteBuf {
  const size = channel.config().getWriteBufferHighWaterMark() + 1;
  const buf = Unpooled.buffer(size);
  buf.writerIndex(size);
  void channel.write(buf);
  if (channel.isWritable()) throw new Error('channel still writable');
  return buf;
}
