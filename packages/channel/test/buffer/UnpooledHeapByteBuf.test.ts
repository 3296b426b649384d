import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PooledByteBufAllocator, Unpooled, UnpooledByteBufAllocator, UnpooledHeapByteBuf } from '../../src/buffer';
import { IllegalArgumentException } from '../../src/util/SluiceError';
import { installLeakChecks } from './helpers';

installLeakChecks();

const ALLOC = UnpooledByteBufAllocator.DEFAULT;

/** Records which memory the buffer stopped using, as a pool wrapper would. */
class RecordingByteBuf extends UnpooledHeapByteBuf {
  readonly freed: Buffer[] = [];
  protected override freeArray(array: Buffer): void {
    this.freed.push(array);
  }
}

describe('UnpooledHeapByteBuf', () => {
  it('wraps an existing Uint8Array region without copying, readable to its end', () => {
    const backing = new Uint8Array(16);
    const region = backing.subarray(4, 12);
    const buf = new UnpooledHeapByteBuf(ALLOC, region, region.length);
    expect([buf.readerIndex(), buf.writerIndex(), buf.capacity(), buf.maxCapacity()]).toEqual([0, 8, 8, 8]);
    buf.setInt(0, 0x01020304);
    expect([...backing.subarray(4, 8)]).toEqual([1, 2, 3, 4]);
    backing[11] = 0x7f;
    expect(buf.getByte(7)).toBe(0x7f);
    expect(buf.array().buffer).toBe(backing.buffer);
    expect(buf.nioBuffer().byteOffset).toBe(4);
    buf.release();
  });

  it('wraps SharedArrayBuffer memory without copying', () => {
    const shared = new SharedArrayBuffer(8);
    const buf = Unpooled.wrappedBuffer(shared, 2, 4);
    buf.setIntLE(0, 0x0a0b0c0d);
    expect(new Uint8Array(shared)[2]).toBe(0x0d);
    expect(buf.nioBuffer().buffer).toBe(shared);
    buf.release();
  });

  it('runs freeArray with the memory it no longer uses after growth and on the last release', () => {
    const segment = Buffer.alloc(4);
    const buf = new RecordingByteBuf(ALLOC, segment, 64);
    buf.setIndex(0, 0).writeInt(7);
    expect(buf.freed).toHaveLength(0);
    buf.writeByte(1); // grows: the wrapped segment is copied and handed back
    expect(buf.freed).toHaveLength(1);
    expect(buf.freed[0].buffer).toBe(segment.buffer);
    expect(buf.getInt(0)).toBe(7);
    expect(segment.readInt32BE(0)).toBe(7);
    const grown = buf.array();
    buf.release();
    expect(buf.freed).toHaveLength(2);
    expect(buf.freed[1]).toBe(grown);
  });

  it('validates its capacities', () => {
    expect(() => new UnpooledHeapByteBuf(ALLOC, 8, 4)).toThrow(new IllegalArgumentException('initialCapacity(8) > maxCapacity(4)'));
    expect(() => new UnpooledHeapByteBuf(ALLOC, -1, 4)).toThrow(IllegalArgumentException);
    expect(() => new UnpooledHeapByteBuf(ALLOC, new Uint8Array(5), 4)).toThrow('initialCapacity(5) > maxCapacity(4)');
    expect(() => new UnpooledHeapByteBuf(ALLOC, 1, -1)).toThrow('maxCapacity : -1 (expected: >= 0)');
  });

  it('exposes its memory through array() at offset 0', () => {
    const buf = Unpooled.buffer(8).writeShort(0x0102);
    expect(buf.hasArray()).toBe(true);
    expect(buf.arrayOffset()).toBe(0);
    expect(buf.array()[1]).toBe(2);
    expect(buf.isDirect()).toBe(false);
    expect(buf.unwrap()).toBeNull();
    expect(buf.alloc()).toBe(ALLOC);
    buf.release();
  });

  it('copes with overlapping copies inside its own memory', () => {
    const buf = Unpooled.copiedBuffer('0123456789', 'latin1');
    buf.setBytes(2, buf, 0, 6);
    expect(buf.toString('latin1')).toBe('0101234589');
    buf.setBytes(0, buf, 3, 5);
    expect(buf.toString('latin1')).toBe('1234534589');
    buf.release();
    const long = Unpooled.buffer(300);
    for (let i = 0; i < 300; i++) long.writeByte(i);
    long.setBytes(10, long, 0, 200); // native copy path, destination after source
    long.setBytes(0, long, 50, 200); // destination before source
    for (let i = 0; i < 200; i++) expect(long.getUnsignedByte(i)).toBe((i < 160 ? i + 40 : i + 50) & 0xff);
    long.release();
  });

  // A wrapped array makes its DataView only when an accessor needs one; the length-field getters and the
  // first copy read the bytes instead. Both ways must give what a DataView gives.
  it('reads 1- to 4-byte values of a wrapped array exactly as through a DataView, before and after one exists', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 24 }), fc.nat(), (bytes, at) => {
        const index = at % (bytes.length - 3);
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const expected = [
          dv.getInt8(index), dv.getUint8(index),
          dv.getInt16(index), dv.getInt16(index, true), dv.getUint16(index), dv.getUint16(index, true),
          (dv.getUint16(index) << 8 | dv.getUint8(index + 2)) << 8 >> 8,
          (dv.getUint16(index, true) | dv.getUint8(index + 2) << 16) << 8 >> 8,
          dv.getUint16(index) << 8 | dv.getUint8(index + 2),
          dv.getUint16(index, true) | dv.getUint8(index + 2) << 16,
          dv.getInt32(index), dv.getInt32(index, true), dv.getUint32(index), dv.getUint32(index, true),
        ];
        const read = (b: ReturnType<typeof Unpooled.wrappedBuffer>): number[] => [
          b.getByte(index), b.getUnsignedByte(index),
          b.getShort(index), b.getShortLE(index), b.getUnsignedShort(index), b.getUnsignedShortLE(index),
          b.getMedium(index), b.getMediumLE(index), b.getUnsignedMedium(index), b.getUnsignedMediumLE(index),
          b.getInt(index), b.getIntLE(index), b.getUnsignedInt(index), b.getUnsignedIntLE(index),
        ];
        const buf = Unpooled.wrappedBuffer(Buffer.from(bytes));
        try {
          expect(read(buf)).toEqual(expected); // from the bytes
          buf.getFloat(0); // makes the DataView
          expect(read(buf)).toEqual(expected); // through it
        } finally {
          buf.release();
        }
      }),
    );
  });

  it('copies out byte-exact with and without a DataView, through slices and duplicates, at any alignment', () => {
    const staging = new Uint8Array(600);
    const view = new DataView(staging.buffer, 7, 590);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.nat(), (bytes, from, to) => {
        const start = from % bytes.length;
        const length = bytes.length - start;
        const dstIndex = to % (590 - length);
        for (const kind of ['wrapped', 'slice', 'duplicate', 'pooled'] as const) {
          const root =
            kind === 'pooled' ? PooledByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes) : Unpooled.wrappedBuffer(Buffer.from(bytes));
          const src = kind === 'slice' ? root.slice(start, length) : kind === 'duplicate' ? root.duplicate() : root;
          const index = kind === 'slice' ? 0 : start;
          try {
            for (let round = 0; round < 3; round++) {
              // The first copy of a view-less buffer reads the bytes, the next ones make and use the view.
              staging.fill(0);
              src.copyToView(index, view, dstIndex, length);
              expect(Buffer.from(staging.subarray(7 + dstIndex, 7 + dstIndex + length))).toEqual(Buffer.from(bytes.subarray(start)));
              expect(staging.subarray(0, 7 + dstIndex).every((b) => b === 0)).toBe(true);
              expect(staging.subarray(7 + dstIndex + length).every((b) => b === 0)).toBe(true);
            }
          } finally {
            root.release();
          }
        }
      }),
    );
  });

  it('writes through a wrapped array after reading it without a DataView', () => {
    const backing = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const buf = Unpooled.wrappedBuffer(backing);
    expect(buf.getInt(0)).toBe(0x01020304);
    buf.setInt(4, -2).writerIndex(0).writeShort(0x7f7e);
    expect([...backing]).toEqual([0x7f, 0x7e, 3, 4, 0xff, 0xff, 0xff, 0xfe]);
    expect([buf.getInt(4), buf.getUnsignedInt(4), buf.getShort(0)]).toEqual([-2, 0xfffffffe, 0x7f7e]);
    buf.release();
  });
});
