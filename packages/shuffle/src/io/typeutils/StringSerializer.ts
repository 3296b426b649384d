import { Buffer as NodeBuffer } from 'node:buffer';
import type { DataInputView } from '../DataInputView';
import type { DataOutputView } from '../DataOutputView';
import type { TypeSerializer } from './TypeSerializer';

/**
 * Port of org.apache.flink.api.common.typeutils.base.StringSerializer (Flink 1.20). Differs in the format:
 * an int byte length followed by the UTF-8 bytes (Flink writes a variable-length char count and its own
 * char encoding) — not wire-compatible with Java Flink's string records.
 *
 * ## Pitfalls
 * Lone surrogates are replaced by U+FFFD (UTF-8 cannot encode them), so such strings do not round-trip.
 */
export class StringSerializer implements TypeSerializer<string> {
  /** The shared instance. */
  static readonly INSTANCE = new StringSerializer();

  getLength(): number {
    return -1;
  }
  serialize(record: string, target: DataOutputView): void {
    const bytes = NodeBuffer.from(record, 'utf8');
    target.writeInt(bytes.length);
    target.write(bytes);
  }
  deserialize(source: DataInputView): string {
    const length = source.readInt();
    const bytes = NodeBuffer.allocUnsafe(Math.max(0, length));
    source.readFully(bytes, 0, length);
    return bytes.toString('utf8');
  }
}
