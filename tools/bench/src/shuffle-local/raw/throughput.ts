/**
 * Raw ceiling of the `unicast-*` benchmarks: the same bytes through plain 32 KiB buffers, no framework.
 *
 * `writers` writers, each with `channels` channels and its own free list of `poolBuffers` buffers (the
 * max size of the Sluice partition's pool: channels × 2 + 8), carved like the network segments out of
 * one ArrayBuffer (the kind of memory Sluice's pool uses). Writer w's k-th record — the long
 * `w·2^40 + k` with its 4-byte length prefix, 12 bytes — goes round robin to channel k mod channels, packed back to back into that channel's
 * current buffer (a record that does not fit spans into the next buffer, as in Sluice). A full buffer
 * joins the queue of finished buffers; a writer without a free buffer is back-pressured. The reader
 * takes finished buffers in order, parses the records (reassembling the ones that span two buffers),
 * counts and checksums them, and puts the buffer back on its writer's free list.
 *
 * Nothing here flushes (a flush timeout has no meaning without the framework); the schedule is the
 * Sluice variant's (see `cooperative.ts`): per turn of the event loop, each writer writes for a slice
 * or until back-pressured (then the reader drains and the writer goes on), the reader drains after each
 * writer, then the loop turns. The probe timer runs at the benchmark's flush timeout, as in Sluice.
 *
 * Correctness, checked after the window: records read = written, same checksum, every channel's
 * record count equals its round-robin share, every buffer back on its free list.
 */
import { startWorker } from '../../harness/worker';
import {
  CLOCK_CHECK_RECORDS,
  CounterWindow,
  RECORD_BYTES,
  RECORD_PAYLOAD_BYTES,
  TimerPeriodProbe,
  WRITER_VALUE_STRIDE,
  check,
  checksumStep,
  cpuMs,
  fixedRateTimer,
  nowMs,
  roundRobinShare,
  throughputResult,
  yieldToEventLoop,
} from '../cooperative';

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;

const worker = startWorker();
const writers = worker.param('writers');
const channels = worker.param('channels');
const segmentSize = worker.param('segmentSize');
const sliceMs = worker.param('sliceUs') / 1000;
const flushTimeoutMs = worker.param('flushTimeoutMs');
const poolBuffers = channels * worker.param('buffersPerChannel') + worker.param('floatingBuffersPerGate');

/** One writer's channels and buffers. Buffer ids index `views`. */
class RawWriter {
  readonly views: DataView[] = [];
  readonly free: Int32Array;
  freeCount = 0;
  /** Current buffer per channel (−1: none). */
  readonly current: Int32Array;
  readonly positions: Int32Array;
  nextChannel = -1;
  k = 0;
  checksum = 0;
  readonly base: number;

  constructor(readonly index: number) {
    this.base = index * WRITER_VALUE_STRIDE;
    const memory = new ArrayBuffer(poolBuffers * segmentSize);
    this.free = new Int32Array(poolBuffers);
    for (let b = 0; b < poolBuffers; b++) {
      this.views.push(new DataView(memory, b * segmentSize, segmentSize));
      this.free[this.freeCount++] = b;
    }
    this.current = new Int32Array(channels).fill(-1);
    this.positions = new Int32Array(channels);
  }
}

const rawWriters: RawWriter[] = [];
for (let w = 0; w < writers; w++) rawWriters.push(new RawWriter(w));

/** Finished buffers in order: writer, channel, buffer id, bytes. */
const queueCapacity = writers * poolBuffers + 1;
const queueWriter = new Int32Array(queueCapacity);
const queueChannel = new Int32Array(queueCapacity);
const queueBuffer = new Int32Array(queueCapacity);
const queueBytes = new Int32Array(queueCapacity);
let queueHead = 0;
let queueSize = 0;

const scratch = new DataView(new ArrayBuffer(RECORD_BYTES));
const scratchBytes = new Uint8Array(scratch.buffer);

function enqueue(w: number, channel: number, buffer: number, bytes: number): void {
  const tail = (queueHead + queueSize) % queueCapacity;
  queueWriter[tail] = w;
  queueChannel[tail] = channel;
  queueBuffer[tail] = buffer;
  queueBytes[tail] = bytes;
  queueSize++;
}

function setLong(view: DataView, offset: number, value: number): void {
  const low = value >>> 0;
  view.setInt32(offset, (value - low) * INV_TWO_POW_32);
  view.setUint32(offset + 4, low);
}

/**
 * Writes up to `n` of the writer's next records; returns how many it wrote (fewer if it needed a
 * buffer and had none: back-pressure). The common case — the record fits in the channel's current
 * buffer without filling it — stays in this loop with everything in locals.
 */
function writeRecords(writer: RawWriter, n: number): number {
  const positions = writer.positions;
  const current = writer.current;
  const views = writer.views;
  const base = writer.base;
  const lastFast = segmentSize - RECORD_BYTES; // a record starting below this neither fills nor spans
  let channel = writer.nextChannel;
  let k = writer.k;
  let checksum = writer.checksum;
  let i = 0;
  for (; i < n; i++) {
    let next = channel + 1;
    if (next >= channels) next = 0;
    const buffer = current[next]!;
    const position = positions[next]!;
    if (buffer >= 0 && position < lastFast) {
      const value = base + k;
      k++;
      checksum = checksumStep(checksum, value);
      const view = views[buffer]!;
      view.setInt32(position, RECORD_PAYLOAD_BYTES);
      const low = value >>> 0;
      view.setInt32(position + 4, (value - low) * INV_TWO_POW_32);
      view.setUint32(position + 8, low);
      positions[next] = position + RECORD_BYTES;
      channel = next;
      continue;
    }
    writer.k = k;
    writer.checksum = checksum;
    if (!writeRecordSlow(writer, next)) break;
    channel = next;
    k = writer.k;
    checksum = writer.checksum;
  }
  writer.nextChannel = channel;
  writer.k = k;
  writer.checksum = checksum;
  return i;
}

/** The record for `channel` needs a new buffer, fills its buffer or spans two; false if no buffer. */
function writeRecordSlow(writer: RawWriter, channel: number): boolean {
  let buffer = writer.current[channel]!;
  if (buffer < 0) {
    if (writer.freeCount === 0) return false;
    buffer = writer.free[--writer.freeCount]!;
    writer.current[channel] = buffer;
    writer.positions[channel] = 0;
  }
  const position = writer.positions[channel]!;
  const end = position + RECORD_BYTES;
  if (end > segmentSize && writer.freeCount === 0) return false; // spans, and no buffer for the rest
  const value = writer.base + writer.k;
  writer.k++;
  writer.checksum = checksumStep(writer.checksum, value);
  const view = writer.views[buffer]!;
  if (end <= segmentSize) {
    view.setInt32(position, RECORD_PAYLOAD_BYTES);
    setLong(view, position + 4, value);
    if (end === segmentSize) {
      enqueue(writer.index, channel, buffer, segmentSize);
      writer.current[channel] = -1;
    } else {
      writer.positions[channel] = end;
    }
    return true;
  }
  // The record spans this buffer and the next one.
  scratch.setInt32(0, RECORD_PAYLOAD_BYTES);
  setLong(scratch, 4, value);
  const head = segmentSize - position;
  const bytes = new Uint8Array(view.buffer, view.byteOffset, segmentSize);
  for (let i = 0; i < head; i++) bytes[position + i] = scratchBytes[i]!;
  enqueue(writer.index, channel, buffer, segmentSize);
  const next = writer.free[--writer.freeCount]!;
  const nextView = writer.views[next]!;
  const nextBytes = new Uint8Array(nextView.buffer, nextView.byteOffset, segmentSize);
  for (let i = head; i < RECORD_BYTES; i++) nextBytes[i - head] = scratchBytes[i]!;
  writer.current[channel] = next;
  writer.positions[channel] = RECORD_BYTES - head;
  return true;
}

// ---------------------------------------------------------------- reader

/** Per (writer, channel): bytes of a record begun in the previous buffer, and those bytes. */
const partialLength = new Int32Array(writers * channels);
const partialBytes = new Uint8Array(writers * channels * RECORD_BYTES);
const partialView = new DataView(partialBytes.buffer);
const recordsPerChannel = new Float64Array(writers * channels);
let recordsRead = 0;
let readChecksum = 0;
let buffersRead = 0;

function getLong(view: DataView, offset: number): number {
  return view.getInt32(offset) * TWO_POW_32 + view.getUint32(offset + 4);
}

function drain(): void {
  let count = recordsRead;
  let checksum = readChecksum;
  while (queueSize > 0) {
    const w = queueWriter[queueHead]!;
    const channel = queueChannel[queueHead]!;
    const buffer = queueBuffer[queueHead]!;
    const limit = queueBytes[queueHead]!;
    queueHead = (queueHead + 1) % queueCapacity;
    queueSize--;
    const writer = rawWriters[w]!;
    const view = writer.views[buffer]!;
    const slot = w * channels + channel;
    let position = 0;
    let records = 0;
    const partial = partialLength[slot]!;
    if (partial > 0) {
      // Complete the record begun in the previous buffer.
      const base = slot * RECORD_BYTES;
      const bytes = new Uint8Array(view.buffer, view.byteOffset, limit);
      const rest = RECORD_BYTES - partial;
      for (let i = 0; i < rest; i++) partialBytes[base + partial + i] = bytes[i]!;
      if (partialView.getInt32(base) !== RECORD_PAYLOAD_BYTES) throw new Error(`corrupt record length on writer ${w} channel ${channel}`);
      const value = getLong(partialView, base + 4);
      checksum = checksumStep(checksum, value);
      records++;
      position = rest;
      partialLength[slot] = 0;
    }
    for (; position + RECORD_BYTES <= limit; position += RECORD_BYTES) {
      if (view.getInt32(position) !== RECORD_PAYLOAD_BYTES) throw new Error(`corrupt record length on writer ${w} channel ${channel}`);
      const value = getLong(view, position + 4);
      checksum = checksumStep(checksum, value);
      records++;
    }
    if (position < limit) {
      const base = slot * RECORD_BYTES;
      const bytes = new Uint8Array(view.buffer, view.byteOffset, limit);
      for (let i = position; i < limit; i++) partialBytes[base + i - position] = bytes[i]!;
      partialLength[slot] = limit - position;
    }
    count += records;
    recordsPerChannel[slot] = recordsPerChannel[slot]! + records;
    buffersRead++;
    writer.free[writer.freeCount++] = buffer;
  }
  recordsRead = count;
  readChecksum = checksum;
}

// ---------------------------------------------------------------- schedule

let stopping = false;
let backPressureWaits = 0;
/** Time spent writing and reading (ms), as in the Sluice variant. */
let writerMs = 0;
let readerMs = 0;

/** One writer's slice: write until the slice ends; when back-pressured, let the reader drain first. */
function writerSlice(writer: RawWriter): void {
  let startedAt = nowMs();
  const sliceEnd = startedAt + sliceMs;
  let now = startedAt;
  do {
    let written = writeRecords(writer, CLOCK_CHECK_RECORDS);
    if (written < CLOCK_CHECK_RECORDS) {
      backPressureWaits++;
      writerMs += nowMs() - startedAt;
      timedDrain();
      startedAt = nowMs();
      written += writeRecords(writer, CLOCK_CHECK_RECORDS - written);
      if (written < CLOCK_CHECK_RECORDS) {
        writerMs += nowMs() - startedAt;
        return; // nothing came back: the reader has nothing finished of ours
      }
    }
    now = nowMs();
  } while (now < sliceEnd);
  writerMs += now - startedAt;
}

function timedDrain(): void {
  const startedAt = nowMs();
  drain();
  readerMs += nowMs() - startedAt;
}

/** Finishes every channel's current buffer (the end of the stream) and drains. */
function finishAll(): void {
  for (const writer of rawWriters) {
    for (let c = 0; c < channels; c++) {
      const buffer = writer.current[c]!;
      if (buffer >= 0) {
        enqueue(writer.index, c, buffer, writer.positions[c]!);
        writer.current[c] = -1;
      }
    }
  }
  drain();
}

function verify(): Record<string, number> {
  let emittedTotal = 0;
  let expectedChecksum = 0;
  for (const writer of rawWriters) {
    emittedTotal += writer.k;
    expectedChecksum = (expectedChecksum + writer.checksum) | 0;
  }
  check(recordsRead === emittedTotal, () => `read ${recordsRead} records, the writers wrote ${emittedTotal}`);
  check(readChecksum === expectedChecksum, () => `reader checksum ${readChecksum}, writers' ${expectedChecksum}`);
  for (const writer of rawWriters) {
    for (let c = 0; c < channels; c++) {
      const got = recordsPerChannel[writer.index * channels + c]!;
      const expected = roundRobinShare(writer.k, channels, c);
      check(got === expected, () => `writer ${writer.index} channel ${c}: read ${got} records, expected ${expected}`);
      check(partialLength[writer.index * channels + c] === 0, () => `writer ${writer.index} channel ${c}: a partial record is left`);
    }
    check(writer.freeCount === poolBuffers, () => `writer ${writer.index}: ${poolBuffers - writer.freeCount} buffers not returned`);
  }
  return { recordsTotal: emittedTotal, segmentsReturned: writers * poolBuffers, channelsChecked: writers * channels };
}

async function main(): Promise<void> {
  const probe = new TimerPeriodProbe();
  const stopProbe = fixedRateTimer(flushTimeoutMs, () => probe.tick());
  let windowResult: { deltas: number[]; seconds: number } | null = null;
  const window = new CounterWindow(
    worker,
    () => [recordsRead, buffersRead, backPressureWaits, writerMs, readerMs, cpuMs()],
    (perSecond) => `${Math.round(perSecond / 1000).toLocaleString('en-US')} records/ms`,
    (deltas, seconds) => {
      windowResult = { deltas, seconds };
      stopping = true;
    },
  );
  window.onMeasureStart(() => probe.reset());
  window.start();
  while (!stopping) {
    for (const writer of rawWriters) {
      writerSlice(writer);
      timedDrain();
    }
    await yieldToEventLoop();
  }
  stopProbe();
  finishAll();
  const periodMs = probe.periodMs();
  const { deltas, seconds } = windowResult!;
  // Verify before reporting: a failed check fails the run instead of reporting its figures.
  const checks = verify();
  worker.result(throughputResult(deltas, seconds, periodMs, checks));
}

worker.onStop(() => undefined);
main().catch((error: unknown) => worker.fail(error));
