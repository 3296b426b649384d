/**
 * Port of io.netty.handler.logging.ByteBufFormat (Netty 4.1): how a `LoggingHandler` prints a `ByteBuf`
 * message. Differs: a frozen object of string constants instead of a Java enum.
 */
export const ByteBufFormat = Object.freeze({
  /** Only the number of readable bytes: `READ: 5B`. */
  SIMPLE: 'SIMPLE',
  /** The number of readable bytes, then a newline and a pretty hex dump of them (the default). */
  HEX_DUMP: 'HEX_DUMP',
} as const);

/** One of {@link ByteBufFormat}'s values. */
export type ByteBufFormat = (typeof ByteBufFormat)[keyof typeof ByteBufFormat];
