/**
 * Line-based chat server — Netty's SecureChat/Telnet examples without TLS, with @sluice/channel.
 *
 * Pipeline of every connection (head → tail):
 *   LineBasedFrameDecoder  bytes → one ByteBuf per line (a new instance per channel: decoders keep state)
 *   StringDecoder          ByteBuf → string        (MessageToMessageDecoder, @Sharable)
 *   StringEncoder          string → ByteBuf        (MessageToMessageEncoder, @Sharable; outbound)
 *   ChatServerHandler      the chat: one @Sharable instance that keeps the set of connected channels
 *
 * Protocol: the server greets, the first line a client sends is its name, every later line is broadcast
 * to the others as `[name] text`; `bye` leaves. Joins and leaves are announced as `* name joined/left`.
 *
 *   npx tsc -b packages/channel examples
 *   node examples/dist/line-chat-server.js              # server on 127.0.0.1:8023 until Ctrl-C (try: nc 127.0.0.1 8023)
 *   node examples/dist/line-chat-server.js --self-test  # server + three scripted clients; exits when done
 */
import { parseArgs } from 'node:util';
import {
  AttributeKey,
  Bootstrap,
  ByteBuf,
  ByteBufUtil,
  ChannelFutureListeners,
  ChannelInitializer,
  DefaultEventLoopGroup,
  LineBasedFrameDecoder,
  MessageToMessageDecoder,
  MessageToMessageEncoder,
  ServerBootstrap,
  Sharable,
  SimpleChannelInboundHandler,
  TcpServerSocketChannel,
  TcpSocketChannel,
  type Channel,
  type ChannelHandlerContext,
  type EventLoopGroup,
} from '@sluice/channel';

/** Where the examples print; the tests pass a collector instead of `console.log`. */
export type Log = (line: string) => void;

const isString = (m: unknown): m is string => typeof m === 'string';

/**
 * ByteBuf → string (Netty's StringDecoder). Stateless, so sharable. The decoder releases the ByteBuf
 * after `decode()`; a string holds no reference, so nothing downstream has to release anything.
 */
@Sharable
export class StringDecoder extends MessageToMessageDecoder<ByteBuf> {
  constructor(private readonly encoding: BufferEncoding = 'utf8') {
    super(ByteBuf);
  }
  protected decode(_ctx: ChannelHandlerContext, msg: ByteBuf, out: unknown[]): void {
    out.push(msg.toString(this.encoding));
  }
}

/** string → ByteBuf (Netty's StringEncoder). The buffer is allocated from the channel's allocator. */
@Sharable
export class StringEncoder extends MessageToMessageEncoder<string> {
  constructor(private readonly encoding: BufferEncoding = 'utf8') {
    super(isString);
  }
  protected encode(ctx: ChannelHandlerContext, msg: string, out: unknown[]): void {
    out.push(ByteBufUtil.encodeString(ctx.alloc(), msg, this.encoding));
  }
}

/** Per-channel state of a sharable handler lives in channel attributes, not in handler fields. */
const NAME = AttributeKey.valueOf<string>('sluice.examples.chat.name');

/**
 * The chat room. One instance is added to every connection (`@Sharable`): the set of members is the
 * room's state, shared on purpose; each member's name is per-channel state and lives in an attribute.
 *
 * Strings are not reference-counted, so SimpleChannelInboundHandler's release after `channelRead0` is a
 * no-op here — with ByteBuf messages it would release them, see docs/handlers.md "Who releases what".
 */
@Sharable
export class ChatServerHandler extends SimpleChannelInboundHandler<string> {
  private readonly members = new Set<Channel>();
  /** Lines not delivered because the receiver was not writable (a slow reader). */
  dropped = 0;

  constructor(private readonly log: Log = () => undefined) {
    super(isString);
  }

  /** Names of the members who introduced themselves. */
  memberNames(): string[] {
    return [...this.members].map((ch) => ch.attr(NAME).get()).filter((n): n is string => n !== undefined);
  }

  override channelActive(ctx: ChannelHandlerContext): void {
    ctx.writeAndFlush('Welcome to sluice chat. Who are you?\n', ctx.voidPromise());
    ctx.fireChannelActive();
  }

  protected channelRead0(ctx: ChannelHandlerContext, line: string): void {
    const ch = ctx.channel();
    const name = ch.attr(NAME).get();
    const text = line.trim();
    if (name === undefined) {
      if (text === '') return;
      ch.attr(NAME).set(text);
      this.members.add(ch);
      ctx.writeAndFlush(`Hello, ${text}! ${this.members.size - 1} other(s) online.\n`, ctx.voidPromise());
      this.broadcast(ch, `* ${text} joined`);
      this.log(`  server: ${text} joined from ${String(ch.remoteAddress())}`);
    } else if (text === 'bye') {
      // Close once the goodbye was written: a listener on the write's future (Netty's CLOSE listener).
      ctx.writeAndFlush(`Bye, ${name}.\n`).addListener(ChannelFutureListeners.CLOSE);
    } else {
      this.broadcast(ch, `[${name}] ${text}`);
    }
  }

  /** The channel closed (client left, `bye`, or an error): leave the room. */
  override channelInactive(ctx: ChannelHandlerContext): void {
    const ch = ctx.channel();
    if (this.members.delete(ch)) {
      const name = ch.attr(NAME).get()!;
      this.broadcast(ch, `* ${name} left`);
      this.log(`  server: ${name} left`);
    }
    ctx.fireChannelInactive();
  }

  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    // E.g. a TooLongFrameException from the line decoder, or a connection reset.
    this.log(`  server: closing ${String(ctx.channel())}: ${cause.message}`);
    ctx.close();
  }

  private broadcast(from: Channel, text: string): void {
    for (const member of this.members) {
      if (member === from) continue;
      // `member.writeAndFlush` starts at the tail of *its* pipeline, so its StringEncoder encodes the line.
      // (`ctx.write` would start at our context in the sender's pipeline — the wrong channel.)
      if (member.isWritable()) member.writeAndFlush(`${text}\n`, member.voidPromise());
      else this.dropped++; // a chat may drop lines for a slow reader; a proxy would stop reading instead
    }
  }
}

/** Adds the chat pipeline (framing, string codec, then `handler`) to a new channel. */
function chatPipeline(ch: Channel, handler: ChatServerHandler | ChatClientHandler): void {
  ch.pipeline()
    .addLast('framer', new LineBasedFrameDecoder(8192)) // new per channel
    .addLast('decoder', STRING_DECODER) // sharable: one instance for all
    .addLast('encoder', STRING_ENCODER)
    .addLast('handler', handler);
}
const STRING_DECODER = new StringDecoder();
const STRING_ENCODER = new StringEncoder();

/** Starts the chat server; returns its channel and the room. */
export async function startChatServer(group: EventLoopGroup, host: string, port: number, log: Log = () => undefined): Promise<{ server: Channel; room: ChatServerHandler }> {
  const room = new ChatServerHandler(log);
  const bind = new ServerBootstrap()
    .group(group)
    .channel(TcpServerSocketChannel)
    .childHandler(
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          chatPipeline(ch, room);
        }
      })(),
    )
    .bind(host, port);
  await bind;
  return { server: bind.channel(), room };
}

/** A scripted client: records every line it receives; `expect(line)` waits for one. */
export class ChatClientHandler extends SimpleChannelInboundHandler<string> {
  readonly lines: string[] = [];
  private readonly waiters: { line: string; resolve: () => void }[] = [];

  constructor(
    readonly name: string,
    private readonly log: Log,
  ) {
    super(isString);
  }

  protected channelRead0(_ctx: ChannelHandlerContext, line: string): void {
    this.lines.push(line);
    this.log(`  ${this.name.padEnd(5)} <- ${line}`);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.line === line) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** Resolves once `line` was received (now or earlier); rejects after `timeoutMs`. */
  expect(line: string, timeoutMs = 5000): Promise<void> {
    if (this.lines.includes(line)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not receive '${line}' (got: ${JSON.stringify(this.lines)})`)), timeoutMs);
      this.waiters.push({
        line,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

async function connectClient(group: EventLoopGroup, server: Channel, name: string, log: Log): Promise<{ ch: Channel; client: ChatClientHandler }> {
  const client = new ChatClientHandler(name, log);
  const connect = new Bootstrap()
    .group(group)
    .channel(TcpSocketChannel)
    .handler(
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          chatPipeline(ch, client);
        }
      })(),
    )
    .connect(server.localAddress()!);
  await connect;
  return { ch: connect.channel(), client };
}

/** What each scripted client received, by name. */
export type ChatTranscript = Record<string, string[]>;

/** The self-test: a server and three clients (alice, bob, carol) following a script; all closed at the end. */
export async function selfTest(log: Log = console.log): Promise<ChatTranscript> {
  const group = new DefaultEventLoopGroup(1);
  const open: Channel[] = [];
  try {
    const { server } = await startChatServer(group, '127.0.0.1', 0, log);
    open.push(server);
    log(`chat server listening on ${String(server.localAddress())}`);

    const join = async (name: string, othersOnline: number): Promise<{ ch: Channel; client: ChatClientHandler }> => {
      const c = await connectClient(group, server, name, log);
      open.push(c.ch);
      await c.client.expect('Welcome to sluice chat. Who are you?');
      await c.ch.writeAndFlush(`${name}\n`); // a string: the client's StringEncoder turns it into bytes
      await c.client.expect(`Hello, ${name}! ${othersOnline} other(s) online.`);
      return c;
    };
    const say = (c: { ch: Channel }, text: string): Promise<void> => Promise.resolve(c.ch.writeAndFlush(`${text}\n`));

    const alice = await join('alice', 0);
    const bob = await join('bob', 1);
    await alice.client.expect('* bob joined');
    const carol = await join('carol', 2);
    await Promise.all([alice.client.expect('* carol joined'), bob.client.expect('* carol joined')]);

    await say(alice, 'hi everyone');
    await Promise.all([bob.client.expect('[alice] hi everyone'), carol.client.expect('[alice] hi everyone')]);
    await say(bob, 'hello alice');
    await Promise.all([alice.client.expect('[bob] hello alice'), carol.client.expect('[bob] hello alice')]);

    await say(carol, 'bye');
    await carol.client.expect('Bye, carol.');
    await carol.ch.closeFuture(); // the server closed the connection after the goodbye
    await Promise.all([alice.client.expect('* carol left'), bob.client.expect('* carol left')]);

    await alice.ch.close();
    await bob.client.expect('* alice left');
    await bob.ch.close();
    await server.close();
    return { alice: alice.client.lines, bob: bob.client.lines, carol: carol.client.lines };
  } finally {
    for (const ch of open) await ch.close();
    await group.shutdownGracefully(0, 1000);
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '8023' },
      host: { type: 'string', default: '127.0.0.1' },
      'self-test': { type: 'boolean', default: false },
    },
  });
  if (values['self-test']) {
    const transcript = await selfTest();
    const ok = transcript.bob!.includes('[alice] hi everyone') && transcript.alice!.includes('* carol left');
    console.log(ok ? 'self-test OK: lines were broadcast, joins and leaves announced' : 'self-test FAILED');
    process.exitCode = ok ? 0 : 1;
    return;
  }
  const group = new DefaultEventLoopGroup(1);
  const { server } = await startChatServer(group, values.host, Number(values.port), console.log);
  console.log(`chat server listening on ${String(server.localAddress())}; Ctrl-C to stop`);
  process.once('SIGINT', () => {
    void server.close().then(() => group.shutdownGracefully(0, 1000));
  });
  await server.closeFuture();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
