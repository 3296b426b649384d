import type { Socket } from 'node:net';
import type { ByteBuf } from '../../buffer/ByteBuf';
import type { ByteBufAllocator } from '../../buffer/ByteBufAllocator';
import type { ChannelOutboundBuffer } from '../../channel/ChannelOutboundBuffer';

/** Buffers with fewer readable bytes than this are copied together instead of written one by one. */
export const COALESCE_THRESHOLD = 1024;
/** Capacity of a coalescing buffer at most (bytes); a longer run of small buffers uses several. */
export const MAX_COALESCE_CAPACITY = 64 * 1024;
const MIN_COALESCE_CAPACITY = 1024;

/** @internal What a write batch needs from its channel. */
export interface WriteBatchOwner {
  alloc(): ByteBufAllocator;
  /** Called from Node's write callback (outside the loop): the owner enters its loop and completes. */
  onBatchDone(batch: TcpWriteBatch): void;
}

/**
 * @internal One flush's worth of outbound entries handed to the socket together, completed by a single
 * Node write callback. Holds the coalescing buffers it allocated, released when Node is done with them.
 *
 * ## Ownership
 * The entries (and so the messages) stay in the ChannelOutboundBuffer; the channel `remove()`s `count`
 * of them when the batch completes. The coalescing buffers belong to the batch.
 */
export class TcpWriteBatch {
  /** Error Node reported for the batch, or null. */
  error: Error | null = null;
  /** Node's write callback for the last chunk of the batch (one closure per flush, none per message). */
  readonly done: (err?: Error | null) => void;

  constructor(
    owner: WriteBatchOwner,
    /** Outbound entries this batch completes. */
    readonly count: number,
    /** The channel's write epoch when the batch was handed over (stale after a close). */
    readonly epoch: number,
    private scratch: ByteBuf | ByteBuf[] | null,
  ) {
    this.done = (err) => {
      this.error = err ?? null;
      owner.onBatchDone(this);
    };
  }

  /** Releases the coalescing buffers (once). */
  releaseScratch(): void {
    const s = this.scratch;
    if (s === null) return;
    this.scratch = null;
    if (Array.isArray(s)) for (const b of s) b.release();
    else s.release();
  }
}

// State of the batch being built. Writing happens synchronously on the one JavaScript thread, so module
// state is safe and saves an allocation per flush.
let heldView: Buffer | null = null;
let handedOver = 0;
let batchSocket: Socket | null = null;
// The coalescing buffer being filled, written through its backing array (no ByteBuf call per copy).
let scratch: ByteBuf | null = null;
let scratchArray: Uint8Array = new Uint8Array(0);
let scratchBase = 0;
let scratchPos = 0;
let scratchEnd = 0;

/**
 * Hands the flushed-but-unsent messages of `buffer` to `socket` as one batch: cork, one `write` per
 * view, uncork — Node turns that into a single `writev`. Runs of small buffers are copied into pooled
 * coalescing buffers; large ones go out as views (no copy). Returns the batch, or null when every message
 * was empty (those entries are removed at once).
 */
export function writeFlushed(owner: WriteBatchOwner, buffer: ChannelOutboundBuffer, socket: Socket, epoch: number): TcpWriteBatch | null {
  let count = 0;
  let scratches: ByteBuf | ByteBuf[] | null = null;
  let heldSmall: ByteBuf | null = null;
  heldView = null;
  handedOver = 0;
  batchSocket = socket;
  scratch = null;
  try {
    while (buffer.hasUnsent()) {
      const buf = buffer.nextUnsent() as ByteBuf;
      count++;
      const n = buf.readableBytes();
      if (n === 0) continue;
      if (n < COALESCE_THRESHOLD) {
        if (scratch !== null && scratchEnd - scratchPos >= n) {
          append(buf, n);
          continue;
        }
        if (scratch === null && heldSmall === null) {
          // A lone small buffer is written as it is; copy only from the second one of a run.
          heldSmall = buf;
          continue;
        }
        if (scratch !== null) emitScratch();
        const first = heldSmall === null ? 0 : heldSmall.readableBytes();
        const s = owner.alloc().ioBuffer(coalesceCapacity(buffer, first + n));
        scratches = scratches === null ? s : Array.isArray(scratches) ? (scratches.push(s), scratches) : [scratches, s];
        openScratch(s);
        if (heldSmall !== null) {
          append(heldSmall, first);
          heldSmall = null;
        }
        append(buf, n);
        continue;
      }
      if (heldSmall !== null) {
        emit(heldSmall);
        heldSmall = null;
      }
      if (scratch !== null) emitScratch();
      emit(buf);
    }
    if (heldSmall !== null) emit(heldSmall);
    if (scratch !== null) emitScratch();
  } catch (err) {
    // Copying failed (allocation): nothing in `scratches` reaches the socket's callback, release here.
    if (scratches !== null) new TcpWriteBatch(owner, 0, epoch, scratches).releaseScratch();
    if (handedOver > 0) socket.uncork();
    heldView = null;
    batchSocket = null;
    scratch = null;
    throw err;
  }
  const last = heldView;
  const corked = handedOver > 0;
  heldView = null;
  batchSocket = null;
  if (last === null) {
    // Only empty buffers: nothing for Node to do.
    for (let i = 0; i < count; i++) buffer.remove();
    return null;
  }
  const batch = new TcpWriteBatch(owner, count, epoch, scratches);
  socket.write(last, batch.done);
  if (corked) socket.uncork();
  return batch;
}

function openScratch(s: ByteBuf): void {
  scratch = s;
  if (s.hasArray()) {
    scratchArray = s.array();
    scratchBase = s.arrayOffset();
    scratchPos = scratchBase + s.writerIndex();
    scratchEnd = scratchBase + s.capacity();
  } else {
    // Not array-backed: copy through the ByteBuf API instead (scratchArray unused).
    scratchArray = EMPTY;
    scratchBase = -1;
    scratchPos = s.writerIndex();
    scratchEnd = s.capacity();
  }
}

const EMPTY = new Uint8Array(0);

/** Copies the readable bytes of `buf` (n) to the coalescing buffer. */
function append(buf: ByteBuf, n: number): void {
  if (scratchBase >= 0 && buf.hasArray()) {
    copySmall(buf.array(), buf.arrayOffset() + buf.readerIndex(), scratchArray, scratchPos, n);
  } else {
    const s = scratch!;
    s.writerIndex(scratchBase >= 0 ? scratchPos - scratchBase : scratchPos);
    s.writeBytes(buf, buf.readerIndex(), n);
  }
  scratchPos += n;
}

/** Writes the coalescing buffer's bytes so far and closes it. */
function emitScratch(): void {
  const s = scratch!;
  s.writerIndex(scratchBase >= 0 ? scratchPos - scratchBase : scratchPos);
  scratch = null;
  emitView(s.nioBuffer());
}

/**
 * A copy tuned for small runs: a byte loop for a few bytes (no allocation), `TypedArray.set` from a plain
 * `Uint8Array` view otherwise (cheaper to create than a `Buffer` subarray).
 */
function copySmall(src: Uint8Array, srcPos: number, dst: Uint8Array, dstPos: number, n: number): void {
  if (n <= 16) {
    for (let i = 0; i < n; i++) dst[dstPos + i] = src[srcPos + i]!;
    return;
  }
  dst.set(new Uint8Array(src.buffer, src.byteOffset + srcPos, n), dstPos);
}

/** Queues the views of `buf`; each view is written once the next one is known, so the last gets the callback. */
function emit(buf: ByteBuf): void {
  if (buf.nioBufferCount() === 1) {
    emitView(buf.nioBuffer());
    return;
  }
  const views = buf.nioBuffers();
  for (let i = 0; i < views.length; i++) if (views[i]!.length > 0) emitView(views[i]!);
}

function emitView(view: Buffer): void {
  const held = heldView;
  if (held !== null) {
    const socket = batchSocket!;
    if (handedOver++ === 0) socket.cork();
    socket.write(held);
  }
  heldView = view;
}

/** Sized from the pending bytes (an upper bound of what is left to copy), within 1 KiB..64 KiB. */
function coalesceCapacity(buffer: ChannelOutboundBuffer, atLeast: number): number {
  const hint = Math.min(MAX_COALESCE_CAPACITY, Math.max(MIN_COALESCE_CAPACITY, buffer.totalPendingWriteBytes()));
  return Math.max(atLeast, hint);
}
