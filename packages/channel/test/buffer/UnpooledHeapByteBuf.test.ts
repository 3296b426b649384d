import { describe, expect, it } from '@jest/globals';
import { Unpooled, UnpooledByteBufAllocator, UnpooledHeapByteBuf } from '../../src/buffer';
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
});
