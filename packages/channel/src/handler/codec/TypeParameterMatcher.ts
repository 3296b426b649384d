/**
 * What a codec accepts: a type guard, or a class whose instances are accepted (`instanceof`).
 *
 * Stands in for Java's generic type parameter, which Netty resolves by reflection
 * (io.netty.util.internal.TypeParameterMatcher); TypeScript erases generics, so the codec is told.
 */
export type MessageMatcher<I> = ((msg: unknown) => msg is I) | (abstract new (...args: never[]) => I);

/**
 * Port of io.netty.util.internal.TypeParameterMatcher (Netty 4.1), reduced to what the codecs need: turns
 * a {@link MessageMatcher} into a type guard. Differs: built from an explicit class or predicate instead
 * of the reflected type parameter.
 *
 * @internal
 */
export function typeParameterMatcher<I>(accept: MessageMatcher<I>): (msg: unknown) => msg is I {
  if (isClass(accept)) {
    const type = accept;
    return (msg: unknown): msg is I => msg instanceof type;
  }
  return accept;
}

/** A guard that accepts every message (the inner codecs of the message codecs). @internal */
export function acceptAll(_msg: unknown): _msg is unknown {
  return true;
}

function isClass<I>(f: MessageMatcher<I>): f is abstract new (...args: never[]) => I {
  return typeof f === 'function' && f.prototype !== undefined && /^class[\s{]/.test(Function.prototype.toString.call(f));
}
