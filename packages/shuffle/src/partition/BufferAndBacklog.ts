import type { Buffer } from '../memory/Buffer';
import { DataType } from '../memory/DataType';

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultSubpartition.BufferAndBacklog (Flink 1.20).
 * Differs: a top-level class.
 *
 * One polled buffer plus what the reader needs to know about what follows: the backlog (finished data
 * buffers still queued), the data type of the next buffer (NONE if nothing is ready) and the buffer's
 * sequence number.
 *
 * ## Ownership
 * Holds one reference to `buffer`; whoever receives it recycles it or passes it on.
 */
export class BufferAndBacklog {
  constructor(
    /** The polled buffer (one reference owned by the receiver). */
    readonly buffer: Buffer,
    /** Finished data buffers queued after this one. */
    readonly buffersInBacklog: number,
    /** Type of the next available buffer, NONE if none. */
    readonly nextDataType: DataType,
    /** Sequence number of this buffer within the subpartition. */
    readonly sequenceNumber: number,
  ) {}

  /** True if the next buffer is data (`nextDataType !== NONE`, Flink's `isDataAvailable`). */
  isDataAvailable(): boolean {
    return this.nextDataType !== DataType.NONE;
  }

  /** True if the next buffer is an event. */
  isEventAvailable(): boolean {
    return this.nextDataType.isEvent();
  }
}
