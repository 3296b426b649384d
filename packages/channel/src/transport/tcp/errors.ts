import { ChannelException, ChannelIOException } from '../../channel/errors';
import type { SocketAddress } from '../../channel/SocketAddress';

/** Where a transport error happened: the channel's description and both ends, when known. */
export interface TransportErrorContext {
  /** The channel's `toString()`, e.g. `[id: 0x1a2b3c4d, L:127.0.0.1:50000 - R:127.0.0.1:8080]`. */
  channel: string;
  localAddress: SocketAddress | null;
  remoteAddress: SocketAddress | null;
  /** The Node error code (`ECONNRESET`, `EPIPE`, …), if any. */
  errno?: string | undefined;
  cause?: unknown;
}

/**
 * An I/O error of a TCP connection (Java's IOException as Netty surfaces it in `exceptionCaught`). The
 * message names the channel with its local and remote address; `errno` is Node's code.
 */
export class TransportIOException extends ChannelIOException {
  readonly localAddress: SocketAddress | null;
  readonly remoteAddress: SocketAddress | null;
  readonly errno: string | undefined;

  constructor(message: string, context: TransportErrorContext, code = 'SLUICE_CHANNEL_IO') {
    super(message, { cause: context.cause, code });
    this.localAddress = context.localAddress;
    this.remoteAddress = context.remoteAddress;
    this.errno = context.errno;
  }
}

/**
 * The peer reset the connection (`ECONNRESET`, `EPIPE`, `ECONNABORTED`): Java's "Connection reset by peer".
 */
export class ConnectionResetException extends TransportIOException {
  constructor(message: string, context: TransportErrorContext) {
    super(message, context, 'SLUICE_CONNECTION_RESET');
  }
}

/**
 * A write after `shutdownOutput()` (Netty's ChannelOutputShutdownException): the output side is closed,
 * only reading is still possible.
 */
export class ChannelOutputShutdownException extends ChannelIOException {
  constructor(message: string) {
    super(message, { code: 'SLUICE_OUTPUT_SHUTDOWN' });
  }
}

/** A server channel could not listen on its address (Java's BindException), e.g. `EADDRINUSE`. */
export class BindException extends ChannelIOException {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'SLUICE_BIND' });
  }
}

/**
 * A message of a type the transport cannot write (Netty's UnsupportedMessageTypeException): a byte
 * transport takes `ByteBuf`s only — add an encoder in front of it.
 */
export class UnsupportedMessageTypeException extends ChannelException {
  constructor(message: string) {
    super(message, { code: 'SLUICE_UNSUPPORTED_MESSAGE_TYPE' });
  }
}

/** A short, printable type name of `msg` for error messages. */
export function describeType(msg: unknown): string {
  if (msg === null) return 'null';
  if (typeof msg !== 'object') return typeof msg;
  const ctor = (msg as { constructor?: { name?: unknown } }).constructor;
  return ctor !== undefined && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Wraps a Node socket error into the transport family: {@link ConnectionResetException} for resets,
 * {@link TransportIOException} otherwise. The message names the operation, the errno and the channel.
 */
export function toTransportException(err: Error, context: Omit<TransportErrorContext, 'cause' | 'errno'>): TransportIOException {
  if (err instanceof TransportIOException) return err;
  const errno = (err as NodeJS.ErrnoException).code;
  const full: TransportErrorContext = { ...context, errno, cause: err };
  if (errno !== undefined && RESET_CODES.has(errno)) {
    return new ConnectionResetException(`Connection reset by peer (${errno}) on ${context.channel}`, full);
  }
  return new TransportIOException(`I/O error${errno !== undefined ? ` (${errno})` : ''} on ${context.channel}: ${err.message}`, full);
}
