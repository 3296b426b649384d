import type { Channel } from '../../channel/Channel';
import { SluiceError } from '../../util/SluiceError';

/**
 * Options shared by the codec errors.
 *
 * `channel` names the connection the failure happened on: pass the `Channel` (its `toString()`,
 * `[id: 0x…, L:… - R:…]`, is taken at once so the error does not keep the channel alive) or that text.
 */
export interface CodecErrorOptions {
  /** The underlying failure, when this error wraps one. */
  cause?: unknown;
  /** The channel (or its description) the failure happened on. */
  channel?: Channel | string | null;
}

/**
 * Port of io.netty.handler.codec.CodecException (Netty 4.1). Differs: the message ends with
 * ` (channel: [id: 0x…, L:… - R:…])` when the channel is known, whose description is also kept in
 * {@link CodecException.channel}; the part before it is Netty's message, so searches for Netty's text
 * still match. Code `SLUICE_CODEC`.
 *
 * Base of every encoding and decoding failure.
 *
 * ## Pitfalls
 * An error thrown by a decoder reaches the decoder's own `exceptionCaught` (and so the handlers after it);
 * one thrown by an encoder fails the write's promise instead.
 */
export class CodecException extends SluiceError {
  /** Description of the channel the failure happened on (`[id: 0x…, L:… - R:…]`), if known. */
  readonly channel: string | undefined;

  constructor(message: string | Error, options?: CodecErrorOptions & { code?: string }) {
    const cause = message instanceof Error ? message : options?.cause;
    const channel = describeChannel(options?.channel);
    const text = message instanceof Error ? causeText(message) : message;
    super(channel === undefined ? text : `${text} (channel: ${channel})`, {
      code: options?.code ?? 'SLUICE_CODEC',
      ...(cause !== undefined ? { cause } : {}),
    });
    this.channel = channel;
  }
}

/**
 * Port of io.netty.handler.codec.DecoderException (Netty 4.1). Differs: as {@link CodecException}.
 *
 * Decoding inbound data failed. A decoder wraps anything else its `decode()` throws in one of these
 * (`new DecoderException(cause)`, whose message is `<ErrorName>: <message>` of the cause, as Java's
 * `Throwable(cause)` does). Code `SLUICE_DECODER`.
 */
export class DecoderException extends CodecException {
  constructor(message: string | Error, options?: CodecErrorOptions & { code?: string }) {
    super(message, { ...options, code: options?.code ?? 'SLUICE_DECODER' });
  }
}

/**
 * Port of io.netty.handler.codec.EncoderException (Netty 4.1). Differs: as {@link CodecException}.
 *
 * Encoding an outbound message failed; the encoder fails the write's promise with it. Code
 * `SLUICE_ENCODER`.
 */
export class EncoderException extends CodecException {
  constructor(message: string | Error, options?: CodecErrorOptions & { code?: string }) {
    super(message, { ...options, code: options?.code ?? 'SLUICE_ENCODER' });
  }
}

/** Options of {@link TooLongFrameException}. */
export interface TooLongFrameOptions extends CodecErrorOptions {
  /**
   * The length of the rejected frame in bytes, as far as it is known (a `bigint` only for an 8-byte length
   * field beyond the safe integer range).
   */
  frameLength?: number | bigint;
  /** The limit the frame exceeded, in bytes. */
  maxFrameLength?: number;
}

/**
 * Port of io.netty.handler.codec.TooLongFrameException (Netty 4.1). Differs: carries the frame length and
 * the limit as fields, and the channel as {@link CodecException} does.
 *
 * A frame is longer than the decoder's limit; its bytes were (or are being) discarded and decoding
 * continues after it. Code `SLUICE_TOO_LONG_FRAME`.
 *
 * ## Pitfalls
 * A huge length usually means the framing is wrong (offset, field length, byte order, or a TLS client on
 * a plain port — Netty #13331), not that the peer really sent a huge frame.
 */
export class TooLongFrameException extends DecoderException {
  /** Length of the rejected frame, if known (see {@link TooLongFrameOptions.frameLength}). */
  readonly frameLength: number | bigint | undefined;
  /** The limit that was exceeded. */
  readonly maxFrameLength: number | undefined;

  constructor(message: string, options?: TooLongFrameOptions) {
    super(message, { ...options, code: 'SLUICE_TOO_LONG_FRAME' });
    this.frameLength = options?.frameLength;
    this.maxFrameLength = options?.maxFrameLength;
  }
}

/** Options of {@link CorruptedFrameException}. */
export interface CorruptedFrameOptions extends CodecErrorOptions {
  /** The (adjusted) frame length found, in bytes. */
  frameLength?: number;
  /** The raw value of the length field, when it is the offending value (a `bigint` beyond the safe range). */
  lengthFieldValue?: number | bigint;
}

/**
 * Port of io.netty.handler.codec.CorruptedFrameException (Netty 4.1). Differs: carries the offending value
 * as a field, and the channel as {@link CodecException} does.
 *
 * The received data violates the framing rules (a negative length, a length shorter than the header).
 * The decoder skipped the bad header and continues with the bytes after it. Code `SLUICE_CORRUPTED_FRAME`.
 */
export class CorruptedFrameException extends DecoderException {
  /** The adjusted frame length found, if that is the offending value. */
  readonly frameLength: number | undefined;
  /** The raw length-field value, if that is the offending value. */
  readonly lengthFieldValue: number | bigint | undefined;

  constructor(message: string, options?: CorruptedFrameOptions) {
    super(message, { ...options, code: 'SLUICE_CORRUPTED_FRAME' });
    this.frameLength = options?.frameLength;
    this.lengthFieldValue = options?.lengthFieldValue;
  }
}

function describeChannel(channel: Channel | string | null | undefined): string | undefined {
  if (channel === null || channel === undefined) return undefined;
  return typeof channel === 'string' ? channel : String(channel);
}

function causeText(cause: Error): string {
  return cause.message === '' ? cause.name : `${cause.name}: ${cause.message}`;
}

/**
 * The simple class name of `obj` for messages (Netty's `StringUtil.simpleClassName`); an anonymous class
 * is named after its nearest named ancestor.
 * @internal
 */
export function simpleClassName(obj: object): string {
  let proto = Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null;
  while (proto !== null) {
    const name = proto.constructor?.name;
    if (typeof name === 'string' && name !== '') return name;
    proto = Object.getPrototypeOf(proto) as { constructor?: { name?: string } } | null;
  }
  return 'Object';
}
