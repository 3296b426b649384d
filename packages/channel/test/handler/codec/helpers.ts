import { ByteBuf } from '../../../src/buffer/ByteBuf';
import { ReferenceCountUtil } from '../../../src/buffer/ReferenceCountUtil';
import { Unpooled } from '../../../src/buffer/Unpooled';
import type { EmbeddedChannel } from '../../../src/transport/embedded/EmbeddedChannel';

/** A new unpooled buffer holding `bytes` (numbers, strings as latin1, or arrays). */
export function buf(...parts: (number | string | Uint8Array | number[])[]): ByteBuf {
  const bytes = concat(parts);
  const b = Unpooled.buffer(Math.max(bytes.length, 1));
  b.writeBytes(bytes);
  return b;
}

/** Concatenates numbers, latin1 strings and arrays into one byte array. */
export function concat(parts: (number | string | Uint8Array | number[])[]): Uint8Array {
  const chunks: Uint8Array[] = parts.map((p) =>
    typeof p === 'number' ? Uint8Array.of(p) : typeof p === 'string' ? Buffer.from(p, 'latin1') : Uint8Array.from(p),
  );
  return Buffer.concat(chunks);
}

/** The readable bytes of `b` (indices unchanged). */
export function bytesOf(b: ByteBuf): number[] {
  const out = new Uint8Array(b.readableBytes());
  b.getBytes(b.readerIndex(), out, 0, out.length);
  return Array.from(out);
}

/** The readable bytes of `b` as a latin1 string (indices unchanged). */
export function text(b: ByteBuf): string {
  return Buffer.from(bytesOf(b)).toString('latin1');
}

/** Reads the next inbound ByteBuf, returns its bytes and releases it; fails if there is none. */
export function takeInbound(ch: EmbeddedChannel): number[] {
  const m = ch.readInbound<unknown>();
  if (!(m instanceof ByteBuf)) throw new Error(`expected a ByteBuf, got ${String(m)}`);
  try {
    return bytesOf(m);
  } finally {
    m.release();
  }
}

/** Like {@link takeInbound}, as a latin1 string. */
export function takeInboundText(ch: EmbeddedChannel): string {
  return Buffer.from(takeInbound(ch)).toString('latin1');
}

/** Reads every inbound message; ByteBufs are turned into byte arrays and released. */
export function drainInbound(ch: EmbeddedChannel): unknown[] {
  const out: unknown[] = [];
  for (;;) {
    const m = ch.readInbound<unknown>();
    if (m === null) return out;
    if (m instanceof ByteBuf) {
      out.push(bytesOf(m));
      m.release();
    } else {
      out.push(m);
    }
  }
}

/** Reads every outbound ByteBuf and concatenates their bytes (releasing them). */
export function drainOutboundBytes(ch: EmbeddedChannel): Uint8Array {
  const parts: Uint8Array[] = [];
  for (;;) {
    const m = ch.readOutbound<unknown>();
    if (m === null) return Buffer.concat(parts);
    if (!(m instanceof ByteBuf)) {
      ReferenceCountUtil.release(m);
      throw new Error(`expected a ByteBuf, got ${String(m)}`);
    }
    parts.push(Uint8Array.from(bytesOf(m)));
    m.release();
  }
}

/** Splits `data` at the given cut points (sorted, deduplicated, clipped to the data). */
export function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(data.length, c))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    if (p > start) chunks.push(data.subarray(start, p));
    start = Math.max(start, p);
  }
  if (start < data.length) chunks.push(data.subarray(start));
  return chunks;
}

/** Calls `fn` and returns what it threw (failing if it did not throw). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception');
}
