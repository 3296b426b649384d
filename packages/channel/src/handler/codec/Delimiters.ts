/**
 * Port of io.netty.handler.codec.Delimiters (Netty 4.1): ready-made delimiters for
 * {@link DelimiterBasedFrameDecoder}. Differs: returns byte arrays instead of ByteBufs — a delimiter is
 * constant data, and a ByteBuf would be reference-counted memory that nobody releases (Netty leaves its
 * wrapped arrays to the garbage collector; Sluice's leak detector would report them).
 *
 * ## Ownership
 * Each call returns new arrays; the decoder copies them, so they may be reused or changed afterwards.
 *
 * @example
 * pipeline.addLast(new DelimiterBasedFrameDecoder(8192, Delimiters.lineDelimiter()));
 */
export const Delimiters = {
  /** The NUL (0x00) delimiter, for Flash XML sockets and the like. */
  nulDelimiter(): Uint8Array[] {
    return [Uint8Array.of(0)];
  },

  /** `\r\n` and `\n`, for text protocols; the decoder then works exactly like LineBasedFrameDecoder. */
  lineDelimiter(): Uint8Array[] {
    return [Uint8Array.of(0x0d, 0x0a), Uint8Array.of(0x0a)];
  },
} as const;
