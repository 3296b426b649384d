import { IllegalArgumentException } from '@sluice/channel';
import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import type { TypeSerializer } from './TypeSerializer';

/** The serializers of the fields of an object type `T`, in serialization order. */
export type ObjectFields<T extends object> = ReadonlyArray<{ [K in keyof T]: readonly [K, TypeSerializer<T[K]>] }[keyof T]>;

/**
 * A composable serializer of plain objects (Sluice's counterpart of Flink's PojoSerializer, without its
 * null flags and subclass tags): the listed fields, in the listed order, each with its serializer.
 * Fixed-length (with the fast path) when every field is.
 *
 * ## Pitfalls
 * Every field must be listed: fields not listed are not serialized and come back `undefined`.
 *
 * @example
 * interface Trade { id: number; symbol: string }
 * const s = new ObjectSerializer<Trade>([['id', LongSerializer.INSTANCE], ['symbol', StringSerializer.INSTANCE]]);
 */
export class ObjectSerializer<T extends object> implements TypeSerializer<T> {
  private readonly names: readonly (keyof T)[];
  private readonly fields: readonly TypeSerializer<unknown>[];
  private readonly offsets: readonly number[];
  private readonly length: number;

  constructor(fields: ObjectFields<T>) {
    if (fields.length === 0) throw new IllegalArgumentException('An object serializer needs at least one field');
    const names: (keyof T)[] = [];
    const serializers: TypeSerializer<unknown>[] = [];
    const offsets: number[] = [];
    let length = 0;
    for (const [name, serializer] of fields as ReadonlyArray<readonly [keyof T, TypeSerializer<unknown>]>) {
      if (names.includes(name)) throw new IllegalArgumentException(`Field ${String(name)} listed twice`);
      names.push(name);
      serializers.push(serializer);
      const fieldLength = serializer.getLength();
      if (fieldLength < 0 || length < 0 || serializer.writeFixed === undefined) length = -1;
      else {
        offsets.push(length);
        length += fieldLength;
      }
    }
    this.names = names;
    this.fields = serializers;
    this.offsets = offsets;
    this.length = length;
    if (length < 0) this.writeFixed = undefined;
  }

  getLength(): number {
    return this.length;
  }

  serialize(record: T, target: DataOutputView): void {
    const names = this.names;
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) fields[i]!.serialize(record[names[i]!], target);
  }

  deserialize(source: DataInputView): T {
    const names = this.names;
    const fields = this.fields;
    const out: Partial<Record<keyof T, unknown>> = {};
    for (let i = 0; i < fields.length; i++) out[names[i]!] = fields[i]!.deserialize(source);
    return out as T;
  }

  writeFixed?(record: T, target: DataView, offset: number): void {
    const names = this.names;
    const fields = this.fields;
    const offsets = this.offsets;
    for (let i = 0; i < fields.length; i++) fields[i]!.writeFixed!(record[names[i]!], target, offset + offsets[i]!);
  }
}
