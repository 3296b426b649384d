// The module's `Buffer`, not the global one: on Node 20 the global is a getter, called on every use.
import { Buffer } from 'node:buffer';
import type { ByteBuf } from './ByteBuf';
import type { ByteBufAllocator } from './ByteBufAllocator';
import { IllegalArgumentException, IndexOutOfBoundsException } from '../util/SluiceError';

// This module must stay a leaf at run time (type-only imports of buffer classes): AbstractByteBuf
// imports it, so importing a buffer class here would create a CommonJS cycle.

const NEWLINE = '\n';
const HEX = '0123456789abcdef';
/** ` xx` for every byte value: each hex byte of a pretty dump is preceded by a space. */
const BYTE2HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => ' ' + HEX[i >>> 4] + HEX[i & 15]);
/** The ASCII column: printable characters as themselves, everything else as `.`. */
const BYTE2CHAR: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i <= 0x1f || i >= 0x7f ? '.' : String.fromCharCode(i),
);
const HEADER =
  '         +-------------------------------------------------+' + NEWLINE +
  '         |  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f |' + NEWLINE +
  '+--------+-------------------------------------------------+----------------+';
const FOOTER = NEWLINE + '+--------+-------------------------------------------------+----------------+';

/** Below this many bytes a JS loop beats creating `Buffer` views for a native compare. */
const NATIVE_COMPARE_THRESHOLD = 32;

function rowPrefix(rowOffset: number): string {
  return NEWLINE + '|' + (rowOffset >>> 0).toString(16).padStart(8, '0') + '|';
}

function singleView(buf: ByteBuf, index: number, length: number): Buffer | null {
  return buf.nioBufferCount() === 1 ? buf.nioBuffer(index, length) : null;
}

/** Whether `length` bytes of `a` at `aStart` equal those of `b` at `bStart` (bounds are the caller's). */
function equalRegions(a: ByteBuf, aStart: number, b: ByteBuf, bStart: number, length: number): boolean {
  if (length >= NATIVE_COMPARE_THRESHOLD) {
    const va = singleView(a, aStart, length);
    const vb = va === null ? null : singleView(b, bStart, length);
    if (va !== null && vb !== null) return va.equals(vb);
  }
  for (let i = 0; i < length; i++) {
    if (a.getUnsignedByte(aStart + i) !== b.getUnsignedByte(bStart + i)) return false;
  }
  return true;
}

/** `a.equals(b)`: same readable length and bytes. */
export function equalBuffers(a: ByteBuf, b: ByteBuf): boolean {
  const length = a.readableBytes();
  if (length !== b.readableBytes()) return false;
  return equalRegions(a, a.readerIndex(), b, b.readerIndex(), length);
}

/** `a.compareTo(b)`: unsigned lexicographic order of the readable bytes, then length. */
export function compareBuffers(a: ByteBuf, b: ByteBuf): number {
  if (a === b) return 0;
  const aLen = a.readableBytes();
  const bLen = b.readableBytes();
  const min = Math.min(aLen, bLen);
  const aStart = a.readerIndex();
  const bStart = b.readerIndex();
  if (min >= NATIVE_COMPARE_THRESHOLD) {
    const va = singleView(a, aStart, min);
    const vb = va === null ? null : singleView(b, bStart, min);
    if (va !== null && vb !== null) {
      const c = Buffer.compare(va, vb);
      if (c !== 0) return c;
      return aLen - bLen;
    }
  }
  for (let i = 0; i < min; i++) {
    const d = a.getUnsignedByte(aStart + i) - b.getUnsignedByte(bStart + i);
    if (d !== 0) return d;
  }
  return aLen - bLen;
}

function hexOfArray(array: Uint8Array, fromIndex: number, length: number): string {
  if (fromIndex < 0 || length < 0 || fromIndex + length > array.length) {
    throw new IndexOutOfBoundsException(`fromIndex: ${fromIndex}, length: ${length} (expected: range(0, ${array.length}))`);
  }
  return Buffer.from(array.buffer, array.byteOffset + fromIndex, length).toString('hex');
}

/**
 * Port of io.netty.buffer.ByteBufUtil (Netty 4.1): hex dumps, comparisons and string helpers that work
 * on any {@link ByteBuf}. Differs: only the helpers useful in Node are ported; strings take a Node
 * `BufferEncoding` instead of a `Charset`.
 *
 * ## Ownership
 * Nothing here retains or releases its arguments; helpers that allocate (`encodeString`, `readBytes`)
 * return a new buffer the caller releases.
 *
 * @example
 * ByteBufUtil.hexDump(Unpooled.wrappedBuffer(Buffer.from([0x78, 0x56]))); // '7856'
 */
export abstract class ByteBufUtil {
  /** Lowercase hex of the readable bytes of `buf` (or of `[fromIndex, fromIndex + length)`). */
  static hexDump(buf: ByteBuf | Uint8Array, fromIndex?: number, length?: number): string {
    if (buf instanceof Uint8Array) return hexOfArray(buf, fromIndex ?? 0, length ?? buf.length - (fromIndex ?? 0));
    if (fromIndex === undefined) return buf.toString(buf.readerIndex(), buf.readableBytes(), 'hex');
    return buf.toString(fromIndex, length ?? buf.writerIndex() - fromIndex, 'hex');
  }

  /**
   * Netty's bordered dump (LoggingHandler's format): a header with column indices `0 … f`, then per 16
   * bytes an 8-digit hex offset (relative to `offset`), the bytes in hex and an ASCII column where
   * non-printable bytes show as `.`. Returns `''` for an empty range.
   */
  static prettyHexDump(buf: ByteBuf, offset?: number, length?: number): string {
    const start = offset ?? buf.readerIndex();
    const len = length ?? (offset === undefined ? buf.readableBytes() : buf.writerIndex() - start);
    if (len === 0) return '';
    if (start < 0 || len < 0 || start + len > buf.capacity()) {
      throw new IndexOutOfBoundsException(`offset: ${start}, length: ${len} (expected: range(0, ${buf.capacity()}))`);
    }
    const fullRows = len >>> 4;
    const remainder = len & 15;
    let dump = HEADER;
    for (let row = 0; row < fullRows; row++) {
      const rowStart = start + (row << 4);
      let hex = '';
      let ascii = '';
      for (let j = rowStart; j < rowStart + 16; j++) {
        const b = buf.getUnsignedByte(j);
        hex += BYTE2HEX[b];
        ascii += BYTE2CHAR[b];
      }
      dump += rowPrefix(row << 4) + hex + ' |' + ascii + '|';
    }
    if (remainder !== 0) {
      const rowStart = start + (fullRows << 4);
      let hex = '';
      let ascii = '';
      for (let j = rowStart; j < rowStart + remainder; j++) {
        const b = buf.getUnsignedByte(j);
        hex += BYTE2HEX[b];
        ascii += BYTE2CHAR[b];
      }
      dump +=
        rowPrefix(fullRows << 4) + hex + '   '.repeat(16 - remainder) + ' |' + ascii + ' '.repeat(16 - remainder) + '|';
    }
    return dump + FOOTER;
  }

  /** True if both readable regions are equal; with indices, compares `length` bytes at the given starts. */
  static equals(a: ByteBuf, b: ByteBuf): boolean;
  static equals(a: ByteBuf, aStartIndex: number, b: ByteBuf, bStartIndex: number, length: number): boolean;
  static equals(a: ByteBuf, x: ByteBuf | number, b?: ByteBuf, bStart?: number, length?: number): boolean {
    if (typeof x !== 'number') return equalBuffers(a, x);
    const other = b as ByteBuf;
    const len = length as number;
    const bIndex = bStart as number;
    if (x < 0 || bIndex < 0 || len < 0) {
      throw new IllegalArgumentException(`All indexes and lengths must be non-negative (aStartIndex: ${x}, bStartIndex: ${bIndex}, length: ${len})`);
    }
    if (a.writerIndex() - len < x || other.writerIndex() - len < bIndex) return false;
    return equalRegions(a, x, other, bIndex, len);
  }

  /** Unsigned lexicographic comparison of the readable regions, then by length. */
  static compare(a: ByteBuf, b: ByteBuf): number {
    return compareBuffers(a, b);
  }

  /** Index in `haystack` (absolute) of the first occurrence of `needle`'s readable bytes, or -1. */
  static indexOf(needle: ByteBuf, haystack: ByteBuf): number {
    const n = needle.readableBytes();
    const start = haystack.readerIndex();
    const end = haystack.writerIndex();
    if (n === 0) return start;
    const nv = singleView(needle, needle.readerIndex(), n);
    const hv = singleView(haystack, start, end - start);
    if (nv !== null && hv !== null) {
      const i = hv.indexOf(nv);
      return i < 0 ? -1 : start + i;
    }
    for (let i = start; i <= end - n; i++) {
      if (equalRegions(haystack, i, needle, needle.readerIndex(), n)) return i;
    }
    return -1;
  }

  /** A copy of the readable bytes (or of `[start, start + length)`) as a new `Uint8Array`. */
  static getBytes(buf: ByteBuf, start?: number, length?: number): Uint8Array {
    const from = start ?? buf.readerIndex();
    const len = length ?? (start === undefined ? buf.readableBytes() : buf.writerIndex() - from);
    const out = new Uint8Array(len);
    buf.getBytes(from, out, 0, len);
    return out;
  }

  /** Encodes `seq` as UTF-8 at the writer index (growing); returns the number of bytes written. */
  static writeUtf8(buf: ByteBuf, seq: string): number {
    return buf.writeCharSequence(seq, 'utf8');
  }

  /** Encodes `seq` as ASCII/Latin-1 (one byte per UTF-16 unit); returns the number of bytes written. */
  static writeAscii(buf: ByteBuf, seq: string): number {
    return buf.writeCharSequence(seq, 'latin1');
  }

  /** Exact UTF-8 length of `seq` in bytes. */
  static utf8Bytes(seq: string): number {
    return Buffer.byteLength(seq, 'utf8');
  }

  /** Upper bound of the UTF-8 length of `seq` (3 bytes per UTF-16 unit). */
  static utf8MaxBytes(seq: string | number): number {
    return (typeof seq === 'number' ? seq : seq.length) * 3;
  }

  /** A new buffer from `alloc` holding `seq` encoded with `encoding` (plus `extraCapacity` spare bytes). */
  static encodeString(alloc: ByteBufAllocator, seq: string, encoding: BufferEncoding = 'utf8', extraCapacity = 0): ByteBuf {
    const length = Buffer.byteLength(seq, encoding);
    const buf = alloc.buffer(length + extraCapacity);
    try {
      buf.writeCharSequence(seq, encoding);
      return buf;
    } catch (err) {
      buf.release();
      throw err;
    }
  }

  /** Decodes `length` bytes at `index` with `encoding`. */
  static decodeString(buf: ByteBuf, index: number, length: number, encoding: BufferEncoding = 'utf8'): string {
    return buf.getCharSequence(index, length, encoding);
  }

  /** Reads `length` bytes of `buf` into a new buffer from `alloc`; the caller releases it. */
  static readBytes(alloc: ByteBufAllocator, buf: ByteBuf, length: number): ByteBuf {
    const out = alloc.buffer(length);
    try {
      buf.readBytes(out, length);
      return out;
    } catch (err) {
      out.release();
      throw err;
    }
  }

  /** Java's `Integer.hashCode`-style hash of the readable bytes (stable, for hash maps keyed by content). */
  static hashCode(buf: ByteBuf): number {
    let hash = 1;
    for (let i = buf.readerIndex(), end = buf.writerIndex(); i < end; i++) hash = (31 * hash + buf.getByte(i)) | 0;
    return hash;
  }

  /** Byte-swaps a 16-bit value. */
  static swapShort(value: number): number {
    return (((value & 0xff) << 24) >> 16) | ((value >>> 8) & 0xff);
  }

  /** Byte-swaps a 24-bit value (result is signed, as `getMedium`). */
  static swapMedium(value: number): number {
    const swapped = ((value << 16) & 0xff0000) | (value & 0xff00) | ((value >>> 16) & 0xff);
    return (swapped << 8) >> 8;
  }

  /** Byte-swaps a 32-bit value. */
  static swapInt(value: number): number {
    return ((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | ((value >>> 24) & 0xff);
  }

  /** Byte-swaps a 64-bit value. */
  static swapLong(value: bigint): bigint {
    const v = BigInt.asUintN(64, value);
    let out = 0n;
    for (let i = 0n; i < 64n; i += 8n) out = (out << 8n) | ((v >> i) & 0xffn);
    return BigInt.asIntN(64, out);
  }
}
