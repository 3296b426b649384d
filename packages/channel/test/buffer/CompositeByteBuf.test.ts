import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type ByteBuf,
  ByteBufUtil,
  CompositeByteBuf,
  IllegalReferenceCountException,
  Unpooled,
  UnpooledByteBufAllocator,
} from '../../src/buffer';
import { IllegalArgumentException, IndexOutOfBoundsException } from '../../src/util/SluiceError';
import { installLeakChecks, pooled } from './helpers';

installLeakChecks();

const ALLOC = UnpooledByteBufAllocator.DEFAULT;

function bytes(text: string): ByteBuf {
  return pooled.buffer(text.length).writeBytes(Buffer.from(text, 'latin1'));
}

describe('CompositeByteBuf', () => {
  it('does not move the writer index on addComponent(buf) — the classic pitfall', () => {
    const composite = ALLOC.compositeBuffer();
    composite.addComponent(bytes('abc'));
    expect(composite.capacity()).toBe(3);
    expect(composite.readableBytes()).toBe(0);
    composite.addComponent(true, bytes('de'));
    expect(composite.readableBytes()).toBe(2);
    expect(composite.toString('latin1')).toBe('ab');
    composite.writerIndex(5);
    expect(composite.toString('latin1')).toBe('abcde');
    composite.release();
  });

  it('adds components at an index and shifts the following ones', () => {
    const composite = ALLOC.compositeBuffer();
    composite.addComponents(true, bytes('ab'), bytes('ef'));
    composite.addComponent(true, 1, bytes('cd'));
    expect(composite.numComponents()).toBe(3);
    expect(composite.toString('latin1')).toBe('abcdef');
    expect(composite.toComponentIndex(4)).toBe(2);
    expect(composite.toByteIndex(1)).toBe(2);
    expect(composite.component(1).toString('latin1')).toBe('cd');
    expect(composite.componentAtOffset(5).toString('latin1')).toBe('ef');
    expect(() => composite.addComponent(9, bytes('x'))).toThrow('cIndex: 9 (expected: >= 0 && <= numComponents(3))');
    composite.release();
  });

  it('reads and writes values that span component borders', () => {
    const composite = ALLOC.compositeBuffer();
    composite.addComponents(true, Unpooled.copyShort(0x0102), Unpooled.copyMedium(0x030405), Unpooled.copyInt(0x06070809));
    expect(composite.getInt(0)).toBe(0x01020304);
    expect(composite.getIntLE(1)).toBe(0x05040302);
    expect(composite.getLong(1)).toBe(0x0203040506070809n);
    expect(composite.getLongLE(0)).toBe(0x0807060504030201n);
    expect(composite.getUnsignedMedium(1)).toBe(0x020304);
    expect(composite.getShort(1)).toBe(0x0203);
    composite.setInt(1, -2);
    expect(ByteBufUtil.hexDump(composite)).toBe('01fffffffe06070809');
    composite.setLongLE(1, 0x1122334455667788n);
    expect(composite.getLongLE(1)).toBe(0x1122334455667788n);
    composite.setMediumLE(0, 0xabcdef);
    expect(composite.getMediumLE(0)).toBe((0xabcdef << 8) >> 8);
    const out = new Uint8Array(8);
    composite.getBytes(1, out);
    expect(Buffer.from(out).toString('hex')).toBe(ByteBufUtil.hexDump(composite, 1, 8));
    composite.release();
  });

  it('agrees with a flat buffer for random reads at random offsets', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 7 }), { minLength: 1, maxLength: 6 }), (parts) => {
        const flat = Buffer.concat(parts);
        const composite = ALLOC.compositeBuffer();
        try {
          composite.addComponents(true, ...parts.map((p) => Unpooled.copiedBuffer(p)));
          for (let i = 0; i + 8 <= flat.length; i++) {
            expect(composite.getLong(i)).toBe(flat.readBigInt64BE(i));
            expect(composite.getIntLE(i)).toBe(flat.readInt32LE(i));
            expect(composite.getUnsignedMediumLE(i)).toBe(flat.readUIntLE(i, 3));
          }
          expect(composite.indexOf(0, flat.length, flat[flat.length - 1])).toBe(flat.indexOf(flat[flat.length - 1]));
          expect(composite.forEachByteDesc(() => true)).toBe(-1);
          expect(Buffer.concat(composite.nioBuffers()).equals(flat)).toBe(true);
          expect(composite.nioBuffer().equals(flat)).toBe(true);
        } finally {
          composite.release();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('merges every component into one buffer once it holds more than maxNumComponents', () => {
    const composite = ALLOC.compositeBuffer(3);
    const parts = ['a', 'b', 'c', 'd'].map(bytes);
    composite.addComponents(true, parts[0], parts[1], parts[2]);
    expect(composite.numComponents()).toBe(3);
    composite.addComponent(true, parts[3]);
    expect(composite.numComponents()).toBe(1);
    expect(composite.toString('latin1')).toBe('abcd');
    for (const p of parts) expect(p.refCnt()).toBe(0);
    composite.release();
  });

  it('consolidates a range of components on request', () => {
    const composite = ALLOC.compositeBuffer();
    composite.addComponents(true, bytes('ab'), bytes('cd'), bytes('ef'), bytes('gh'));
    composite.consolidate(1, 2);
    expect(composite.numComponents()).toBe(3);
    expect(composite.component(1).toString('latin1')).toBe('cdef');
    composite.consolidate();
    expect(composite.numComponents()).toBe(1);
    expect(composite.toString('latin1')).toBe('abcdefgh');
    expect(() => composite.consolidate(0, 2)).toThrow(IndexOutOfBoundsException);
    composite.release();
  });

  it('flattens nested composites instead of nesting them', () => {
    const inner = ALLOC.compositeBuffer();
    const innerParts = [bytes('xy'), bytes('z!')];
    inner.addComponents(true, ...innerParts);
    inner.readByte();
    const outer = ALLOC.compositeBuffer();
    outer.addComponent(true, bytes('>'));
    outer.addFlattenedComponents(true, inner);
    expect(inner.refCnt()).toBe(0);
    expect(innerParts.map((p) => p.refCnt())).toEqual([1, 1]);
    expect(outer.numComponents()).toBe(3);
    expect(outer.toString('latin1')).toBe('>yz!');
    outer.release();
    expect(innerParts.map((p) => p.refCnt())).toEqual([0, 0]);
    const drained = bytes('q').skipBytes(1);
    const another = ALLOC.compositeBuffer();
    another.addFlattenedComponents(true, drained);
    expect(drained.refCnt()).toBe(0);
    expect(another.numComponents()).toBe(0);
    another.release();
  });

  it('owns its components: removal and deallocation release them, failed adds release the argument', () => {
    const composite = ALLOC.compositeBuffer();
    const a = bytes('ab');
    const b = bytes('cd');
    composite.addComponents(true, a, b);
    composite.removeComponent(0);
    expect(a.refCnt()).toBe(0);
    expect(composite.toString('latin1')).toBe('cd');
    expect([composite.readerIndex(), composite.writerIndex()]).toEqual([0, 2]);
    const released = bytes('zz');
    released.release();
    expect(() => composite.addComponent(released)).toThrow(IllegalReferenceCountException);
    const rejected = bytes('r');
    expect(() => composite.addComponent(7, rejected)).toThrow(IndexOutOfBoundsException);
    expect(rejected.refCnt()).toBe(0);
    composite.release();
    expect(b.refCnt()).toBe(0);
    expect(composite.numComponents()).toBe(0);
  });

  it('discards fully read components and shifts the indices and marks', () => {
    const composite = ALLOC.compositeBuffer();
    const parts = [bytes('ab'), bytes('cd'), bytes('ef')];
    composite.addComponents(true, ...parts);
    composite.readerIndex(3).markReaderIndex();
    composite.discardReadComponents();
    expect(parts[0].refCnt()).toBe(0);
    expect(composite.numComponents()).toBe(2);
    expect([composite.readerIndex(), composite.writerIndex()]).toEqual([1, 4]);
    composite.resetReaderIndex();
    expect(composite.readerIndex()).toBe(1);
    composite.discardReadBytes();
    expect(composite.toString('latin1')).toBe('def');
    expect(composite.readerIndex()).toBe(0);
    composite.readerIndex(3);
    composite.discardSomeReadBytes();
    expect(composite.numComponents()).toBe(0);
    expect(parts.map((p) => p.refCnt())).toEqual([0, 0, 0]);
    composite.release();
  });

  it('grows by appending a component and shrinks by trimming components', () => {
    const composite = ALLOC.compositeBuffer();
    composite.addComponents(true, bytes('ab'), bytes('cd'));
    composite.writeInt(0x31323334);
    expect(composite.numComponents()).toBe(3);
    expect(composite.toString('latin1')).toBe('abcd1234');
    composite.capacity(3);
    expect(composite.numComponents()).toBe(2);
    expect(composite.toString('latin1')).toBe('abc');
    expect(() => composite.capacity(-1)).toThrow(IllegalArgumentException);
    composite.release();
  });

  it('describes itself with its component count and exposes a single component\'s array', () => {
    const composite = new CompositeByteBuf(ALLOC, false, 16, bytes('ab'));
    expect(composite.toString()).toBe('CompositeByteBuf(ridx: 0, widx: 2, cap: 2, components=1)');
    expect(composite.hasArray()).toBe(true);
    expect(composite.array()[composite.arrayOffset() + 1]).toBe(0x62);
    composite.addComponent(true, bytes('c'));
    expect(composite.hasArray()).toBe(false);
    expect(() => composite.array()).toThrow(/no single array/);
    expect(composite.nioBufferCount()).toBe(2);
    composite.release();
    expect(() => new CompositeByteBuf(ALLOC, false, 0)).toThrow('maxNumComponents: 0 (expected: >= 1)');
  });

  it('copies, slices and searches across components', () => {
    const composite = ALLOC.compositeBuffer();
    composite.addComponents(true, bytes('hello '), bytes('wor'), bytes('ld'));
    const copy = composite.copy(4, 5);
    expect(copy.toString('latin1')).toBe('o wor');
    copy.release();
    const slice = composite.slice(5, 4);
    expect(slice.toString('latin1')).toBe(' wor');
    expect(composite.bytesBefore(0x6c /* l */)).toBe(2);
    expect(composite.indexOf(11, 0, 0x6c)).toBe(9);
    expect(composite.forEachByte(6, 5, (v) => v !== 0x6c)).toBe(9);
    expect(composite.getCharSequence(4, 4, 'latin1')).toBe('o wo');
    composite.setZero(5, 2);
    expect(ByteBufUtil.hexDump(composite, 4, 4)).toBe('6f00006f');
    composite.release();
  });

  it('behaves like a flat buffer under random writes, reads, discards, appends and capacity changes', () => {
    type Op =
      | { op: 'write'; bytes: Uint8Array }
      | { op: 'append'; bytes: Uint8Array }
      | { op: 'read'; n: number }
      | { op: 'discard' }
      | { op: 'discardComponents' }
      | { op: 'shrink'; by: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('write' as const), bytes: fc.uint8Array({ maxLength: 20 }) }),
      fc.record({ op: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
      fc.record({ op: fc.constant('read' as const), n: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ op: fc.constant('discard' as const) }),
      fc.record({ op: fc.constant('discardComponents' as const) }),
      fc.record({ op: fc.constant('shrink' as const), by: fc.integer({ min: 0, max: 6 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.integer({ min: 2, max: 5 }), (ops, maxComponents) => {
        const composite = ALLOC.compositeBuffer(maxComponents);
        const flat = Unpooled.buffer(0);
        try {
          for (const o of ops) {
            switch (o.op) {
              case 'write':
                composite.writeBytes(o.bytes);
                flat.writeBytes(o.bytes);
                break;
              case 'append':
                // Appending makes sense only when the composite is "full": otherwise the new component would
                // sit after unwritten padding, which a flat buffer cannot mirror.
                if (composite.writerIndex() !== composite.capacity()) composite.capacity(composite.writerIndex());
                composite.addComponent(true, Unpooled.copiedBuffer(o.bytes));
                flat.writeBytes(o.bytes);
                break;
              case 'read': {
                const n = Math.min(o.n, flat.readableBytes());
                expect(composite.readBytes(new Uint8Array(n))).toBe(composite);
                flat.skipBytes(n);
                break;
              }
              case 'discard':
                composite.discardReadBytes();
                flat.discardReadBytes();
                break;
              case 'discardComponents': {
                const before = composite.readerIndex();
                composite.discardReadComponents();
                expect(composite.readerIndex()).toBeLessThanOrEqual(before);
                break;
              }
              case 'shrink': {
                const target = Math.max(composite.writerIndex(), composite.capacity() - o.by);
                composite.capacity(target);
                break;
              }
            }
            expect(composite.numComponents()).toBeLessThanOrEqual(maxComponents);
            expect(ByteBufUtil.hexDump(composite)).toBe(ByteBufUtil.hexDump(flat));
            expect(composite.readableBytes()).toBe(flat.readableBytes());
          }
        } finally {
          composite.release();
          flat.release();
        }
      }),
      { numRuns: 150 },
    );
  });
});
