import { inspect } from 'node:util';
import { ByteBuf } from '../../buffer/ByteBuf';
import { ByteBufUtil } from '../../buffer/ByteBufUtil';
import { ChannelDuplexHandler } from '../../channel/ChannelDuplexHandler';
import type { ChannelPromise } from '../../channel/ChannelFuture';
import { Sharable } from '../../channel/ChannelHandler';
import type { ChannelHandlerContext } from '../../channel/ChannelHandlerContext';
import type { SocketAddress } from '../../channel/SocketAddress';
import { type InternalLogger, InternalLoggerFactory } from '../../util/InternalLogger';
import { IllegalArgumentException } from '../../util/SluiceError';
import { ByteBufFormat } from './ByteBufFormat';
import { checkLoggingHandlerLevel, isLoggingHandlerLevel, logAt, type LoggingHandlerLevel } from './LogLevel';

const NEWLINE = '\n';

/** Options of {@link LoggingHandler}. */
export interface LoggingHandlerOptions {
  /** Name of the logger (default: the handler's class name, `LoggingHandler`). */
  name?: string;
  /** Level every line is logged at (default: `'debug'`). */
  level?: LoggingHandlerLevel;
  /** How `ByteBuf` messages are printed (default: `ByteBufFormat.HEX_DUMP`). */
  byteBufFormat?: ByteBufFormat;
}

/** A message that carries a `ByteBuf` (Netty's ByteBufHolder), recognised by its `content()` method. */
interface ByteBufHolderLike {
  content(): ByteBuf;
}

function isByteBufHolder(msg: unknown): msg is ByteBufHolderLike {
  if (typeof msg !== 'object' || msg === null) return false;
  const content = (msg as { content?: unknown }).content;
  return typeof content === 'function' && content.length === 0 && (msg as ByteBufHolderLike).content() instanceof ByteBuf;
}

/** Java's String.valueOf: the object's own `toString()`, or an inspection for plain objects. */
function stringOf(value: unknown): string {
  if (typeof value === 'object' && value !== null && (value as { toString?: unknown }).toString === Object.prototype.toString) {
    return inspect(value, { depth: 2, breakLength: Infinity });
  }
  return String(value);
}

/**
 * Port of io.netty.handler.logging.LoggingHandler (Netty 4.1). Differs: levels are `InternalLogger` level
 * strings (`'debug'`, not `LogLevel.DEBUG`); a custom logger name is given in the options object
 * (`{ name }`) because a bare string argument is a level; a message whose class has no `toString()` of its
 * own is printed with `util.inspect` rather than as `[object Object]`; lines end with `\n`.
 *
 * Logs every event and operation that passes through it, then passes it on unchanged. Each line is
 * `<channel> <EVENT>` or `<channel> <EVENT>: <argument>`, where `<channel>` is `Channel.toString()`
 * (`[id: 0x…, L:… - R:…]`) and the events are `REGISTERED`, `UNREGISTERED`, `ACTIVE`, `INACTIVE`,
 * `EXCEPTION: <cause>`, `USER_EVENT: <event>`, `BIND: <local>`, `CONNECT: <remote>[, <local>]`,
 * `DISCONNECT`, `CLOSE`, `DEREGISTER`, `READ COMPLETE`, `READ: <msg>`, `WRITE: <msg>`,
 * `WRITABILITY CHANGED` and `FLUSH`. A `ByteBuf` message prints as `READ: <n>B`, followed (in the default
 * `HEX_DUMP` format) by a newline and a pretty hex dump of its readable bytes; an empty one as
 * `READ: 0B`.
 *
 * Nothing is formatted unless the logger has the level enabled, so a disabled handler costs one
 * `isEnabled` check per event.
 *
 * ## Threading
 * Sharable: one instance may sit in any number of pipelines; it keeps no per-channel state. Each call
 * runs on the loop of the channel it logs.
 *
 * ## Ownership
 * Messages pass through untouched; the handler neither retains nor releases them, and reads bytes only
 * through absolute indices (the reader index does not move).
 *
 * ## Pitfalls
 * A hex dump of every buffer is expensive: keep the level disabled in production, or use
 * `ByteBufFormat.SIMPLE`.
 *
 * @example
 * InternalLoggerFactory.setLevel('debug');
 * serverBootstrap.handler(new LoggingHandler('info')).childHandler(initializer);
 */
@Sharable
export class LoggingHandler extends ChannelDuplexHandler {
  /** The logger every line goes to. */
  protected readonly logger: InternalLogger;
  private readonly logLevel: LoggingHandlerLevel;
  private readonly format0: ByteBufFormat;

  constructor(options?: LoggingHandlerOptions);
  constructor(level: LoggingHandlerLevel, byteBufFormat?: ByteBufFormat);
  constructor(byteBufFormat: ByteBufFormat);
  constructor(first?: LoggingHandlerOptions | LoggingHandlerLevel | ByteBufFormat, second?: ByteBufFormat) {
    super();
    let options: LoggingHandlerOptions;
    if (first === undefined) options = {};
    else if (typeof first === 'object' && first !== null) options = first;
    else if (first === ByteBufFormat.HEX_DUMP || first === ByteBufFormat.SIMPLE) options = { byteBufFormat: first };
    else if (isLoggingHandlerLevel(first)) options = second === undefined ? { level: first } : { level: first, byteBufFormat: second };
    else {
      throw new IllegalArgumentException(
        `LoggingHandler argument: ${String(first)} (expected: a level such as 'debug', a ByteBufFormat, or an options object; ` +
          'give a logger name as { name })',
      );
    }
    this.logLevel = checkLoggingHandlerLevel(options.level ?? 'debug');
    const format = options.byteBufFormat ?? ByteBufFormat.HEX_DUMP;
    if (format !== ByteBufFormat.HEX_DUMP && format !== ByteBufFormat.SIMPLE) {
      throw new IllegalArgumentException(`byteBufFormat: ${String(format)} (expected: 'HEX_DUMP' or 'SIMPLE')`);
    }
    this.format0 = format;
    const name = options.name ?? this.constructor.name;
    if (typeof name !== 'string' || name.length === 0) {
      throw new IllegalArgumentException(`name: ${String(name)} (expected: a non-empty logger name)`);
    }
    this.logger = InternalLoggerFactory.getInstance(name);
  }

  /** The level every line is logged at. */
  level(): LoggingHandlerLevel {
    return this.logLevel;
  }

  /** How `ByteBuf` messages are printed. */
  byteBufFormat(): ByteBufFormat {
    return this.format0;
  }

  override channelRegistered(ctx: ChannelHandlerContext): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'REGISTERED'));
    ctx.fireChannelRegistered();
  }

  override channelUnregistered(ctx: ChannelHandlerContext): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'UNREGISTERED'));
    ctx.fireChannelUnregistered();
  }

  override channelActive(ctx: ChannelHandlerContext): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'ACTIVE'));
    ctx.fireChannelActive();
  }

  override channelInactive(ctx: ChannelHandlerContext): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'INACTIVE'));
    ctx.fireChannelInactive();
  }

  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'EXCEPTION', cause), cause);
    ctx.fireExceptionCaught(cause);
  }

  override userEventTriggered(ctx: ChannelHandlerContext, evt: unknown): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'USER_EVENT', evt));
    ctx.fireUserEventTriggered(evt);
  }

  override bind(ctx: ChannelHandlerContext, localAddress: SocketAddress, promise: ChannelPromise): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'BIND', localAddress));
    ctx.bind(localAddress, promise);
  }

  override connect(
    ctx: ChannelHandlerContext,
    remoteAddress: SocketAddress,
    localAddress: SocketAddress | null,
    promise: ChannelPromise,
  ): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'CONNECT', remoteAddress, localAddress));
    ctx.connect(remoteAddress, localAddress, promise);
  }

  override disconnect(ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'DISCONNECT'));
    ctx.disconnect(promise);
  }

  override close(ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'CLOSE'));
    ctx.close(promise);
  }

  override deregister(ctx: ChannelHandlerContext, promise: ChannelPromise): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'DEREGISTER'));
    ctx.deregister(promise);
  }

  override channelReadComplete(ctx: ChannelHandlerContext): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'READ COMPLETE'));
    ctx.fireChannelReadComplete();
  }

  override channelRead(ctx: ChannelHandlerContext, msg: unknown): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'READ', msg));
    ctx.fireChannelRead(msg);
  }

  override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'WRITE', msg));
    ctx.write(msg, promise);
  }

  override channelWritabilityChanged(ctx: ChannelHandlerContext): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'WRITABILITY CHANGED'));
    ctx.fireChannelWritabilityChanged();
  }

  override flush(ctx: ChannelHandlerContext): void {
    if (this.logger.isEnabled(this.logLevel)) this.log(this.format(ctx, 'FLUSH'));
    ctx.flush();
  }

  /**
   * Formats one line: `<channel> <eventName>` without arguments; with one, `<channel> <eventName>: <arg>`
   * (buffers as described in the class comment); with two, `<channel> <eventName>: <arg1>, <arg2>` — or as
   * with one when the second is null or undefined. Override to change the format.
   */
  protected format(ctx: ChannelHandlerContext, eventName: string, ...args: unknown[]): string {
    const chStr = String(ctx.channel());
    if (args.length === 0) return `${chStr} ${eventName}`;
    const arg = args[0];
    if (args.length >= 2 && args[1] !== null && args[1] !== undefined) {
      return `${chStr} ${eventName}: ${stringOf(arg)}, ${stringOf(args[1])}`;
    }
    if (arg instanceof ByteBuf) return this.formatByteBuf(chStr, eventName, arg);
    if (isByteBufHolder(arg)) return this.formatByteBufHolder(chStr, eventName, arg);
    return `${chStr} ${eventName}: ${stringOf(arg)}`;
  }

  private formatByteBuf(chStr: string, eventName: string, msg: ByteBuf): string {
    const length = msg.readableBytes();
    if (length === 0) return `${chStr} ${eventName}: 0B`;
    const head = `${chStr} ${eventName}: ${length}B`;
    return this.format0 === ByteBufFormat.HEX_DUMP ? head + NEWLINE + ByteBufUtil.prettyHexDump(msg) : head;
  }

  private formatByteBufHolder(chStr: string, eventName: string, msg: ByteBufHolderLike): string {
    const msgStr = stringOf(msg);
    const content = msg.content();
    const length = content.readableBytes();
    // Netty prints the empty case with a comma after the event name; kept for grep-compatibility.
    if (length === 0) return `${chStr} ${eventName}, ${msgStr}, 0B`;
    const head = `${chStr} ${eventName}: ${msgStr}, ${length}B`;
    return this.format0 === ByteBufFormat.HEX_DUMP ? head + NEWLINE + ByteBufUtil.prettyHexDump(content) : head;
  }

  private log(message: string, ...args: unknown[]): void {
    logAt(this.logger, this.logLevel, message, ...args);
  }
}
