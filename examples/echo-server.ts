/**
 * TCP echo server — Netty's EchoServer/EchoClient, with @sluice/channel.
 *
 * The server writes back every byte it reads: `channelRead` queues the buffer with `ctx.write()` (no copy,
 * no release — the write takes the reference) and `channelReadComplete` flushes once per read batch.
 * The client sends a few lines, splits the echoed bytes into lines again (LineBasedFrameDecoder) and
 * prints them.
 *
 *   npx tsc -b packages/channel examples
 *   node examples/dist/echo-server.js                # server on 127.0.0.1:8007 until Ctrl-C (try: nc 127.0.0.1 8007)
 *   node examples/dist/echo-server.js --port 9000
 *   node examples/dist/echo-server.js --self-test    # server on an ephemeral port + client; exits when done
 */
import { parseArgs } from 'node:util';
import {
  Bootstrap,
  ByteBuf,
  ChannelInboundHandlerAdapter,
  ChannelInitializer,
  ChannelOption,
  DefaultEventLoopGroup,
  LineBasedFrameDecoder,
  ServerBootstrap,
  SimpleChannelInboundHandler,
  Sharable,
  TcpServerSocketChannel,
  TcpSocketChannel,
  Unpooled,
  type Channel,
  type ChannelHandlerContext,
  type EventLoopGroup,
} from '@sluice/channel';

/** Where the examples print; the tests pass a collector instead of `console.log`. */
export type Log = (line: string) => void;

/**
 * Echoes whatever it reads. Stateless, so one instance serves every connection (`@Sharable`).
 *
 * Ownership: `ctx.write(msg)` passes the buffer's reference on to the transport, which releases it once
 * the socket wrote it — so this handler must NOT release it (and must not extend
 * SimpleChannelInboundHandler, which would release it a second time).
 */
@Sharable
export class EchoServerHandler extends ChannelInboundHandlerAdapter {
  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    ctx.write(msg, ctx.voidPromise()); // no promise allocated per message; failures fire exceptionCaught
  }

  override channelReadComplete(ctx: ChannelHandlerContext): void {
    ctx.flush(); // one flush (one writev) per read batch, not one per message
  }

  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    console.error(`echo server: ${String(ctx.channel())}: ${cause.message}`);
    ctx.close();
  }
}

/** Starts the echo server; `await` it, then `server.close()` and shut the group down when done. */
export async function startEchoServer(group: EventLoopGroup, host: string, port: number): Promise<Channel> {
  const echo = new EchoServerHandler();
  const bind = new ServerBootstrap()
    .group(group)
    .channel(TcpServerSocketChannel)
    .option(ChannelOption.SO_BACKLOG, 128)
    .childOption(ChannelOption.TCP_NODELAY, true)
    .childHandler(echo) // sharable: no ChannelInitializer needed for a one-handler pipeline
    .bind(host, port);
  await bind; // throws the cause (e.g. EADDRINUSE) if the bind failed
  return bind.channel();
}

/** Longest line the client accepts back, in bytes. */
export const MAX_LINE_LENGTH = 8192;

/** Client side: prints each echoed line and resolves `done` once all lines came back. */
class EchoClientHandler extends SimpleChannelInboundHandler<ByteBuf> {
  readonly echoes: string[] = [];
  private finished!: () => void;
  private failed!: (err: Error) => void;
  /** Resolves once every echo arrived; rejects if the connection fails or closes first. */
  readonly done = new Promise<void>((resolve, reject) => {
    this.finished = resolve;
    this.failed = reject;
  });

  constructor(
    private readonly expected: number,
    private readonly log: Log,
  ) {
    super(ByteBuf); // accept ByteBufs; the base class releases them after channelRead0
  }

  protected channelRead0(_ctx: ChannelHandlerContext, line: ByteBuf): void {
    const text = line.toString('utf8'); // copy what you keep: `line` is released when this returns
    this.echoes.push(text);
    this.log(`  echo: ${text}`);
    if (this.echoes.length === this.expected) this.finished();
  }

  override channelInactive(ctx: ChannelHandlerContext): void {
    this.failed(new Error(`connection closed after ${this.echoes.length} of ${this.expected} echoes`)); // no-op once resolved
    ctx.fireChannelInactive();
  }

  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    this.failed(cause); // e.g. TooLongFrameException: an echoed line longer than the decoder's limit
    ctx.close();
  }
}

/** Connects to `address`, sends `messages` one line each, and returns the echoed lines. */
export async function runEchoClient(group: EventLoopGroup, server: Channel, messages: readonly string[], log: Log): Promise<string[]> {
  const handler = new EchoClientHandler(messages.length, log);
  const connect = new Bootstrap()
    .group(group)
    .channel(TcpSocketChannel)
    .option(ChannelOption.TCP_NODELAY, true)
    .handler(
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          // A new decoder per channel: decoders keep state and are never @Sharable.
          ch.pipeline().addLast('lines', new LineBasedFrameDecoder(MAX_LINE_LENGTH)).addLast('client', handler);
        }
      })(),
    )
    .connect(server.localAddress()!);
  await connect;
  const ch = connect.channel();
  try {
    for (const m of messages) {
      // Called from outside the event loop: queued onto it. `await` resolves once the socket wrote it.
      await ch.writeAndFlush(Unpooled.copiedBuffer(`${m}\n`, 'utf8'));
      log(`  sent: ${m}`);
    }
    await handler.done;
    return handler.echoes;
  } finally {
    await ch.close();
  }
}

/** The self-test: server on an ephemeral port, a client that sends `messages`; everything closed afterwards. */
export async function selfTest(messages: readonly string[] = ['hello', 'sluice', 'echo ✓'], log: Log = console.log): Promise<string[]> {
  const group = new DefaultEventLoopGroup(1);
  try {
    const server = await startEchoServer(group, '127.0.0.1', 0);
    log(`echo server listening on ${String(server.localAddress())}`);
    try {
      return await runEchoClient(group, server, messages, log);
    } finally {
      await server.close();
    }
  } finally {
    await group.shutdownGracefully(0, 1000); // closes whatever is still open (the accepted child)
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '8007' },
      host: { type: 'string', default: '127.0.0.1' },
      'self-test': { type: 'boolean', default: false },
    },
  });
  if (values['self-test']) {
    const messages = ['hello', 'sluice', 'echo ✓'];
    const echoes = await selfTest(messages);
    const ok = echoes.join('\n') === messages.join('\n');
    console.log(ok ? 'self-test OK: every line came back' : 'self-test FAILED');
    process.exitCode = ok ? 0 : 1;
    return;
  }
  const group = new DefaultEventLoopGroup(1);
  const server = await startEchoServer(group, values.host, Number(values.port));
  console.log(`echo server listening on ${String(server.localAddress())}; Ctrl-C to stop`);
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
