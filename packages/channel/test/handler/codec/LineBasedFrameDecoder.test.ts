import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../../src/channel/ChannelInboundHandlerAdapter';
import { ByteToMessageDecoder } from '../../../src/handler/codec/ByteToMessageDecoder';
import { DelimiterBasedFrameDecoder } from '../../../src/handler/codec/DelimiterBasedFrameDecoder';
import { Delimiters } from '../../../src/handler/codec/Delimiters';
import { TooLongFrameException } from '../../../src/handler/codec/errors';
import { LineBasedFrameDecoder } from '../../../src/handler/codec/LineBasedFrameDecoder';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { IllegalArgumentException } from '../../../src/util/SluiceError';
import { buf, concat, drainInbound, split, takeInboundText, thrown } from './helpers';

class ExceptionCounter extends ChannelInboundHandlerAdapter {
  readonly errors: Error[] = [];
  override exceptionCaught(_ctx: ChannelHandlerContext, cause: Error): void {
    this.errors.push(cause);
  }
}

describe('LineBasedFrameDecoder', () => {
  it('splits at \\n and \\r\\n and strips the line endings', () => {
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder(8192, true, false));
    ch.writeInbound(buf('first\r\nsecond\nthird'));
    expect(takeInboundText(ch)).toBe('first');
    expect(takeInboundText(ch)).toBe('second');
    expect(ch.readInbound()).toBeNull();
    expect(ch.finish()).toBe(false); // "third" has no line ending
  });

  it('keeps the line endings when not stripping them', () => {
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder({ maxLength: 8192, stripDelimiter: false }));
    ch.writeInbound(buf('first\r\nsecond\nthird'));
    expect(takeInboundText(ch)).toBe('first\r\n');
    expect(takeInboundText(ch)).toBe('second\n');
    expect(ch.finish()).toBe(false);
  });

  it('decodes empty lines', () => {
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder(8192));
    ch.writeInbound(buf('\nabcna\r\n'));
    expect(takeInboundText(ch)).toBe('');
    expect(takeInboundText(ch)).toBe('abcna');
    expect(ch.finish()).toBe(false);
  });

  it('joins fragments and keeps a lone \\r inside a line', () => {
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder(8192, false, false));
    ch.writeInbound(buf('huu'));
    ch.writeInbound(buf('haa\r'));
    ch.writeInbound(buf('hey\r\n'));
    expect(takeInboundText(ch)).toBe('huuhaa\rhey\r\n');
    expect(ch.finish()).toBe(false);
  });

  it('splits "line\\r\\n.\\r\\n" into two lines', () => {
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder(8192, false, false));
    ch.writeInbound(buf('line\r\n.\r\n'));
    expect(takeInboundText(ch)).toBe('line\r\n');
    expect(takeInboundText(ch)).toBe('.\r\n');
    expect(ch.finish()).toBe(false);
  });

  it('reports a too long line once its end arrived and decodes the next line', () => {
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder(16, false, false));
    const e = thrown(() => ch.writeInbound(buf('A'.repeat(17), '\r\nfirst\r\n')));
    expect(e).toBeInstanceOf(TooLongFrameException);
    expect(e.message).toBe(`frame length (17) exceeds the allowed maximum (16) (channel: ${String(ch)})`);
    expect((e as TooLongFrameException).frameLength).toBe(17);
    expect(takeInboundText(ch)).toBe('first\r\n');
    expect(ch.finish()).toBe(false);
  });

  it('reports a too long line whose \\r\\n straddles two reads with its length', () => {
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder(16, false, false));
    expect(ch.writeInbound(buf('A'.repeat(17), '\r'))).toBe(false);
    const e = thrown(() => ch.writeInbound(buf('\nfirst\r\n')));
    expect(e.message).toContain('frame length (17) exceeds the allowed maximum (16)');
    expect(takeInboundText(ch)).toBe('first\r\n');
    expect(ch.finish()).toBe(false);
  });

  it('reports a too long line as soon as it is too long when failing fast', () => {
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder(16, false, true));
    expect(ch.writeInbound(buf('A'.repeat(16)))).toBe(false);
    expect(() => ch.writeInbound(buf('A'))).toThrow('frame length (over 17) exceeds the allowed maximum (16)');
    expect(ch.writeInbound(buf('A\r\nfirst\r\n'))).toBe(true);
    expect(takeInboundText(ch)).toBe('first\r\n');
    expect(ch.finish()).toBe(false);
  });

  it('accepts a line of exactly maxLength whose \\r\\n straddles two reads', () => {
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder(3));
    expect(ch.writeInbound(buf('abc\r'))).toBe(false);
    expect(ch.writeInbound(buf('\n'))).toBe(true);
    expect(takeInboundText(ch)).toBe('abc');
    expect(ch.finish()).toBe(false);
  });

  it('fires the too long frame to the next handler instead of throwing it', () => {
    const counter = new ExceptionCounter();
    const ch = new EmbeddedChannel(new LineBasedFrameDecoder(2), counter);
    expect(ch.writeInbound(buf('abc\nok\n'))).toBe(true);
    expect(counter.errors.map((e) => e.constructor)).toEqual([TooLongFrameException]);
    expect(takeInboundText(ch)).toBe('ok');
    expect(ch.finish()).toBe(false);
  });

  it('rejects a maxLength that is not positive', () => {
    expect(() => new LineBasedFrameDecoder(0)).toThrow(IllegalArgumentException);
  });

  describe('properties', () => {
    /** Lines of random bytes other than \r and \n, each ended by \n or \r\n. */
    const lines = fc.array(
      fc.record({
        line: fc.uint8Array({ maxLength: 30 }).map((a) => a.map((b) => (b === 0x0a || b === 0x0d ? 0x20 : b))),
        crlf: fc.boolean(),
      }),
      { maxLength: 15 },
    );
    const cuts = fc.array(fc.nat({ max: 600 }), { maxLength: 40 });

    type Make = (maxLength: number, strip: boolean, failFast: boolean) => ByteToMessageDecoder;
    const makers: [string, Make][] = [
      ['LineBasedFrameDecoder', (max, strip, failFast) => new LineBasedFrameDecoder(max, strip, failFast)],
      [
        'DelimiterBasedFrameDecoder(lineDelimiter)',
        (max, strip, failFast) => new DelimiterBasedFrameDecoder(max, strip, failFast, Delimiters.lineDelimiter()),
      ],
      [
        'a DelimiterBasedFrameDecoder subclass (no delegation)',
        (max, strip, failFast) => new (class extends DelimiterBasedFrameDecoder {})(max, strip, failFast, Delimiters.lineDelimiter()),
      ],
    ];

    function run(make: Make, max: number, strip: boolean, failFast: boolean, composite: boolean, chunks: Uint8Array[], flushes: number): unknown[] {
      const decoder = make(max, strip, failFast);
      if (composite) decoder.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
      const counter = new ExceptionCounter();
      const ch = new EmbeddedChannel(decoder, counter);
      for (const c of chunks) ch.writeInbound(buf(c));
      // A thrown TooLongFrameException ends that read's decoding; empty reads let it go on.
      for (let i = 0; i < flushes; i++) ch.writeInbound(buf());
      ch.finish();
      return [...drainInbound(ch), `errors:${counter.errors.length}`];
    }

    for (const [name, make] of makers) {
      it(`${name} decodes the same lines however the stream is split`, () => {
        fc.assert(
          fc.property(
            lines,
            cuts,
            fc.boolean(),
            fc.boolean(),
            fc.boolean(),
            fc.integer({ min: 1, max: 32 }),
            (ls, cs, strip, failFast, composite, max) => {
              const stream = concat(ls.flatMap(({ line, crlf }) => [line, crlf ? '\r\n' : '\n']));
              const expected: unknown[] = ls
                .filter(({ line }) => line.length <= max)
                .map(({ line, crlf }) => Array.from(strip ? line : concat([line, crlf ? '\r\n' : '\n'])));
              expected.push(`errors:${ls.filter(({ line }) => line.length > max).length}`);
              expect(run(make, max, strip, failFast, composite, [stream], ls.length + 1)).toEqual(expected);
              expect(run(make, max, strip, failFast, composite, split(stream, cs), ls.length + 1)).toEqual(expected);
              expect(run(make, max, strip, failFast, composite, split(stream, Array.from(stream.keys())), ls.length + 1)).toEqual(
                expected,
              );
            },
          ),
          { numRuns: 80 },
        );
      });
    }
  });
});
