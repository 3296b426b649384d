// The pipelines NettyProtocol builds take NettyConfig's frame limit: a frame announcing more closes the
// connection at its length, on the server and on both kinds of client (the error itself: decoder tests).
import { describe, expect, it } from '@jest/globals';
import { IllegalStateException, Unpooled, type ChannelHandler } from '@sluice/channel';
import { EmbeddedChannel } from '@sluice/channel/testing';
import { NettyConfig } from '../../src/netty/NettyConfig';
import { NettyProtocol } from '../../src/netty/NettyProtocol';

const provider = {
  createSubpartitionView: (): never => {
    throw new IllegalStateException('no partition request is sent in these tests');
  },
};

/**
 * Whether the pipeline closes its connection on a frame header announcing `frameLength` bytes. Only the
 * header is sent: the body never comes, so only a check at the length can close it.
 */
function closesOn(handlers: ChannelHandler[], frameLength: number): boolean {
  const channel = new EmbeddedChannel(...handlers);
  channel.writeInbound(Unpooled.buffer(9).writeInt(frameLength).writeInt(0xbadc0ffe | 0).writeByte(0));
  channel.runPendingTasks();
  const closed = !channel.isOpen();
  channel.finishAndReleaseAll();
  return closed;
}

describe('NettyProtocol', () => {
  const config = new NettyConfig({ segmentSize: 1024, maxFrameLength: 4096 });

  it.each([
    ['the server', (p: NettyProtocol) => p.getServerChannelHandlers()],
    ['the credit-based client', (p: NettyProtocol) => p.getClientChannelHandlers()],
  ])("gives %s's decoder NettyConfig's maxFrameLength", (_side, handlers) => {
    const protocol = new NettyProtocol(provider, null, true, config.maxFrameLength);
    expect(closesOn(handlers(protocol), 4096)).toBe(false);
    expect(closesOn(handlers(protocol), 4097)).toBe(true);
  });

  it("gives the push-mode client's decoder NettyConfig's maxFrameLength", () => {
    const protocol = new NettyProtocol(provider, null, false, config.maxFrameLength);
    expect(closesOn(protocol.getClientChannelHandlers(), 4096)).toBe(false);
    expect(closesOn(protocol.getClientChannelHandlers(), 4097)).toBe(true);
  });

  it('defaults to 64 MiB, as NettyConfig does', () => {
    const protocol = new NettyProtocol(provider, null);
    expect(closesOn(protocol.getServerChannelHandlers(), 64 * 1024 * 1024)).toBe(false);
    expect(closesOn(protocol.getServerChannelHandlers(), 64 * 1024 * 1024 + 1)).toBe(true);
  });
});
