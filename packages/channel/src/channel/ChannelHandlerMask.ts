import type { ChannelHandler } from './ChannelHandler';

/**
 * Port of io.netty.channel.ChannelHandlerMask (Netty 4.1 bit values): which event methods a handler
 * implements. Computed once per handler class and cached, so dispatch walks straight to the next handler
 * that has the method.
 *
 * A method counts as implemented unless it is absent or marked with {@link markSkip} (the adapters mark
 * their pass-through methods; an override in a subclass is a new function and so counts again).
 */
export const MASK_EXCEPTION_CAUGHT = 1;
export const MASK_CHANNEL_REGISTERED = 1 << 1;
export const MASK_CHANNEL_UNREGISTERED = 1 << 2;
export const MASK_CHANNEL_ACTIVE = 1 << 3;
export const MASK_CHANNEL_INACTIVE = 1 << 4;
export const MASK_CHANNEL_READ = 1 << 5;
export const MASK_CHANNEL_READ_COMPLETE = 1 << 6;
export const MASK_USER_EVENT_TRIGGERED = 1 << 7;
export const MASK_CHANNEL_WRITABILITY_CHANGED = 1 << 8;
export const MASK_BIND = 1 << 9;
export const MASK_CONNECT = 1 << 10;
export const MASK_DISCONNECT = 1 << 11;
export const MASK_CLOSE = 1 << 12;
export const MASK_DEREGISTER = 1 << 13;
export const MASK_READ = 1 << 14;
export const MASK_WRITE = 1 << 15;
export const MASK_FLUSH = 1 << 16;

/** 510: every inbound bit except exceptionCaught. */
export const MASK_ONLY_INBOUND =
  MASK_CHANNEL_REGISTERED | MASK_CHANNEL_UNREGISTERED | MASK_CHANNEL_ACTIVE | MASK_CHANNEL_INACTIVE |
  MASK_CHANNEL_READ | MASK_CHANNEL_READ_COMPLETE | MASK_USER_EVENT_TRIGGERED | MASK_CHANNEL_WRITABILITY_CHANGED;
export const MASK_ALL_INBOUND = MASK_EXCEPTION_CAUGHT | MASK_ONLY_INBOUND;
/** 130560: every outbound bit except exceptionCaught. */
export const MASK_ONLY_OUTBOUND =
  MASK_BIND | MASK_CONNECT | MASK_DISCONNECT | MASK_CLOSE | MASK_DEREGISTER | MASK_READ | MASK_WRITE | MASK_FLUSH;
export const MASK_ALL_OUTBOUND = MASK_EXCEPTION_CAUGHT | MASK_ONLY_OUTBOUND;

const METHOD_BITS: ReadonlyArray<readonly [string, number]> = [
  ['exceptionCaught', MASK_EXCEPTION_CAUGHT],
  ['channelRegistered', MASK_CHANNEL_REGISTERED],
  ['channelUnregistered', MASK_CHANNEL_UNREGISTERED],
  ['channelActive', MASK_CHANNEL_ACTIVE],
  ['channelInactive', MASK_CHANNEL_INACTIVE],
  ['channelRead', MASK_CHANNEL_READ],
  ['channelReadComplete', MASK_CHANNEL_READ_COMPLETE],
  ['userEventTriggered', MASK_USER_EVENT_TRIGGERED],
  ['channelWritabilityChanged', MASK_CHANNEL_WRITABILITY_CHANGED],
  ['bind', MASK_BIND],
  ['connect', MASK_CONNECT],
  ['disconnect', MASK_DISCONNECT],
  ['close', MASK_CLOSE],
  ['deregister', MASK_DEREGISTER],
  ['read', MASK_READ],
  ['write', MASK_WRITE],
  ['flush', MASK_FLUSH],
];

const SKIP = Symbol.for('@sluice/channel:Skip');
const cache = new WeakMap<object, number>();

/** Netty's `@Skip`: marks methods of `prototype` as pass-through, so the pipeline never calls them. */
export function markSkip(prototype: object, ...methods: string[]): void {
  for (const name of methods) {
    const fn = (prototype as Record<string, unknown>)[name];
    if (typeof fn === 'function') Object.defineProperty(fn, SKIP, { value: true });
  }
}

/** The execution mask of `handler`, cached per class. */
export function mask(handler: ChannelHandler): number {
  const proto = Object.getPrototypeOf(handler) as object | null;
  // Plain object literals share Object.prototype: their methods are own properties, so never cache them.
  const cacheable = proto !== null && proto !== Object.prototype && Object.keys(handler).every((k) => !isEventMethod(k));
  if (cacheable) {
    const cached = cache.get(proto);
    if (cached !== undefined) return cached;
  }
  let m = 0;
  // A class's mask comes from its prototype chain (Netty computes it per class), so per-instance
  // patching cannot change it; object literals are read as they are.
  const h = (cacheable ? proto : handler) as unknown as Record<string, unknown>;
  for (const [name, bit] of METHOD_BITS) {
    const fn = h[name];
    if (typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[SKIP] !== true) m |= bit;
  }
  if (cacheable) cache.set(proto, m);
  return m;
}

function isEventMethod(key: string): boolean {
  for (const [name] of METHOD_BITS) if (name === key) return true;
  return false;
}
