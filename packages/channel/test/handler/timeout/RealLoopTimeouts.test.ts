import { afterEach, describe, expect, it } from '@jest/globals';
import { Bootstrap } from '../../../src/bootstrap/Bootstrap';
import { ChannelInitializer } from '../../../src/bootstrap/ChannelInitializer';
import { ServerBootstrap } from '../../../src/bootstrap/ServerBootstrap';
import type { Channel } from '../../../src/channel/Channel';
import type { ChannelHandler, ChannelInboundHandler } from '../../../src/channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../../src/channel/ChannelHandlerContext';
import { DefaultEventLoopGroup } from '../../../src/concurrent/DefaultEventLoopGroup';
import { ReadTimeoutException } from '../../../src/handler/timeout/errors';
import { IdleStateEvent } from '../../../src/handler/timeout/IdleStateEvent';
import { IdleStateHandler } from '../../../src/handler/timeout/IdleStateHandler';
import { ReadTimeoutHandler } from '../../../src/handler/timeout/ReadTimeoutHandler';
import { LocalAddress } from '../../../src/transport/local/LocalAddress';
import { LocalChannel } from '../../../src/transport/local/LocalChannel';
import { LocalServerChannel } from '../../../src/transport/local/LocalServerChannel';

// The timeout handlers on a real DefaultEventLoop: performance.now() as the clock, Node timers as the
// scheduler (everything else in this folder runs on EmbeddedChannel's virtual clock).

let group: DefaultEventLoopGroup;
const channels: Channel[] = [];
let nextAddress = 0;

afterEach(async () => {
  for (const ch of channels.splice(0)) await ch.close();
  await group.shutdownGracefully(0, 1000);
});

function initializer(...handlers: (() => ChannelHandler)[]): ChannelInitializer {
  return new (class extends ChannelInitializer {
    protected initChannel(ch: Channel): void {
      for (const h of handlers) ch.pipeline().addLast(null, h());
    }
  })();
}

/** A connected local client whose pipeline holds `clientHandlers`; the server side only listens. */
async function connect(...clientHandlers: (() => ChannelHandler)[]): Promise<Channel> {
  group = new DefaultEventLoopGroup();
  const address = new LocalAddress(`timeout-test-${process.pid}-${nextAddress++}`);
  const server = (await new ServerBootstrap().group(group).channel(LocalServerChannel).childHandler(initializer()).bind(address).sync()).channel();
  channels.push(server);
  const client = (await new Bootstrap().group(group).channel(LocalChannel).handler(initializer(...clientHandlers)).connect(address).sync()).channel();
  channels.push(client);
  return client;
}

describe('timeout handlers on a real event loop', () => {
  it('fires FIRST_READER_IDLE after the reader idle time has passed', async () => {
    let resolve!: (elapsed: number) => void;
    const fired = new Promise<number>((r) => (resolve = r));
    const start = performance.now();
    await connect(
      () => new IdleStateHandler(50, 0, 0),
      (): ChannelInboundHandler => ({
        userEventTriggered(_ctx: ChannelHandlerContext, evt: unknown): void {
          if (evt === IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT) resolve(performance.now() - start);
        },
      }),
    );
    const elapsed = await fired;
    expect(elapsed).toBeGreaterThanOrEqual(49);
    expect(elapsed).toBeLessThan(5000);
  });

  it('closes a silent channel with ReadTimeoutException', async () => {
    const errors: Error[] = [];
    const client = await connect(
      () => new ReadTimeoutHandler(30),
      (): ChannelInboundHandler => ({
        exceptionCaught(_ctx: ChannelHandlerContext, cause: Error): void {
          errors.push(cause);
        },
      }),
    );
    await client.closeFuture();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ReadTimeoutException);
  });
});
