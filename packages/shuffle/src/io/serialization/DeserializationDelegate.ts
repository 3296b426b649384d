import { UnsupportedOperationException } from '@sluice/channel';
import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import type { TypeSerializer } from '../typeutils/TypeSerializer';
import type { IOReadableWritable } from './IOReadableWritable';

/**
 * Port of org.apache.flink.runtime.plugable.NonReusingDeserializationDelegate (Flink 1.20).
 *
 * Adapts a {@link TypeSerializer} to the {@link IOReadableWritable} target of a record deserializer:
 * `read` deserializes one record, {@link getInstance} returns it. Reuse one delegate for all records of a
 * channel (no allocation per record beyond the record itself).
 *
 * @example
 * const delegate = new DeserializationDelegate(LongSerializer.INSTANCE);
 * while (deserializer.getNextRecord(delegate).isFullRecord()) values.push(delegate.getInstance());
 */
export class DeserializationDelegate<T> implements IOReadableWritable {
  private instance: T | undefined = undefined;

  constructor(private readonly serializer: TypeSerializer<T>) {}

  /** The last record read. */
  getInstance(): T {
    return this.instance as T;
  }

  /** Replaces the held record. */
  setInstance(instance: T): void {
    this.instance = instance;
  }

  read(input: DataInputView): void {
    this.instance = this.serializer.deserialize(input);
  }

  write(_out: DataOutputView): void {
    throw new UnsupportedOperationException('A DeserializationDelegate only reads');
  }
}
