import { Buffer as NodeBuffer } from 'node:buffer';
import { IllegalArgumentException } from '@sluice/channel';

/**
 * Port of org.apache.flink.runtime.state.CheckpointStorageLocationReference (Flink 1.20). Differs: the
 * bytes are copied on construction and on {@link getReferenceBytes}, so the value is immutable.
 *
 * Where a checkpoint's state goes: opaque bytes chosen by the checkpoint storage, or the default
 * location ({@link CheckpointStorageLocationReference.getDefault}, encoded as length −1 on the wire).
 */
export class CheckpointStorageLocationReference {
  private static readonly DEFAULT = new CheckpointStorageLocationReference(null);

  /** The reference to the storage's default location. */
  static getDefault(): CheckpointStorageLocationReference {
    return CheckpointStorageLocationReference.DEFAULT;
  }

  private readonly encodedReference: NodeBuffer | null;

  /** @param encodedReference non-empty reference bytes (`null` only for the default, use {@link getDefault}) */
  constructor(encodedReference: Uint8Array | null) {
    if (encodedReference !== null && encodedReference.length === 0) {
      throw new IllegalArgumentException('A checkpoint storage location reference must not be empty; use getDefault()');
    }
    this.encodedReference = encodedReference === null ? null : NodeBuffer.from(encodedReference);
  }

  /** True for the default location. */
  isDefaultReference(): boolean {
    return this.encodedReference === null;
  }

  /** A copy of the reference bytes (empty for the default location). */
  getReferenceBytes(): Uint8Array {
    return this.encodedReference === null ? new Uint8Array(0) : NodeBuffer.from(this.encodedReference);
  }

  /** Number of reference bytes (0 for the default location). */
  getReferenceLength(): number {
    return this.encodedReference === null ? 0 : this.encodedReference.length;
  }

  /** @internal Copies the bytes into `target` at `offset` (EventSerializer). */
  writeTo(target: Uint8Array, offset: number): void {
    if (this.encodedReference !== null) target.set(this.encodedReference, offset);
  }

  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof CheckpointStorageLocationReference)) return false;
    if (this.encodedReference === null || other.encodedReference === null) return this.encodedReference === other.encodedReference;
    return this.encodedReference.equals(other.encodedReference);
  }

  toString(): string {
    return this.encodedReference === null ? '(default)' : this.encodedReference.toString('hex');
  }
}
