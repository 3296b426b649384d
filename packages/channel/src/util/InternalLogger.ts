/**
 * The logging seam of Sluice (Netty's InternalLogger). The core never imports a logging library: it logs
 * through this interface, and an application plugs in pino, winston or its own sink with
 * {@link InternalLoggerFactory.setDefaultFactory}.
 *
 * The default sink writes to `console` for levels at or above `SLUICE_LOG_LEVEL` (default `warn`).
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface InternalLogger {
  readonly name: string;
  isEnabled(level: LogLevel): boolean;
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

const LEVELS: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, silent: 5 };

function parseLevel(value: string | undefined): LogLevel {
  const v = (value ?? '').toLowerCase();
  return v in LEVELS ? (v as LogLevel) : 'warn';
}

class ConsoleLogger implements InternalLogger {
  constructor(readonly name: string, private readonly threshold: () => LogLevel) {}

  isEnabled(level: LogLevel): boolean {
    return LEVELS[level] >= LEVELS[this.threshold()] && level !== 'silent';
  }

  private log(level: LogLevel, message: string, args: unknown[]): void {
    if (!this.isEnabled(level)) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase()} [${this.name}] ${message}`;
    const sink = level === 'error' ? console.error : level === 'warn' ? console.warn : console.log;
    sink(line, ...args);
  }

  trace(message: string, ...args: unknown[]): void { this.log('trace', message, args); }
  debug(message: string, ...args: unknown[]): void { this.log('debug', message, args); }
  info(message: string, ...args: unknown[]): void { this.log('info', message, args); }
  warn(message: string, ...args: unknown[]): void { this.log('warn', message, args); }
  error(message: string, ...args: unknown[]): void { this.log('error', message, args); }
}

export type LoggerFactory = (name: string) => InternalLogger;

let level: LogLevel = parseLevel(process.env.SLUICE_LOG_LEVEL);
let factory: LoggerFactory = (name) => new ConsoleLogger(name, () => level);

/**
 * Creates loggers. Loggers are looked up once per class (module scope), so replace the factory before
 * the classes you want to observe are first used, or use {@link InternalLoggerFactory.setLevel} for the
 * default console sink.
 */
export const InternalLoggerFactory = {
  getInstance(name: string): InternalLogger {
    // Indirection so that a factory installed later still receives the calls of loggers made earlier.
    return new DelegatingLogger(name);
  },
  /** The factory in use (Netty's getDefaultFactory), e.g. to restore it after a test replaced it. */
  getDefaultFactory(): LoggerFactory {
    return factory;
  },
  setDefaultFactory(newFactory: LoggerFactory): void {
    factory = newFactory;
    delegates.clear();
  },
  /** Threshold of the default console sink. */
  setLevel(newLevel: LogLevel): void {
    level = newLevel;
  },
};

const delegates = new Map<string, InternalLogger>();
function delegate(name: string): InternalLogger {
  let logger = delegates.get(name);
  if (logger === undefined) {
    logger = factory(name);
    delegates.set(name, logger);
  }
  return logger;
}

class DelegatingLogger implements InternalLogger {
  constructor(readonly name: string) {}
  isEnabled(l: LogLevel): boolean { return delegate(this.name).isEnabled(l); }
  trace(m: string, ...a: unknown[]): void { delegate(this.name).trace(m, ...a); }
  debug(m: string, ...a: unknown[]): void { delegate(this.name).debug(m, ...a); }
  info(m: string, ...a: unknown[]): void { delegate(this.name).info(m, ...a); }
  warn(m: string, ...a: unknown[]): void { delegate(this.name).warn(m, ...a); }
  error(m: string, ...a: unknown[]): void { delegate(this.name).error(m, ...a); }
}
