/**
 * Shared set-up of the Sluice variants: a ServerBootstrap or Bootstrap on one DefaultEventLoopGroup,
 * with the same socket parameters as the raw scripts (TCP_NODELAY, water marks from the benchmark's
 * `writeHighWaterMark`). The leak detector stays at its production default (SIMPLE, sampled).
 */
import {
  Bootstrap,
  ChannelInitializer,
  ChannelOption,
  DefaultEventLoopGroup,
  ServerBootstrap,
  TcpServerSocketChannel,
  TcpSocketChannel,
  WriteBufferWaterMark,
  type Channel,
} from '@sluice/channel';
import type { Worker } from '../../harness/worker';

export const group = new DefaultEventLoopGroup(1);

function initializer(init: (ch: Channel) => void): ChannelInitializer {
  return new (class extends ChannelInitializer {
    protected initChannel(ch: Channel): void {
      init(ch);
    }
  })();
}

/** Binds a server on the worker's host, port 0, and reports the port to the harness. */
export function serve(worker: Worker, init: (ch: Channel) => void, highWaterMark?: number): void {
  const b = new ServerBootstrap().group(group).channel(TcpServerSocketChannel).childHandler(initializer(init));
  if (highWaterMark !== undefined) b.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(highWaterMark >> 1, highWaterMark));
  const f = b.bind(worker.config.host, 0);
  f.addListener(() => {
    if (!f.isSuccess()) {
      worker.fail(f.cause()!);
      return;
    }
    const address = f.channel().localAddress() as unknown as { port: number };
    worker.ready(address.port);
  });
  worker.onStop(() => {
    void f.channel().close();
    void group.shutdownGracefully(0, 100);
  });
}

/** Connects to the worker's peer. */
export function connectTo(worker: Worker, init: (ch: Channel) => void, highWaterMark?: number): Channel {
  const b = new Bootstrap().group(group).channel(TcpSocketChannel).handler(initializer(init));
  if (highWaterMark !== undefined) b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(highWaterMark >> 1, highWaterMark));
  const f = b.connect(worker.config.host, worker.config.port);
  f.addListener(() => {
    if (!f.isSuccess()) worker.fail(f.cause()!);
  });
  worker.onStop(() => {
    void f.channel().close();
    void group.shutdownGracefully(0, 100);
  });
  return f.channel();
}
