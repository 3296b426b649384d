/**
 * The writer loop of the Sluice `bulk` and `head-of-line` producers: a prebuilt record of exactly one
 * network buffer (its 4-byte length prefix, then segmentSize − 4 bytes) emitted again and again with
 * `partition.emitRecord` — the serialized-record path RecordWriter uses — round robin over the
 * partition's subpartitions, in cooperative slices (see `shuffle-local/cooperative.ts`); back-pressured,
 * it awaits the partition's availability. These are the same 32 KiB frames the raw variants move.
 *
 * ## Ownership
 * `emitRecord` copies the record into network buffers; the record itself stays this loop's.
 */
import type { ResultPartitionWriter } from '@sluice/shuffle';
import { nowMs, yieldToEventLoop } from '../../shuffle-local/cooperative';

/** Records emitted so far, for the worker's stop report. */
export interface EmitCount {
  emitted: number;
}

/** Emits buffer-sized records into `partition` until `isStopping()`; counts them in `count`. */
export async function emitBufferSizedRecords(
  partition: ResultPartitionWriter,
  segmentSize: number,
  sliceMs: number,
  isStopping: () => boolean,
  count: EmitCount,
): Promise<void> {
  const record = new Uint8Array(segmentSize).fill(0x5a);
  new DataView(record.buffer).setInt32(0, segmentSize - 4);
  const subpartitions = partition.getNumberOfSubpartitions();
  let target = 0;
  while (!isStopping()) {
    const sliceEnd = nowMs() + sliceMs;
    do {
      count.emitted++;
      const written = partition.emitRecord(record, target);
      target = target + 1 === subpartitions ? 0 : target + 1;
      if (!written) await partition.getAvailableFuture();
    } while (!isStopping() && nowMs() < sliceEnd);
    if (!isStopping()) await yieldToEventLoop();
  }
}
