import { SluiceError } from '../util/SluiceError';

/** A generic channel failure (Netty's ChannelException). */
export class ChannelException extends SluiceError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, { code: 'SLUICE_CHANNEL', ...options });
  }
}

/**
 * An operation on a closed channel (Java's ClosedChannelException). `cause` carries the reason the
 * channel was closed, when known.
 */
export class ClosedChannelException extends ChannelException {
  constructor(message = 'channel is closed', options?: { cause?: unknown }) {
    super(message, { ...options, code: 'SLUICE_CLOSED_CHANNEL' });
  }
}

/** A flush on a channel that is open but not yet connected (Java's NotYetConnectedException). */
export class NotYetConnectedException extends ChannelException {
  constructor(message = 'channel is not yet connected') {
    super(message, { code: 'SLUICE_NOT_YET_CONNECTED' });
  }
}

/** A handler could not be added, removed or initialised (Netty's ChannelPipelineException). */
export class ChannelPipelineException extends ChannelException {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'SLUICE_CHANNEL_PIPELINE' });
  }
}

/** A connect attempt did not complete within CONNECT_TIMEOUT_MILLIS (Netty's ConnectTimeoutException). */
export class ConnectTimeoutException extends ChannelException {
  constructor(message: string) {
    super(message, { code: 'SLUICE_CONNECT_TIMEOUT' });
  }
}

/** A connect attempt failed; the message names the remote address (Java's ConnectException). */
export class ConnectException extends ChannelException {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'SLUICE_CONNECT' });
  }
}

/** An I/O error of a transport, naming the channel (Java's IOException). */
export class ChannelIOException extends ChannelException {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, { code: 'SLUICE_CHANNEL_IO', ...options });
  }
}
