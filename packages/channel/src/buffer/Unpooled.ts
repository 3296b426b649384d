// The module's `Buffer`, not the global one: on Node 20 the global is a getter, called on every use.
import { Buffer } from 'node:buffer';
import { AbstractReferenceCountedByteBuf } from './AbstractReferenceCountedByteBuf';
import type { ByteBuf } from './ByteBuf';
import { DEFAULT_INITIAL_CAPACITY, DEFAULT_MAX_CAPACITY, DEFAULT_MAX_COMPONENTS } from './ByteBufAllocator';
import { CompositeByteBuf } from './CompositeByteBuf';
import { EmptyByteBuf } from './EmptyByteBuf';
import { UnpooledByteBufAllocator } from './UnpooledByteBufAllocator';
import { UnpooledHeapByteBuf } from './UnpooledHeapByteBuf';
import { IllegalArgumentException } from '../util/SluiceError';

const ALLOC = UnpooledByteBufAllocator.DEFAULT;

function wrapArray(array: Uint8Array): ByteBuf {
  if (array.length === 0) return Unpooled.EMPTY_BUFFER;
  return AbstractReferenceCountedByteBuf.trackLeak(new UnpooledHeapByteBuf(ALLOC, array, array.length));
}

/**
 * @internal `Unpooled.wrappedBuffer(array)` without the overload parsing (a rest array and several type
 * tests per call): transports wrap every socket read with it.
 */
export function wrappedArray(array: Uint8Array): ByteBuf {
  return wrapArray(array);
}

function wrapMany(maxNumComponents: number, parts: Array<ByteBuf | Uint8Array>): ByteBuf {
  const buffers = parts.map((p) => (p instanceof Uint8Array ? wrapArray(p) : p));
  const readable: ByteBuf[] = [];
  for (const b of buffers) {
    if (b.isReadable()) readable.push(b);
    else b.release();
  }
  if (readable.length === 0) return Unpooled.EMPTY_BUFFER;
  if (readable.length === 1) return Unpooled.wrappedBuffer(readable[0]);
  return AbstractReferenceCountedByteBuf.trackLeak(new CompositeByteBuf(ALLOC, false, maxNumComponents, ...readable));
}

/**
 * Port of io.netty.buffer.Unpooled (Netty 4.1). Differs: `wrappedBuffer` also accepts an `ArrayBuffer` or
 * `SharedArrayBuffer`, and `wrappedBuffer(array, offset, length)` wraps a zero-copy sub-view instead of
 * slicing; strings take a Node `BufferEncoding`.
 *
 * Creates unpooled buffers: new ones (`buffer`), zero-copy wrappers around existing memory
 * (`wrappedBuffer`), copies (`copiedBuffer`, `copyInt`, …) and composites. Root buffers made here are
 * tracked by the leak detector like allocator buffers.
 *
 * ## Ownership
 * Every buffer returned (except `EMPTY_BUFFER`) has a count of 1 and belongs to the caller.
 * `wrappedBuffer(byteBuf…)` takes over the references of the buffers passed in (an unreadable one is
 * released right away); wrapped arrays stay shared with their owner.
 *
 * ## Pitfalls
 * A wrapped array has `maxCapacity === length`: the buffer cannot grow, and writes go to the array.
 */
export abstract class Unpooled {
  /** A zero-capacity buffer whose `release()` does nothing; safe to share everywhere. */
  static readonly EMPTY_BUFFER: ByteBuf = new EmptyByteBuf(ALLOC);

  /** A new unpooled buffer (capacity default 256, max 2^31-1). */
  static buffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = DEFAULT_MAX_CAPACITY): ByteBuf {
    return ALLOC.heapBuffer(initialCapacity, maxCapacity);
  }

  /** Same as {@link buffer} (Sluice has no direct memory). */
  static directBuffer(initialCapacity = DEFAULT_INITIAL_CAPACITY, maxCapacity = DEFAULT_MAX_CAPACITY): ByteBuf {
    return ALLOC.heapBuffer(initialCapacity, maxCapacity);
  }

  /** Wraps `array` (or `length` bytes of it from `offset`) without copying; readable from 0 to its end. */
  static wrappedBuffer(array: Uint8Array, offset?: number, length?: number): ByteBuf;
  /** Wraps `length` bytes of `memory` from `offset` (defaults: all of it) without copying. */
  static wrappedBuffer(memory: ArrayBuffer | SharedArrayBuffer, offset?: number, length?: number): ByteBuf;
  /** `buffer.slice()` if readable (taking over its reference), else releases it and returns `EMPTY_BUFFER`. */
  static wrappedBuffer(buffer: ByteBuf): ByteBuf;
  /** A composite of the readable parts, in order (or the single readable part); takes over the references. */
  static wrappedBuffer(...parts: Array<ByteBuf | Uint8Array>): ByteBuf;
  static wrappedBuffer(...args: Array<ByteBuf | Uint8Array | ArrayBuffer | SharedArrayBuffer | number | undefined>): ByteBuf {
    const first = args[0];
    if (first instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && first instanceof SharedArrayBuffer)) {
      const offset = (args[1] as number | undefined) ?? 0;
      const length = (args[2] as number | undefined) ?? first.byteLength - offset;
      if (offset < 0 || length < 0 || offset + length > first.byteLength) {
        throw new IllegalArgumentException(`offset: ${offset}, length: ${length} (expected: range(0, ${first.byteLength}))`);
      }
      return wrapArray(Buffer.from(first, offset, length));
    }
    if (first instanceof Uint8Array && (typeof args[1] === 'number' || args.length === 1)) {
      const offset = (args[1] as number | undefined) ?? 0;
      const length = (args[2] as number | undefined) ?? first.length - offset;
      if (offset < 0 || length < 0 || offset + length > first.length) {
        throw new IllegalArgumentException(`offset: ${offset}, length: ${length} (expected: range(0, ${first.length}))`);
      }
      return wrapArray(offset === 0 && length === first.length ? first : first.subarray(offset, offset + length));
    }
    if (args.length === 1 && first !== undefined && typeof first === 'object' && !(first instanceof Uint8Array)) {
      const buffer = first as ByteBuf;
      if (buffer.isReadable()) return buffer.slice();
      buffer.release();
      return Unpooled.EMPTY_BUFFER;
    }
    return wrapMany(DEFAULT_MAX_COMPONENTS, args as Array<ByteBuf | Uint8Array>);
  }

  /** A new buffer holding a copy of the readable bytes of each `ByteBuf` / the bytes of each array, concatenated. */
  static copiedBuffer(...parts: Array<ByteBuf | Uint8Array>): ByteBuf;
  /** A new buffer holding `text` encoded with `encoding` (default utf8). */
  static copiedBuffer(text: string, encoding?: BufferEncoding): ByteBuf;
  static copiedBuffer(...args: Array<ByteBuf | Uint8Array | string | undefined>): ByteBuf {
    const first = args[0];
    if (typeof first === 'string') {
      const bytes = Buffer.from(first, (args[1] as BufferEncoding | undefined) ?? 'utf8');
      if (bytes.length === 0) return Unpooled.EMPTY_BUFFER;
      return AbstractReferenceCountedByteBuf.trackLeak(new UnpooledHeapByteBuf(ALLOC, bytes, DEFAULT_MAX_CAPACITY));
    }
    const parts = args as Array<ByteBuf | Uint8Array>;
    let total = 0;
    for (const p of parts) total += p instanceof Uint8Array ? p.length : p.readableBytes();
    if (total === 0) return Unpooled.EMPTY_BUFFER;
    const copy = ALLOC.heapBuffer(total);
    for (const p of parts) {
      if (p instanceof Uint8Array) copy.writeBytes(p);
      else copy.writeBytes(p, p.readerIndex(), p.readableBytes());
    }
    return copy;
  }

  /** An empty composite buffer (merges after `maxNumComponents`, default 16). */
  static compositeBuffer(maxNumComponents = DEFAULT_MAX_COMPONENTS): CompositeByteBuf {
    return ALLOC.compositeBuffer(maxNumComponents);
  }

  /** A read-only view of `buffer` (shares its content and reference count). */
  static unmodifiableBuffer(buffer: ByteBuf): ByteBuf {
    return buffer.asReadOnly();
  }

  /** A new buffer holding the given 32-bit values, big-endian. */
  static copyInt(...values: number[]): ByteBuf {
    return Unpooled.copyOf(values.length * 4, (b) => values.forEach((v) => b.writeInt(v)));
  }

  /** A new buffer holding the given 16-bit values, big-endian. */
  static copyShort(...values: number[]): ByteBuf {
    return Unpooled.copyOf(values.length * 2, (b) => values.forEach((v) => b.writeShort(v)));
  }

  /** A new buffer holding the given 24-bit values, big-endian. */
  static copyMedium(...values: number[]): ByteBuf {
    return Unpooled.copyOf(values.length * 3, (b) => values.forEach((v) => b.writeMedium(v)));
  }

  /** A new buffer holding the given 64-bit values, big-endian. */
  static copyLong(...values: bigint[]): ByteBuf {
    return Unpooled.copyOf(values.length * 8, (b) => values.forEach((v) => b.writeLong(v)));
  }

  /** A new buffer holding the given booleans as bytes 1/0. */
  static copyBoolean(...values: boolean[]): ByteBuf {
    return Unpooled.copyOf(values.length, (b) => values.forEach((v) => b.writeBoolean(v)));
  }

  /** A new buffer holding the given 32-bit floats, big-endian. */
  static copyFloat(...values: number[]): ByteBuf {
    return Unpooled.copyOf(values.length * 4, (b) => values.forEach((v) => b.writeFloat(v)));
  }

  /** A new buffer holding the given 64-bit doubles, big-endian. */
  static copyDouble(...values: number[]): ByteBuf {
    return Unpooled.copyOf(values.length * 8, (b) => values.forEach((v) => b.writeDouble(v)));
  }

  private static copyOf(length: number, fill: (buf: ByteBuf) => void): ByteBuf {
    if (length === 0) return Unpooled.EMPTY_BUFFER;
    const buf = ALLOC.heapBuffer(length);
    fill(buf);
    return buf;
  }
}
