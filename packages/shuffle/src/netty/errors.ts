import { SluiceError } from '@sluice/channel';

/**
 * Port of org.apache.flink.runtime.io.network.netty.exception.TransportException (Flink 1.20). Differs:
 * the address is the text `host:port` (Node has no InetSocketAddress); not an IOException subclass.
 *
 * A failure of the TCP connection that carries a set of input channels. Every channel of that
 * connection receives it. {@link address} names the other side of the connection.
 */
export class TransportException extends SluiceError {
  /** The remote address (`host:port`) of the connection, or `'unknown'`. */
  readonly address: string;

  constructor(message: string, address: string, options?: { cause?: unknown; code?: string }) {
    super(message, { code: 'SLUICE_TRANSPORT', ...options });
    this.address = address;
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.netty.exception.RemoteTransportException (Flink 1.20).
 *
 * The failure happened on, or was reported by, the remote side: an ErrorResponse arrived, or the peer
 * closed or reset the connection ("the remote may have been lost").
 */
export class RemoteTransportException extends TransportException {
  constructor(message: string, address: string, options?: { cause?: unknown }) {
    super(message, address, { ...options, code: 'SLUICE_REMOTE_TRANSPORT' });
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.netty.exception.LocalTransportException (Flink 1.20).
 *
 * The failure happened on this side of the connection: a write failed, a frame could not be decoded,
 * a handler threw.
 */
export class LocalTransportException extends TransportException {
  constructor(message: string, address: string, options?: { cause?: unknown }) {
    super(message, address, { ...options, code: 'SLUICE_LOCAL_TRANSPORT' });
  }
}

/**
 * A peer broke Flink's wire protocol: wrong magic number, unknown message id, a frame length that is
 * negative or larger than allowed, a body shorter than its message needs (Flink: ProtocolException or
 * IllegalStateException "Network stream corrupted"). Fatal for the connection.
 */
export class ProtocolException extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'SLUICE_PROTOCOL' });
  }
}
