import { ChannelException } from '../../channel/errors';

/**
 * Port of io.netty.handler.timeout.TimeoutException (Netty 4.1): base of the errors the timeout handlers
 * raise. Differs: renamed, because `TimeoutException` is already the name of the concurrent package's
 * port of java.util.concurrent.TimeoutException (a wait that took too long), which is unrelated.
 *
 * `instanceof ChannelTimeoutException` matches both {@link ReadTimeoutException} and
 * {@link WriteTimeoutException}.
 */
export class ChannelTimeoutException extends ChannelException {
  constructor(
    message: string,
    /** The channel the timeout happened on, as `Channel.toString()` printed it. */
    readonly channel: string,
    /** The timeout that elapsed, in milliseconds. */
    readonly timeoutMs: number,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, { code: 'SLUICE_CHANNEL_TIMEOUT', ...options });
  }
}

/**
 * Port of io.netty.handler.timeout.ReadTimeoutException (Netty 4.1): no inbound data was read within the
 * timeout of a `ReadTimeoutHandler`. Differs: a new instance per timeout that names the channel and the
 * timeout (Netty reuses one stack-less singleton).
 */
export class ReadTimeoutException extends ChannelTimeoutException {
  constructor(channel: string, timeoutMs: number) {
    super(
      `No inbound data was read for ${timeoutMs} ms on ${channel}; closing the channel. ` +
        'If the peer is legitimately quiet for that long, raise the ReadTimeoutHandler timeout or have it send heartbeats.',
      channel,
      timeoutMs,
      { code: 'SLUICE_READ_TIMEOUT' },
    );
  }
}

/**
 * Port of io.netty.handler.timeout.WriteTimeoutException (Netty 4.1): a write did not complete within the
 * timeout of a `WriteTimeoutHandler`. Differs: a new instance per timeout that names the channel and the
 * timeout (Netty reuses one stack-less singleton).
 */
export class WriteTimeoutException extends ChannelTimeoutException {
  constructor(channel: string, timeoutMs: number) {
    super(
      `A write did not complete within ${timeoutMs} ms on ${channel}; closing the channel. ` +
        'The peer is not reading fast enough: raise the WriteTimeoutHandler timeout or stop writing while the channel is not writable.',
      channel,
      timeoutMs,
      { code: 'SLUICE_WRITE_TIMEOUT' },
    );
  }
}
