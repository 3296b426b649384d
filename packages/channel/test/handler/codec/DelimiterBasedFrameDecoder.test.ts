import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../../src/channel/ChannelInboundHandlerAdapter';
import { ByteToMessageDecoder } from '../../../src/handler/codec/ByteToMessageDecoder';
import { DelimiterBasedFrameDecoder } from '../../../src/handler/codec/DelimiterBasedFrameDecoder';
import { Delimiters } from '../../../src/handler/codec/Delimiters';
import { TooLongFrameException } from '../../../src/handler/codec/errors';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { IllegalArgumentException } from '../../../src/util/SluiceError';
import { buf, concat, drainInbound, split, takeInboundText, thrown } from './helpers';

class ExceptionCounter extends ChannelInboundHandlerAdapter {
  readonly errors: Error[] = [];
  override exceptionCaught(_ctx: ChannelHandlerContext, cause: Error): void {
    this.errors.push(cause);
  }
}

describe('DelimiterBasedFrameDecoder', () => {
  it('splits lines and strips the delimiters', () => {
    const ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(8192, true, Delimiters.lineDelimiter()));
    ch.writeInbound(buf('TestLine\r\ng\r\n'));
    expect(takeInboundText(ch)).toBe('TestLine');
    expect(takeInboundText(ch)).toBe('g');
    expect(ch.readInbound()).toBeNull();
    expect(ch.finish()).toBe(false);
  });

  it('joins incomplete lines', () => {
    const ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(8192, true, Delimiters.lineDelimiter()));
    ch.writeInbound(buf('Test'));
    expect(ch.readInbound()).toBeNull();
    ch.writeInbound(buf('Line\r\ng\r\n'));
    expect(takeInboundText(ch)).toBe('TestLine');
    expect(takeInboundText(ch)).toBe('g');
    expect(ch.finish()).toBe(false);
  });

  it('keeps the delimiters when asked to', () => {
    const ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(8192, false, Delimiters.lineDelimiter()));
    ch.writeInbound(buf('TestLine\r\ng\r\n'));
    expect(takeInboundText(ch)).toBe('TestLine\r\n');
    expect(takeInboundText(ch)).toBe('g\r\n');
    expect(ch.finish()).toBe(false);
  });

  it('chooses the delimiter that yields the shortest frame', () => {
    // A subclass is not delegated to LineBasedFrameDecoder, so this exercises the generic search.
    const ch = new EmbeddedChannel(new (class extends DelimiterBasedFrameDecoder {})(8192, ...Delimiters.lineDelimiter()));
    ch.writeInbound(buf('ABC\nDEF\r\n'));
    expect(takeInboundText(ch)).toBe('ABC');
    expect(takeInboundText(ch)).toBe('DEF');
    expect(ch.finish()).toBe(false);
  });

  it('splits at multi-byte custom delimiters given as buffers or arrays', () => {
    const dollar = buf('$$');
    const ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder({ maxFrameLength: 64, delimiters: [dollar, Buffer.from('|#|')] }));
    dollar.release(); // the decoder copied it
    ch.writeInbound(buf('a$$b|#'), buf('|c$'), buf('$'));
    expect([takeInboundText(ch), takeInboundText(ch), takeInboundText(ch)]).toEqual(['a', 'b', 'c']);
    expect(ch.finish()).toBe(false);
  });

  it('recovers from a too long frame, failing slow', () => {
    const ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(1, true, false, Delimiters.nulDelimiter()));
    for (let i = 0; i < 2; i++) {
      expect(ch.writeInbound(buf(1, 2))).toBe(false);
      const e = thrown(() => ch.writeInbound(buf(0)));
      expect(e).toBeInstanceOf(TooLongFrameException);
      expect(e.message).toBe(`frame length exceeds 1: 2 - discarded (channel: ${String(ch)})`);
      ch.writeInbound(buf('A', 0));
      expect(takeInboundText(ch)).toBe('A');
    }
    expect(ch.finish()).toBe(false);
  });

  it('recovers from a too long frame, failing fast', () => {
    const ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(1, Delimiters.nulDelimiter()));
    for (let i = 0; i < 2; i++) {
      expect(() => ch.writeInbound(buf(1, 2))).toThrow('frame length exceeds 1: 2 - discarded');
      ch.writeInbound(buf(0, 'A', 0));
      expect(takeInboundText(ch)).toBe('A');
    }
    expect(ch.finish()).toBe(false);
  });

  it('discards a too long frame whose delimiter is already there', () => {
    const dollar = buf('$');
    const ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(3, dollar));
    dollar.release();
    const e = thrown(() => ch.writeInbound(buf('abcdef$gh$')));
    expect((e as TooLongFrameException).frameLength).toBe(6);
    expect((e as TooLongFrameException).maxFrameLength).toBe(3);
    expect(ch.finish()).toBe(true);
    expect(takeInboundText(ch)).toBe('gh');
  });

  it('does not swallow the next frame when a too long frame\'s delimiter straddles two reads', () => {
    const ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(2, false, false, Buffer.from('$$')));
    expect(ch.writeInbound(buf('abcd$'))).toBe(false);
    const e = thrown(() => ch.writeInbound(buf('$ok$$')));
    expect(e.message).toContain('frame length exceeds 2: 4 - discarded');
    // As after any decoder exception, the rest is decoded with the next read (here: at close).
    expect(ch.finish()).toBe(true);
    expect(takeInboundText(ch)).toBe('ok$$');
  });

  it('delegates the line delimiters to LineBasedFrameDecoder, whose errors are fired', () => {
    const counter = new ExceptionCounter();
    const ch = new EmbeddedChannel(new DelimiterBasedFrameDecoder(2, Delimiters.lineDelimiter()), counter);
    ch.writeInbound(buf('abc'));
    expect(counter.errors[0]!.message).toContain('frame length (over 3) exceeds the allowed maximum (2)');
    ch.writeInbound(buf('\nok\n'));
    expect(takeInboundText(ch)).toBe('ok');
    expect(counter.errors).toHaveLength(1);
    expect(ch.finish()).toBe(false);
  });

  it('validates its arguments', () => {
    expect(() => new DelimiterBasedFrameDecoder(0, Delimiters.nulDelimiter())).toThrow('maxFrameLength must be a positive integer: 0');
    expect(() => new DelimiterBasedFrameDecoder(8)).toThrow('empty delimiters');
    expect(() => new DelimiterBasedFrameDecoder(8, new Uint8Array(0))).toThrow('empty delimiter');
    expect(() => new DelimiterBasedFrameDecoder(8, new Uint8Array(0))).toThrow(IllegalArgumentException);
  });

  it('decodes the same frames however the stream is split (custom delimiters, too long frames included)', () => {
    const delimiters = [Buffer.from('$$'), Uint8Array.of(0), Buffer.from('|#|')];
    const delimiterBytes = new Set([0x24, 0x00, 0x7c, 0x23]);
    const frames = fc.array(
      fc.record({
        frame: fc.uint8Array({ maxLength: 24 }).map((a) => a.map((b) => (delimiterBytes.has(b) ? 0x41 : b))),
        delimiter: fc.integer({ min: 0, max: 2 }),
      }),
      { maxLength: 12 },
    );
    const run = (chunks: Uint8Array[], max: number, strip: boolean, failFast: boolean, composite: boolean, flushes: number): unknown[] => {
      const decoder = new DelimiterBasedFrameDecoder({ maxFrameLength: max, stripDelimiter: strip, failFast, delimiters });
      if (composite) decoder.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
      const counter = new ExceptionCounter();
      const ch = new EmbeddedChannel(decoder, counter);
      for (const c of chunks) ch.writeInbound(buf(c));
      for (let i = 0; i < flushes; i++) ch.writeInbound(buf());
      ch.finish();
      return [...drainInbound(ch), `errors:${counter.errors.length}`];
    };
    fc.assert(
      fc.property(
        frames,
        fc.array(fc.nat({ max: 400 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (fs, cuts, max, strip, failFast, composite) => {
          const stream = concat(fs.flatMap(({ frame, delimiter }) => [frame, delimiters[delimiter]!]));
          const expected: unknown[] = fs
            .filter(({ frame }) => frame.length <= max)
            .map(({ frame, delimiter }) => Array.from(strip ? frame : concat([frame, delimiters[delimiter]!])));
          expected.push(`errors:${fs.filter(({ frame }) => frame.length > max).length}`);
          const flushes = fs.length + 1;
          expect(run([stream], max, strip, failFast, composite, flushes)).toEqual(expected);
          expect(run(split(stream, cuts), max, strip, failFast, composite, flushes)).toEqual(expected);
          expect(run(split(stream, Array.from(stream.keys())), max, strip, failFast, composite, flushes)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
