/**
 * Port of io.netty.handler.timeout.IdleState (Netty 4.1): which kind of inactivity an
 * {@link IdleStateEvent} reports. Differs: a frozen object of string constants instead of a Java enum,
 * so values print readably and compare with `===`.
 *
 * @example
 * if (evt instanceof IdleStateEvent && evt.state() === IdleState.READER_IDLE) ctx.close();
 */
export const IdleState = Object.freeze({
  /** No data was received for a while. */
  READER_IDLE: 'READER_IDLE',
  /** No data was sent for a while. */
  WRITER_IDLE: 'WRITER_IDLE',
  /** No data was either received or sent for a while. */
  ALL_IDLE: 'ALL_IDLE',
} as const);

/** One of {@link IdleState}'s values. */
export type IdleState = (typeof IdleState)[keyof typeof IdleState];
