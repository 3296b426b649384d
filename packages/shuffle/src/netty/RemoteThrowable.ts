import { SluiceError } from '@sluice/channel';
import { PartitionNotFoundException } from '../partition/errors';

/** Where a {@link RemoteThrowable} was decoded from. */
export type RemoteThrowableFormat = 'sluice' | 'java';

/** Options of {@link RemoteThrowable}. */
export interface RemoteThrowableOptions {
  /** The remote error's own cause, decoded the same way. */
  cause?: RemoteThrowable;
  /** The remote error's `code` (Sluice errors only), or `null`. */
  remoteCode?: string | null;
  /** The remote stack trace as text, or `null` if it was not sent. */
  remoteStack?: string | null;
  /** The encoding it came in (default `'sluice'`). */
  format?: RemoteThrowableFormat;
}

/**
 * Sluice's stand-in for the Throwable that Flink deserializes from an ErrorResponse. Differs from Flink:
 * Flink recreates the remote exception's own class by Java deserialization; Sluice cannot (no class
 * loading, and the peer may be a Java process), so the remote error becomes this class carrying the
 * remote class name, message, code and stack as data (docs/protocol.md, "ErrorResponse").
 *
 * `message` is the remote message (empty when the remote error had none); {@link className} names the
 * remote class — a Sluice error's `name` (e.g. `PartitionNotFoundException`) or a Java class's fully
 * qualified name (e.g. `org.apache.flink.runtime.io.network.partition.PartitionNotFoundException`).
 *
 * ## Threading
 * Immutable; any thread.
 *
 * @example
 * if (isPartitionNotFound(errorResponse.cause)) inputChannel.onFailedPartitionRequest();
 */
export class RemoteThrowable extends SluiceError {
  /** The remote error's class name. */
  readonly className: string;
  /** The remote message, or `null` if the remote error had none (Java's `getMessage() == null`). */
  readonly remoteMessage: string | null;
  /** The remote error's `code` (a Sluice peer's `SluiceError.code`), or `null`. */
  readonly remoteCode: string | null;
  /** The remote stack trace text, or `null`. */
  readonly remoteStack: string | null;
  /** The encoding the error arrived in. */
  readonly format: RemoteThrowableFormat;

  constructor(className: string, remoteMessage: string | null, options: RemoteThrowableOptions = {}) {
    super(remoteMessage ?? '', { code: 'SLUICE_REMOTE_THROWABLE', ...(options.cause !== undefined ? { cause: options.cause } : {}) });
    this.className = className;
    this.remoteMessage = remoteMessage;
    this.remoteCode = options.remoteCode ?? null;
    this.remoteStack = options.remoteStack ?? null;
    this.format = options.format ?? 'sluice';
  }

  /** The simple class name (after the last `.` or `$`). */
  simpleClassName(): string {
    const i = Math.max(this.className.lastIndexOf('.'), this.className.lastIndexOf('$'));
    return i < 0 ? this.className : this.className.slice(i + 1);
  }

  override toString(): string {
    return this.remoteMessage === null ? `${this.className} (remote)` : `${this.className} (remote): ${this.remoteMessage}`;
  }
}

/**
 * True if `err` says the requested partition does not exist (yet) at the producer: our own
 * {@link PartitionNotFoundException}, or a {@link RemoteThrowable} whose class name ends with
 * `PartitionNotFoundException` (Sluice's and Flink's). The client retriggers the partition request with
 * back-off for these (reference §3.3).
 */
export function isPartitionNotFound(err: unknown): boolean {
  if (err instanceof PartitionNotFoundException) return true;
  return err instanceof RemoteThrowable && err.className.endsWith('PartitionNotFoundException');
}
