import type { TypeSerializer } from '../typeutils/TypeSerializer';
import { RecordWriter, type RecordWriterOptions } from './RecordWriter';
import type { ResultPartitionWriter } from './ResultPartitionWriter';

/**
 * Port of org.apache.flink.runtime.io.network.api.writer.BroadcastRecordWriter (Flink 1.20). Differs:
 * non-blocking (see {@link RecordWriter}); fixed-length records take the fast path into the shared
 * broadcast buffer.
 *
 * A record writer for broadcast edges: every record is serialized once and copied once into ONE buffer
 * shared by all subpartitions (each subpartition holds its own `BufferConsumer.copy()` of it — same
 * memory segment, independent reader positions). {@link randomEmit} (latency markers) writes to one
 * random subpartition in unicast mode, which finishes the shared buffer first.
 *
 * ## Threading
 * One JavaScript thread (see RecordWriter).
 *
 * @example
 * const writer = new BroadcastRecordWriter(partition, LongSerializer.INSTANCE, { timeout: 0 });
 */
export class BroadcastRecordWriter<T> extends RecordWriter<T> {
  constructor(writer: ResultPartitionWriter, serializer: TypeSerializer<T>, options?: RecordWriterOptions) {
    super(writer, serializer, options);
  }

  emit(record: T): boolean {
    return this.broadcastEmit(record);
  }

  broadcastEmit(record: T): boolean {
    if (this.blocked) this.checkWritable();
    this.numRecordsOut.inc();
    const partition = this.targetPartition;
    let complete = true;
    if (this.fixedLength < 0 || !partition.tryBroadcastFixedLengthRecord(record, this.recordSerializer, this.fixedLength)) {
      const serialized = this.serializeRecord(record);
      complete = partition.broadcastRecord(serialized, this.serializationBuffer.length());
      if (!complete) this.onPartitionPending();
    }
    if (this.flushAlways) this.flushAll();
    return complete;
  }
}
