import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ByteBuf } from '../../../src/buffer/ByteBuf';
import { Unpooled } from '../../../src/buffer/Unpooled';
import { InetSocketAddress } from '../../../src/channel/SocketAddress';
import { ByteBufFormat } from '../../../src/handler/logging/ByteBufFormat';
import { LoggingHandler } from '../../../src/handler/logging/LoggingHandler';
import { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';
import { type InternalLogger, InternalLoggerFactory, type LoggerFactory, type LogLevel } from '../../../src/util/InternalLogger';
import { IllegalArgumentException } from '../../../src/util/SluiceError';

interface Line {
  logger: string;
  level: LogLevel;
  message: string;
  args: unknown[];
}

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, silent: 5 };

class CapturingLogger implements InternalLogger {
  constructor(readonly name: string, private readonly threshold: () => LogLevel, private readonly lines: Line[]) {}
  isEnabled(level: LogLevel): boolean {
    return level !== 'silent' && RANK[level] >= RANK[this.threshold()];
  }
  private record(level: LogLevel, message: string, args: unknown[]): void {
    if (this.isEnabled(level)) this.lines.push({ logger: this.name, level, message, args });
  }
  trace(m: string, ...a: unknown[]): void { this.record('trace', m, a); }
  debug(m: string, ...a: unknown[]): void { this.record('debug', m, a); }
  info(m: string, ...a: unknown[]): void { this.record('info', m, a); }
  warn(m: string, ...a: unknown[]): void { this.record('warn', m, a); }
  error(m: string, ...a: unknown[]): void { this.record('error', m, a); }
}

const CH = '[id: 0xembedded, L:embedded - R:embedded]';

// Netty's pretty hex dump, written out by hand so the format is pinned independently of ByteBufUtil.
const HELLO_DUMP = [
  '         +-------------------------------------------------+',
  '         |  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f |',
  '+--------+-------------------------------------------------+----------------+',
  '|00000000| 48 65 6c 6c 6f 2c 20 4e 65 74 74 79 21          |Hello, Netty!   |',
  '+--------+-------------------------------------------------+----------------+',
].join('\n');

const BINARY_DUMP = [
  '         +-------------------------------------------------+',
  '         |  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f |',
  '+--------+-------------------------------------------------+----------------+',
  '|00000000| 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f |................|',
  '|00000010| 10 41 7f                                        |.A.             |',
  '+--------+-------------------------------------------------+----------------+',
].join('\n');

describe('LoggingHandler', () => {
  let lines: Line[];
  let threshold: LogLevel;
  let previousFactory: LoggerFactory;

  beforeEach(() => {
    lines = [];
    threshold = 'trace';
    previousFactory = InternalLoggerFactory.getDefaultFactory();
    InternalLoggerFactory.setDefaultFactory((name) => new CapturingLogger(name, () => threshold, lines));
  });

  afterEach(() => {
    InternalLoggerFactory.setDefaultFactory(previousFactory);
  });

  const messages = (): string[] => lines.map((l) => l.message);

  it('logs registration and activation, then passes the events on', () => {
    const ch = new EmbeddedChannel(new LoggingHandler());
    expect(messages()).toEqual([`${CH} REGISTERED`, `${CH} ACTIVE`]);
    expect(lines.every((l) => l.level === 'debug' && l.logger === 'LoggingHandler')).toBe(true);
    expect(ch.finish()).toBe(false);
  });

  it('logs a ByteBuf read as its size and a pretty hex dump, and passes it on untouched', () => {
    const ch = new EmbeddedChannel(new LoggingHandler());
    lines.length = 0;
    const buf = Unpooled.wrappedBuffer(Buffer.from('Hello, Netty!', 'latin1'));
    expect(ch.writeInbound(buf)).toBe(true);
    expect(messages()).toEqual([`${CH} READ: 13B\n${HELLO_DUMP}`, `${CH} READ COMPLETE`]);
    const read = ch.readInbound<ByteBuf>()!;
    expect(read).toBe(buf);
    expect(read.readerIndex()).toBe(0);
    read.release();
    expect(ch.finish()).toBe(false);
  });

  it('dumps several rows with offsets and shows non-printable bytes as dots', () => {
    const ch = new EmbeddedChannel(new LoggingHandler());
    lines.length = 0;
    const bytes = [...Array.from({ length: 17 }, (_, i) => i), 0x41, 0x7f];
    ch.writeInbound(Unpooled.wrappedBuffer(Buffer.from(bytes)));
    expect(messages()[0]).toBe(`${CH} READ: 19B\n${BINARY_DUMP}`);
    expect(ch.finishAndReleaseAll()).toBe(true);
  });

  it('logs only the size in the SIMPLE format, and 0B for an empty buffer', () => {
    const ch = new EmbeddedChannel(new LoggingHandler(ByteBufFormat.SIMPLE));
    lines.length = 0;
    ch.writeInbound(Unpooled.wrappedBuffer(Buffer.from('Hello, Netty!')));
    ch.writeInbound(Unpooled.buffer(0));
    expect(messages()).toEqual([`${CH} READ: 13B`, `${CH} READ COMPLETE`, `${CH} READ: 0B`, `${CH} READ COMPLETE`]);
    expect(ch.finishAndReleaseAll()).toBe(true);
  });

  it('logs WRITE and FLUSH for writeAndFlush', () => {
    const ch = new EmbeddedChannel(new LoggingHandler());
    lines.length = 0;
    ch.writeAndFlush(Unpooled.wrappedBuffer(Buffer.from('Hello, Netty!', 'latin1')));
    expect(messages()).toEqual([`${CH} WRITE: 13B\n${HELLO_DUMP}`, `${CH} FLUSH`]);
    ch.readOutbound<ByteBuf>()!.release();
    expect(ch.finish()).toBe(false);
  });

  it('prints other messages with toString, and plain objects inspected', () => {
    const ch = new EmbeddedChannel(new LoggingHandler());
    lines.length = 0;
    ch.writeInbound('hello', { a: 1 });
    expect(messages()).toEqual([`${CH} READ: hello`, `${CH} READ: { a: 1 }`, `${CH} READ COMPLETE`]);
    expect(ch.finishAndReleaseAll()).toBe(true);
  });

  it('prints a message holding a ByteBuf as "<holder>, <n>B" and its content dump', () => {
    const ch = new EmbeddedChannel(new LoggingHandler());
    lines.length = 0;
    const content = Unpooled.wrappedBuffer(Buffer.from('Hello, Netty!', 'latin1'));
    const holder = { content: (): ByteBuf => content, toString: (): string => 'Frame(7)' };
    const empty = Unpooled.buffer(0);
    const emptyHolder = { content: (): ByteBuf => empty, toString: (): string => 'Frame(8)' };
    ch.writeInbound(holder, emptyHolder);
    expect(messages()).toEqual([
      `${CH} READ: Frame(7), 13B\n${HELLO_DUMP}`,
      `${CH} READ, Frame(8), 0B`,
      `${CH} READ COMPLETE`,
    ]);
    content.release();
    empty.release();
    ch.releaseInbound();
    expect(ch.finish()).toBe(false);
  });

  it('logs user events and exceptions, passing the cause to the logger', () => {
    const ch = new EmbeddedChannel(new LoggingHandler());
    lines.length = 0;
    ch.pipeline().fireUserEventTriggered('custom-event');
    const boom = new Error('boom');
    ch.pipeline().fireExceptionCaught(boom);
    expect(messages()).toEqual([`${CH} USER_EVENT: custom-event`, `${CH} EXCEPTION: Error: boom`]);
    expect(lines[1]!.args).toEqual([boom]);
    expect(() => ch.checkException()).toThrow(boom);
    expect(ch.finish()).toBe(false);
  });

  it('logs the outbound operations and the end of the channel', () => {
    const ch = new EmbeddedChannel({ hasDisconnect: true }, new LoggingHandler());
    lines.length = 0;
    ch.bind(new InetSocketAddress('127.0.0.1', 8080));
    ch.connect(new InetSocketAddress('10.0.0.1', 9000));
    ch.connect(new InetSocketAddress('10.0.0.1', 9000), new InetSocketAddress('127.0.0.1', 1234));
    ch.unsafe().outboundBuffer()!.setUserDefinedWritability(3, false);
    ch.runPendingTasks();
    ch.deregister();
    ch.runPendingTasks();
    expect(messages()).toEqual([
      `${CH} BIND: 127.0.0.1:8080`,
      `${CH} CONNECT: 10.0.0.1:9000`,
      `${CH} CONNECT: 10.0.0.1:9000, 127.0.0.1:1234`,
      `${CH} WRITABILITY CHANGED`,
      `${CH} DEREGISTER`,
      `${CH} UNREGISTERED`,
    ]);
    lines.length = 0;
    ch.register();
    ch.disconnect();
    ch.close();
    expect(messages()).toEqual([
      `${CH} REGISTERED`,
      `${CH} DISCONNECT`,
      `${CH} CLOSE`,
      `[id: 0xembedded] INACTIVE`,
      `[id: 0xembedded] UNREGISTERED`,
    ]);
    expect(ch.finish()).toBe(false);
  });

  it('formats nothing when the level is disabled', () => {
    threshold = 'info';
    const ch = new EmbeddedChannel(new LoggingHandler('debug'));
    let printed = 0;
    const msg = { toString: (): string => `printed ${++printed}` };
    ch.writeInbound(msg);
    ch.writeAndFlush(msg);
    expect(printed).toBe(0);
    expect(lines).toHaveLength(0);
    expect(ch.finishAndReleaseAll()).toBe(true);
  });

  it('logs at the configured level through the matching logger method and under the given name', () => {
    const ch = new EmbeddedChannel(new LoggingHandler({ name: 'wire', level: 'warn', byteBufFormat: ByteBufFormat.SIMPLE }));
    ch.writeInbound(Unpooled.wrappedBuffer(Buffer.from('abc')));
    expect(lines.map((l) => `${l.logger}/${l.level}: ${l.message}`)).toEqual([
      `wire/warn: ${CH} REGISTERED`,
      `wire/warn: ${CH} ACTIVE`,
      `wire/warn: ${CH} READ: 3B`,
      `wire/warn: ${CH} READ COMPLETE`,
    ]);
    expect(ch.finishAndReleaseAll()).toBe(true);
    const handler = new LoggingHandler('error', ByteBufFormat.HEX_DUMP);
    expect([handler.level(), handler.byteBufFormat()]).toEqual(['error', 'HEX_DUMP']);
  });

  it('can be shared by several channels', () => {
    const shared = new LoggingHandler();
    expect(shared.isSharable()).toBe(true);
    const a = new EmbeddedChannel(shared);
    const b = new EmbeddedChannel(shared);
    expect(messages().filter((m) => m.endsWith('ACTIVE'))).toHaveLength(2);
    expect(a.finish()).toBe(false);
    expect(b.finish()).toBe(false);
  });

  it('rejects arguments that are neither a level, a format nor options', () => {
    expect(() => new LoggingHandler('verbose' as never)).toThrow(IllegalArgumentException);
    expect(() => new LoggingHandler({ level: 'silent' as never })).toThrow(/level: silent/);
    expect(() => new LoggingHandler({ byteBufFormat: 'HEX' as never })).toThrow(/byteBufFormat: HEX/);
  });
});
