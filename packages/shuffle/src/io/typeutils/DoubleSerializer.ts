import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import type { TypeSerializer } from './TypeSerializer';

/** Port of org.apache.flink.api.common.typeutils.base.DoubleSerializer (Flink 1.20): IEEE 754 double, 8 bytes big-endian. */
export class DoubleSerializer implements TypeSerializer<number> {
  /** The shared instance. */
  static readonly INSTANCE = new DoubleSerializer();

  getLength(): number {
    return 8;
  }
  serialize(record: number, target: DataOutputView): void {
    target.writeDouble(record);
  }
  deserialize(source: DataInputView): number {
    return source.readDouble();
  }
  readFixed(source: DataView, offset: number): number {
    return source.getFloat64(offset);
  }
  writeFixed(record: number, target: DataView, offset: number): void {
    target.setFloat64(offset, record);
  }
}
