import { IllegalStateException, type EventExecutorGroup } from '@sluice/channel';
import type { TypeSerializer } from '../typeutils/TypeSerializer';
import { BroadcastRecordWriter } from './BroadcastRecordWriter';
import type { ChannelSelector } from './ChannelSelector';
import { ChannelSelectorRecordWriter } from './ChannelSelectorRecordWriter';
import { DEFAULT_BUFFER_TIMEOUT, type RecordWriter } from './RecordWriter';
import type { ResultPartitionWriter } from './ResultPartitionWriter';
import { RoundRobinChannelSelector } from './RoundRobinChannelSelector';

/**
 * Port of org.apache.flink.runtime.io.network.api.writer.RecordWriterBuilder (Flink 1.20). Differs: takes
 * the record serializer and the event loop of the periodic flusher.
 *
 * Builds a {@link BroadcastRecordWriter} for a broadcast selector, else a
 * {@link ChannelSelectorRecordWriter}. Defaults: round-robin selector, 100 ms buffer timeout.
 *
 * @example
 * const writer = new RecordWriterBuilder<number>()
 *   .setSerializer(LongSerializer.INSTANCE)
 *   .setChannelSelector(new KeyGroupStreamPartitioner((v: number) => v))
 *   .setTimeout(5).setEventLoop(loop).setTaskName('source (1/4)')
 *   .build(partition);
 */
export class RecordWriterBuilder<T> {
  private selector: ChannelSelector<T> = new RoundRobinChannelSelector<T>();
  private timeout = DEFAULT_BUFFER_TIMEOUT;
  private taskName = 'RecordWriter';
  private serializer: TypeSerializer<T> | null = null;
  private eventLoop: EventExecutorGroup | undefined;

  /** The channel selector (default round robin). */
  setChannelSelector(selector: ChannelSelector<T>): this {
    this.selector = selector;
    return this;
  }

  /** `execution.buffer-timeout` in ms: 0 = flush every record, −1 = only full buffers, N = every N ms (default 100). */
  setTimeout(timeout: number): this {
    this.timeout = timeout;
    return this;
  }

  /** The task name used in messages. */
  setTaskName(taskName: string): this {
    this.taskName = taskName;
    return this;
  }

  /** The serializer of the records (required). */
  setSerializer(serializer: TypeSerializer<T>): this {
    this.serializer = serializer;
    return this;
  }

  /** The event loop running the periodic flush (required when the timeout is > 0). */
  setEventLoop(eventLoop: EventExecutorGroup): this {
    this.eventLoop = eventLoop;
    return this;
  }

  /** A writer for `writer`. */
  build(writer: ResultPartitionWriter): RecordWriter<T> {
    const serializer = this.serializer;
    if (serializer === null) throw new IllegalStateException('RecordWriterBuilder: setSerializer() first');
    const options = { timeout: this.timeout, taskName: this.taskName, eventLoop: this.eventLoop };
    if (this.selector.isBroadcast()) return new BroadcastRecordWriter(writer, serializer, options);
    return new ChannelSelectorRecordWriter(writer, serializer, this.selector, options);
  }
}
