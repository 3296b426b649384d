import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Container } from 'inversify';
import { ChannelInitializer } from '../../src/bootstrap/ChannelInitializer';
import type { ByteBuf } from '../../src/buffer/ByteBuf';
import { ByteBufAllocator } from '../../src/buffer/ByteBufAllocator';
import { PooledByteBufAllocator } from '../../src/buffer/PooledByteBufAllocator';
import { Unpooled } from '../../src/buffer/Unpooled';
import { UnpooledByteBufAllocator } from '../../src/buffer/UnpooledByteBufAllocator';
import type { Channel } from '../../src/channel/Channel';
import type { ChannelHandlerContext } from '../../src/channel/ChannelHandlerContext';
import { ChannelInboundHandlerAdapter } from '../../src/channel/ChannelInboundHandlerAdapter';
import { ChannelOption } from '../../src/channel/ChannelOption';
import type { InetSocketAddress } from '../../src/channel/SocketAddress';
import type { DefaultEventLoopGroup } from '../../src/concurrent/DefaultEventLoopGroup';
import { channelModule } from '../../src/di/channelModule';
import { ChannelTokens, getService, type ServiceOf } from '../../src/di/tokens';
import { IllegalArgumentException, IllegalStateException } from '../../src/util/SluiceError';

// Fast shutdown for tests: the groups have no work left when the container is torn down.
const FAST_SHUTDOWN = { shutdownQuietPeriodMs: 0, shutdownTimeoutMs: 1000 } as const;

const containers: Container[] = [];
const channels: Channel[] = [];

function newContainer(options: Parameters<typeof channelModule>[0] = FAST_SHUTDOWN): Container {
  const container = new Container();
  container.loadSync(channelModule({ ...FAST_SHUTDOWN, ...options }));
  containers.push(container);
  return container;
}

class EchoHandler extends ChannelInboundHandlerAdapter {
  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    ctx.write(msg);
  }
  override channelReadComplete(ctx: ChannelHandlerContext): void {
    ctx.flush();
  }
}

/** Collects the text a client receives and resolves once `expected` has arrived in full. */
class CollectingHandler extends ChannelInboundHandlerAdapter {
  private received = '';
  private resolve: ((text: string) => void) | null = null;
  readonly done: Promise<string>;
  constructor(private readonly expected: string) {
    super();
    this.done = new Promise((r) => (this.resolve = r));
  }
  override channelRead(_ctx: ChannelHandlerContext, msg: unknown): void {
    const buf = msg as ByteBuf;
    try {
      this.received += buf.toString('utf8');
    } finally {
      buf.release();
    }
    if (this.received.length >= this.expected.length) this.resolve?.(this.received);
  }
}

function initializer(init: (ch: Channel) => void): ChannelInitializer {
  return new (class extends ChannelInitializer {
    protected initChannel(ch: Channel): void {
      init(ch);
    }
  })();
}

describe('channelModule', () => {
  // Inside the describe, so the fixture closes its channels before setup.ts's leak check (root hooks run
  // after a block's own): an open client channel holds its pending read buffer.
  afterEach(async () => {
    for (const ch of channels.splice(0)) await ch.close();
    for (const c of containers.splice(0)) await c.unbindAll();
  });

  it('binds the allocator and the boss and worker groups as singletons', () => {
    const container = newContainer();
    const alloc = getService(container, ChannelTokens.ByteBufAllocator);
    expect(getService(container, ChannelTokens.ByteBufAllocator)).toBe(alloc);
    expect(alloc).toBe(ByteBufAllocator.DEFAULT);
    const typed: ServiceOf<typeof ChannelTokens.ByteBufAllocator> = alloc; // the token carries its type
    expect(typed.buffer).toBeDefined();
    const boss = getService(container, ChannelTokens.BossEventLoopGroup);
    const worker = container.get(ChannelTokens.WorkerEventLoopGroup);
    expect(getService(container, ChannelTokens.BossEventLoopGroup)).toBe(boss);
    expect(container.get(ChannelTokens.WorkerEventLoopGroup)).toBe(worker);
    expect(boss).not.toBe(worker);
    expect(ChannelTokens.BossEventLoopGroup).toBe(Symbol.for('@sluice/channel:BossEventLoopGroup'));
  });

  it('sizes the groups as configured', () => {
    const container = newContainer({ bossLoops: 1, workerLoops: 3 });
    expect((getService(container, ChannelTokens.WorkerEventLoopGroup) as DefaultEventLoopGroup).loops()).toHaveLength(3);
    expect((getService(container, ChannelTokens.BossEventLoopGroup) as DefaultEventLoopGroup).loops()).toHaveLength(1);
  });

  it('binds the chosen allocator: pooled, unpooled, shared memory, or an instance', () => {
    expect(getService(newContainer({ allocator: 'pooled' }), ChannelTokens.ByteBufAllocator)).toBe(PooledByteBufAllocator.DEFAULT);
    expect(getService(newContainer({ allocator: 'unpooled' }), ChannelTokens.ByteBufAllocator)).toBe(UnpooledByteBufAllocator.DEFAULT);
    const shared = getService(newContainer({ allocator: 'shared' }), ChannelTokens.ByteBufAllocator);
    expect(shared).toBeInstanceOf(PooledByteBufAllocator);
    expect((shared as PooledByteBufAllocator).isSharedMemory()).toBe(true);
    const mine = new PooledByteBufAllocator();
    expect(getService(newContainer({ allocator: mine }), ChannelTokens.ByteBufAllocator)).toBe(mine);
  });

  it('rejects invalid options when the module is created', () => {
    expect(() => channelModule({ allocator: 'direct' as never })).toThrow(IllegalArgumentException);
    expect(() => channelModule({ workerLoops: 0 })).toThrow(/workerLoops: 0/);
    expect(() => channelModule({ shutdownQuietPeriodMs: 100, shutdownTimeoutMs: 50 })).toThrow(/shutdownTimeoutMs: 50/);
    expect(() => channelModule({ channelOptions: [[ChannelOption.TCP_NODELAY, null]] })).toThrow(IllegalArgumentException);
  });

  it('puts ALLOCATOR and the configured entries into the channel options', () => {
    const container = newContainer({
      allocator: 'unpooled',
      channelOptions: [[ChannelOption.TCP_NODELAY, false]],
      serverChannelOptions: [[ChannelOption.SO_BACKLOG, 64]],
    });
    const options = getService(container, ChannelTokens.ChannelOptions);
    expect(options.get(ChannelOption.ALLOCATOR as ChannelOption<unknown>)).toBe(UnpooledByteBufAllocator.DEFAULT);
    expect(options.get(ChannelOption.TCP_NODELAY as ChannelOption<unknown>)).toBe(false);
    const serverOptions = getService(container, ChannelTokens.ServerChannelOptions);
    expect(serverOptions.get(ChannelOption.SO_BACKLOG as ChannelOption<unknown>)).toBe(64);
  });

  it('returns a new preconfigured Bootstrap from each call of the factory', async () => {
    const container = newContainer({ allocator: 'unpooled' });
    const newBootstrap = getService(container, ChannelTokens.BootstrapFactory);
    const a = newBootstrap();
    const b = newBootstrap();
    expect(a).not.toBe(b);
    expect(() => a.handler(new EchoHandler()).validate()).not.toThrow(); // group and channel class already set
    expect(() => a.group(getService(container, ChannelTokens.BossEventLoopGroup))).toThrow(IllegalStateException);

    const worker = getService(container, ChannelTokens.WorkerEventLoopGroup) as DefaultEventLoopGroup;
    const registered = b.handler(new EchoHandler()).register();
    await registered;
    const ch = registered.channel();
    channels.push(ch);
    expect(ch.config().getAllocator()).toBe(UnpooledByteBufAllocator.DEFAULT);
    expect(worker.loops()).toContain(ch.eventLoop());
  });

  it('returns ServerBootstraps wired to the boss and worker groups', () => {
    const container = newContainer();
    const sb = getService(container, ChannelTokens.ServerBootstrapFactory)();
    expect(sb.childGroup()).toBe(getService(container, ChannelTokens.WorkerEventLoopGroup));
    expect(() => sb.childHandler(new EchoHandler()).validate()).not.toThrow();
  });

  it('composes a TCP echo server and client from the container', async () => {
    const container = newContainer({ allocator: 'pooled', serverChannelOptions: [[ChannelOption.SO_BACKLOG, 32]] });
    const alloc = getService(container, ChannelTokens.ByteBufAllocator);
    const accepted: Channel[] = [];

    const server = (
      await getService(container, ChannelTokens.ServerBootstrapFactory)()
        .childHandler(
          initializer((ch) => {
            accepted.push(ch);
            ch.pipeline().addLast(null, new EchoHandler());
          }),
        )
        .bind('127.0.0.1', 0)
        .sync()
    ).channel();
    channels.push(server);
    expect(server.config().getOption(ChannelOption.SO_BACKLOG)).toBe(32);
    const port = (server.localAddress() as InetSocketAddress).port;
    expect(port).toBeGreaterThan(0);

    const collector = new CollectingHandler('hello, sluice');
    const client = (
      await getService(container, ChannelTokens.BootstrapFactory)()
        .handler(initializer((ch) => ch.pipeline().addLast(null, collector)))
        .connect('127.0.0.1', port)
        .sync()
    ).channel();
    channels.push(client);

    await client.writeAndFlush(Unpooled.copiedBuffer('hello, sluice', 'utf8'));
    await expect(collector.done).resolves.toBe('hello, sluice');
    expect(client.config().getAllocator()).toBe(alloc);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.config().getAllocator()).toBe(alloc);
  });

  it('shuts both groups down when the container unbinds them', async () => {
    const container = new Container();
    container.loadSync(channelModule(FAST_SHUTDOWN));
    const boss = getService(container, ChannelTokens.BossEventLoopGroup);
    const worker = getService(container, ChannelTokens.WorkerEventLoopGroup);
    expect(worker.isShuttingDown()).toBe(false);
    await container.unbindAll();
    expect(boss.isTerminated()).toBe(true);
    expect(worker.isTerminated()).toBe(true);
  });

  it('loads with the asynchronous container.load() of inversify 7 as well', async () => {
    const container = new Container();
    containers.push(container);
    await container.load(channelModule(FAST_SHUTDOWN));
    expect(typeof getService(container, ChannelTokens.BootstrapFactory)).toBe('function');
  });

  it('loads inversify only when channelModule() is first called', () => {
    let loads = 0;
    jest.isolateModules(() => {
      jest.doMock('inversify', () => {
        loads++;
        return jest.requireActual('inversify');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const di = require('../../src/di') as typeof import('../../src/di');
      expect(loads).toBe(0);
      di.channelModule();
      expect(loads).toBe(1);
    });
    jest.dontMock('inversify');
  });

  it('imports and composes in a fresh process that never loaded reflect-metadata', () => {
    const srcIndex = path.resolve(__dirname, '../../src/index.ts');
    const script = `
      const ts = require('typescript');
      const fs = require('fs');
      require.extensions['.ts'] = (m, filename) => {
        const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
          fileName: filename,
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022,
            experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true },
        });
        m._compile(outputText, filename);
      };
      const sluice = require(${JSON.stringify(srcIndex)});
      if (typeof Reflect.getMetadata === 'function') throw new Error('importing @sluice/channel loaded reflect-metadata');
      const { Container } = require('inversify');
      const container = new Container();
      container.loadSync(sluice.channelModule({ shutdownQuietPeriodMs: 0, shutdownTimeoutMs: 1000 }));
      const b = sluice.getService(container, sluice.ChannelTokens.BootstrapFactory)();
      b.handler({}).validate();
      container.unbindAll().then(() => console.log('ok'));
    `;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../../../..'), encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('ok');
  });
});
