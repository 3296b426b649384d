import { describe, expect, it } from '@jest/globals';
import { ByteBuf } from '../../../src/buffer/ByteBuf';
import { Unpooled } from '../../../src/buffer/Unpooled';
import { EncoderException } from '../../../src/handler/codec/errors';
import { LengthFieldPrepender } from '../../../src/handler/codec/LengthFieldPrepender';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { IllegalArgumentException } from '../../../src/util/SluiceError';
import { buf, bytesOf, drainOutboundBytes, thrown } from './helpers';

const HELLO = 'HELLO, WORLD';

/** Writes `msg` through a channel with `prepender`; returns [header bytes, payload message]. */
function encode(prepender: LengthFieldPrepender, msg: ByteBuf): [number[], ByteBuf, EmbeddedChannel] {
  const ch = new EmbeddedChannel(prepender);
  expect(ch.writeOutbound(msg)).toBe(true);
  const header = ch.readOutbound<ByteBuf>()!;
  const payload = ch.readOutbound<ByteBuf>()!;
  const headerBytes = bytesOf(header);
  header.release();
  return [headerBytes, payload, ch];
}

describe('LengthFieldPrepender', () => {
  it('emits a new length header and the original message, without copying it', () => {
    const msg = buf(HELLO);
    const [header, payload, ch] = encode(new LengthFieldPrepender(2), msg);
    expect(header).toEqual([0x00, 0x0c]);
    expect(payload).toBe(msg);
    expect(payload.refCnt()).toBe(1);
    payload.release();
    expect(ch.finish()).toBe(false);
  });

  it('counts the length field itself when asked to', () => {
    const [header, payload, ch] = encode(new LengthFieldPrepender(2, true), buf(HELLO));
    expect(header).toEqual([0x00, 0x0e]);
    payload.release();
    expect(ch.finish()).toBe(false);
  });

  it('adds the length adjustment', () => {
    const [header, payload, ch] = encode(new LengthFieldPrepender(1, 3), buf(HELLO));
    expect(header).toEqual([15]);
    payload.release();
    expect(ch.finish()).toBe(false);
  });

  for (const order of ['BE', 'LE'] as const) {
    it(`writes 1, 2, 3, 4 and 8-byte ${order} lengths`, () => {
      const expected: [number, number[]][] = [
        [1, [0x0c]],
        [2, [0x00, 0x0c]],
        [3, [0x00, 0x00, 0x0c]],
        [4, [0x00, 0x00, 0x00, 0x0c]],
        [8, [0, 0, 0, 0, 0, 0, 0, 0x0c]],
      ];
      for (const [len, be] of expected) {
        const [header, payload, ch] = encode(new LengthFieldPrepender({ byteOrder: order, lengthFieldLength: len }), buf(HELLO));
        expect(header).toEqual(order === 'BE' ? be : [...be].reverse());
        payload.release();
        expect(ch.finish()).toBe(false);
      }
    });
  }

  it('takes Netty\'s byte-order-first constructor', () => {
    const [header, payload, ch] = encode(new LengthFieldPrepender('LE', 2, 0, true), buf(HELLO));
    expect(header).toEqual([0x0e, 0x00]);
    payload.release();
    expect(ch.finish()).toBe(false);
  });

  it('fails the write, releasing the message, when the length does not fit the field', () => {
    const cases: [LengthFieldPrepender, number, string][] = [
      [new LengthFieldPrepender(1), 256, 'length does not fit into a byte: 256'],
      [new LengthFieldPrepender(2), 65536, 'length does not fit into a short integer: 65536'],
      [new LengthFieldPrepender(3, 16777215), 1, 'length does not fit into a medium integer: 16777216'],
      [new LengthFieldPrepender(1, -5), 1, 'Adjusted frame length (-4) is less than zero'],
    ];
    for (const [prepender, size, message] of cases) {
      const ch = new EmbeddedChannel(prepender);
      const msg = buf(new Uint8Array(size));
      const future = ch.write(msg);
      ch.flush();
      expect(future.isDone()).toBe(true);
      const cause = future.cause()!;
      expect(cause).toBeInstanceOf(EncoderException);
      expect(cause.cause).toBeInstanceOf(IllegalArgumentException);
      expect((cause.cause as Error).message).toBe(message);
      expect(cause.message).toContain(`IllegalArgumentException: ${message}`);
      expect(msg.refCnt()).toBe(0);
      expect(ch.readOutbound()).toBeNull();
      expect(ch.finish()).toBe(false);
    }
  });

  it('completes the write promise once both parts are written', async () => {
    const ch = new EmbeddedChannel(new LengthFieldPrepender(4));
    const future = ch.writeAndFlush(buf('abc'));
    await future;
    expect(future.isSuccess()).toBe(true);
    expect(Array.from(drainOutboundBytes(ch))).toEqual([0, 0, 0, 3, 0x61, 0x62, 0x63]);
    expect(ch.finish()).toBe(false);
  });

  it('writes both parts with the void promise when the write used it', () => {
    const ch = new EmbeddedChannel(new LengthFieldPrepender(2));
    ch.writeAndFlush(buf('xy'), ch.voidPromise());
    expect(Array.from(drainOutboundBytes(ch))).toEqual([0, 2, 0x78, 0x79]);
    expect(ch.finish()).toBe(false);
  });

  it('prefixes an empty message with a zero length', () => {
    const ch = new EmbeddedChannel(new LengthFieldPrepender(2));
    ch.writeOutbound(Unpooled.buffer(0));
    expect(Array.from(drainOutboundBytes(ch))).toEqual([0, 0]);
    expect(ch.finish()).toBe(false);
  });

  it('passes messages that are not ByteBufs through', () => {
    const ch = new EmbeddedChannel(new LengthFieldPrepender(2));
    expect(ch.writeOutbound('text')).toBe(true);
    expect(ch.readOutbound()).toBe('text');
    expect(ch.finish()).toBe(false);
  });

  it('is sharable between channels', () => {
    const prepender = new LengthFieldPrepender(1);
    expect(prepender.isSharable()).toBe(true);
    const a = new EmbeddedChannel(prepender);
    const b = new EmbeddedChannel(prepender);
    a.writeOutbound(buf('a'));
    b.writeOutbound(buf('bb'));
    expect(Array.from(drainOutboundBytes(a))).toEqual([1, 0x61]);
    expect(Array.from(drainOutboundBytes(b))).toEqual([2, 0x62, 0x62]);
    expect(a.finish() || b.finish()).toBe(false);
  });

  it('rejects unsupported length field sizes', () => {
    const e = thrown(() => new LengthFieldPrepender(5));
    expect(e).toBeInstanceOf(IllegalArgumentException);
    expect(e.message).toBe('lengthFieldLength must be either 1, 2, 3, 4, or 8: 5');
  });

  it('leaves the payload\'s reference count unchanged', () => {
    const msg = buf('payload');
    msg.retain(); // the test keeps one reference
    const ch = new EmbeddedChannel(new LengthFieldPrepender(2));
    ch.writeOutbound(msg);
    ch.releaseOutbound();
    expect(msg.refCnt()).toBe(1);
    expect(msg).toBeInstanceOf(ByteBuf);
    msg.release();
    expect(ch.finish()).toBe(false);
  });
});
