import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import type { TypeSerializer } from './TypeSerializer';

/**
 * Port of org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer (Flink 1.20): an
 * int length followed by the bytes. Deserialized arrays are fresh copies (`Uint8Array`).
 */
export class BytesSerializer implements TypeSerializer<Uint8Array> {
  /** The shared instance. */
  static readonly INSTANCE = new BytesSerializer();

  getLength(): number {
    return -1;
  }
  serialize(record: Uint8Array, target: DataOutputView): void {
    target.writeInt(record.length);
    target.write(record);
  }
  deserialize(source: DataInputView): Uint8Array {
    const length = source.readInt();
    const bytes = new Uint8Array(Math.max(0, length));
    source.readFully(bytes, 0, length);
    return bytes;
  }
}
