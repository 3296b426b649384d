import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ByteToMessageDecoder } from '../../../src/handler/codec/ByteToMessageDecoder';
import { FixedLengthFrameDecoder } from '../../../src/handler/codec/FixedLengthFrameDecoder';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { IllegalArgumentException } from '../../../src/util/SluiceError';
import { buf, drainInbound, split, takeInboundText } from './helpers';

describe('FixedLengthFrameDecoder', () => {
  it('splits the stream into frames of the fixed length', () => {
    const ch = new EmbeddedChannel(new FixedLengthFrameDecoder(3));
    expect(ch.writeInbound(buf('A'))).toBe(false);
    expect(ch.writeInbound(buf('BC'))).toBe(true);
    expect(ch.writeInbound(buf('DEFG'), buf('HI'))).toBe(true);
    expect([takeInboundText(ch), takeInboundText(ch), takeInboundText(ch)]).toEqual(['ABC', 'DEF', 'GHI']);
    expect(ch.readInbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('drops a partial frame left when the channel closes', () => {
    const ch = new EmbeddedChannel(new FixedLengthFrameDecoder(4));
    expect(ch.writeInbound(buf('ABCDEF'))).toBe(true);
    expect(takeInboundText(ch)).toBe('ABCD');
    expect(ch.finish()).toBe(false);
  });

  it('rejects a frame length that is not positive', () => {
    expect(() => new FixedLengthFrameDecoder(0)).toThrow(IllegalArgumentException);
    expect(() => new FixedLengthFrameDecoder(0)).toThrow('frameLength must be a positive integer: 0');
  });

  it('decodes the same frames however the stream is split, with either cumulator', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.nat({ max: 600 }), { maxLength: 30 }),
        fc.boolean(),
        (frameLength, data, cuts, composite) => {
          const decoder = new FixedLengthFrameDecoder(frameLength);
          if (composite) decoder.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
          const ch = new EmbeddedChannel(decoder);
          for (const c of split(data, cuts)) ch.writeInbound(buf(c));
          ch.finish();
          const expected: number[][] = [];
          for (let i = 0; i + frameLength <= data.length; i += frameLength) expected.push(Array.from(data.subarray(i, i + frameLength)));
          expect(drainInbound(ch)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
