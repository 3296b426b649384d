/**
 * Raw ceiling of the `broadcast` benchmark: one writer broadcasting 12-byte records (length prefix + the
 * long k) to `channels` channels through shared plain 32 KiB buffers, no framework.
 *
 * The writer packs each record once into the current shared buffer (a record may span two buffers);
 * a full buffer gets a reference count of `channels` and its id is appended to every channel's queue
 * — the per-buffer cost of a broadcast, as in Sluice where each subpartition gets a consumer copy. At
 * most `maxBuffersPerChannel` shared buffers are out at a time (Sluice requests broadcast buffers for
 * subpartition 0, whose quota is that); with none free the writer is back-pressured. The consumer walks
 * the channels' queues, counts bytes per channel, parses channel 0 and the last channel (count +
 * checksum), and frees a buffer when its last channel released it.
 *
 * Metric: the writer's time per emitted record (ns), timed like the Sluice variants.
 */
import { startWorker } from '../../harness/worker';
import { CLOCK_CHECK_RECORDS, CounterWindow, broadcastResult, RECORD_BYTES, RECORD_PAYLOAD_BYTES, check, checksumStep, cpuMs, nowMs, yieldToEventLoop } from '../cooperative';

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;

const worker = startWorker();
const channels = worker.param('channels');
const segmentSize = worker.param('segmentSize');
const sliceMs = worker.param('sliceUs') / 1000;
const poolBuffers = Math.min(worker.param('maxBuffersPerChannel'), channels * worker.param('buffersPerChannel') + worker.param('floatingBuffersPerGate'));

const memory = new ArrayBuffer(poolBuffers * segmentSize);
const views: DataView[] = [];
const byteViews: Uint8Array[] = [];
const free = new Int32Array(poolBuffers);
let freeCount = 0;
for (let b = 0; b < poolBuffers; b++) {
  views.push(new DataView(memory, b * segmentSize, segmentSize));
  byteViews.push(new Uint8Array(memory, b * segmentSize, segmentSize));
  free[freeCount++] = b;
}
const references = new Int32Array(poolBuffers);
const bufferBytes = new Int32Array(poolBuffers);

// Per-channel queues of buffer ids (rings of poolBuffers + 1).
const ring = poolBuffers + 1;
const queues = new Int32Array(channels * ring);
const queueHead = new Int32Array(channels);
const queueSize = new Int32Array(channels);

let current = -1;
let position = 0;
let k = 0;
let writerChecksum = 0;
const scratch = new DataView(new ArrayBuffer(RECORD_BYTES));
const scratchBytes = new Uint8Array(scratch.buffer);

function setLong(view: DataView, offset: number, value: number): void {
  const low = value >>> 0;
  view.setInt32(offset, (value - low) * INV_TWO_POW_32);
  view.setUint32(offset + 4, low);
}

/** Hands the current buffer (with `bytes` bytes) to every channel. */
function publish(buffer: number, bytes: number): void {
  references[buffer] = channels;
  bufferBytes[buffer] = bytes;
  for (let c = 0; c < channels; c++) {
    queues[c * ring + ((queueHead[c]! + queueSize[c]!) % ring)] = buffer;
    queueSize[c]!++;
  }
}

/** Writes up to `n` records; returns how many (fewer when back-pressured). */
function writeRecords(n: number): number {
  const lastFast = segmentSize - RECORD_BYTES;
  let i = 0;
  for (; i < n; i++) {
    if (current >= 0 && position < lastFast) {
      const value = k;
      k++;
      writerChecksum = checksumStep(writerChecksum, value);
      const view = views[current]!;
      view.setInt32(position, RECORD_PAYLOAD_BYTES);
      const low = value >>> 0;
      view.setInt32(position + 4, (value - low) * INV_TWO_POW_32);
      view.setUint32(position + 8, low);
      position += RECORD_BYTES;
      continue;
    }
    if (!writeRecordSlow()) break;
  }
  return i;
}

function writeRecordSlow(): boolean {
  if (current < 0) {
    if (freeCount === 0) return false;
    current = free[--freeCount]!;
    position = 0;
  }
  const end = position + RECORD_BYTES;
  if (end > segmentSize && freeCount === 0) return false;
  const value = k;
  k++;
  writerChecksum = checksumStep(writerChecksum, value);
  if (end <= segmentSize) {
    const view = views[current]!;
    view.setInt32(position, RECORD_PAYLOAD_BYTES);
    setLong(view, position + 4, value);
    position = end;
    if (end === segmentSize) {
      publish(current, segmentSize);
      current = -1;
    }
    return true;
  }
  scratch.setInt32(0, RECORD_PAYLOAD_BYTES);
  setLong(scratch, 4, value);
  const head = segmentSize - position;
  byteViews[current]!.set(scratchBytes.subarray(0, head), position);
  publish(current, segmentSize);
  current = free[--freeCount]!;
  byteViews[current]!.set(scratchBytes.subarray(head), 0);
  position = RECORD_BYTES - head;
  return true;
}

// ---------------------------------------------------------------- consumer

const bytesPerChannel = new Float64Array(channels);
const checkedChannels = channels > 1 ? [0, channels - 1] : [0];
const checkedIndex = new Int32Array(channels).fill(-1);
checkedChannels.forEach((c, i) => (checkedIndex[c] = i));
const checkedRecords = new Float64Array(checkedChannels.length);
const checkedChecksums = new Int32Array(checkedChannels.length);
const partialLength = new Int32Array(checkedChannels.length);
const partialBytes = new Uint8Array(checkedChannels.length * RECORD_BYTES);
const partialView = new DataView(partialBytes.buffer);

function getLong(view: DataView, offset: number): number {
  return view.getInt32(offset) * TWO_POW_32 + view.getUint32(offset + 4);
}

function parse(i: number, buffer: number, limit: number): void {
  const view = views[buffer]!;
  const bytes = byteViews[buffer]!;
  let checksum = checkedChecksums[i]!;
  let records = 0;
  let p = 0;
  const partial = partialLength[i]!;
  if (partial > 0) {
    const base = i * RECORD_BYTES;
    const rest = RECORD_BYTES - partial;
    for (let j = 0; j < rest; j++) partialBytes[base + partial + j] = bytes[j]!;
    if (partialView.getInt32(base) !== RECORD_PAYLOAD_BYTES) throw new Error('corrupt record length');
    checksum = checksumStep(checksum, getLong(partialView, base + 4));
    records++;
    p = rest;
    partialLength[i] = 0;
  }
  for (; p + RECORD_BYTES <= limit; p += RECORD_BYTES) {
    if (view.getInt32(p) !== RECORD_PAYLOAD_BYTES) throw new Error('corrupt record length');
    checksum = checksumStep(checksum, getLong(view, p + 4));
    records++;
  }
  if (p < limit) {
    for (let j = p; j < limit; j++) partialBytes[i * RECORD_BYTES + j - p] = bytes[j]!;
    partialLength[i] = limit - p;
  }
  checkedRecords[i] = checkedRecords[i]! + records;
  checkedChecksums[i] = checksum;
}

function drain(): void {
  for (let c = 0; c < channels; c++) {
    while (queueSize[c]! > 0) {
      const buffer = queues[c * ring + queueHead[c]!]!;
      queueHead[c] = (queueHead[c]! + 1) % ring;
      queueSize[c]!--;
      bytesPerChannel[c] = bytesPerChannel[c]! + bufferBytes[buffer]!;
      const i = checkedIndex[c]!;
      if (i >= 0) parse(i, buffer, bufferBytes[buffer]!);
      if (--references[buffer]! === 0) free[freeCount++] = buffer;
    }
  }
}

// ---------------------------------------------------------------- schedule

let stopping = false;
let writerMs = 0;
let backPressureWaits = 0;

function writerSlice(): void {
  let startedAt = nowMs();
  const sliceEnd = startedAt + sliceMs;
  let now = startedAt;
  do {
    let written = writeRecords(CLOCK_CHECK_RECORDS);
    if (written < CLOCK_CHECK_RECORDS) {
      backPressureWaits++;
      writerMs += nowMs() - startedAt;
      drain();
      startedAt = nowMs();
      written += writeRecords(CLOCK_CHECK_RECORDS - written);
      if (written < CLOCK_CHECK_RECORDS) {
        writerMs += nowMs() - startedAt;
        return;
      }
    }
    now = nowMs();
  } while (now < sliceEnd);
  writerMs += now - startedAt;
}

function verify(): Record<string, number> {
  for (let c = 0; c < channels; c++) {
    const expected = RECORD_BYTES * k;
    check(bytesPerChannel[c] === expected, () => `channel ${c}: received ${bytesPerChannel[c]} bytes, expected ${expected}`);
  }
  checkedChannels.forEach((c, i) => {
    check(checkedRecords[i] === k, () => `channel ${c}: read ${checkedRecords[i]} records, ${k} were broadcast`);
    check(checkedChecksums[i] === writerChecksum, () => `channel ${c}: checksum ${checkedChecksums[i]}, writer's ${writerChecksum}`);
    check(partialLength[i] === 0, () => `channel ${c}: a partial record is left`);
  });
  check(freeCount === poolBuffers, () => `${poolBuffers - freeCount} buffers not returned`);
  return { recordsTotal: k, segmentsReturned: poolBuffers, channelsChecked: channels };
}

async function main(): Promise<void> {
  let windowResult: { deltas: number[]; seconds: number } | null = null;
  const window = new CounterWindow(
    worker,
    () => [k, writerMs, backPressureWaits, cpuMs()],
    (perSecond) => `${Math.round(perSecond / 1000).toLocaleString('en-US')} records/ms emitted`,
    (deltas, seconds) => {
      windowResult = { deltas, seconds };
      stopping = true;
    },
  );
  window.start();
  while (!stopping) {
    writerSlice();
    drain();
    await yieldToEventLoop();
  }
  if (current >= 0) {
    publish(current, position);
    current = -1;
  }
  drain();
  const { deltas, seconds } = windowResult!;
  worker.result(broadcastResult(deltas, seconds, verify()));
}

worker.onStop(() => undefined);
main().catch((error: unknown) => worker.fail(error));
