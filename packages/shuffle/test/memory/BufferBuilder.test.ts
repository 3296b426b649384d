import { Worker } from 'node:worker_threads';
import { describe, expect, it } from '@jest/globals';
import { IllegalArgumentException, IllegalStateException, IndexOutOfBoundsException, Unpooled } from '@sluice/channel';
import fc from 'fast-check';
import {
  BufferBuilder,
  BufferConsumer,
  DataType,
  FreeingBufferRecycler,
  MemorySegmentFactory,
  NetworkBuffer,
  PositionMarker,
  type Buffer,
  type BufferRecycler,
  type MemorySegment,
} from '../../src/memory';

class CountingRecycler implements BufferRecycler {
  count = 0;
  recycle(_segment: MemorySegment): void {
    this.count++;
  }
}

function newBuilder(size = 32): { builder: BufferBuilder; segment: MemorySegment; recycler: CountingRecycler } {
  const segment = MemorySegmentFactory.allocateSharedSegment(size);
  const recycler = new CountingRecycler();
  return { builder: new BufferBuilder(segment, recycler), segment, recycler };
}

/** Builds, reads the slice's bytes and recycles it. */
function drain(consumer: BufferConsumer): number[] {
  const slice: Buffer = consumer.build();
  try {
    return [...slice.getNioBufferReadable()];
  } finally {
    slice.recycleBuffer();
  }
}

function cell(segment: MemorySegment): number {
  return Atomics.load(segment.positionCells(), segment.positionSlot());
}

describe('BufferBuilder', () => {
  it('appends min(remaining, capacity − position) bytes and returns the count', () => {
    const { builder } = newBuilder(8);
    expect(builder.append(Uint8Array.of(1, 2, 3))).toBe(3);
    expect(builder.append(Uint8Array.of(9, 4, 5, 6, 7, 8, 9), 1)).toBe(5);
    expect(builder.isFull()).toBe(true);
    expect(builder.getWritableBytes()).toBe(0);
    expect(builder.append(Uint8Array.of(1))).toBe(0);
    expect([...builder.memory().subarray(0, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    builder.close();
  });

  it('copies large ranges and sub-ranges of a source', () => {
    const { builder } = newBuilder(256);
    const source = Uint8Array.from({ length: 200 }, (_, i) => i);
    expect(builder.append(source, 10, 100)).toBe(100);
    expect(builder.append(source)).toBe(156);
    expect(builder.memory()[0]).toBe(10);
    expect(builder.memory()[99]).toBe(109);
    expect(builder.memory()[100]).toBe(0);
    expect(builder.memory()[255]).toBe(155);
    expect(builder.append(source, 150, 50)).toBe(0);
    builder.close();
  });

  it('rejects source ranges outside the source', () => {
    const { builder } = newBuilder(16);
    expect(() => builder.append(new Uint8Array(4), 2, 3)).toThrow(IndexOutOfBoundsException);
    expect(() => builder.append(new Uint8Array(4), -1)).toThrow(IndexOutOfBoundsException);
    builder.close();
  });

  it('appends from a ByteBuf and advances its reader index by the bytes copied', () => {
    const { builder } = newBuilder(6);
    const source = Unpooled.buffer(16).writeBytes(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    source.readerIndex(1);
    expect(builder.append(source)).toBe(6);
    expect(source.readerIndex()).toBe(7);
    expect([...builder.memory().subarray(0, 6)]).toEqual([2, 3, 4, 5, 6, 7]);
    source.release();
    builder.close();
  });

  it('appends an absolute range of a ByteBuf without moving its indices', () => {
    const { builder } = newBuilder(4);
    const source = Unpooled.buffer(16).writeBytes(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    expect(builder.append(source, 2, 3)).toBe(3);
    expect(builder.append(source, 0)).toBe(1);
    expect([source.readerIndex(), source.writerIndex()]).toEqual([0, 8]);
    expect([...builder.memory().subarray(0, 4)]).toEqual([3, 4, 5, 1]);
    expect(() => builder.append(source, 9)).toThrow(IndexOutOfBoundsException);
    source.release();
    builder.close();
  });

  it('lets partial builds see only committed bytes', () => {
    const { builder } = newBuilder(16);
    const consumer = builder.createBufferConsumer();
    builder.append(Uint8Array.of(1, 2));
    expect(consumer.isDataAvailable()).toBe(false);
    expect(drain(consumer)).toEqual([]);
    builder.commit();
    expect(consumer.isDataAvailable()).toBe(true);
    builder.append(Uint8Array.of(3));
    expect(drain(consumer)).toEqual([1, 2]);
    builder.appendAndCommit(Uint8Array.of(4));
    expect(drain(consumer)).toEqual([3, 4]);
    expect(consumer.isFinished()).toBe(false);
    builder.close();
    consumer.close();
  });

  it('publishes positive positions, −n when finished and −2^31 when finished empty', () => {
    const { builder, segment } = newBuilder(16);
    builder.append(Uint8Array.of(1, 2, 3));
    expect(cell(segment)).toBe(0);
    builder.commit();
    expect(cell(segment)).toBe(3);
    expect(builder.finish()).toBe(3);
    expect(cell(segment)).toBe(-3);
    builder.close();

    const empty = newBuilder(16);
    expect(empty.builder.finish()).toBe(0);
    expect(cell(empty.segment)).toBe(PositionMarker.FINISHED_EMPTY);
    expect(cell(empty.segment)).toBe(-2147483648);
    empty.builder.close();
  });

  it('decodes the position encoding', () => {
    expect([PositionMarker.getAbsolute(5), PositionMarker.getAbsolute(-5), PositionMarker.getAbsolute(PositionMarker.FINISHED_EMPTY)]).toEqual([5, 5, 0]);
    expect([PositionMarker.isFinished(0), PositionMarker.isFinished(-1), PositionMarker.isFinished(PositionMarker.FINISHED_EMPTY)]).toEqual([false, true, true]);
    expect([PositionMarker.encode(0, false), PositionMarker.encode(0, true), PositionMarker.encode(7, true)]).toEqual([0, -2147483648, -7]);
  });

  it('finishes idempotently (FLINK-8948) and refuses writes afterwards', () => {
    const { builder } = newBuilder(16);
    const consumer = builder.createBufferConsumerFromBeginning();
    builder.append(Uint8Array.of(1, 2));
    expect(builder.finish()).toBe(2);
    expect(builder.finish()).toBe(2);
    expect(builder.isFinished()).toBe(true);
    expect(() => builder.append(Uint8Array.of(3))).toThrow(new IllegalStateException('BufferBuilder is finished; request a new one to write more'));
    expect(() => builder.setWriterPosition(2)).toThrow(IllegalStateException);
    expect(consumer.isFinished()).toBe(false); // cached until build()
    expect(drain(consumer)).toEqual([1, 2]);
    expect(consumer.isFinished()).toBe(true);
    expect(consumer.getWrittenBytes()).toBe(2);
    builder.close();
    consumer.close();
  });

  it('creates only one consumer; a plain consumer starts at the writer position', () => {
    const { builder } = newBuilder(16);
    builder.appendAndCommit(Uint8Array.of(1, 2));
    const consumer = builder.createBufferConsumer();
    expect(consumer.getCurrentReaderPosition()).toBe(2);
    expect(() => builder.createBufferConsumerFromBeginning()).toThrow("Two BufferConsumer shouldn't exist for one BufferBuilder");
    builder.appendAndCommit(Uint8Array.of(3));
    expect(drain(consumer)).toEqual([3]);
    builder.close();
    consumer.close();
  });

  it('recycles the segment only after the builder, every consumer and every slice are released', () => {
    const { builder, recycler } = newBuilder(16);
    const consumer = builder.createBufferConsumerFromBeginning();
    builder.appendAndCommit(Uint8Array.of(1));
    const slice = consumer.build();
    builder.close();
    builder.close(); // idempotent
    expect(builder.isClosed()).toBe(true);
    consumer.close();
    expect(recycler.count).toBe(0);
    expect(slice.refCnt()).toBe(1);
    slice.recycleBuffer();
    expect(recycler.count).toBe(1);
    expect(() => builder.append(Uint8Array.of(1))).toThrow('BufferBuilder is closed');
  });

  it('trims the capacity, never below what was written nor above the segment', () => {
    const { builder } = newBuilder(32);
    builder.append(new Uint8Array(10));
    builder.trim(16);
    expect(builder.getMaxCapacity()).toBe(16);
    expect(builder.append(new Uint8Array(10))).toBe(6);
    builder.trim(4);
    expect(builder.getMaxCapacity()).toBe(16);
    builder.trim(100);
    expect(builder.getMaxCapacity()).toBe(32);
    builder.close();
  });

  it('serializes straight into the segment on the fast path and publishes with one commit', () => {
    const { builder } = newBuilder(64);
    const consumer = builder.createBufferConsumerFromBeginning();
    const memory = builder.memory();
    expect(builder.memory()).toBe(memory);
    for (let i = 0; i < 3; i++) {
      const p = builder.writerPosition();
      memory.writeInt32BE(8, p);
      builder.dataView().setBigInt64(p + 4, BigInt(i));
      builder.advance(12);
    }
    expect(consumer.isDataAvailable()).toBe(false);
    builder.commit();
    const slice = consumer.build();
    expect(slice.getSize()).toBe(36);
    expect(slice.asByteBuf().getLong(28)).toBe(2n);
    slice.recycleBuffer();
    expect(() => builder.setWriterPosition(35)).toThrow(/expected: 36 \(committed\)/);
    expect(() => builder.setWriterPosition(65)).toThrow(IndexOutOfBoundsException);
    builder.setWriterPosition(64);
    expect(builder.isFull()).toBe(true);
    builder.close();
    consumer.close();
  });

  it('carries the data type to its consumers and the built slices', () => {
    const { builder } = newBuilder(16);
    builder.setDataType(DataType.EVENT_BUFFER);
    const consumer = builder.createBufferConsumerFromBeginning();
    expect([builder.getDataType(), consumer.getDataType(), consumer.isBuffer()]).toEqual([DataType.EVENT_BUFFER, DataType.EVENT_BUFFER, false]);
    const slice = consumer.build();
    expect(slice.getDataType()).toBe(DataType.EVENT_BUFFER);
    slice.recycleBuffer();
    builder.close();
    consumer.close();
  });

  it('resets the position cell for the next builder on the same segment', () => {
    const { builder, segment, recycler } = newBuilder(16);
    builder.append(Uint8Array.of(1, 2));
    builder.finish();
    builder.close();
    const next = new BufferBuilder(segment, recycler);
    expect(cell(segment)).toBe(0);
    const consumer = next.createBufferConsumerFromBeginning();
    expect(consumer.isFinished()).toBe(false);
    expect(consumer.isDataAvailable()).toBe(false);
    next.close();
    consumer.close();
  });

  it('hands every appended byte to the consumer for any mix of appends, commits and builds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constant('commit' as const), fc.constant('build' as const)), { maxLength: 40 }),
        (steps) => {
          const { builder } = newBuilder(128);
          const consumer = builder.createBufferConsumerFromBeginning();
          const written: number[] = [];
          const read: number[] = [];
          for (const step of steps) {
            if (step === 'commit') builder.commit();
            else if (step === 'build') read.push(...drain(consumer));
            else {
              const n = builder.append(step);
              written.push(...step.subarray(0, n));
            }
          }
          builder.finish();
          read.push(...drain(consumer));
          expect(read).toEqual(written);
          expect(consumer.isFinished()).toBe(true);
          builder.close();
          consumer.close();
        },
      ),
    );
  });
});

describe('BufferConsumer', () => {
  it('shares one segment among copies with independent readers (broadcast)', () => {
    const { builder, recycler } = newBuilder(32);
    const consumer = builder.createBufferConsumerFromBeginning();
    builder.appendAndCommit(Uint8Array.of(1, 2, 3));
    const first = consumer.copy();
    expect(drain(consumer)).toEqual([1, 2, 3]);
    const second = consumer.copy(); // reader position copied: sees only what consumer has not read
    builder.appendAndCommit(Uint8Array.of(4));
    expect(drain(first)).toEqual([1, 2, 3, 4]);
    expect(drain(second)).toEqual([4]);
    expect(drain(consumer)).toEqual([4]);
    const slices = [first, second, consumer].map((c) => c.build());
    expect(new Set(slices.map((s) => s.getMemorySegment())).size).toBe(1);
    slices.forEach((s) => s.recycleBuffer());
    builder.finish();
    builder.close();
    first.close();
    second.close();
    expect(recycler.count).toBe(0);
    consumer.close();
    expect(recycler.count).toBe(1);
  });

  it('copies with a chosen reader position, not beyond the writer', () => {
    const { builder } = newBuilder(16);
    const consumer = builder.createBufferConsumerFromBeginning();
    builder.appendAndCommit(Uint8Array.of(1, 2, 3));
    drain(consumer);
    const again = consumer.copyWithReaderPosition(1);
    expect(drain(again)).toEqual([2, 3]);
    expect(() => consumer.copyWithReaderPosition(4)).toThrow(new IllegalArgumentException('Reader position larger than writer position: 4 > 3'));
    again.close();
    builder.close();
    consumer.close();
  });

  it('copies at the cached writer position for a fan-out, and at the latest one like Flink otherwise', () => {
    const { builder, recycler } = newBuilder(16);
    const consumer = builder.createBufferConsumerFromBeginning();
    builder.appendAndCommit(Uint8Array.of(1, 2));
    builder.finish();
    const latest = consumer.copy(); // Flink's copy re-reads the writer's position
    expect([latest.getWrittenBytes(), latest.isFinished()]).toEqual([2, true]);
    const cached = consumer.copyAtCachedPosition(); // the position the consumer saw at creation
    expect([cached.getWrittenBytes(), cached.isFinished()]).toEqual([0, false]);
    expect(cached.isDataAvailable()).toBe(true); // reads the latest position
    expect(drain(cached)).toEqual([1, 2]); // build() too
    expect(cached.isFinished()).toBe(true);
    builder.close();
    for (const c of [consumer, latest, cached]) c.close();
    expect(recycler.count).toBe(1);
    expect(() => consumer.copyAtCachedPosition()).toThrow(IllegalStateException);
  });

  it('is created by its builder at the committed position without reading the shared cell', () => {
    const { builder, segment } = newBuilder(16);
    builder.appendAndCommit(Uint8Array.of(1, 2, 3));
    builder.append(Uint8Array.of(4)); // not committed: invisible
    const consumer = builder.createBufferConsumerFromBeginning();
    expect([consumer.getWrittenBytes(), consumer.isFinished()]).toEqual([3, false]);
    expect(cell(segment)).toBe(3);
    builder.finish();
    builder.close();
    expect(drain(consumer)).toEqual([1, 2, 3, 4]);
    consumer.close();

    const { builder: finished } = newBuilder(16);
    finished.finish();
    const late = finished.createBufferConsumer(); // finished and empty: Integer.MIN_VALUE
    expect([late.getWrittenBytes(), late.isFinished()]).toEqual([0, true]);
    finished.close();
    late.close();
  });

  it('closes once: a second close does not drop a copy’s reference', () => {
    const { builder, recycler } = newBuilder(16);
    const consumer = builder.createBufferConsumerFromBeginning();
    const copy = consumer.copy();
    builder.close();
    consumer.close();
    consumer.close();
    expect(consumer.isRecycled()).toBe(true);
    expect(copy.isRecycled()).toBe(false);
    expect(recycler.count).toBe(0);
    expect(() => consumer.build()).toThrow(IllegalStateException);
    expect(() => consumer.copy()).toThrow(IllegalStateException);
    copy.close();
    expect(recycler.count).toBe(1);
  });

  it('skips committed bytes only', () => {
    const { builder } = newBuilder(16);
    const consumer = builder.createBufferConsumerFromBeginning();
    builder.appendAndCommit(Uint8Array.of(1, 2, 3));
    consumer.skip(2);
    expect(() => consumer.skip(2)).toThrow('bytes to skip beyond readable range: 2 > 1');
    expect(drain(consumer)).toEqual([3]);
    builder.close();
    consumer.close();
  });

  it('reports reader position, buffer size and the start of a data buffer', () => {
    const { builder } = newBuilder(16);
    const consumer = builder.createBufferConsumerFromBeginning();
    expect([consumer.isStartOfDataBuffer(), consumer.getBufferSize(), consumer.getCurrentReaderPosition()]).toEqual([true, 16, 0]);
    builder.appendAndCommit(Uint8Array.of(1));
    drain(consumer);
    expect(consumer.isStartOfDataBuffer()).toBe(false);
    expect(consumer.toString()).toBe('BufferConsumer(reader: 1, writer: 1, dataType: DATA_BUFFER)');
    builder.close();
    consumer.close();
  });

  it('is born finished for static content (events)', () => {
    const segment = MemorySegmentFactory.allocateUnpooledSegment(8);
    segment.putIntBigEndian(0, 42);
    const consumer = BufferConsumer.ofStaticContent(new NetworkBuffer(segment, FreeingBufferRecycler.INSTANCE, DataType.EVENT_BUFFER), 4);
    expect(consumer.isFinished()).toBe(true);
    expect(consumer.isDataAvailable()).toBe(true);
    const copy = consumer.copy();
    expect(drain(consumer)).toEqual([0, 0, 0, 42]);
    expect(consumer.isDataAvailable()).toBe(false);
    expect(drain(copy)).toEqual([0, 0, 0, 42]);
    copy.close();
    consumer.close();
    expect(segment.isFreed()).toBe(true);
    expect(() => BufferConsumer.ofStaticContent(new NetworkBuffer(MemorySegmentFactory.allocateUnpooledSegment(2), FreeingBufferRecycler.INSTANCE), 3)).toThrow(
      IllegalArgumentException,
    );
  });

  it('reads what a writer on another thread published with Atomics (shared-memory position protocol)', async () => {
    const { builder, segment } = newBuilder(1024);
    const consumer = builder.createBufferConsumerFromBeginning();
    const memory = segment.getArray();
    const cells = segment.positionCells();
    // The worker plays the writer: bytes into the shared segment, then Atomics.store of the position.
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const mem = new Uint8Array(workerData.sab, workerData.offset, workerData.size);
       const cells = new Int32Array(workerData.cellsBuffer, workerData.cellsOffset, workerData.cellsLength);
       let p = 0;
       for (let chunk = 0; chunk < 10; chunk++) {
         for (let i = 0; i < 100; i++) mem[p + i] = (p + i) & 0xff;
         p += 100;
         Atomics.store(cells, workerData.slot, p);
       }
       Atomics.store(cells, workerData.slot, -p);`,
      {
        eval: true,
        workerData: {
          sab: memory.buffer,
          offset: memory.byteOffset,
          size: memory.length,
          cellsBuffer: cells.buffer,
          cellsOffset: cells.byteOffset,
          cellsLength: cells.length,
          slot: segment.positionSlot(),
        },
      },
    );
    const errors: unknown[] = [];
    worker.on('error', (err) => errors.push(err));
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    let previous = 0;
    const deadline = Date.now() + 10_000;
    while (!consumer.isFinished() && errors.length === 0 && Date.now() < deadline) {
      const slice = consumer.build();
      const bytes = slice.getNioBufferReadable();
      // every published byte is fully written (the store happened after the bytes)
      for (let i = 0; i < bytes.length; i++) expect(bytes[i]).toBe((previous + i) & 0xff);
      previous += bytes.length;
      slice.recycleBuffer();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await exited;
    expect(errors).toEqual([]);
    expect(previous).toBe(1000);
    builder.close();
    consumer.close();
  });
});
