import { DefaultPromise, type Future } from '@sluice/channel';
import type { TypeSerializer } from '../typeutils/TypeSerializer';
import type { ChannelSelector } from './ChannelSelector';
import { RecordWriter, type RecordWriterOptions } from './RecordWriter';
import type { ResultPartitionWriter } from './ResultPartitionWriter';

/**
 * Port of org.apache.flink.runtime.io.network.api.writer.ChannelSelectorRecordWriter (Flink 1.20).
 * Differs: non-blocking (see {@link RecordWriter}); {@link broadcastEmit} that runs out of buffers midway
 * remembers the channels still to write and finishes them (in order) when buffers come back.
 *
 * A record writer that sends each record to the subpartition its {@link ChannelSelector} picks
 * (round robin, forward, key hash). {@link broadcastEmit} copies the serialized record into every
 * subpartition's own buffer (N copies; Flink uses it for watermarks and markers on non-broadcast edges).
 *
 * ## Threading
 * One JavaScript thread (see RecordWriter).
 *
 * @example
 * const writer = new ChannelSelectorRecordWriter(partition, LongSerializer.INSTANCE, new RoundRobinChannelSelector(), { timeout: -1 });
 */
export class ChannelSelectorRecordWriter<T> extends RecordWriter<T> {
  private readonly channelSelector: ChannelSelector<T>;
  private pendingNextChannel = -1;
  private pendingLength = 0;

  constructor(writer: ResultPartitionWriter, serializer: TypeSerializer<T>, channelSelector: ChannelSelector<T>, options?: RecordWriterOptions) {
    super(writer, serializer, options);
    this.channelSelector = channelSelector;
    channelSelector.setup(this.numberOfSubpartitions);
  }

  /** The selector choosing the subpartitions. */
  getChannelSelector(): ChannelSelector<T> {
    return this.channelSelector;
  }

  emit(record: T): boolean {
    // Check before selecting: a refused emit must not advance the selector (round robin).
    if (this.blocked) this.checkWritable();
    return this.emitToUnchecked(record, this.channelSelector.selectChannel(record));
  }

  broadcastEmit(record: T): boolean {
    if (this.blocked) this.checkWritable();
    this.numRecordsOut.inc();
    const serialized = this.serializeRecord(record);
    const length = this.serializationBuffer.length();
    const complete = this.emitToChannelsFrom(serialized, length, 0);
    if (this.flushAlways) this.flushAll();
    return complete;
  }

  /** Writes the serialized record to channels `first…n−1`; on back-pressure remembers where to go on. */
  private emitToChannelsFrom(serialized: Uint8Array, length: number, first: number): boolean {
    const partition = this.targetPartition;
    const n = this.numberOfSubpartitions;
    for (let channel = first; channel < n; channel++) {
      if (!partition.emitRecord(serialized, channel, length)) {
        this.onPartitionPending();
        if (channel + 1 < n) this.suspendBroadcast(channel + 1, length);
        return false;
      }
    }
    return true;
  }

  private suspendBroadcast(nextChannel: number, length: number): void {
    this.pendingNextChannel = nextChannel;
    this.pendingLength = length;
    this.pendingAvailability ??= new DefaultPromise<void>();
    this.updateBlocked();
    this.targetPartition.getAvailableFuture().addListener((f: Future<void>) => this.resumeBroadcast(f));
  }

  // The serialization buffer still holds the record: no emit can run while the broadcast is pending.
  private resumeBroadcast(partitionAvailable: Future<void>): void {
    const pending = this.pendingAvailability;
    if (pending === null) return;
    if (!partitionAvailable.isSuccess()) {
      this.pendingAvailability = null;
      this.updateBlocked();
      pending.tryFailure(partitionAvailable.cause());
      return;
    }
    const next = this.pendingNextChannel;
    this.pendingNextChannel = -1;
    let complete: boolean;
    try {
      complete = this.emitToChannelsFrom(this.serializationBuffer.getSharedBuffer(), this.pendingLength, next);
    } catch (err) {
      this.pendingAvailability = null;
      this.updateBlocked();
      pending.tryFailure(err);
      return;
    }
    if (this.flushAlways) this.flushAll();
    if (!complete && this.pendingNextChannel >= 0) return; // suspended again, same promise
    this.pendingAvailability = null;
    this.updateBlocked();
    // Complete once the partition is available (its remainder written, a buffer free).
    this.targetPartition.getAvailableFuture().addListener((f: Future<void>) => {
      if (f.isSuccess()) pending.trySuccess();
      else pending.tryFailure(f.cause());
    });
  }
}
