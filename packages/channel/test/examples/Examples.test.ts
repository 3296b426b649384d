// Runs the self-test of every example in examples/ in-process (ts-jest compiles them from source;
// '@sluice/channel' maps to src/), so the examples users copy from cannot silently rot. Each self-test uses
// real sockets on 127.0.0.1 port 0 and closes its channels and event loops itself; the jest setup checks
// for buffer leaks at PARANOID after every test, and each test here checks that no TCP handle is left open.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CorruptedFrameException, DecoderException, TooLongFrameException } from '@sluice/channel';
import * as customCodec from '../../../../examples/custom-protocol-codec';
import * as diComposed from '../../../../examples/di-composed-server';
import * as echo from '../../../../examples/echo-server';
import * as lineChat from '../../../../examples/line-chat-server';

/** Open TCP handles of this process (servers and sockets). */
function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
}

/** Resolves once the TCP handles are back to `baseline` (close callbacks run a turn or two later). */
async function expectTcpHandlesBackTo(baseline: number): Promise<void> {
  for (let i = 0; i < 100 && tcpHandles() > baseline; i++) await new Promise((r) => setTimeout(r, 5));
  expect(tcpHandles()).toBeLessThanOrEqual(baseline);
}

const quiet = (): void => undefined;
let baseline = 0;
beforeEach(() => {
  baseline = tcpHandles();
});
afterEach(async () => {
  await expectTcpHandlesBackTo(baseline);
});

describe('examples/echo-server', () => {
  it('echoes every line the client sends, in order', async () => {
    const messages = ['hello', 'sluice', 'echo ✓', 'x'.repeat(2000)];
    await expect(echo.selfTest(messages, quiet)).resolves.toEqual(messages);
  });

  it('fails (and still closes everything) when an echoed line exceeds the client decoder limit', async () => {
    const tooLong = 'y'.repeat(echo.MAX_LINE_LENGTH + 1);
    await expect(echo.selfTest(['fine', tooLong], quiet)).rejects.toBeInstanceOf(TooLongFrameException);
  });
});

describe('examples/line-chat-server', () => {
  it('broadcasts each line to the other members and announces joins and leaves', async () => {
    const t = await lineChat.selfTest(quiet);
    expect(t.alice).toEqual([
      'Welcome to sluice chat. Who are you?',
      'Hello, alice! 0 other(s) online.',
      '* bob joined',
      '* carol joined',
      '[bob] hello alice',
      '* carol left',
    ]);
    expect(t.bob).toEqual([
      'Welcome to sluice chat. Who are you?',
      'Hello, bob! 1 other(s) online.',
      '* carol joined',
      '[alice] hi everyone',
      '* carol left',
      '* alice left',
    ]);
    expect(t.carol).toEqual([
      'Welcome to sluice chat. Who are you?',
      'Hello, carol! 2 other(s) online.',
      '[alice] hi everyone',
      '[bob] hello alice',
      'Bye, carol.',
    ]);
  });
});

describe('examples/custom-protocol-codec', () => {
  const { SAMPLE_MESSAGES, embeddedRoundTrip, embeddedCorruptInput, sameMessages } = customCodec;

  it.each(['by-hand', 'length-field'] as const)('round-trips messages through the %s decoder however the bytes are split', (kind) => {
    for (const chunk of [1, 2, 3, 7, 11, 12, 64, 100_000]) {
      const decoded = embeddedRoundTrip(SAMPLE_MESSAGES, kind, chunk);
      expect(sameMessages(decoded, SAMPLE_MESSAGES)).toBe(true);
    }
  });

  it.each(['by-hand', 'length-field'] as const)('reports a bad magic through the %s decoder as CorruptedFrameException', (kind) => {
    const err = embeddedCorruptInput(kind);
    expect(err).toBeInstanceOf(CorruptedFrameException);
    expect(err).toBeInstanceOf(DecoderException);
    expect(err?.message).toMatch(/^bad magic: 0xbad0/);
  });

  it('answers requests over TCP with both decoders in play', async () => {
    const result = await customCodec.selfTest(quiet);
    expect([...result.tcp.entries()].sort(([a], [b]) => a - b)).toEqual([
      [0, 'PING'],
      [1, 'SLUICE'],
      [2, 'LENGTH-PREFIXED'],
    ]);
  });
});

describe('examples/di-composed-server', () => {
  it('serves a client from a container composed of channelModule() and the application module', async () => {
    const { replies, stats } = await diComposed.selfTest(['alice', 'bob', 'carol'], quiet);
    expect(replies).toEqual([
      'Hello, alice! (line 1 on connection 1)',
      'Hello, bob! (line 2 on connection 1)',
      'Hello, carol! (line 3 on connection 1)',
    ]);
    expect(stats).toEqual({ accepted: 1, open: 0, lines: 3 });
  });

  it('creates a new per-connection handler from the factory for every channel', () => {
    const container = diComposed.composeContainer();
    const factory = container.get<() => unknown>(diComposed.AppTokens.GreetingHandlerFactory);
    const a = factory();
    const b = factory();
    expect(a).toBeInstanceOf(diComposed.GreetingHandler);
    expect(a).not.toBe(b);
    // The shared collaborators are singletons.
    expect(container.get(diComposed.AppTokens.Greeter)).toBe(container.get(diComposed.AppTokens.Greeter));
    container.unbindAllSync(); // no event loop group was resolved, so nothing to shut down
  });
});

describe('the examples run as programs with --self-test', () => {
  const saved = process.exitCode;
  afterEach(() => {
    process.exitCode = saved;
    jest.restoreAllMocks();
  });

  const programs: [string, (argv: readonly string[]) => Promise<void>][] = [
    ['echo-server', echo.main],
    ['line-chat-server', lineChat.main],
    ['custom-protocol-codec', customCodec.main],
    ['di-composed-server', diComposed.main],
  ];
  it.each(programs)('%s --self-test ends with exit code 0', async (_name, main) => {
    const out: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      out.push(args.join(' '));
    });
    process.exitCode = undefined;
    await main(['--self-test']);
    expect(process.exitCode).toBe(0);
    expect(out.at(-1)).toMatch(/^self-test OK/);
  });
});
