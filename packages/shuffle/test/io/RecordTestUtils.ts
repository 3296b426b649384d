// Reads the records of one subpartition view back: data buffers go through a
// SpillingAdaptiveSpanningRecordDeserializer, events are decoded and listed.
import { EventSerializer } from '../../src/event';
import { DeserializationDelegate, SpillingAdaptiveSpanningRecordDeserializer, type TypeSerializer } from '../../src/io';
import type { ResultSubpartitionView } from '../../src/partition';

export class SubpartitionReader<T> {
  readonly records: T[] = [];
  readonly events: string[] = [];
  readonly segments: unknown[] = [];
  buffers = 0;
  private readonly deserializer: SpillingAdaptiveSpanningRecordDeserializer<DeserializationDelegate<T>>;
  private readonly delegate: DeserializationDelegate<T>;

  constructor(
    readonly view: ResultSubpartitionView,
    serializer: TypeSerializer<T>,
    channel = 'subpartition reader',
  ) {
    this.deserializer = new SpillingAdaptiveSpanningRecordDeserializer({ channel });
    this.delegate = new DeserializationDelegate(serializer);
  }

  /** Polls until the view has nothing; returns the number of buffers read. */
  drain(): number {
    let n = 0;
    let next;
    while ((next = this.view.getNextBuffer()) !== null) {
      n++;
      this.buffers++;
      const buffer = next.buffer;
      if (!buffer.isBuffer()) {
        try {
          this.events.push(EventSerializer.fromBuffer(buffer).toString());
        } finally {
          buffer.recycleBuffer();
        }
        continue;
      }
      this.segments.push(buffer.getMemorySegment());
      this.deserializer.setNextBuffer(buffer);
      for (;;) {
        const result = this.deserializer.getNextRecord(this.delegate);
        if (result.isFullRecord()) this.records.push(this.delegate.getInstance());
        if (result.isBufferConsumed()) break;
      }
    }
    return n;
  }

  /** True if a record spans into buffers not received yet. */
  hasPartialRecord(): boolean {
    return this.deserializer.hasPartialRecord();
  }

  close(): void {
    this.deserializer.clear();
    this.view.releaseAllResources();
  }
}
