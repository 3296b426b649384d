import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IllegalStateException } from '@sluice/channel';
import fc from 'fast-check';
import {
  BrokenSerializationException,
  BytesSerializer,
  CorruptRecordLengthException,
  DataOutputSerializer,
  DeserializationDelegate,
  DeserializationResult,
  IntSerializer,
  LongSerializer,
  SpillingAdaptiveSpanningRecordDeserializer,
  type SpillingAdaptiveSpanningRecordDeserializerOptions,
  type TypeSerializer,
} from '../../src/io';
import { DataType, FreeingBufferRecycler, MemorySegmentFactory, NetworkBuffer, type Buffer } from '../../src/memory';

const { PARTIAL_RECORD, INTERMEDIATE_RECORD_FROM_BUFFER, LAST_RECORD_FROM_BUFFER } = DeserializationResult;

/** Serialized, length-prefixed records back to back. */
function frame<T>(serializer: TypeSerializer<T>, records: readonly T[]): Uint8Array {
  const out = new DataOutputSerializer(64);
  for (const record of records) {
    const start = out.length();
    out.skipBytesToWrite(4);
    serializer.serialize(record, out);
    out.writeIntUnsafe(out.length() - start - 4, start);
  }
  return out.getCopyOfBuffer();
}

/**
 * A data buffer holding `bytes`; with `offset` it is a read-only slice starting `offset` bytes into a larger
 * segment (as buffers polled from a subpartition are).
 */
function buffer(bytes: Uint8Array, offset = 0): Buffer {
  const root = new NetworkBuffer(MemorySegmentFactory.allocateUnpooledSegment(bytes.length + offset + 3), FreeingBufferRecycler.INSTANCE, DataType.DATA_BUFFER, 0);
  root.getMemorySegment().getArray().set(bytes, offset);
  root.setSize(offset + bytes.length);
  if (offset === 0) return root;
  const slice = root.readOnlySlice(offset, bytes.length).retainBuffer();
  root.recycleBuffer();
  return slice;
}

/** Splits `bytes` at the given cut points. */
function cut(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set([0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length])].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  for (let i = 0; i + 1 < points.length; i++) out.push(bytes.subarray(points[i], points[i + 1]));
  return out;
}

interface Run<T> {
  records: T[];
  results: string[];
  buffers: Buffer[];
}

/** Feeds the chunks as buffers and reads records until each buffer is consumed. */
function run<T>(serializer: TypeSerializer<T>, chunks: readonly Uint8Array[], options?: SpillingAdaptiveSpanningRecordDeserializerOptions, offset = 0): Run<T> {
  const deserializer = new SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<T>>({ channel: 'test channel', ...options });
  const delegate = new DeserializationDelegate(serializer);
  const result: Run<T> = { records: [], results: [], buffers: [] };
  try {
    for (const chunk of chunks) {
      const b = buffer(chunk, offset);
      result.buffers.push(b);
      deserializer.setNextBuffer(b);
      for (;;) {
        const r = deserializer.getNextRecord(delegate);
        result.results.push(r.name);
        if (r.isFullRecord()) result.records.push(delegate.getInstance());
        if (r.isBufferConsumed()) break;
      }
    }
    expect(deserializer.hasPartialRecord()).toBe(false);
  } finally {
    deserializer.clear();
  }
  return result;
}

let spillDir: string;
beforeAll(() => {
  spillDir = mkdtempSync(join(tmpdir(), 'sluice-spill-test-'));
});
afterAll(() => {
  rmSync(spillDir, { recursive: true, force: true });
});

describe('SpillingAdaptiveSpanningRecordDeserializer', () => {
  it('reads records inside one buffer in place and recycles the buffer after the last', () => {
    const out = run(LongSerializer.INSTANCE, [frame(LongSerializer.INSTANCE, [1, -2, 3])]);
    expect(out.records).toEqual([1, -2, 3]);
    expect(out.results).toEqual([INTERMEDIATE_RECORD_FROM_BUFFER.name, INTERMEDIATE_RECORD_FROM_BUFFER.name, LAST_RECORD_FROM_BUFFER.name]);
    expect(out.buffers.every((b) => b.isRecycled())).toBe(true);
  });

  for (const split of [1, 2, 3]) {
    it(`handles a length prefix split after ${split} byte(s)`, () => {
      const bytes = frame(LongSerializer.INSTANCE, [7, 8]);
      const out = run(LongSerializer.INSTANCE, cut(bytes, [12 + split]), {}, 5);
      expect(out.records).toEqual([7, 8]);
      expect(out.results).toEqual([INTERMEDIATE_RECORD_FROM_BUFFER.name, PARTIAL_RECORD.name, LAST_RECORD_FROM_BUFFER.name]);
    });
  }

  it('reads whole fixed-length records through tryReadFixedLengthRecord and leaves the others to getNextRecord', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), { maxLength: 40 }),
        fc.array(fc.nat(480), { maxLength: 12 }),
        (values, cuts) => {
          const bytes = frame(LongSerializer.INSTANCE, values);
          const deserializer = new SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<number>>({ channel: 'fast path' });
          const delegate = new DeserializationDelegate(LongSerializer.INSTANCE);
          const records: number[] = [];
          const buffers: Buffer[] = [];
          let fast = 0;
          for (const chunk of cut(bytes, cuts)) {
            const b = buffer(chunk, 5);
            buffers.push(b);
            deserializer.setNextBuffer(b);
            for (;;) {
              const value = deserializer.tryReadFixedLengthRecord(LongSerializer.INSTANCE, 8);
              if (value !== undefined) {
                records.push(value);
                fast++;
                continue;
              }
              const r = deserializer.getNextRecord(delegate);
              if (r.isFullRecord()) records.push(delegate.getInstance());
              if (r.isBufferConsumed()) break;
            }
          }
          expect(records).toEqual(values);
          expect(deserializer.hasPartialRecord()).toBe(false);
          expect(buffers.every((b) => b.isRecycled())).toBe(true);
          // Without cuts every record is whole in the one buffer: all of them take the fast path.
          if (cuts.length === 0) expect(fast).toBe(values.length);
        },
      ),
    );
  });

  it('leaves a record whose length prefix is not the fixed length to getNextRecord', () => {
    const deserializer = new SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<number>>({ channel: 'fast path' });
    deserializer.setNextBuffer(buffer(frame(IntSerializer.INSTANCE, [7])));
    expect(deserializer.tryReadFixedLengthRecord(LongSerializer.INSTANCE, 8)).toBeUndefined();
    const delegate = new DeserializationDelegate(IntSerializer.INSTANCE);
    expect(deserializer.getNextRecord(delegate)).toBe(LAST_RECORD_FROM_BUFFER);
    expect(delegate.getInstance()).toBe(7);
  });

  it('gathers records spanning 2..N buffers', () => {
    for (let n = 2; n <= 12; n++) {
      const payload = Uint8Array.from({ length: 64 * n - 30 }, (_, i) => (i * 7) & 0xff);
      const bytes = frame(BytesSerializer.INSTANCE, [payload, Uint8Array.of(1)]);
      const chunks = cut(bytes, Array.from({ length: 40 }, (_, i) => (i + 1) * 64));
      const out = run(BytesSerializer.INSTANCE, chunks);
      expect(out.records.map((r) => [...r])).toEqual([[...payload], [1]]);
      expect(out.results.filter((r) => r === PARTIAL_RECORD.name).length).toBeGreaterThanOrEqual(n - 1);
    }
  });

  it('reads zero-length records, also across buffer boundaries', () => {
    const empty: TypeSerializer<null> = { getLength: () => 0, serialize: () => {}, deserialize: () => null };
    const bytes = frame(empty, [null, null, null, null]); // 16 bytes of zero lengths
    for (let c = 1; c < 16; c++) {
      expect(run(empty, cut(bytes, [c])).records).toEqual([null, null, null, null]);
    }
  });

  it('decodes any stream split at any points', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200, size: 'max' }), { maxLength: 20, size: 'max' }), fc.array(fc.nat({ max: 5000 }), { maxLength: 30, size: 'max' }), (records, cuts) => {
        const bytes = frame(BytesSerializer.INSTANCE, records);
        const out = run(BytesSerializer.INSTANCE, bytes.length === 0 ? [bytes] : cut(bytes, cuts));
        expect(out.records.map((r) => [...r])).toEqual(records.map((r) => [...r]));
        expect(out.buffers.every((b) => b.isRecycled())).toBe(true);
      }),
    );
  });

  it('spills a record above the threshold to a temporary file and deletes it once read', () => {
    const payload = Uint8Array.from({ length: 20000 }, (_, i) => (i * 13) & 0xff);
    const bytes = frame(BytesSerializer.INSTANCE, [Uint8Array.of(9), payload, Uint8Array.of(10)]);
    const deserializer = new SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<Uint8Array>>({
      channel: 'spilling channel',
      tmpDirectories: [spillDir],
      thresholdForSpilling: 1024,
      fileBufferSize: 100,
    });
    const delegate = new DeserializationDelegate(BytesSerializer.INSTANCE);
    const records: number[][] = [];
    let spillFile: string | null = null;
    try {
      for (const chunk of cut(bytes, Array.from({ length: 30 }, (_, i) => (i + 1) * 1000))) {
        deserializer.setNextBuffer(buffer(chunk));
        for (;;) {
          const r = deserializer.getNextRecord(delegate);
          if (r.isFullRecord()) records.push([...delegate.getInstance()]);
          if (deserializer.getSpillFile() !== null) {
            spillFile = deserializer.getSpillFile();
            expect(existsSync(spillFile!)).toBe(true);
          }
          if (r.isBufferConsumed()) break;
        }
      }
    } finally {
      deserializer.clear();
    }
    expect(spillFile).not.toBeNull();
    expect(records).toEqual([[9], [...payload], [10]]);
    expect(existsSync(spillFile!)).toBe(false);
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it('deletes the spill file of a half-received record on clear()', () => {
    const bytes = frame(BytesSerializer.INSTANCE, [new Uint8Array(5000)]);
    const deserializer = new SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<Uint8Array>>({ tmpDirectories: [spillDir], thresholdForSpilling: 100 });
    deserializer.setNextBuffer(buffer(bytes.subarray(0, 2000)));
    expect(deserializer.getNextRecord(new DeserializationDelegate(BytesSerializer.INSTANCE))).toBe(PARTIAL_RECORD);
    const file = deserializer.getSpillFile();
    expect(file !== null && existsSync(file)).toBe(true);
    deserializer.clear();
    expect(existsSync(file!)).toBe(false);
  });

  it('raises CorruptRecordLengthException naming the channel for a negative length', () => {
    const bytes = Uint8Array.of(0xff, 0xff, 0xff, 0xfe, 1, 2);
    expect(() => run(IntSerializer.INSTANCE, [bytes])).toThrow(CorruptRecordLengthException);
    expect(() => run(IntSerializer.INSTANCE, [bytes])).toThrow(/test channel/);
    // Split length prefix: detected when the prefix completes in the next buffer.
    expect(() => run(IntSerializer.INSTANCE, cut(bytes, [2]))).toThrow(CorruptRecordLengthException);
  });

  it('raises BrokenSerializationException when a serializer reads past or short of its record', () => {
    const fourBytes = frame(IntSerializer.INSTANCE, [1, 2]);
    const eightBytes = frame(LongSerializer.INSTANCE, [1, 2]);
    // In place.
    expect(() => run(LongSerializer.INSTANCE, [fourBytes])).toThrow(BrokenSerializationException);
    expect(() => run(IntSerializer.INSTANCE, [eightBytes])).toThrow(/consumed 4 of the 8 bytes of the record on test channel/);
    // Spanning.
    expect(() => run(LongSerializer.INSTANCE, cut(fourBytes, [5]))).toThrow(/more bytes than the record had/);
    expect(() => run(IntSerializer.INSTANCE, cut(eightBytes, [5]))).toThrow(BrokenSerializationException);
    // Spilled.
    const spilled = frame(BytesSerializer.INSTANCE, [new Uint8Array(300)]);
    let error: unknown;
    try {
      run(IntSerializer.INSTANCE, cut(spilled, [100, 200]), { tmpDirectories: [spillDir], thresholdForSpilling: 50 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BrokenSerializationException);
    expect((error as BrokenSerializationException).channel).toBe('test channel');
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it('returns a copy of the unconsumed bytes and recycles the current buffer on clear()', () => {
    const bytes = frame(LongSerializer.INSTANCE, [1, 2]);
    const deserializer = new SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<number>>();
    const delegate = new DeserializationDelegate(LongSerializer.INSTANCE);
    const b = buffer(bytes.subarray(0, 18));
    deserializer.setNextBuffer(b);
    expect(deserializer.getNextRecord(delegate)).toBe(INTERMEDIATE_RECORD_FROM_BUFFER);
    const early = buffer(Uint8Array.of(1));
    expect(() => deserializer.setNextBuffer(early)).toThrow(IllegalStateException);
    early.recycleBuffer(); // refused: still the caller's
    let unconsumed = deserializer.getUnconsumedBuffer()!;
    expect([...unconsumed.getNioBufferReadable()]).toEqual([...bytes.subarray(12, 18)]);
    unconsumed.recycleBuffer();
    expect(deserializer.getNextRecord(delegate)).toBe(PARTIAL_RECORD);
    expect(b.isRecycled()).toBe(true);
    unconsumed = deserializer.getUnconsumedBuffer()!;
    expect([...unconsumed.getNioBufferReadable()]).toEqual([...bytes.subarray(12, 18)]);
    unconsumed.recycleBuffer();
    const next = buffer(bytes.subarray(18, 20));
    deserializer.setNextBuffer(next);
    deserializer.clear();
    expect(next.isRecycled()).toBe(true);
    expect(deserializer.getUnconsumedBuffer()).toBeNull();
  });
});
