import { describe, expect, it } from '@jest/globals';
import { Unpooled } from '@sluice/channel';
import { BufferOrEvent } from '../../src/consumer/BufferOrEvent';
import { InputChannelID } from '../../src/consumer/InputChannelID';
import { InputChannelInfo } from '../../src/consumer/InputChannelInfo';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';

describe('InputChannelID', () => {
  it('writes the lower part, then the upper part, big-endian (16 bytes), and reads them back', () => {
    const id = new InputChannelID(0x0102030405060708n, -2n);
    const buf = Unpooled.buffer(16);
    try {
      id.writeTo(buf);
      expect(buf.readableBytes()).toBe(16);
      expect(Buffer.from(buf.nioBuffer()).toString('hex')).toBe('0102030405060708fffffffffffffffe');
      const read = InputChannelID.fromByteBuf(buf);
      expect(read).toBeInstanceOf(InputChannelID);
      expect(read.equals(id)).toBe(true);
      expect(read.key()).toBe(id.key());
      expect(read.upperPart).toBe(-2n);
    } finally {
      buf.release();
    }
  });

  it('makes distinct random ids', () => {
    const a = InputChannelID.random();
    const b = InputChannelID.random();
    expect(a.equals(b)).toBe(false);
    expect(a.key()).not.toBe(b.key());
    expect(a.toHexString()).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keys equal ids alike however they were made (halves or wire words)', () => {
    const id = new InputChannelID(-1n, 0x7fffffff00000001n);
    const buf = Unpooled.buffer(16);
    try {
      id.writeTo(buf);
      const read = InputChannelID.fromByteBuf(buf);
      expect(read.key()).toBe(id.key());
      expect(read.lowerPart).toBe(-1n);
      expect(read.upperPart).toBe(0x7fffffff00000001n);
      expect(read.toHexString()).toBe('ffffffffffffffff7fffffff00000001');
      expect(new InputChannelID(0n, 1n).key()).not.toBe(new InputChannelID(1n, 0n).key());
    } finally {
      buf.release();
    }
  });

  it('keys ids that differ in a single bit differently, and equal ones alike', () => {
    const base = { lower: 0x0123456789abcdefn, upper: -0x0fedcba987654321n };
    const keys = new Set<string>([new InputChannelID(base.lower, base.upper).key()]);
    for (let bit = 0n; bit < 64n; bit++) {
      keys.add(new InputChannelID(base.lower ^ (1n << bit), base.upper).key());
      keys.add(new InputChannelID(base.lower, base.upper ^ (1n << bit)).key());
    }
    expect(keys.size).toBe(129);
    expect(new InputChannelID(base.lower, base.upper).key()).toBe(new InputChannelID(base.lower, base.upper).key());
    expect(new InputChannelID(-1n, -1n).key()).toHaveLength(8);
  });
});

describe('InputChannelInfo and BufferOrEvent', () => {
  it('compare infos by value and describe an event', () => {
    const info = new InputChannelInfo(1, 2);
    expect(info.equals(new InputChannelInfo(1, 2))).toBe(true);
    expect(info.equals(new InputChannelInfo(2, 1))).toBe(false);
    expect(() => new InputChannelInfo(-1, 0)).toThrow();
    const event = BufferOrEvent.ofEvent(EndOfPartitionEvent.INSTANCE, false, info, false, 4, false);
    expect(event.isEvent()).toBe(true);
    expect(() => event.getBuffer()).toThrow(/is an event/);
    expect(event.toString()).toContain('EndOfPartitionEvent');
    event.setMoreAvailable(true);
    expect(event.moreAvailable()).toBe(true);
  });
});
