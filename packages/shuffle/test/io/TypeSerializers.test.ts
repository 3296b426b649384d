import { describe, expect, it } from '@jest/globals';
import { IllegalArgumentException, Unpooled, UnsafeIntegerException } from '@sluice/channel';
import fc from 'fast-check';
import {
  BooleanSerializer,
  ByteBufDataInputView,
  BytesSerializer,
  DataInputDeserializer,
  DataOutputSerializer,
  DoubleSerializer,
  EndOfInputException,
  IntSerializer,
  LongBigIntSerializer,
  LongSerializer,
  ObjectSerializer,
  StringSerializer,
  TupleSerializer,
  type TypeSerializer,
} from '../../src/io';

function roundTrip<T>(serializer: TypeSerializer<T>, value: T): T {
  const out = new DataOutputSerializer(1);
  serializer.serialize(value, out);
  if (serializer.getLength() >= 0) expect(out.length()).toBe(serializer.getLength());
  const input = new DataInputDeserializer(out.asUint8Array());
  const back = serializer.deserialize(input);
  expect(input.available()).toBe(0);
  return back;
}

/** The fast path must write exactly the bytes `serialize` writes, and read them back as `deserialize` does. */
function expectFastPathMatches<T>(serializer: TypeSerializer<T>, value: T): void {
  const out = new DataOutputSerializer(16);
  serializer.serialize(value, out);
  const fixed = new Uint8Array(serializer.getLength() + 3);
  serializer.writeFixed!(value, new DataView(fixed.buffer), 3);
  expect([...fixed.subarray(3)]).toEqual([...out.asUint8Array()]);
  if (serializer.readFixed !== undefined) expect(serializer.readFixed(new DataView(fixed.buffer), 3)).toBe(value);
}

const safeLong = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

describe('type serializers', () => {
  it('round-trip every primitive and agree with their fast path', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), safeLong, fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.double(), fc.boolean(), (i, l, b, d, z) => {
        expect(roundTrip(IntSerializer.INSTANCE, i)).toBe(i);
        expect(roundTrip(LongSerializer.INSTANCE, l)).toBe(l);
        expect(roundTrip(LongBigIntSerializer.INSTANCE, b)).toBe(b);
        expect(Object.is(roundTrip(DoubleSerializer.INSTANCE, d), d)).toBe(true);
        expect(roundTrip(BooleanSerializer.INSTANCE, z)).toBe(z);
        expectFastPathMatches(IntSerializer.INSTANCE, i);
        expectFastPathMatches(LongSerializer.INSTANCE, l);
        expectFastPathMatches(LongBigIntSerializer.INSTANCE, b);
        expectFastPathMatches(DoubleSerializer.INSTANCE, d);
        expectFastPathMatches(BooleanSerializer.INSTANCE, z);
      }),
    );
  });

  it('reads fixed-length records back with readFixed for int, long and double', () => {
    for (const serializer of [IntSerializer.INSTANCE, LongSerializer.INSTANCE, DoubleSerializer.INSTANCE]) {
      expect(typeof serializer.readFixed).toBe('function');
    }
    const view = new DataView(new ArrayBuffer(12));
    view.setInt32(4, -2);
    view.setUint32(8, 0xffffffff);
    expect(LongSerializer.INSTANCE.readFixed(view, 4)).toBe(-(2 ** 32) - 1);
    view.setBigInt64(4, 1n << 60n);
    expect(() => LongSerializer.INSTANCE.readFixed(view, 4)).toThrow(UnsafeIntegerException);
  });

  it('writes a long number as the same two’s complement bytes as the bigint serializer', () => {
    fc.assert(
      fc.property(safeLong, (l) => {
        const a = new DataOutputSerializer(8);
        const b = new DataOutputSerializer(8);
        LongSerializer.INSTANCE.serialize(l, a);
        LongBigIntSerializer.INSTANCE.serialize(BigInt(l), b);
        expect([...a.asUint8Array()]).toEqual([...b.asUint8Array()]);
      }),
    );
  });

  it('rejects longs outside the safe integer range', () => {
    expect(() => roundTrip(LongSerializer.INSTANCE, 2 ** 53)).toThrow(IllegalArgumentException);
    expect(() => roundTrip(LongSerializer.INSTANCE, 1.5)).toThrow(IllegalArgumentException);
    const out = new DataOutputSerializer(8);
    out.writeLong(1n << 53n);
    expect(() => LongSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.asUint8Array()))).toThrow(UnsafeIntegerException);
    out.clear();
    out.writeLong(-(1n << 53n));
    expect(() => LongSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.asUint8Array()))).toThrow(UnsafeIntegerException);
  });

  it('round-trips strings, bytes, tuples and objects', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 300 }), safeLong, (s, bytes, l) => {
        expect(roundTrip(StringSerializer.INSTANCE, s)).toBe(s);
        expect([...roundTrip(BytesSerializer.INSTANCE, bytes)]).toEqual([...bytes]);
        const tuple = new TupleSerializer<[number, string, boolean]>([LongSerializer.INSTANCE, StringSerializer.INSTANCE, BooleanSerializer.INSTANCE]);
        expect(tuple.getLength()).toBe(-1);
        expect(roundTrip(tuple, [l, s, true])).toEqual([l, s, true]);
        const objects = new ObjectSerializer<{ id: number; name: string }>([
          ['id', LongSerializer.INSTANCE],
          ['name', StringSerializer.INSTANCE],
        ]);
        expect(roundTrip(objects, { id: l, name: s })).toEqual({ id: l, name: s });
      }),
    );
  });

  it('gives fixed-length tuples and objects a fast path', () => {
    const tuple = new TupleSerializer<[number, number, boolean]>([IntSerializer.INSTANCE, LongSerializer.INSTANCE, BooleanSerializer.INSTANCE]);
    expect(tuple.getLength()).toBe(13);
    expectFastPathMatches(tuple, [5, -7, true]);
    const objects = new ObjectSerializer<{ x: number; y: number }>([
      ['x', DoubleSerializer.INSTANCE],
      ['y', IntSerializer.INSTANCE],
    ]);
    expect(objects.getLength()).toBe(12);
    expectFastPathMatches(objects, { x: 1.5, y: 2 });
    expect(new TupleSerializer<[string]>([StringSerializer.INSTANCE]).writeFixed).toBeUndefined();
  });
});

describe('DataOutputSerializer / DataInputDeserializer', () => {
  it('grows, patches a length prefix and prunes back to the start buffer', () => {
    const out = new DataOutputSerializer(4);
    out.skipBytesToWrite(4);
    out.write(new Uint8Array(10).fill(7));
    out.writeIntUnsafe(out.length() - 4, 0);
    expect([...out.asUint8Array()]).toEqual([0, 0, 0, 10, ...new Array<number>(10).fill(7)]);
    expect(out.capacity()).toBeGreaterThanOrEqual(14);
    out.setPositionUnsafe(2);
    expect(out.length()).toBe(2);
    const big = new DataOutputSerializer(8);
    big.write(new Uint8Array(6 * 1024 * 1024));
    big.pruneBuffer();
    expect(big.capacity()).toBe(8);
  });

  it('writes every primitive big-endian', () => {
    const out = new DataOutputSerializer(1);
    out.writeByte(-1);
    out.writeShort(0x0102);
    out.writeChar(0x41);
    out.writeInt(-2);
    out.writeFloat(1);
    out.writeUtf8('hé');
    const input = new DataInputDeserializer(out.asUint8Array());
    expect(input.readByte()).toBe(-1);
    expect(input.readShort()).toBe(0x0102);
    expect(input.readChar()).toBe(0x41);
    expect(input.readInt()).toBe(-2);
    expect(input.readFloat()).toBe(1);
    expect(input.readUtf8()).toBe('hé');
    expect(input.available()).toBe(0);
  });

  it('throws EndOfInputException when reading past the end or the limit', () => {
    const input = new DataInputDeserializer(Uint8Array.of(1, 2, 3, 4, 5));
    input.setLimit(3);
    expect(() => input.readInt()).toThrow(EndOfInputException);
    expect(input.readUnsignedByte()).toBe(1);
    expect(() => input.skipBytesToRead(3)).toThrow(EndOfInputException);
    expect(() => input.readFully(new Uint8Array(3))).toThrow(EndOfInputException);
  });

  it('reads a ByteBuf through ByteBufDataInputView and advances it', () => {
    const buf = Unpooled.buffer(16);
    try {
      buf.writeInt(42).writeLongNumber(-5).writeBoolean(true);
      const view = new ByteBufDataInputView(buf);
      expect(IntSerializer.INSTANCE.deserialize(view)).toBe(42);
      expect(LongSerializer.INSTANCE.deserialize(view)).toBe(-5);
      expect(BooleanSerializer.INSTANCE.deserialize(view)).toBe(true);
      expect(view.available()).toBe(0);
      expect(() => view.readInt()).toThrow(EndOfInputException);
    } finally {
      buf.release();
    }
  });
});
