// The module's `Buffer`, not the global one: on Node 20 the global is a getter, called on every use.
import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import type { ByteBuf } from '../../buffer/ByteBuf';
import type { ChannelOutboundBuffer } from '../../channel/ChannelOutboundBuffer';

/** Buffers with fewer readable bytes than this are copied together instead of written one by one. */
export const COALESCE_THRESHOLD = 1024;
/** Size of a staging buffer (bytes); a longer run of small buffers continues in a fresh one. */
export const MAX_COALESCE_CAPACITY = 64 * 1024;

/** @internal What a write batch needs from its channel. */
export interface WriteBatchOwner {
  /** Called from Node's write callback (outside the loop): the owner enters its loop and completes. */
  onBatchDone(batch: TcpWriteBatch): void;
}

/**
 * @internal Memory that runs of small buffers are copied into before they go to the socket: one `Buffer`
 * shared by every channel of this thread, reused from its start whenever Node holds none of its bytes.
 *
 * A batch whose bytes Node could not write at once (the socket's `writableLength` is not 0 after the
 * batch) *pins* the staging buffers it used until its write callback. While the current one is pinned,
 * later batches carry on behind the pinned bytes; when it is full they switch to a fresh one, and the old
 * one is left to the garbage collector once Node let go of it (Node keeps a written `Buffer` alive until
 * its write completed). So steady traffic that the kernel accepts synchronously — the common case — copies
 * into the same memory every flush and allocates nothing for coalescing.
 *
 * This replaced a pooled coalescing buffer allocated per flush and released in the write callback: in
 * the profile of a request/response echo of 64-byte frames, that allocation (PooledByteBuf, arena, leak
 * sampling), its release and its `Buffer` view were ~40% of writeFlushed's time (Node 20 here).
 */
class Staging {
  declare readonly memory: Buffer;
  declare readonly view: DataView;
  /** Batches whose bytes here Node has not written yet. */
  declare pins: number;

  constructor(size: number) {
    this.memory = Buffer.allocUnsafeSlow(size);
    this.view = new DataView(this.memory.buffer, this.memory.byteOffset, size);
    this.pins = 0;
  }
}

/**
 * @internal One flush's worth of outbound entries handed to the socket together, completed by a single
 * Node write callback. Pins the staging buffers it copied into while Node may still read them.
 *
 * ## Ownership
 * The entries (and so the messages) stay in the ChannelOutboundBuffer; the channel `remove()`s `count`
 * of them when the batch completes.
 */
export class TcpWriteBatch {
  // Declared and assigned in the constructor, not class fields or parameter properties, which V8 defines
  // one by one per construction (see buffer/AbstractByteBuf.ts); a batch is made per flush.
  /** Outbound entries this batch completes. */
  declare readonly count: number;
  /** The channel's write epoch when the batch was handed over (stale after a close). */
  declare readonly epoch: number;
  /** Staging buffers this batch pinned (see {@link Staging}), or null. */
  declare private pinned: Staging | Staging[] | null;
  /** Error Node reported for the batch, or null. */
  declare error: Error | null;
  /** Node's write callback for the last chunk of the batch (one closure per flush, none per message). */
  declare readonly done: (err?: Error | null) => void;
  /**
   * True if the kernel took every byte inside `socket.write` (the socket's `writableLength` was 0 right
   * after the batch): nothing of the batch's memory is needed any more, though Node's callback follows.
   */
  declare acceptedByKernel: boolean;
  /** True if the channel completed the batch's entries already (see TcpSocketChannel.doWrite). */
  declare completedEarly: boolean;

  constructor(owner: WriteBatchOwner, count: number, epoch: number) {
    this.count = count;
    this.epoch = epoch;
    this.pinned = null;
    this.error = null;
    this.acceptedByKernel = false;
    this.completedEarly = false;
    this.done = (err) => {
      this.error = err ?? null;
      owner.onBatchDone(this);
    };
  }

  /** @internal Keeps `used` from being reused until {@link releaseScratch}. */
  pin(used: Staging | Staging[]): void {
    this.pinned = used;
    if (Array.isArray(used)) for (const s of used) s.pins++;
    else used.pins++;
  }

  /** Unpins the staging buffers (once): Node is done with this batch's bytes. */
  releaseScratch(): void {
    const p = this.pinned;
    if (p === null) return;
    this.pinned = null;
    if (Array.isArray(p)) for (const s of p) unpin(s);
    else unpin(p);
  }
}

function unpin(s: Staging): void {
  // Batches complete outside writeFlushed, so no run is open: the whole buffer is free again.
  if (--s.pins === 0 && s === staging) stagingPos = 0;
}

// The current staging buffer and its first free byte. Writing happens synchronously on the one JavaScript
// thread, so module state is safe (and saves an allocation per flush).
let staging: Staging | null = null;
let stagingPos = 0;

// State of the batch being built.
let heldView: Buffer | null = null;
let handedOver = 0;
let batchSocket: Socket | null = null;
/** Start of the open run of copied bytes in `staging`, or -1. */
let runStart = -1;
/** Staging buffers this batch copied into. */
let used: Staging | Staging[] | null = null;

/**
 * Hands the flushed-but-unsent messages of `buffer` to `socket` as one batch: cork, one `write` per
 * view, uncork — Node turns that into a single `writev`. Runs of small buffers are copied into staging
 * memory; large ones go out as views (no copy). Returns the batch, or null when every message was empty
 * (those entries are removed at once).
 */
export function writeFlushed(owner: WriteBatchOwner, buffer: ChannelOutboundBuffer, socket: Socket, epoch: number): TcpWriteBatch | null {
  let count = 0;
  let heldSmall: ByteBuf | null = null;
  heldView = null;
  handedOver = 0;
  batchSocket = socket;
  runStart = -1;
  used = null;
  try {
    while (buffer.hasUnsent()) {
      const buf = buffer.nextUnsent() as ByteBuf;
      count++;
      const n = buf.readableBytes();
      if (n === 0) continue;
      if (n < COALESCE_THRESHOLD) {
        if (runStart >= 0 && MAX_COALESCE_CAPACITY - stagingPos >= n) {
          append(buf, n);
          continue;
        }
        if (runStart < 0 && heldSmall === null) {
          // A lone small buffer is written as it is; copy only from the second one of a run.
          heldSmall = buf;
          continue;
        }
        if (runStart >= 0) emitRun();
        const first = heldSmall === null ? 0 : heldSmall.readableBytes();
        openRun(first + n);
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
      if (runStart >= 0) emitRun();
      emit(buf);
    }
    if (heldSmall !== null) emit(heldSmall);
    if (runStart >= 0) emitRun();
  } catch (err) {
    // Reading a message failed (e.g. it was released): views already handed over still go out at the
    // uncork, untracked, so never reuse what this batch copied.
    if (used !== null) staging = null;
    if (handedOver > 0) socket.uncork();
    heldView = null;
    batchSocket = null;
    used = null;
    throw err;
  }
  const last = heldView;
  const corked = handedOver > 0;
  const copied = used;
  heldView = null;
  batchSocket = null;
  used = null;
  if (last === null) {
    // Only empty buffers: nothing for Node to do.
    for (let i = 0; i < count; i++) buffer.remove();
    return null;
  }
  const batch = new TcpWriteBatch(owner, count, epoch);
  socket.write(last, batch.done);
  if (corked) socket.uncork();
  // Node copied everything into the kernel unless data is still queued in the socket (or it failed).
  batch.acceptedByKernel = socket.writableLength === 0 && !socket.destroyed;
  if (copied !== null) {
    if (batch.acceptedByKernel) {
      if (staging !== null && staging.pins === 0) stagingPos = 0;
    } else {
      batch.pin(copied);
    }
  }
  return batch;
}

/** Starts a run of copied bytes with room for at least `atLeast` (< COALESCE_THRESHOLD × 2) bytes. */
function openRun(atLeast: number): void {
  let s = staging;
  if (s === null || MAX_COALESCE_CAPACITY - stagingPos < atLeast) {
    // Full (or dropped): carry on in a fresh buffer; a pinned old one is collected once Node is done.
    s = staging = new Staging(MAX_COALESCE_CAPACITY);
    stagingPos = 0;
  }
  runStart = stagingPos;
  const u = used;
  if (u === null) used = s;
  else if (Array.isArray(u)) {
    if (u[u.length - 1] !== s) u.push(s);
  } else if (u !== s) used = [u, s];
}

/** Copies the readable bytes of `buf` (n) behind the open run (see ByteBuf.copyToView). */
function append(buf: ByteBuf, n: number): void {
  buf.copyToView(buf.readerIndex(), staging!.view, stagingPos, n);
  stagingPos += n;
}

// The view written for the previous run. When a run covers the same bytes of the same staging buffer
// again — the staging buffer rewinds after every batch the kernel took at once, so steady traffic of
// same-size frames repeats ranges — that Buffer is written again instead of a new one: `subarray` costs
// ~50 ns (0.25 µs on a request/response path that runs with cold caches). A view whose bytes Node has not
// written yet is never reused: its range stays pinned (see Staging), so no later run can cover it until
// the write completed.
let lastView: Buffer | null = null;
let lastViewStaging: Staging | null = null;
let lastViewStart = -1;

/** Writes the open run and closes it. */
function emitRun(): void {
  const start = runStart;
  const end = stagingPos;
  const s = staging!;
  runStart = -1;
  let view = lastView;
  if (view === null || lastViewStaging !== s || lastViewStart !== start || view.length !== end - start) {
    view = lastView = s.memory.subarray(start, end);
    lastViewStaging = s;
    lastViewStart = start;
  }
  emitView(view);
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
