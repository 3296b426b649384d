export { ByteBufFormat } from './ByteBufFormat';
export { isLoggingHandlerLevel, type LoggingHandlerLevel } from './LogLevel';
export { LoggingHandler, type LoggingHandlerOptions } from './LoggingHandler';
