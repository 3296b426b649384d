import type { InternalLogger, LogLevel } from '../../util/InternalLogger';
import { IllegalArgumentException } from '../../util/SluiceError';

/**
 * Port of io.netty.handler.logging.LogLevel (Netty 4.1): the level a `LoggingHandler` logs at. Differs:
 * not an enum but the level strings of Sluice's logging seam (`InternalLogger`'s `LogLevel` without
 * `'silent'`), so no `toInternalLevel()` conversion is needed — write `'info'` where Netty writes
 * `LogLevel.INFO`.
 */
export type LoggingHandlerLevel = Exclude<LogLevel, 'silent'>;

const LEVELS: ReadonlySet<string> = new Set<LoggingHandlerLevel>(['trace', 'debug', 'info', 'warn', 'error']);

/** Whether `value` is a level a `LoggingHandler` can log at. */
export function isLoggingHandlerLevel(value: unknown): value is LoggingHandlerLevel {
  return typeof value === 'string' && LEVELS.has(value);
}

/** @internal Throws IllegalArgumentException unless `value` is a {@link LoggingHandlerLevel}. */
export function checkLoggingHandlerLevel(value: unknown): LoggingHandlerLevel {
  if (!isLoggingHandlerLevel(value)) {
    throw new IllegalArgumentException(`level: ${String(value)} (expected: 'trace', 'debug', 'info', 'warn' or 'error')`);
  }
  return value;
}

/**
 * @internal Logs `message` (and extra arguments, such as the cause of an exception) through the method of
 * `logger` that matches `level` — Netty's `InternalLogger.log(InternalLogLevel, …)`.
 */
export function logAt(logger: InternalLogger, level: LoggingHandlerLevel, message: string, ...args: unknown[]): void {
  switch (level) {
    case 'trace':
      logger.trace(message, ...args);
      break;
    case 'debug':
      logger.debug(message, ...args);
      break;
    case 'info':
      logger.info(message, ...args);
      break;
    case 'warn':
      logger.warn(message, ...args);
      break;
    case 'error':
      logger.error(message, ...args);
      break;
  }
}
