import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import type { TypeSerializer } from './TypeSerializer';

/** Port of org.apache.flink.api.common.typeutils.base.BooleanSerializer (Flink 1.20): one byte, 1 = true. */
export class BooleanSerializer implements TypeSerializer<boolean> {
  /** The shared instance. */
  static readonly INSTANCE = new BooleanSerializer();

  getLength(): number {
    return 1;
  }
  serialize(record: boolean, target: DataOutputView): void {
    target.writeBoolean(record);
  }
  deserialize(source: DataInputView): boolean {
    return source.readBoolean();
  }
  writeFixed(record: boolean, target: DataView, offset: number): void {
    target.setUint8(offset, record ? 1 : 0);
  }
}
