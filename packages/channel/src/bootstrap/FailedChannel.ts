import { AbstractChannel, type TransportCallback } from '../channel/AbstractChannel';
import { DefaultChannelConfig } from '../channel/ChannelConfig';
import { ChannelMetadata } from '../channel/ChannelMetadata';
import type { ChannelOutboundBuffer } from '../channel/ChannelOutboundBuffer';
import type { SocketAddress } from '../channel/SocketAddress';
import type { EventLoop } from '../concurrent/EventLoop';
import { UnsupportedOperationException } from '../util/SluiceError';

const METADATA = new ChannelMetadata(false);

/**
 * Port of io.netty.bootstrap.FailedChannel (Netty 4.1), same role: stands in for a channel whose factory
 * threw, so that the bootstrap can still return a failed ChannelFuture with a `channel()`. Never open,
 * never active, never registered.
 */
export class FailedChannel extends AbstractChannel {
  private readonly cfg = new DefaultChannelConfig(this);

  constructor() {
    super(null);
  }

  config(): DefaultChannelConfig {
    return this.cfg;
  }
  metadata(): ChannelMetadata {
    return METADATA;
  }
  isOpen(): boolean {
    return false;
  }
  isActive(): boolean {
    return false;
  }
  /** @internal */
  isCompatible(_loop: EventLoop): boolean {
    return false;
  }
  /** @internal */
  localAddress0(): SocketAddress | null {
    return null;
  }
  /** @internal */
  remoteAddress0(): SocketAddress | null {
    return null;
  }
  /** @internal */
  doBind(_localAddress: SocketAddress, _done: TransportCallback): void {
    throw new UnsupportedOperationException('FailedChannel');
  }
  /** @internal */
  doDisconnect(): void {}
  /** @internal */
  doClose(): void {}
  /** @internal */
  doBeginRead(): void {}
  /** @internal */
  doWrite(_buffer: ChannelOutboundBuffer): void {}
}
