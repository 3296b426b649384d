import { IllegalArgumentException } from '@sluice/channel';
import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import type { TypeSerializer } from './TypeSerializer';

/** The field serializers of a tuple type `T`: one per element. */
export type FieldSerializers<T extends readonly unknown[]> = { readonly [K in keyof T]: TypeSerializer<T[K]> };

/**
 * Port of org.apache.flink.api.java.typeutils.runtime.TupleSerializer (Flink 1.20). Differs: tuples are
 * JS arrays; no null fields; fixed length (and the {@link writeFixed} fast path) when every field is
 * fixed-length and has a fast path.
 *
 * Serializes the fields one after another with their serializers.
 *
 * @example
 * const s = new TupleSerializer<[number, string]>([LongSerializer.INSTANCE, StringSerializer.INSTANCE]);
 */
export class TupleSerializer<T extends readonly unknown[]> implements TypeSerializer<T> {
  private readonly fields: readonly TypeSerializer<unknown>[];
  private readonly length: number;
  private readonly offsets: readonly number[];

  constructor(fieldSerializers: FieldSerializers<T>) {
    const fields = fieldSerializers as unknown as readonly TypeSerializer<unknown>[];
    if (fields.length === 0) throw new IllegalArgumentException('A tuple needs at least one field serializer');
    this.fields = fields.slice();
    let length = 0;
    const offsets: number[] = [];
    for (const field of fields) {
      const fieldLength = field.getLength();
      if (fieldLength < 0 || length < 0 || field.writeFixed === undefined) length = -1;
      else {
        offsets.push(length);
        length += fieldLength;
      }
    }
    this.length = length;
    this.offsets = offsets;
    if (length < 0) this.writeFixed = undefined;
  }

  /** Number of fields. */
  getArity(): number {
    return this.fields.length;
  }

  getLength(): number {
    return this.length;
  }

  serialize(record: T, target: DataOutputView): void {
    const fields = this.fields;
    if (record.length !== fields.length) {
      throw new IllegalArgumentException(`Tuple of ${record.length} fields given to a serializer of ${fields.length}`);
    }
    for (let i = 0; i < fields.length; i++) fields[i]!.serialize(record[i], target);
  }

  deserialize(source: DataInputView): T {
    const fields = this.fields;
    const out = new Array<unknown>(fields.length);
    for (let i = 0; i < fields.length; i++) out[i] = fields[i]!.deserialize(source);
    return out as unknown as T;
  }

  writeFixed?(record: T, target: DataView, offset: number): void {
    const fields = this.fields;
    const offsets = this.offsets;
    for (let i = 0; i < fields.length; i++) fields[i]!.writeFixed!(record[i], target, offset + offsets[i]!);
  }
}
