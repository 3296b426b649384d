import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import type { TypeSerializer } from './TypeSerializer';

/**
 * Port of org.apache.flink.api.common.typeutils.base.IntSerializer (Flink 1.20): a 32-bit int, 4 bytes
 * big-endian. Numbers outside the int range are reduced modulo 2^32 (as `DataView.setInt32` does).
 */
export class IntSerializer implements TypeSerializer<number> {
  /** The shared instance. */
  static readonly INSTANCE = new IntSerializer();

  getLength(): number {
    return 4;
  }
  serialize(record: number, target: DataOutputView): void {
    target.writeInt(record);
  }
  deserialize(source: DataInputView): number {
    return source.readInt();
  }
  readFixed(source: DataView, offset: number): number {
    return source.getInt32(offset);
  }
  writeFixed(record: number, target: DataView, offset: number): void {
    target.setInt32(offset, record);
  }
}
