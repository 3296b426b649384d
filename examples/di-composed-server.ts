/**
 * A server composed with inversify from `channelModule()` — this file is a *composition root*, the only
 * kind of place where the container is used (docs/architecture.md, DESIGN.md "Dependency injection").
 *
 * - `channelModule({...})` binds the allocator, a boss and a worker event loop group, the channel options
 *   and preconfigured Bootstrap/ServerBootstrap factories under `ChannelTokens`.
 * - `appModule` binds the application's services (a Greeter, connection statistics) and a *factory* of
 *   per-connection handlers: handlers that keep per-channel state must be new for every channel, so the
 *   container hands out a factory once, and the ChannelInitializer calls it per connection — the
 *   container is never consulted on the hot path.
 * - `await container.unbindAll()` shuts the event loop groups down (their deactivation hooks).
 *
 * Protocol: each line the client sends is answered with a greeting, e.g. `alice` → `Hello, alice! (line 1
 * on connection 1)`.
 *
 *   npx tsc -b packages/channel examples
 *   node examples/dist/di-composed-server.js              # server on 127.0.0.1:8024 until Ctrl-C (try: nc 127.0.0.1 8024)
 *   node examples/dist/di-composed-server.js --self-test  # server + one client; exits when done
 */
import 'reflect-metadata'; // once, first, in the composition root: inversify's decorators need it
import { parseArgs } from 'node:util';
import { Container, ContainerModule, inject, injectable } from 'inversify';
import {
  ChannelInitializer,
  ChannelOption,
  ChannelTokens,
  LineBasedFrameDecoder,
  SimpleChannelInboundHandler,
  channelModule,
  getService,
  type Channel,
  type ChannelHandler,
  type ChannelHandlerContext,
  type ServiceToken,
} from '@sluice/channel';
import { StringDecoder, StringEncoder } from './line-chat-server';

/** Where the examples print; the tests pass a collector instead of `console.log`. */
export type Log = (line: string) => void;

// ------------------------------------------------------------------------------------------ application services

/** Tokens of the application's own services, in the same style as `ChannelTokens`. */
export const AppTokens = Object.freeze({
  GreeterConfig: Symbol.for('@sluice/examples:GreeterConfig') as ServiceToken<GreeterConfig>,
  Greeter: Symbol.for('@sluice/examples:Greeter') as ServiceToken<Greeter>,
  ConnectionStats: Symbol.for('@sluice/examples:ConnectionStats') as ServiceToken<ConnectionStats>,
  /** `() => ChannelHandler`: a new GreetingHandler per connection. */
  GreetingHandlerFactory: Symbol.for('@sluice/examples:GreetingHandlerFactory') as ServiceToken<() => ChannelHandler>,
  /** The ChannelInitializer given to `ServerBootstrap.childHandler` (sharable, one for all children). */
  ServerInitializer: Symbol.for('@sluice/examples:ServerInitializer') as ServiceToken<ChannelHandler>,
});

export interface GreeterConfig {
  readonly salutation: string;
}

@injectable()
export class Greeter {
  constructor(@inject(AppTokens.GreeterConfig) private readonly config: GreeterConfig) {}
  greet(name: string, line: number, connection: number): string {
    return `${this.config.salutation}, ${name}! (line ${line} on connection ${connection})`;
  }
}

/** Application-wide counters (a singleton). Only touched on the event loops, so no locking is needed. */
@injectable()
export class ConnectionStats {
  accepted = 0;
  open = 0;
  lines = 0;
}

/**
 * Per-connection handler: it counts the lines of *its* connection, so it is not sharable and is created
 * by a factory for every channel. Its collaborators (Greeter, ConnectionStats) come from the container
 * through the factory — the handler itself knows nothing about inversify.
 */
export class GreetingHandler extends SimpleChannelInboundHandler<string> {
  private linesHere = 0;
  private connection = 0;

  constructor(
    private readonly greeter: Greeter,
    private readonly stats: ConnectionStats,
  ) {
    super((m): m is string => typeof m === 'string');
  }

  override channelActive(ctx: ChannelHandlerContext): void {
    this.connection = ++this.stats.accepted;
    this.stats.open++;
    ctx.fireChannelActive();
  }

  protected channelRead0(ctx: ChannelHandlerContext, line: string): void {
    this.linesHere++;
    this.stats.lines++;
    ctx.write(`${this.greeter.greet(line.trim(), this.linesHere, this.connection)}\n`, ctx.voidPromise());
  }

  override channelReadComplete(ctx: ChannelHandlerContext): void {
    ctx.flush();
  }

  override channelInactive(ctx: ChannelHandlerContext): void {
    this.stats.open--;
    ctx.fireChannelInactive();
  }

  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    console.error(`greeting server: closing ${String(ctx.channel())}: ${cause.message}`);
    ctx.close();
  }
}

const STRING_DECODER = new StringDecoder();
const STRING_ENCODER = new StringEncoder();

/** Builds each child pipeline; the per-connection handler comes from the injected factory. */
@injectable()
export class GreetingServerInitializer extends ChannelInitializer {
  constructor(@inject(AppTokens.GreetingHandlerFactory) private readonly newGreetingHandler: () => ChannelHandler) {
    super();
  }
  protected initChannel(ch: Channel): void {
    ch.pipeline()
      .addLast('framer', new LineBasedFrameDecoder(1024))
      .addLast('decoder', STRING_DECODER)
      .addLast('encoder', STRING_ENCODER)
      .addLast('greeter', this.newGreetingHandler());
  }
}

/** The application's bindings. */
export function appModule(config: GreeterConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<GreeterConfig>(AppTokens.GreeterConfig).toConstantValue(config);
    bind<Greeter>(AppTokens.Greeter).to(Greeter).inSingletonScope();
    bind<ConnectionStats>(AppTokens.ConnectionStats).to(ConnectionStats).inSingletonScope();
    bind<() => ChannelHandler>(AppTokens.GreetingHandlerFactory).toFactory((ctx) => {
      // Resolved once, when the factory is first requested; each call is then a plain `new`.
      const greeter = ctx.get<Greeter>(AppTokens.Greeter);
      const stats = ctx.get<ConnectionStats>(AppTokens.ConnectionStats);
      return () => new GreetingHandler(greeter, stats);
    });
    bind<ChannelHandler>(AppTokens.ServerInitializer).to(GreetingServerInitializer).inSingletonScope();
  });
}

/** The composition: Sluice's module plus the application's. */
export function composeContainer(options: { shutdownQuietPeriodMs?: number } = {}): Container {
  const container = new Container();
  container.loadSync(
    channelModule({
      allocator: 'pooled',
      bossLoops: 1,
      workerLoops: 2,
      channelOptions: [[ChannelOption.TCP_NODELAY, true]], // client channels and accepted children
      serverChannelOptions: [[ChannelOption.SO_BACKLOG, 128]],
      shutdownQuietPeriodMs: options.shutdownQuietPeriodMs ?? 0,
      shutdownTimeoutMs: 2000,
    }),
    appModule({ salutation: 'Hello' }),
  );
  return container;
}

/** Binds the server: the ServerBootstrap comes preconfigured from the container; we add the child handler. */
export async function startServer(container: Container, host: string, port: number): Promise<Channel> {
  const newServerBootstrap = getService(container, ChannelTokens.ServerBootstrapFactory);
  const bind = newServerBootstrap().childHandler(getService(container, AppTokens.ServerInitializer)).bind(host, port);
  await bind;
  return bind.channel();
}

// ------------------------------------------------------------------------------------------ self-test

/** Client side of the self-test: collects reply lines. */
class ReplyCollector extends SimpleChannelInboundHandler<string> {
  readonly replies: string[] = [];
  private waiting: { count: number; resolve: () => void } | null = null;
  constructor(private readonly log: Log) {
    super((m): m is string => typeof m === 'string');
  }
  protected channelRead0(_ctx: ChannelHandlerContext, line: string): void {
    this.replies.push(line);
    this.log(`  reply: ${line}`);
    if (this.waiting !== null && this.replies.length >= this.waiting.count) this.waiting.resolve();
  }
  /** Resolves once `count` replies arrived; rejects after `timeoutMs`. */
  until(count: number, timeoutMs = 5000): Promise<void> {
    if (this.replies.length >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.replies.length} of ${count} replies after ${timeoutMs} ms`)), timeoutMs);
      this.waiting = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }
}

export interface DiSelfTestResult {
  replies: string[];
  stats: { accepted: number; open: number; lines: number };
}

/** Composes the container, runs a server and one client over it, then tears everything down. */
export async function selfTest(names: readonly string[] = ['alice', 'bob'], log: Log = console.log): Promise<DiSelfTestResult> {
  const container = composeContainer();
  try {
    const server = await startServer(container, '127.0.0.1', 0);
    log(`greeting server (composed by inversify) listening on ${String(server.localAddress())}`);
    try {
      const collector = new ReplyCollector(log);
      const newBootstrap = getService(container, ChannelTokens.BootstrapFactory); // worker group, TCP_NODELAY
      const connect = newBootstrap()
        .handler(
          new (class extends ChannelInitializer {
            protected initChannel(ch: Channel): void {
              ch.pipeline().addLastHandlers(new LineBasedFrameDecoder(1024), STRING_DECODER, STRING_ENCODER, collector);
            }
          })(),
        )
        .connect(server.localAddress()!);
      await connect;
      const ch = connect.channel();
      for (const name of names) await ch.writeAndFlush(`${name}\n`);
      await collector.until(names.length);
      await ch.close();
      const stats = getService(container, AppTokens.ConnectionStats);
      // The server notices the close on its own loop a moment later.
      for (let i = 0; i < 200 && stats.open > 0; i++) await new Promise((r) => setTimeout(r, 5));
      return { replies: collector.replies, stats: { accepted: stats.accepted, open: stats.open, lines: stats.lines } };
    } finally {
      await server.close();
    }
  } finally {
    await container.unbindAll(); // deactivates the singletons: both event loop groups shut down
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '8024' },
      host: { type: 'string', default: '127.0.0.1' },
      'self-test': { type: 'boolean', default: false },
    },
  });
  if (values['self-test']) {
    const { replies, stats } = await selfTest();
    const ok = replies[1] === 'Hello, bob! (line 2 on connection 1)' && stats.open === 0;
    console.log(ok ? `self-test OK: ${stats.lines} lines greeted, ${stats.accepted} connection(s), all closed` : 'self-test FAILED');
    process.exitCode = ok ? 0 : 1;
    return;
  }
  const container = composeContainer({ shutdownQuietPeriodMs: 100 });
  const server = await startServer(container, values.host, Number(values.port));
  console.log(`greeting server listening on ${String(server.localAddress())}; Ctrl-C to stop`);
  process.once('SIGINT', () => {
    void server.close().then(() => container.unbindAll());
  });
  await server.closeFuture();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
